/**
 * Canonical records → a zone file in the house format (as the README's "Zone files"
 * shows it): schema modeline,
 * a header saying where the records came from and what was left out (its notes made
 * printable: they quote names and values from the source), `domain`,
 * a default `ttl`, then one flow-style line per name+type(+priority), sorted.
 * Pure: the caller decides the path, the date and the schema reference.
 */
import { compareNames, compareText, type DnsRecord, groupBy, RECORD_TYPES } from '../model.js';
import { forTerminal } from '../text/terminal.js';
import type { ImportedZone } from './types.js';
import { yamlScalar } from './yaml-scalar.js';

export interface WriteZoneOptions {
  /** What goes after `$schema=` in the modeline (a path relative to the zone file). */
  schemaRef: string;
  /** The import date shown in the header; YYYY-MM-DD is printed. */
  date: Date;
}

/**
 * The TTL most records use. A tie goes to the larger TTL: longer TTLs are the
 * usual default and the shorter ones are the deliberate exceptions worth showing.
 * An empty zone gets 3600, the zone file default.
 */
export function mostCommonTtl(records: readonly DnsRecord[]): number {
  const counts = new Map<number, number>();
  for (const record of records) counts.set(record.ttl, (counts.get(record.ttl) ?? 0) + 1);
  let best = 3600;
  let bestCount = 0;
  for (const [ttl, count] of counts) {
    if (count > bestCount || (count === bestCount && ttl > best)) {
      best = ttl;
      bestCount = count;
    }
  }
  return best;
}

export function writeZoneFile(zone: ImportedZone, options: WriteZoneOptions): string {
  const defaultTtl = mostCommonTtl(zone.records);
  const lines = groupLines(zone.records);
  const out: string[] = [`# yaml-language-server: $schema=${options.schemaRef}`];
  out.push(...header(zone, options.date));
  out.push(`domain: ${yamlScalar(zone.domain)}`);
  out.push(`ttl: ${defaultTtl}`);
  if (lines.length === 0) {
    out.push('records: []');
  } else {
    out.push('records:');
    for (const line of lines) out.push(`  - ${recordLine(line, defaultTtl)}`);
  }
  return `${out.join('\n')}\n`;
}

function header(zone: ImportedZone, date: Date): string[] {
  const lines = [
    `# Written by dnssync import on ${date.toISOString().slice(0, 10)} from ${forTerminal(zone.source)}.`,
  ];
  const leftOut = [...zone.leftOut, ...zone.unwritable];
  if (leftOut.length === 0) {
    lines.push('# Nothing was left out.');
  } else {
    lines.push('# Left out:');
    for (const note of leftOut) lines.push(`#   - ${forTerminal(note)}`);
  }
  if (zone.adjusted.length > 0) {
    lines.push('# Adjusted to fit the zone file rules:');
    for (const note of zone.adjusted) lines.push(`#   - ${forTerminal(note)}`);
  }
  return lines;
}

/** One line of the file: every value of one name, type, priority and TTL. */
function recordLine(records: readonly DnsRecord[], defaultTtl: number): string {
  const { name, type, priority, ttl } = records[0]!;
  const values = [...new Set(records.map((record) => record.value))];
  const fields = [`name: ${yamlScalar(name)}`, `type: ${type}`];
  const [only] = values;
  if (values.length === 1 && only !== undefined) fields.push(`value: ${yamlScalar(only)}`);
  else fields.push(`values: [${values.map(yamlScalar).join(', ')}]`);
  if (priority !== null) fields.push(`priority: ${priority}`);
  if (ttl !== defaultTtl) fields.push(`ttl: ${ttl}`);
  return `{ ${fields.join(', ')} }`;
}

/**
 * Groups records into lines: apex first, then names in code-point order, types in
 * the order of RECORD_TYPES, then priority; values keep code-point order. Records
 * of one name+type share a TTL (fit-records.ts sees to that), so a line has one TTL.
 */
function groupLines(records: readonly DnsRecord[]): DnsRecord[][] {
  const sorted = records.toSorted(
    (a, b) =>
      compareNames(a.name, b.name) ||
      RECORD_TYPES.indexOf(a.type) - RECORD_TYPES.indexOf(b.type) ||
      (a.priority ?? 0) - (b.priority ?? 0) ||
      compareText(a.value, b.value),
  );
  const lines = groupBy(sorted, (r) => `${r.name}\u0000${r.type}\u0000${r.priority}\u0000${r.ttl}`);
  return [...lines.values()];
}
