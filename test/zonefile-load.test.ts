/**
 * loadZones over many files: the benchmark generator writes valid, realistic zones, and
 * parsing on worker threads gives exactly what parsing on one thread gives.
 * The threaded path needs the compiled worker: build first (`npx tsc -p .`).
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateZones, zoneText } from '../bench/gen-zones.mjs';
import { RECORD_TYPES } from '../src/model.js';
import type { loadZones as LoadZones } from '../src/zonefile/load.js';
import { loadZones } from '../src/zonefile/load.js';
import { parseZoneFile } from '../src/zonefile/parse.js';

const ROOT = join(import.meta.dirname, '..');
const BUILT_LOAD = join(ROOT, 'dist', 'zonefile', 'load.js');
const BUILT_POOL = join(ROOT, 'dist', 'zonefile', 'parse-pool.js');

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dnssync-load-'));
  await generateZones(dir, { zones: 120, records: 60, seed: 7 });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('bench/gen-zones.mjs', () => {
  it('writes valid zones with exactly the asked number of records, of all eight types', async () => {
    const { zones, issues, files } = await loadZones(dir, [], { threads: 1 });
    expect(issues).toEqual([]);
    expect(files).toHaveLength(120);
    for (const zone of zones) expect(zone.records).toHaveLength(60);
    const types = new Set(zones.flatMap((zone) => zone.records.map((record) => record.type)));
    expect([...types].sort()).toEqual([...RECORD_TYPES].sort());
  });

  it('uses values: lists, comments, block and flow style, FQDN names and IPv6 spellings', () => {
    const text = readdirSync(dir)
      .slice(0, 20)
      .map((file) => readFileSync(join(dir, file), 'utf8'))
      .join('\n');
    expect(text).toMatch(/values: \[/);
    expect(text).toMatch(/^\s+values:\n\s+- /m);
    expect(text).toMatch(/^\s+# /m);
    expect(text).toMatch(/^ {2}- name: /m);
    expect(text).toMatch(/^ {2}- \{ name: /m);
    expect(text).toMatch(/name: [a-z0-9-]+\.[a-z-]+-\d{4}\.test\.,/);
    expect(text).toMatch(/2001:0DB8:/);
  });

  it('is deterministic for a seed, and different for another seed', () => {
    expect(zoneText(3, 100, 1)).toEqual(zoneText(3, 100, 1));
    expect(zoneText(3, 100, 1).text).not.toEqual(zoneText(3, 100, 2).text);
    const { domain, text } = zoneText(5, 250, 1);
    const result = parseZoneFile(`zones/${domain}.yaml`, text);
    expect(result.issues).toEqual([]);
    expect(result.zone?.records).toHaveLength(250);
  });
});

describe('parsing on worker threads', () => {
  let built: typeof LoadZones;
  let threadCount: (sources: Array<{ file: string; text: string }>, requested?: number) => number;

  beforeAll(async () => {
    if (!existsSync(BUILT_LOAD))
      throw new Error(`${BUILT_LOAD} is missing: build first (npx tsc -p .)`);
    built = ((await import(pathToFileURL(BUILT_LOAD).href)) as { loadZones: typeof LoadZones })
      .loadZones;
    threadCount = (await import(pathToFileURL(BUILT_POOL).href)).threadCount;
  });

  it('chooses threads from the amount of YAML, and honours an explicit count', () => {
    const small = [{ file: 'a.test.yaml', text: 'records: []\n' }];
    expect(threadCount(small)).toBe(1);
    expect(threadCount(small, 3)).toBe(3);
    // 8 MB of YAML per thread: below that, one thread is faster than starting workers.
    const eightMegabytes = 'x'.repeat(8 << 20);
    const sources = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ file: `z${i}.test.yaml`, text: eightMegabytes }));
    expect(threadCount(sources(1))).toBe(1);
    expect(threadCount(sources(8))).toBe(Math.min(availableParallelism(), 4));
  });

  it('gives the same zones and issues, in the same order, as one thread', async () => {
    // Mix in files with errors, warnings, an unreadable one and a duplicate domain.
    const mixed = mkdtempSync(join(tmpdir(), 'dnssync-load-mixed-'));
    try {
      cpSync(dir, mixed, { recursive: true });
      const invalid = join(ROOT, 'test', 'fixtures', 'invalid');
      for (const file of readdirSync(invalid)) cpSync(join(invalid, file), join(mixed, file));
      writeFileSync(
        join(mixed, 'warn.test.yaml'),
        'records:\n  - { name: "@", type: CAA, value: 0 tbs x }\n',
      );
      writeFileSync(join(mixed, 'warn.test.yml'), 'records: []\n');
      writeFileSync(join(mixed, 'binary.test.yaml'), Buffer.from([0, 1, 2, 255]));

      const one = await built(mixed, [], { threads: 1 });
      const three = await built(mixed, [], { threads: 3 });
      expect(three).toEqual(one);
      expect(one.zones.length).toBeGreaterThan(120);
      expect(one.issues.filter((issue) => issue.severity === 'error').length).toBeGreaterThan(40);
      expect(one.issues.map((issue) => issue.code)).toContain('duplicate-zone');
      expect(one.issues.map((issue) => issue.code)).toContain('binary');
    } finally {
      rmSync(mixed, { recursive: true, force: true });
    }
  });
});
