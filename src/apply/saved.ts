/**
 * Saved plans (`plan --out FILE`, then `apply FILE`): loading, and refusing a plan that
 * no longer describes the world — the zone files or the live zones changed since.
 */
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import addFormatsMod from 'ajv-formats';
import type { LiveState } from '../api/live.js';
import { UserError } from '../errors.js';
import type { DesiredZone } from '../model.js';
import { desiredFingerprint, liveFingerprint } from '../plan/fingerprint.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../plan/types.js';

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
 * Why the saved plan can no longer be applied as reviewed, one sentence per zone;
 * empty when it still holds.
 */
export function stalePlanReasons(
  plan: Plan,
  desired: readonly DesiredZone[],
  live: LiveState,
): string[] {
  const desiredByDomain = new Map(desired.map((zone) => [zone.domain, zone]));
  const reasons: string[] = [];
  for (const zonePlan of plan.zones) {
    const domain = zonePlan.domain;
    const file = desiredByDomain.get(domain);
    if (!file) {
      reasons.push(`${domain}: its zone file is gone`);
    } else if (desiredFingerprint(file) !== zonePlan.desired_fingerprint) {
      reasons.push(`${domain}: ${file.file} changed since the plan was made`);
    }
    const liveZone = live.live.get(domain);
    if (zonePlan.create_zone) {
      if (liveZone)
        reasons.push(`${domain}: the zone now exists at VPS.org (the plan would create it)`);
    } else if (!liveZone) {
      reasons.push(`${domain}: the zone no longer exists at VPS.org`);
    } else if (liveFingerprint(liveZone) !== zonePlan.live_fingerprint) {
      reasons.push(`${domain}: the live zone changed since the plan was made`);
    }
  }
  return reasons;
}

const addFormats = addFormatsMod.default;

/** Problems of a plan against schemas/plan.schema.json, as `path: message` lines. */
async function planSchemaProblems(plan: unknown): Promise<string[]> {
  const schemaUrl = new URL('../../schemas/plan.schema.json', import.meta.url);
  const schema = JSON.parse(await readFile(schemaUrl, 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(plan)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`,
  );
}
