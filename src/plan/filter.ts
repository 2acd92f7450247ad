/**
 * Hands-off filtering: which live records the planner may touch at all. Everything else
 * is only counted, so the plan can say why it was left alone.
 */
import { type DesiredZone, type IgnoreRule, isRecordType, type LiveRecord } from '../model.js';
import { globToRegExp } from '../records/index.js';

export interface LivePartition {
  /** Records the planner compares with the zone file. */
  managed: LiveRecord[];
  /** Matched by one of the file's `ignore` rules. */
  ignored: LiveRecord[];
  /** Types dnssync does not manage (SOA, PTR, ...). */
  unmanagedTypes: LiveRecord[];
  /** Apex NS records of the provider, left alone because the file declares no apex NS. */
  providerNs: LiveRecord[];
}

/** Whether the zone file takes over the apex NS records (otherwise they are the provider's). */
function declaresApexNs(zone: Pick<DesiredZone, 'records'>): boolean {
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
    if (!record.manageable || !isRecordType(record.type)) {
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

const compiled = new Map<string, RegExp>();

/** Whether a record (canonical relative name, type) falls under an ignore rule. */
export function matchesIgnore(rule: IgnoreRule, name: string, type: string): boolean {
  if (rule.types !== null && !(rule.types as readonly string[]).includes(type)) return false;
  let pattern = compiled.get(rule.name);
  if (!pattern) {
    pattern = globToRegExp(rule.name);
    compiled.set(rule.name, pattern);
  }
  return pattern.test(name);
}
