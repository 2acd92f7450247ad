/**
 * The I/O around the pure planner, shared by `plan` and `apply`: validate the zone
 * files, read the live zones (one list + one detail per managed zone), computePlan.
 * It lives here, not in plan/, because plan/ does no I/O.
 * Validation comes first: with any error nothing is sent to the API, not even the list.
 */
import { readdir } from 'node:fs/promises';
import { createClientFromEnv, type LiveState, readLiveZones } from '../api/live.js';
import type { DnsApi } from '../api/types.js';
import { zoneChecks } from '../checks/index.js';
import { type DesiredZone, fail, type Issue, ok, type Result } from '../model.js';
import { computePlan } from '../plan/index.js';
import type { Plan } from '../plan/types.js';
import { canonicalDomain } from '../records/index.js';
import { loadZones } from '../zonefile/load.js';
import { domainFromFileName } from '../zonefile/parse.js';
import { clientOptions, type PlanFlags, safetyFromFlags } from './common.js';

export interface PreparedPlan {
  plan: Plan;
  /** The zone files' warnings (an error ends preparation). */
  warnings: Issue[];
  desired: DesiredZone[];
  live: LiveState;
}

/**
 * The plan of the zone files in `flags.zones` (of `domains` only, when given), or every
 * issue when one of them is an error. `api` is the client to read with; by default one
 * from VPS_API_TOKEN and VPS_API_URL, closed afterwards.
 */
export async function preparePlan(
  flags: PlanFlags,
  domains: readonly string[],
  api?: DnsApi,
): Promise<Result<PreparedPlan, Issue[]>> {
  const { zones: desired, issues } = await loadZones(flags.zones, [...domains]);
  // The offline DNS checks, as validate runs them: an error among them stops the plan too.
  issues.push(...(await zoneChecks(desired, flags.zones)));
  if (issues.some((issue) => issue.severity === 'error')) return fail(issues);

  const ownClient = api ? null : createClientFromEnv(clientOptions(flags));
  let live: LiveState;
  try {
    live = await readLiveZones(
      api ?? (ownClient as DnsApi),
      desired.map((zone) => zone.domain),
    );
  } finally {
    await ownClient?.close();
  }

  let unmanaged = live.unmanaged;
  if (domains.length > 0) {
    // Only some zone files were read: the others' zones are managed, just not planned now.
    const withFile = await zoneFileDomains(flags.zones);
    unmanaged = unmanaged.filter((domain) => !withFile.has(domain));
  }
  const plan = computePlan(desired, live.live, {
    safety: safetyFromFlags(flags),
    unmanagedZones: unmanaged,
  });
  return ok({ plan, warnings: issues, desired, live: { live: live.live, unmanaged } });
}

async function zoneFileDomains(dir: string): Promise<Set<string>> {
  const domains = new Set<string>();
  for (const entry of await readdir(dir)) {
    if (!/\.ya?ml$/i.test(entry)) continue;
    const domain = canonicalDomain(domainFromFileName(entry));
    if (domain.ok) domains.add(domain.value);
  }
  return domains;
}
