/**
 * The record diff of one zone: identity is recordKey (name, type, canonical value,
 * priority); the TTL is an attribute, and a changed priority becomes an update when
 * pairing meets its delete and create. Produces draft changes that the pair and order stages
 * refine into the plan's changes.
 */
import {
  compareText,
  type DesiredRecord,
  type DnsRecord,
  type LiveRecord,
  type RecordType,
  recordKey,
} from '../model.js';
import type { Change, ChangeAction } from './types.js';

/** A change before it has a phase, an id and dependencies. */
export interface DraftChange {
  action: ChangeAction;
  /** After the change (create, update) or the record removed (delete). */
  record: DnsRecord;
  record_uuid: string | null;
  before?: DnsRecord;
  reason?: string;
}

export interface ZoneDiff {
  changes: DraftChange[];
  /** Live records missing from the file, kept because of `purge: false`. */
  kept: DnsRecord[];
}

const DUPLICATE_REASON = 'duplicate live record';

const MATCHED = Symbol('matched');

/** `live` must hold only managed records (see partitionLive); their type is a managed one. */
export function diffRecords(
  desired: readonly DesiredRecord[],
  live: readonly LiveRecord[],
  purge: boolean,
): ZoneDiff {
  // One record per identity is the common case; only duplicates get an array. Entries
  // the file asks for are replaced by MATCHED, so what remains afterwards is undesired.
  const liveByKey = new Map<string, LiveRecord | LiveRecord[] | typeof MATCHED>();
  for (const record of live) {
    const key = recordKey(record.name, record.type, record.value, record.priority);
    const entry = liveByKey.get(key);
    if (entry === undefined) liveByKey.set(key, record);
    else if (Array.isArray(entry)) entry.push(record);
    else liveByKey.set(key, [entry as LiveRecord, record]);
  }

  const changes: DraftChange[] = [];
  for (const want of desired) {
    const entry = liveByKey.get(want.key);
    // Validation rejects two records with one identity; the first one wins if it slipped through.
    if (entry === MATCHED) continue;
    liveByKey.set(want.key, MATCHED);
    if (entry === undefined) {
      changes.push({ action: 'create', record: plainRecord(want), record_uuid: null });
      continue;
    }
    const [keep, ...extra] = Array.isArray(entry) ? byPreference(entry, want) : [entry];
    if (keep && !sameAttributes(keep, want)) {
      changes.push({
        action: 'update',
        record: plainRecord(want),
        record_uuid: keep.uuid,
        before: plainRecord(keep),
      });
    }
    for (const duplicate of extra) {
      changes.push({
        action: 'delete',
        record: plainRecord(duplicate),
        record_uuid: duplicate.uuid,
        reason: DUPLICATE_REASON,
      });
    }
  }

  const kept: DnsRecord[] = [];
  for (const entry of liveByKey.values()) {
    if (entry === MATCHED) continue;
    for (const record of Array.isArray(entry) ? entry : [entry]) {
      if (purge) {
        changes.push({ action: 'delete', record: plainRecord(record), record_uuid: record.uuid });
      } else kept.push(plainRecord(record));
    }
  }
  return { changes, kept };
}

/**
 * Live records of one identity, the one to keep first: one that already has the wanted
 * TTL and priority (no update needed), then the oldest by the API's created_at, then the
 * smallest uuid. The order depends on the records alone, not on the order the API listed
 * them in, so two applies cleaning up the same duplicates at once keep the same one.
 */
function byPreference(group: LiveRecord[], target: Attributes): LiveRecord[] {
  return group.toSorted(
    (a, b) =>
      Number(!sameAttributes(a, target)) - Number(!sameAttributes(b, target)) ||
      createdTime(a) - createdTime(b) ||
      compareText(a.uuid, b.uuid),
  );
}

/** Milliseconds since the epoch; a record without a readable created_at sorts last. */
function createdTime(record: LiveRecord): number {
  const time = record.createdAt === undefined ? Number.NaN : Date.parse(record.createdAt);
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}

/** A delete that removes an exact duplicate: another record of its identity stays. */
export function isDuplicateDelete(change: Pick<Change, 'action' | 'reason'>): boolean {
  return change.action === 'delete' && change.reason === DUPLICATE_REASON;
}

type Attributes = Pick<DnsRecord, 'ttl' | 'priority'>;

function sameAttributes(record: Attributes, target: Attributes): boolean {
  return record.ttl === target.ttl && (record.priority ?? null) === target.priority;
}

/**
 * The five record fields alone, as the plan holds them. A live record here is one the
 * planner manages, so its type is a managed one.
 */
export function plainRecord(record: DnsRecord<string>): DnsRecord {
  return {
    name: record.name,
    type: record.type as RecordType,
    value: record.value,
    ttl: record.ttl,
    priority: record.priority,
  };
}
