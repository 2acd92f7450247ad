/**
 * Saved plans (`plan --out FILE`, then `apply FILE`): loading, and comparing one with a
 * fresh plan, so that apply refuses a plan that is no longer what it would do.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { type Change, PLAN_FORMAT_VERSION, type Plan, type ZonePlan } from '../plan/types.js';
import { loadValidator } from '../schemas.js';

export async function readSavedPlan(path: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the plan file ${path}: ${(error as Error).message}`);
  }
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path} is not a JSON plan: ${(error as Error).message}`);
  }
  if (plan === null || typeof plan !== 'object' || !('format_version' in plan)) {
    throw new UserError(
      `${path} is not a dnssync plan (save one with: dnssync plan --out ${path})`,
    );
  }
  const version = (plan as { format_version: unknown }).format_version;
  if (version !== PLAN_FORMAT_VERSION) {
    throw new UserError(
      `${path} has plan format_version ${JSON.stringify(version)}; this dnssync reads version ${PLAN_FORMAT_VERSION}`,
    );
  }
  const problems = await planSchemaProblems(plan);
  if (problems.length > 0) {
    throw new UserError(`${path} is not a valid plan: ${problems.slice(0, 3).join('; ')}`);
  }
  return plan as Plan;
}

/**
 * Where a saved plan differs from a fresh plan of the same zones, one sentence per zone
 * (why it went stale, then the first difference); empty when they are the same.
 *
 * A saved plan is an assertion about what apply will do, never a program: its changes,
 * uuids and safety flags are not secret and may have been edited, so apply executes the
 * fresh plan, and only when every change the file lists is the change a fresh plan makes.
 * The fingerprints say why the two differ; they decide nothing.
 */
export function savedPlanDifferences(saved: Plan, fresh: Plan): string[] {
  const reasons: string[] = [];
  const count = Math.max(saved.zones.length, fresh.zones.length);
  for (let index = 0; index < count; index++) {
    const before = saved.zones[index];
    const now = fresh.zones[index];
    if (before === undefined || now === undefined || before.domain !== now.domain) {
      const domain = (before ?? now)?.domain ?? '';
      reasons.push(
        before === undefined
          ? `${domain}: a fresh plan includes this zone; the plan file does not`
          : `${domain}: the plan file lists this zone where a fresh plan has ${now?.domain ?? 'none'}`,
      );
      continue;
    }
    const difference = zoneDifference(before, now);
    if (difference !== null) reasons.push(`${now.domain}: ${whyStale(before, now)}: ${difference}`);
  }
  return reasons;
}

function whyStale(saved: ZonePlan, fresh: ZonePlan): string {
  const why: string[] = [];
  if (saved.desired_fingerprint !== fresh.desired_fingerprint) {
    why.push(`${fresh.file} changed since the plan was made`);
  }
  if (saved.live_fingerprint !== fresh.live_fingerprint) {
    why.push('the live zone changed since the plan was made');
  }
  return why.length > 0
    ? why.join(', and ')
    : 'the zone file and the live zone are as they were, so the plan file itself was edited (or made by another dnssync version)';
}

/** The first difference between the zone's saved and fresh plans, or null. */
function zoneDifference(saved: ZonePlan, fresh: ZonePlan): string | null {
  if (saved.create_zone !== fresh.create_zone) {
    return fresh.create_zone
      ? 'a fresh plan creates the zone (it is gone); the plan file does not'
      : 'the plan file creates the zone; a fresh plan does not (it exists now)';
  }
  if (saved.zone_uuid !== fresh.zone_uuid) {
    return `the plan file names zone ${show(saved.zone_uuid)}, a fresh plan ${show(fresh.zone_uuid)}`;
  }
  const count = Math.max(saved.changes.length, fresh.changes.length);
  for (let index = 0; index < count; index++) {
    const before = saved.changes[index];
    const now = fresh.changes[index];
    // One of the two is there: the loop ends at the longer list.
    if (before === undefined) {
      return `a fresh plan has change ${index + 1} (${describe(now!)}), which the plan file lacks`;
    }
    if (now === undefined) {
      return `the plan file has change ${index + 1} (${describe(before)}), which a fresh plan does not make`;
    }
    const fields = differingFields(before, now);
    if (fields.length > 0) return changeDifference(index, fields, before, now);
  }
  return null;
}

/**
 * `change 2 differs in ...`, with what each side has: both descriptions when they differ,
 * and each other field's two values (with only `depends_on` or `id` different, the two
 * descriptions would read the same).
 */
function changeDifference(index: number, fields: string[], saved: Change, fresh: Change): string {
  const others = fields.filter((field) => !DESCRIBED.includes(field));
  const label = (field: string) => (fields.length > 1 ? `${field}: ` : '');
  const parts = others.map(
    (field) =>
      `${label(field)}the plan file has ${fieldText(saved, field)}, a fresh plan ${fieldText(fresh, field)}`,
  );
  const heading = `change ${index + 1} differs in ${fields.join(', ')}: `;
  if (others.length < fields.length) {
    const described = `the plan file has ${describe(saved)}, a fresh plan ${describe(fresh)}`;
    return heading + [described, ...parts].join('; ');
  }
  return `${heading}${parts.join('; ')} (both: ${describe(fresh)})`;
}

/** One field of a change as a message shows it. */
function fieldText(change: Change, field: string): string {
  if (field === 'depends_on') return `[${change.depends_on.map(show).join(', ')}]`;
  if (field === 'before') {
    const state = change.before;
    if (state === undefined) return 'no earlier state';
    const priority = state.priority === null ? '' : ` priority ${state.priority}`;
    return `earlier state ${show(state.name)} ${state.type} ${show(state.value)} ttl ${state.ttl}${priority}`;
  }
  return show(String(change[field as 'id' | 'phase']));
}

/** Every field that decides what apply sends, or what the reviewer read. */
const CHANGE_FIELDS = [
  'id',
  'action',
  'name',
  'type',
  'value',
  'ttl',
  'priority',
  'record_uuid',
  'phase',
] as const;
const STATE_FIELDS = ['name', 'type', 'value', 'ttl', 'priority'] as const;
/** The fields `describe` shows; any other field that differs is shown on its own. */
const DESCRIBED: readonly string[] = ['action', ...STATE_FIELDS, 'record_uuid'];

function differingFields(saved: Change, fresh: Change): string[] {
  const fields: string[] = CHANGE_FIELDS.filter((field) => saved[field] !== fresh[field]);
  if (saved.depends_on.join('\n') !== fresh.depends_on.join('\n')) fields.push('depends_on');
  const before = (change: Change, field: (typeof STATE_FIELDS)[number]) => change.before?.[field];
  if (STATE_FIELDS.some((field) => before(saved, field) !== before(fresh, field))) {
    fields.push('before');
  }
  return fields;
}

/** A change as a message shows it; values from the file are quoted, so they cannot steer a terminal. */
function describe(change: Change): string {
  const priority = change.priority === null ? '' : ` priority ${change.priority}`;
  const record = change.record_uuid === null ? '' : `, record ${show(change.record_uuid)}`;
  return `${change.action} ${show(change.name)} ${change.type} ${show(change.value)} ttl ${change.ttl}${priority}${record}`;
}

function show(text: string | null): string {
  return JSON.stringify(text);
}

/** Problems of a plan against schemas/plan.schema.json, as `path: message` lines. */
async function planSchemaProblems(plan: unknown): Promise<string[]> {
  const validate = await loadValidator('plan');
  if (validate(plan)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`,
  );
}
