/**
 * Parses many zone files on several threads. YAML parsing is CPU-bound and each file
 * is independent, so large zone sets (1,000 zones × 100 records) are shared between
 * this thread and worker threads. Results are the same as parseZoneFile's, in order;
 * small sets, or a run from TypeScript sources (no compiled worker), stay on this thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  type CheckSettings,
  type DesiredRecord,
  type DesiredZone,
  type Issue,
  type RecordType,
  recordKey,
} from '../model.js';
import { type ParseResult, parseZoneFile } from './parse.js';

export interface ZoneSource {
  file: string;
  text: string;
}

/** Below this much YAML per thread, starting a worker costs more than it saves. */
const BYTES_PER_THREAD = 8 << 20;
const MAX_THREADS = 4;
/** Files handed out at a time: small enough to balance, large enough to keep messages few. */
const BATCH = 25;

const WORKER_URL = new URL('./parse-worker.js', import.meta.url);
let workerExists: boolean | undefined;

/**
 * How many threads to use for `sources`: `requested`, or chosen from size and cores.
 * @public test/zonefile-load.test.ts calls it in the built module (dist/).
 */
export function threadCount(sources: ZoneSource[], requested?: number): number {
  workerExists ??= existsSync(fileURLToPath(WORKER_URL));
  if (!workerExists) return 1;
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  const bytes = sources.reduce((sum, source) => sum + source.text.length, 0);
  return Math.max(
    1,
    Math.min(availableParallelism(), MAX_THREADS, Math.floor(bytes / BYTES_PER_THREAD)),
  );
}

export async function parseZoneFiles(
  sources: ZoneSource[],
  options: { threads?: number } = {},
): Promise<ParseResult[]> {
  const results: ParseResult[] = new Array(sources.length);
  const parseHere = (indexes: number[]) => {
    for (const index of indexes) {
      const source = sources[index] as ZoneSource;
      results[index] = parseZoneFile(source.file, source.text);
    }
  };
  const threads = threadCount(sources, options.threads);
  if (threads <= 1) {
    parseHere(sources.map((_, index) => index));
    return results;
  }

  const batches: number[][] = [];
  for (let start = 0; start < sources.length; start += BATCH) {
    batches.push(
      Array.from({ length: Math.min(BATCH, sources.length - start) }, (_, k) => start + k),
    );
  }
  let next = 0;
  const take = () => batches[next++];

  const workers = Array.from({ length: threads - 1 }, () =>
    runWorker(sources, results, take, parseHere),
  );
  // This thread works too, yielding between batches so idle workers get their next one.
  for (let batch = take(); batch; batch = take()) {
    parseHere(batch);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(workers);
  return results;
}

/**
 * One worker: it asks for a batch when it is ready and after each result, until none
 * are left. If it fails, its batch is parsed here, so a broken worker never loses a file.
 */
function runWorker(
  sources: ZoneSource[],
  results: ParseResult[],
  take: () => number[] | undefined,
  parseHere: (indexes: number[]) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL);
    let current: number[] | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      void worker.terminate();
      resolve();
    };
    const sendNext = () => {
      current = take();
      if (!current) return finish();
      worker.postMessage(current.map((index) => sources[index]));
    };
    worker.on('message', (message: 'ready' | PackedResult[]) => {
      if (message !== 'ready' && current) {
        message.forEach((packed, k) => {
          results[current?.[k] as number] = unpack(packed);
        });
      }
      sendNext();
    });
    const fail = () => {
      if (done) return;
      try {
        if (current) parseHere(current);
      } catch (error) {
        done = true;
        reject(error);
        return;
      }
      current = undefined;
      // Whatever is left is taken by this thread's own loop.
      finish();
    };
    worker.once('error', fail);
    worker.once('exit', fail);
  });
}

/**
 * A ParseResult as it crosses threads: records as columns. Copying 100,000 record
 * objects (each with its own position object) between threads cost more than parsing
 * them; a few arrays copy in a fraction of that, and the objects are rebuilt here.
 */
export interface PackedResult {
  zone: (Omit<DesiredZone, 'records'> & { records: PackedRecords }) | null;
  issues: Issue[];
}

interface PackedRecords {
  name: string[];
  type: RecordType[];
  value: string[];
  ttl: number[];
  priority: Array<number | null>;
  line: number[];
  col: number[];
  comment: Array<string | null>;
  checks: Array<CheckSettings | null>;
}

export function pack(result: ParseResult): PackedResult {
  if (!result.zone) return { zone: null, issues: result.issues };
  const { records, ...zone } = result.zone;
  const columns: PackedRecords = {
    name: [],
    type: [],
    value: [],
    ttl: [],
    priority: [],
    line: [],
    col: [],
    comment: [],
    checks: [],
  };
  for (const record of records) {
    columns.name.push(record.name);
    columns.type.push(record.type);
    columns.value.push(record.value);
    columns.ttl.push(record.ttl);
    columns.priority.push(record.priority);
    columns.line.push(record.pos?.line ?? 0);
    columns.col.push(record.pos?.col ?? 0);
    columns.comment.push(record.comment ?? null);
    columns.checks.push(record.checks ?? null);
  }
  return { zone: { ...zone, records: columns }, issues: result.issues };
}

function unpack(packed: PackedResult): ParseResult {
  if (!packed.zone) return { zone: null, issues: packed.issues };
  const { records: columns, ...zone } = packed.zone;
  const records: DesiredRecord[] = columns.name.map((name, index) => {
    const type = columns.type[index] as RecordType;
    const value = columns.value[index] as string;
    const line = columns.line[index] ?? 0;
    const record: DesiredRecord = {
      name,
      type,
      value,
      ttl: columns.ttl[index] as number,
      priority: columns.priority[index] ?? null,
      key: recordKey(name, type, value, columns.priority[index] ?? null),
    };
    if (line > 0) record.pos = { file: zone.file, line, col: columns.col[index] ?? 0 };
    const comment = columns.comment[index];
    if (comment !== null && comment !== undefined) record.comment = comment;
    const checks = columns.checks[index];
    if (checks !== null && checks !== undefined) record.checks = checks;
    return record;
  });
  return { zone: { ...zone, records }, issues: packed.issues };
}
