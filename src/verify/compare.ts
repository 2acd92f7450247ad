/**
 * Comparing what a zone file declares with what one nameserver answers, one
 * name+type (record set) at a time. Pure: no DNS here.
 */
import { type Served, zoneView } from '../checks/zone-view.js';
import { absoluteName, type DesiredZone } from '../model.js';
import type { Ask, Observation, ObservedValue } from './query.js';

export interface ExpectedSet extends Ask {
  name: string;
  /** Absolute name to ask for; a wildcard is asked for literally (`*.preview.example.com`). */
  fqdn: string;
  values: ObservedValue[];
  ttl: number;
  /** How a server serves it: answered, in a referral (delegation NS, glue), or not at all. */
  served: Served;
  /** The delegation (absolute) at or above the name, or null. */
  cut: string | null;
}

export type SetVerdict =
  | { kind: 'match'; ttlChecked: boolean }
  | { kind: 'missing'; why: string }
  | {
      kind: 'differs';
      missingValues: string[];
      extraValues: string[];
      /** Set when the TTL was readable and differs. */
      ttl: { expected: number; actual: number } | null;
    }
  | { kind: 'error'; message: string }
  /**
   * Occluded by the delegation of `cut` (absolute): no server serves it, so it is not
   * asked, and it is no failure (README, "verify").
   */
  | { kind: 'not-served'; cut: string };

export interface SetResult {
  set: ExpectedSet;
  verdict: SetVerdict;
}

/** The record sets a zone declares, in file order of first appearance. */
export function expectedSets(zone: DesiredZone): ExpectedSet[] {
  const sets = new Map<string, ExpectedSet>();
  const view = zoneView(zone);
  for (const record of zone.records) {
    const id = `${record.name}\u0000${record.type}`;
    let set = sets.get(id);
    if (!set) {
      const served = view.servedAs(record.name, record.type);
      set = {
        name: record.name,
        type: record.type,
        fqdn: absoluteName(record.name, zone.domain),
        values: [],
        ttl: record.ttl,
        served,
        glueFor: served.kind === 'glue' ? served.for.map(view.absolute) : [],
        cut: served.kind === 'answer' ? null : view.absolute(served.cut),
      };
      sets.set(id, set);
    }
    set.values.push({ value: record.value, priority: record.priority });
  }
  return [...sets.values()];
}

/** How a value is shown and compared: a priority (MX, SRV) goes in front. */
export function showValue(value: ObservedValue): string {
  return value.priority === null ? value.value : `${value.priority} ${value.value}`;
}

/** TTLs are compared where the observation carries one. */
export function compareSet(set: ExpectedSet, observation: Observation): SetVerdict {
  if (observation.status === 'error') return { kind: 'error', message: observation.message };
  if (observation.status === 'nxdomain') return { kind: 'missing', why: 'the name does not exist' };
  if (observation.status === 'referral') {
    return {
      kind: 'missing',
      why: `the server answers with a referral to the delegation of ${observation.cut}, which the zone file does not have`,
    };
  }
  if (observation.status === 'nodata' || observation.values.length === 0) {
    const why =
      set.served.kind === 'glue'
        ? `the name has no ${set.type} records, and the referral to ${set.cut} carries no ${set.type} glue for it`
        : `the name has no ${set.type} records`;
    return { kind: 'missing', why };
  }
  const want = new Set(set.values.map(showValue));
  const got = new Set(observation.values.map(showValue));
  const missingValues = [...want].filter((value) => !got.has(value)).sort();
  const extraValues = [...got].filter((value) => !want.has(value)).sort();
  const ttl =
    observation.ttl !== null && observation.ttl !== set.ttl
      ? { expected: set.ttl, actual: observation.ttl }
      : null;
  if (missingValues.length === 0 && extraValues.length === 0 && ttl === null) {
    return { kind: 'match', ttlChecked: observation.ttl !== null };
  }
  return { kind: 'differs', missingValues, extraValues, ttl };
}
