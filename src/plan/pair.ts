/**
 * Pairing: within one name+type, a leftover delete and create become one
 * in-place update that changes the value. One request instead of two, and the name
 * never goes empty between them. Pairs are formed in value order, so the result is
 * the same whatever order the records came in.
 */
import { compareText } from '../model.js';
import type { DraftChange } from './diff.js';

export function pairChanges(changes: readonly DraftChange[]): DraftChange[] {
  const deletes = new Map<string, DraftChange[]>();
  const creates = new Map<string, DraftChange[]>();
  const others: DraftChange[] = [];
  for (const change of changes) {
    const bucket =
      change.action === 'delete' ? deletes : change.action === 'create' ? creates : undefined;
    if (!bucket) {
      others.push(change);
      continue;
    }
    const slot = `${change.record.name}\u0000${change.record.type}`;
    const list = bucket.get(slot);
    if (list) list.push(change);
    else bucket.set(slot, [change]);
  }

  const result = [...others];
  for (const [slot, slotCreates] of creates) {
    const slotDeletes = (deletes.get(slot) ?? []).toSorted(
      (a, b) =>
        compareText(a.record.value, b.record.value) ||
        (a.record.priority ?? 0) - (b.record.priority ?? 0) ||
        compareText(a.record_uuid ?? '', b.record_uuid ?? ''),
    );
    deletes.delete(slot);
    const sortedCreates = slotCreates.toSorted(
      (a, b) =>
        compareText(a.record.value, b.record.value) ||
        (a.record.priority ?? 0) - (b.record.priority ?? 0),
    );
    sortedCreates.forEach((create, index) => {
      const old = slotDeletes[index];
      if (!old) {
        result.push(create);
        return;
      }
      result.push({
        action: 'update',
        record: create.record,
        record_uuid: old.record_uuid,
        before: old.record,
      });
    });
    result.push(...slotDeletes.slice(sortedCreates.length));
  }
  for (const slotDeletes of deletes.values()) result.push(...slotDeletes);
  return result;
}
