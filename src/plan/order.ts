/**
 * Order within a zone (docs/design.md, "Order and dependencies"). The differ, not apply, resolves CNAME hazards: a CNAME
 * must be alone at its name, so
 *   - 'clear':  deletes that make room for a new CNAME, or remove a CNAME that other
 *               data replaces, run first;
 *   - 'upsert': then creates and updates;
 *   - 'delete': then the remaining deletes.
 * `depends_on` is the minimal set of constraints behind that order, so apply can run
 * independent changes at once and skip only what depends on a failure:
 *   - a CNAME create waits for the clear-deletes at its name;
 *   - any other create waits for the deletion of a CNAME at its name;
 *   - a remaining delete waits for the creates/updates of the same name and type, so a
 *     name keeps its old records if the new ones could not be written.
 */
import { compareNames, compareText, groupBy } from '../model.js';
import type { DraftChange } from './diff.js';
import type { Change, ChangePhase } from './types.js';

const PHASE_RANK: Record<ChangePhase, number> = { clear: 0, upsert: 1, delete: 2 };

function phaseOf(
  change: DraftChange,
  cnameCreated: Set<string>,
  otherCreated: Set<string>,
): ChangePhase {
  if (change.action !== 'delete') return 'upsert';
  const { name, type } = change.record;
  if (type !== 'CNAME' && cnameCreated.has(name)) return 'clear';
  if (type === 'CNAME' && otherCreated.has(name)) return 'clear';
  return 'delete';
}

export function orderChanges(domain: string, drafts: readonly DraftChange[]): Change[] {
  const cnameCreated = new Set<string>();
  const otherCreated = new Set<string>();
  for (const draft of drafts) {
    if (draft.action !== 'create') continue;
    (draft.record.type === 'CNAME' ? cnameCreated : otherCreated).add(draft.record.name);
  }

  const phased = drafts
    .map((draft) => ({ draft, phase: phaseOf(draft, cnameCreated, otherCreated) }))
    .sort(
      (a, b) =>
        PHASE_RANK[a.phase] - PHASE_RANK[b.phase] ||
        compareNames(a.draft.record.name, b.draft.record.name) ||
        compareText(a.draft.record.type, b.draft.record.type) ||
        compareText(a.draft.record.value, b.draft.record.value) ||
        compareText(a.draft.record_uuid ?? '', b.draft.record_uuid ?? ''),
    );

  const changes: Change[] = phased.map(({ draft, phase }, index) => {
    const change: Change = {
      id: `${domain}#${index + 1}`,
      action: draft.action,
      name: draft.record.name,
      type: draft.record.type,
      value: draft.record.value,
      ttl: draft.record.ttl,
      priority: draft.record.priority,
      record_uuid: draft.record_uuid,
      phase,
      depends_on: [],
    };
    if (draft.before) change.before = draft.before;
    const reason = draft.reason ?? (phase === 'clear' ? clearReason(draft) : undefined);
    if (reason) change.reason = reason;
    return change;
  });

  const byName = groupBy(changes, (change) => change.name);
  for (const change of changes) {
    change.depends_on = prerequisites(change, byName.get(change.name) ?? []);
  }
  return changes;
}

function clearReason(draft: DraftChange): string {
  return draft.record.type === 'CNAME'
    ? 'the CNAME makes way for the new records at this name'
    : 'makes room for the new CNAME at this name';
}

/** Ids of the changes `change` must wait for; `sameName` holds the zone's changes at its name. */
function prerequisites(change: Change, sameName: readonly Change[]): string[] {
  let needed: (other: Change) => boolean;
  if (change.action === 'create' && change.type === 'CNAME') {
    needed = (other) => other.phase === 'clear';
  } else if (change.action === 'create') {
    needed = (other) => other.phase === 'clear' && other.type === 'CNAME';
  } else if (change.phase === 'delete') {
    needed = (other) => other.phase === 'upsert' && other.type === change.type;
  } else {
    return [];
  }
  return sameName.filter(needed).map((other) => other.id);
}
