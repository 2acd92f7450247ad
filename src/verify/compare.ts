/**
 * Comparing what a zone file declares with what one nameserver answers, one
 * name+type (record set) at a time. Pure: no DNS here.
 */
import { absoluteName, type DesiredZone, type RecordType } from '../model.js';
import type { Observation, ObservedValue } from './query.js';

export interface ExpectedSet {
  name: string;
  type: RecordType;
  /** Absolute name to ask for; a wildcard is asked for literally (`*.preview.example.com`). */
  fqdn: string;
  values: ObservedValue[];
  ttl: number;
  /** NS below the apex: a delegation, read from the referral. */
  delegation: boolean;
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
  | { kind: 'error'; message: string };

export interface SetResult {
  set: ExpectedSet;
  verdict: SetVerdict;
}

/** The record sets a zone declares, in file order of first appearance. */
export function expectedSets(zone: DesiredZone): ExpectedSet[] {
  const sets = new Map<string, ExpectedSet>();
  for (const record of zone.records) {
    const id = `${record.name}\u0000${record.type}`;
    let set = sets.get(id);
    if (!set) {
      set = {
        name: record.name,
        type: record.type,
        fqdn: absoluteName(record.name, zone.domain),
        values: [],
        ttl: record.ttl,
        delegation: record.type === 'NS' && record.name !== '@',
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
  if (observation.status === 'nodata' || observation.values.length === 0) {
    return { kind: 'missing', why: `the name has no ${set.type} records` };
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
