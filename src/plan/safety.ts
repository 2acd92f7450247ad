/**
 * The safety check (docs/design.md, "Safety"), beside the plan rather than inside apply: a zone whose
 * plan would rewrite or remove a large share of its records, or touch its apex NS
 * (the delegation), is marked unsafe, and apply refuses it without --force.
 */
import { isDuplicateDelete } from './diff.js';
import type { Change, SafetyOptions, ZoneSafety } from './types.js';

export interface SafetyInput {
  changes: readonly Change[];
  /** Live managed records of the zone (after hands-off filtering, duplicates included). */
  managedRecords: number;
  /** False for a zone that does not exist yet: its apex NS serve nobody so far. */
  zoneExists: boolean;
}

/**
 * Deleting an exact duplicate never changes what DNS serves, so those deletes do not
 * count: the cleanup after two concurrent applies is safe however many copies they left.
 * The shares stay taken of every live copy, so a zone where everything exists twice
 * measures a change as it would with one copy of each.
 */
export function assessSafety(input: SafetyInput, options: SafetyOptions): ZoneSafety {
  const { managedRecords, zoneExists } = input;
  const changes = input.changes.filter((change) => !isDuplicateDelete(change));
  let updates = 0;
  let deletes = 0;
  for (const change of changes) {
    if (change.action === 'update') updates++;
    else if (change.action === 'delete') deletes++;
  }
  const updateShare = managedRecords > 0 ? updates / managedRecords : 0;
  const deleteShare = managedRecords > 0 ? deletes / managedRecords : 0;

  const reasons: string[] = [];
  if (managedRecords >= options.min_records) {
    if (updateShare > options.update_threshold) {
      reasons.push(shareReason('update', updates, managedRecords, options.update_threshold));
    }
    if (deleteShare > options.delete_threshold) {
      reasons.push(shareReason('delete', deletes, managedRecords, options.delete_threshold));
    }
  }
  const apexNs = changes.filter((change) => change.name === '@' && change.type === 'NS');
  if (zoneExists && apexNs.length > 0) {
    reasons.push(
      `would change the apex NS records, which delegate the zone (${describeCounts(apexNs)})`,
    );
  }
  return {
    unsafe: reasons.length > 0,
    reasons,
    managed_records: managedRecords,
    update_percent: roundPercent(updateShare * 100),
    delete_percent: roundPercent(deleteShare * 100),
  };
}

function shareReason(
  verb: 'update' | 'delete',
  count: number,
  total: number,
  threshold: number,
): string {
  const { share, limit } = percentPair((count / total) * 100, threshold * 100);
  return `would ${verb} ${count} of ${total} managed records (${share}% > ${limit}%)`;
}

/**
 * The share and the limit as text, with enough decimals that a share just above the
 * limit never reads as equal to it (30.01% rather than "30% > 30%").
 */
function percentPair(share: number, limit: number): { share: string; limit: string } {
  for (let decimals = 1; decimals < 6; decimals++) {
    const shareText = formatPercent(share, decimals);
    const limitText = formatPercent(limit, decimals);
    if (shareText !== limitText) return { share: shareText, limit: limitText };
  }
  return { share: formatPercent(share, 6), limit: formatPercent(limit, 6) };
}

function formatPercent(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}

function roundPercent(value: number): number {
  return Math.round(value * 100) / 100;
}

function describeCounts(changes: readonly Change[]): string {
  const count = (action: Change['action']) => changes.filter((c) => c.action === action).length;
  return [
    ['create', count('create')],
    ['update', count('update')],
    ['delete', count('delete')],
  ]
    .filter(([, n]) => n !== 0)
    .map(([verb, n]) => `${n} to ${verb}`)
    .join(', ');
}
