/**
 * computePlan: desired zones + live zones → Plan (docs/design.md, "The plan"). Pure and synchronous: no
 * I/O, no colours, no closures; the same inputs in any order give the same plan.
 * Each stage is its own module: filter (hands-off) → diff → pair → order → safety.
 */
import { compareRecords, compareText, type DesiredZone, type LiveZone } from '../model.js';
import { diffRecords, isDuplicateDelete } from './diff.js';
import { partitionLive } from './filter.js';
import { desiredFingerprint, liveFingerprint } from './fingerprint.js';
import { orderChanges } from './order.js';
import { pairChanges } from './pair.js';
import { assessSafety } from './safety.js';
import {
  DEFAULT_SAFETY,
  PLAN_FORMAT_VERSION,
  type Plan,
  type PlanSummary,
  type SafetyOptions,
  type ZonePlan,
} from './types.js';

export interface PlanOptions {
  safety?: Partial<SafetyOptions>;
  /** Live zones without a zone file (as the live reader found them); listed, never touched. */
  unmanagedZones?: readonly string[];
  /**
   * Zone plans already made by planZone, by domain, from the same desired and live zone
   * and the same safety options: taken as they are (`plan` makes them as reads arrive).
   */
  planned?: ReadonlyMap<string, ZonePlan>;
}

export function computePlan(
  desired: readonly DesiredZone[],
  live: ReadonlyMap<string, LiveZone> | readonly LiveZone[],
  options: PlanOptions = {},
): Plan {
  const safety: SafetyOptions = { ...DEFAULT_SAFETY, ...options.safety };
  const liveByDomain: ReadonlyMap<string, LiveZone> =
    live instanceof Map ? live : new Map((live as readonly LiveZone[]).map((z) => [z.domain, z]));

  const zones = desired
    .toSorted((a, b) => compareText(a.domain, b.domain))
    .map(
      (zone) =>
        options.planned?.get(zone.domain) ??
        planZone(zone, liveByDomain.get(zone.domain) ?? null, safety),
    );

  const managedDomains = new Set(desired.map((zone) => zone.domain));
  const unmanaged = new Set(options.unmanagedZones ?? []);
  for (const domain of liveByDomain.keys()) if (!managedDomains.has(domain)) unmanaged.add(domain);
  for (const domain of managedDomains) unmanaged.delete(domain);

  return {
    format_version: PLAN_FORMAT_VERSION,
    zones,
    unmanaged_zones: [...unmanaged].sort(compareText),
    summary: summarize(zones),
    safety_options: safety,
  };
}

/** The plan of one zone: what computePlan does for each, on its own. */
export function planZone(
  desired: DesiredZone,
  live: LiveZone | null,
  safety: SafetyOptions,
): ZonePlan {
  const partition = partitionLive(desired, live?.records ?? []);
  const diff = diffRecords(desired.records, partition.managed, desired.purge);
  const changes = orderChanges(desired.domain, pairChanges(diff.changes));
  return {
    domain: desired.domain,
    file: desired.file,
    zone_uuid: live?.uuid ?? null,
    create_zone: live === null,
    changes,
    kept: diff.kept.sort(compareRecords),
    ignored: partition.ignored.length,
    unmanaged_types: partition.unmanagedTypes.length,
    provider_ns: partition.providerNs.length,
    safety: assessSafety(
      { changes, managedRecords: partition.managed.length, zoneExists: live !== null },
      safety,
    ),
    live_fingerprint: live ? liveFingerprint(live) : null,
    desired_fingerprint: desiredFingerprint(desired),
  };
}

function summarize(zones: readonly ZonePlan[]): PlanSummary {
  const summary: PlanSummary = {
    create: 0,
    update: 0,
    delete: 0,
    zones_changed: 0,
    zones_to_create: 0,
    unsafe_zones: 0,
  };
  for (const zone of zones) {
    for (const change of zone.changes) summary[change.action]++;
    if (zone.create_zone) summary.zones_to_create++;
    if (zone.create_zone || zone.changes.length > 0) summary.zones_changed++;
    if (zone.safety.unsafe) summary.unsafe_zones++;
  }
  return summary;
}

/**
 * The part of `plan` that removes exact duplicates and nothing else: what verification
 * after apply may do on its own, since it never changes what DNS serves.
 */
export function duplicateDeletes(plan: Plan): Plan {
  const zones = plan.zones.map((zone) => ({
    ...zone,
    create_zone: false,
    changes: zone.changes
      .filter(isDuplicateDelete)
      .map((change) => ({ ...change, depends_on: [] })),
  }));
  return { ...plan, zones, summary: summarize(zones) };
}

export * from './types.js';
