/**
 * `plan --format diff`: per zone, a unified diff (the `diff` package) of the live zone against
 * the zone as it will be after apply, both as sorted BIND-like lines
 * `name TTL IN TYPE rdata`. Only records dnssync manages appear: ignored records, other
 * types and the provider's apex NS are left out on both sides, as the planner leaves
 * them alone; records kept by `purge: false` stay on the desired side.
 * The diff needs the records themselves, which the Plan does not carry, so it takes the
 * planner's inputs too. Names and values are shown with forTerminal, line by line, before
 * the diff is made (and coloured).
 */
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { compareRecords, type DesiredZone, type DnsRecord, type LiveZone } from '../model.js';
import { plainRecord } from '../plan/diff.js';
import { partitionLive } from '../plan/filter.js';
import type { Plan } from '../plan/types.js';
import { forTerminal, painter } from '../text/terminal.js';
import { rdata } from './bind.js';

export interface DiffInputs {
  desired: readonly DesiredZone[];
  live: ReadonlyMap<string, LiveZone>;
}

export interface DiffOptions {
  color: boolean;
  /** Unchanged lines around each change (default 3). */
  context?: number;
}

/** The diffs of every zone with changes, one after another; empty when nothing changes. */
export function renderDiff(
  plan: Plan,
  inputs: DiffInputs,
  options: DiffOptions = { color: false },
): string {
  const desiredByDomain = new Map(inputs.desired.map((zone) => [zone.domain, zone]));
  const patches: string[] = [];
  for (const zonePlan of plan.zones) {
    if (!zonePlan.create_zone && zonePlan.changes.length === 0) continue;
    const desired = desiredByDomain.get(zonePlan.domain);
    if (!desired) continue;
    const live = inputs.live.get(zonePlan.domain);
    const before = live ? partitionLive(desired, live.records).managed.map(plainRecord) : [];
    const after = [...desired.records, ...zonePlan.kept];
    const patch = zoneDiff(
      zonePlan.domain,
      before,
      after,
      live === undefined,
      options.context ?? 3,
    );
    patches.push(options.color ? colorize(patch) : patch);
  }
  return patches.join('\n');
}

/** A unified diff of two record sets of one zone. */
function zoneDiff(
  domain: string,
  before: readonly DnsRecord[],
  after: readonly DnsRecord[],
  zoneIsNew: boolean,
  context = 3,
): string {
  const width = columnWidths([...before, ...after]);
  return createTwoFilesPatch(
    `live/${forTerminal(domain)}`,
    `desired/${forTerminal(domain)}`,
    bindLines(before, width),
    bindLines(after, width),
    zoneIsNew ? 'zone does not exist yet' : undefined,
    undefined,
    { context, headerOptions: FILE_HEADERS_ONLY },
  );
}

interface Widths {
  name: number;
  ttl: number;
  type: number;
}

function columnWidths(records: readonly DnsRecord[]): Widths {
  const widths: Widths = { name: 1, ttl: 1, type: 1 };
  for (const record of records) {
    widths.name = Math.max(widths.name, Math.min(32, record.name.length));
    widths.ttl = Math.max(widths.ttl, String(record.ttl).length);
    widths.type = Math.max(widths.type, record.type.length);
  }
  return widths;
}

function bindLines(records: readonly DnsRecord[], width: Widths): string {
  return records
    .toSorted(compareRecords)
    .map(
      (record) =>
        `${forTerminal(`${record.name.padEnd(width.name)} ${String(record.ttl).padStart(width.ttl)} IN ${record.type.padEnd(width.type)} ${rdata(record)}`)}\n`,
    )
    .join('');
}

function colorize(patch: string): string {
  const paint = painter(true);
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return paint('bold', line);
      if (line.startsWith('@@')) return paint('cyan', line);
      if (line.startsWith('+')) return paint('green', line);
      if (line.startsWith('-')) return paint('red', line);
      return line;
    })
    .join('\n');
}
