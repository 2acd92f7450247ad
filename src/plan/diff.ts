/**
 * The record diff of one zone (SPEC §3): identity is recordKey (name, type, canonical
 * value); TTL and priority are attributes. Produces draft changes that the pair and
 * order stages refine into the plan's changes.
 */
import type { DesiredRecord, LiveRecord, RecordType } from '../model.js';
import { compareText } from './compare.js';
import type { ChangeAction, RecordState } from './types.js';

/** A change before it has a phase, an id and dependencies. */
export interface DraftChange {
  action: ChangeAction;
  /** After the change (create, update) or the record removed (delete). */
  record: RecordState;
  record_uuid: string | null;
  before?: RecordState;
  reason?: string;
}

export interface ZoneDiff {
  changes: DraftChange[];
  /** Live records missing from the file, kept because of `purge: false`. */
  kept: RecordState[];
}

export const DUPLICATE_REASON = 'duplicate live record';

/** `live` must hold only managed records (see partitionLive); their type is one of the eight. */
export function diffRecords(
  desired: readonly DesiredRecord[],
  live: readonly LiveRecord[],
  purge: boolean,
): ZoneDiff {
  const liveByKey = new Map<string, LiveRecord[]>();
  for (const record of live) {
    const group = liveByKey.get(record.key);
    if (group) group.push(record);
    else liveByKey.set(record.key, [record]);
  }

  const changes: DraftChange[] = [];
  const kept: RecordState[] = [];
  const desiredKeys = new Set<string>();
  for (const want of desired) {
    // Validation rejects two records with one identity; the first one wins if it slipped through.
    if (desiredKeys.has(want.key)) continue;
    desiredKeys.add(want.key);
    const target = stateOf(want);
    const group = liveByKey.get(want.key);
    if (!group) {
      changes.push({ action: 'create', record: target, record_uuid: null });
      continue;
    }
    const [keep, ...extra] = byPreference(group, target);
    if (keep && !sameAttributes(keep, target)) {
      changes.push({
        action: 'update',
        record: target,
        record_uuid: keep.uuid,
        before: liveState(keep),
      });
    }
    for (const duplicate of extra) {
      changes.push({
        action: 'delete',
        record: liveState(duplicate),
        record_uuid: duplicate.uuid,
        reason: DUPLICATE_REASON,
      });
    }
  }

  for (const [key, group] of liveByKey) {
    if (desiredKeys.has(key)) continue;
    for (const record of group) {
      if (purge)
        changes.push({ action: 'delete', record: liveState(record), record_uuid: record.uuid });
      else kept.push(liveState(record));
    }
  }
  return { changes, kept };
}

/**
 * Live records of one identity, the one to keep first: one that already has the wanted
 * TTL and priority (no update needed), then the smallest uuid, so the choice does not
 * depend on the order the API listed them in.
 */
function byPreference(group: LiveRecord[], target: RecordState): LiveRecord[] {
  if (group.length === 1) return group;
  return group.toSorted(
    (a, b) =>
      Number(!sameAttributes(a, target)) - Number(!sameAttributes(b, target)) ||
      compareText(a.uuid, b.uuid),
  );
}

function sameAttributes(
  record: Pick<RecordState, 'ttl' | 'priority'>,
  target: RecordState,
): boolean {
  return record.ttl === target.ttl && (record.priority ?? null) === target.priority;
}

export function stateOf(record: DesiredRecord): RecordState {
  return {
    name: record.name,
    type: record.type,
    value: record.value,
    ttl: record.ttl,
    priority: record.priority,
  };
}

export function liveState(record: LiveRecord): RecordState {
  return {
    name: record.name,
    type: record.type as RecordType,
    value: record.value,
    ttl: record.ttl,
    priority: record.priority,
  };
}
