/**
 * After apply: re-read the zones it touched and plan them again. An empty plan confirms
 * the apply; what is left is what still differs.
 *
 * Exact duplicates found there are removed and the zones read again: another apply of the
 * same zone files running at the same time creates the same records, and both runs keep
 * the oldest copy of each, so whichever run verifies last leaves exactly one. Removal
 * repeats while the other run is still adding copies, a few rounds at most.
 */
import { readLiveZones } from '../api/live.js';
import type { DnsApi } from '../api/types.js';
import type { DesiredZone } from '../model.js';
import { computePlan, duplicateDeletes } from '../plan/index.js';
import { hasChanges, type Plan } from '../plan/types.js';
import { executePlan } from './execute.js';

export interface Verification {
  /** The zones re-read. */
  zones: string[];
  /** What still differs (no changes: the zones match their files). */
  remaining: Plan;
  /** Exact duplicates removed on the way (left by another apply at the same time). */
  removedDuplicates: number;
}

/** Rounds of removing duplicates that verification makes before it reports what differs. */
const DUPLICATE_ROUNDS = 5;

export async function verifyZones(
  api: DnsApi,
  desired: DesiredZone[],
  domains: string[],
): Promise<Verification> {
  const touched = desired.filter((zone) => domains.includes(zone.domain));
  let removedDuplicates = 0;
  let plan: Plan;
  for (let round = 1; ; round++) {
    plan = computePlan(touched, (await readLiveZones(api, domains)).live);
    const duplicates = duplicateDeletes(plan);
    if (!hasChanges(duplicates) || round > DUPLICATE_ROUNDS) break;
    const { results } = await executePlan(duplicates, api, {});
    // A copy already gone was removed by the other run's verification.
    removedDuplicates += results.filter(
      (r) => r.status === 'applied' && r.note === undefined,
    ).length;
    // Deletes that all failed (no dns:delete, say) will not do better in another round.
    if (!results.some((r) => r.status === 'applied')) break;
  }
  return { zones: touched.map((zone) => zone.domain), remaining: plan, removedDuplicates };
}
