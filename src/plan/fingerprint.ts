/**
 * Fingerprints that let `apply FILE` say why a saved plan went stale: one of the live
 * zone as it was read, one of what the zone file asked for. They are not secret and
 * decide nothing (a fresh plan does). Both are sha256 over one line per
 * record, sorted, so they do not depend on the order records were listed in.
 */
import { createHash } from 'node:crypto';
import { compareText, type DesiredZone, type LiveZone } from '../model.js';

/** Every live record (managed or not): uuid, name, type, value, ttl, priority. */
export function liveFingerprint(zone: LiveZone): string {
  const lines = zone.records.map((r) =>
    line([r.uuid, r.name, r.type, field(r.value), r.ttl, r.priority ?? '']),
  );
  return digest(JSON.stringify({ zone: zone.uuid, domain: zone.domain }), lines);
}

/** The desired records plus the settings that change the plan (purge, ignore rules). */
export function desiredFingerprint(zone: DesiredZone): string {
  const lines = zone.records.map((r) =>
    line([r.name, r.type, field(r.value), r.ttl, r.priority ?? '']),
  );
  const ignore = zone.ignore.map((rule) => [rule.name, rule.types ? rule.types.toSorted() : null]);
  return digest(JSON.stringify({ domain: zone.domain, purge: zone.purge, ignore }), lines);
}

/** Fields joined by NUL; names, types and uuids never hold NUL or newlines. */
function line(fields: Array<string | number>): string {
  return fields.join('\u0000');
}

/** A value that could hold the separators (TXT is verbatim) is quoted, so lines stay unambiguous. */
function field(value: string): string {
  return value.includes('\u0000') || value.includes('\n') || value.startsWith('"')
    ? JSON.stringify(value)
    : value;
}

function digest(header: string, lines: string[]): string {
  return createHash('sha256')
    .update(`${header}\n${lines.sort(compareText).join('\n')}`)
    .digest('hex');
}
