/**
 * Hands-off filtering (SPEC §3): which live records the planner may touch at all.
 * Everything else is only counted, so the plan can say why it was left alone.
 */
import type { DesiredZone, LiveRecord } from '../model.js';
import { isRecordType } from '../model.js';
import { matchesIgnore } from '../zonefile/ignore.js';

export interface LivePartition {
  /** Records the planner compares with the zone file. */
  managed: LiveRecord[];
  /** Matched by one of the file's `ignore` rules. */
  ignored: LiveRecord[];
  /** Types outside the eight dnssync manages (SOA, PTR, ...). */
  unmanagedTypes: LiveRecord[];
  /** Apex NS records of the provider, left alone because the file declares no apex NS. */
  providerNs: LiveRecord[];
}

/** Whether the zone file takes over the apex NS records (otherwise they are the provider's). */
export function declaresApexNs(zone: Pick<DesiredZone, 'records'>): boolean {
  return zone.records.some((record) => record.name === '@' && record.type === 'NS');
}

/**
 * Splits live records by who owns them. The checks run in a fixed order (type, then
 * ignore rules, then apex NS) so each record is counted once.
 */
export function partitionLive(
  desired: Pick<DesiredZone, 'records' | 'ignore'>,
  live: readonly LiveRecord[],
): LivePartition {
  const partition: LivePartition = { managed: [], ignored: [], unmanagedTypes: [], providerNs: [] };
  const ownsApexNs = declaresApexNs(desired);
  for (const record of live) {
    if (!record.managed || !isRecordType(record.type)) {
      partition.unmanagedTypes.push(record);
    } else if (desired.ignore.some((rule) => matchesIgnore(rule, record.name, record.type))) {
      partition.ignored.push(record);
    } else if (!ownsApexNs && record.name === '@' && record.type === 'NS') {
      partition.providerNs.push(record);
    } else {
      partition.managed.push(record);
    }
  }
  return partition;
}
