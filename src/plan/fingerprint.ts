/**
 * Fingerprints that let `apply FILE` detect a stale plan: one of the live zone as it
 * was read, one of what the zone file asked for. Both are sha256 over one JSON line per
 * record, sorted, so they do not depend on the order records were listed in.
 */
import { createHash } from 'node:crypto';
import type { DesiredZone, LiveZone } from '../model.js';
import { compareText } from './compare.js';

/** Every live record (managed or not): uuid, name, type, value, ttl, priority. */
export function liveFingerprint(zone: LiveZone): string {
  const lines = zone.records.map((r) =>
    JSON.stringify([r.uuid, r.name, r.type, r.value, r.ttl, r.priority ?? null]),
  );
  return digest(JSON.stringify({ zone: zone.uuid, domain: zone.domain }), lines);
}

/** The desired records plus the settings that change the plan (purge, ignore rules). */
export function desiredFingerprint(zone: DesiredZone): string {
  const lines = zone.records.map((r) =>
    JSON.stringify([r.name, r.type, r.value, r.ttl, r.priority]),
  );
  const ignore = zone.ignore.map((rule) => [rule.name, rule.types ? rule.types.toSorted() : null]);
  return digest(JSON.stringify({ domain: zone.domain, purge: zone.purge, ignore }), lines);
}

function digest(header: string, lines: string[]): string {
  const hash = createHash('sha256').update(header);
  for (const line of lines.sort(compareText)) hash.update(`\n${line}`);
  return hash.digest('hex');
}
