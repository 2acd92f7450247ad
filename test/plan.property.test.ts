/**
 * Property tests of the planner (fast-check): applying a plan to the live zone gives the
 * desired records, a converged zone plans nothing, and record order does not matter.
 * The simulation below is the test's own model of apply, independent of src/.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DesiredRecord,
  type IgnoreRule,
  type LiveRecord,
  type RecordType,
  recordKey,
} from '../src/model.js';
import { computePlan } from '../src/plan/index.js';
import type { Change, ZonePlan } from '../src/plan/types.js';
import { desiredZone, have, liveZone, want } from './plan-fixtures.js';

const DOMAIN = 'example.com';
const NAMES = ['@', 'www', 'mail', 'a.b', '*'];
const VALUES: Record<string, string[]> = {
  A: ['192.0.2.1', '192.0.2.2', '192.0.2.3'],
  AAAA: ['2001:db8::1', '2001:db8::2'],
  CNAME: ['t1.example.net', 't2.example.net'],
  MX: ['mx1.example.net', 'mx2.example.net'],
  TXT: ['a', 'b c', 'v=spf1 -all'],
  NS: ['ns1.vps.org', 'ns2.vps.org', 'ns.other.net'],
};
const OTHER_TYPES: RecordType[] = ['A', 'AAAA', 'MX', 'TXT', 'NS'];
const IGNORE: IgnoreRule[] = [{ name: '_acme*', types: ['TXT'] }];

/** A valid zone file's records: CNAME alone and never at the apex, one TTL per name+type. */
const desiredRecords = fc
  .tuple(
    ...NAMES.map((name) =>
      fc.oneof(
        fc.constant<DesiredRecord[]>([]),
        name === '@'
          ? fc.constant<DesiredRecord[]>([])
          : fc
              .tuple(fc.constantFrom(...VALUES['CNAME']!), fc.constantFrom(300, 3600))
              .map(([value, ttl]) => [want(name, 'CNAME', value, ttl)]),
        fc
          .tuple(
            ...OTHER_TYPES.map((type) =>
              fc.tuple(
                fc.subarray(VALUES[type]!),
                fc.constantFrom(300, 3600),
                fc.constantFrom(10, 20),
              ),
            ),
          )
          .map((perType) =>
            perType.flatMap(([values, ttl, priority], index) => {
              const type = OTHER_TYPES[index]!;
              return values.map((value) =>
                want(name, type, value, ttl, type === 'MX' ? priority : null),
              );
            }),
          ),
      ),
    ),
  )
  .map((perName) => perName.flat());

/** Any managed record at all, so live zones have duplicates, stray TTLs and priorities. */
const anyManagedRecord = fc
  .tuple(
    fc.constantFrom(...NAMES),
    fc.constantFrom<RecordType>('A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS'),
    fc.nat(2),
    fc.constantFrom(300, 3600, 60),
    fc.constantFrom(10, 20, 30),
  )
  .map(([name, type, index, ttl, priority]) => {
    const values = VALUES[type]!;
    return {
      name,
      type,
      value: values[index % values.length]!,
      ttl,
      priority: type === 'MX' ? priority : null,
    };
  });

const handsOff = fc.subarray([
  { name: '@', type: 'SOA', value: 'ns1.vps.org. hostmaster.vps.org. 1 3600 900 1209600 300' },
  { name: '_acme-challenge', type: 'TXT', value: 'token' },
  { name: '_acme-challenge.www', type: 'TXT', value: 'other' },
  { name: '4', type: 'PTR', value: 'host.example.com.' },
]);

interface Scenario {
  desired: DesiredRecord[];
  live: LiveRecord[];
  purge: boolean;
}

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    desired: desiredRecords,
    // Live starts from another valid zone (or the desired one, partly), plus noise.
    base: fc.oneof(desiredRecords, desiredRecords),
    keepDesired: fc.boolean(),
    noise: fc.array(anyManagedRecord, { maxLength: 6 }),
    handsOff,
    purge: fc.boolean(),
  })
  .map(({ desired, base, keepDesired, noise, handsOff: extra, purge }) => {
    const states = [...(keepDesired ? desired : []), ...base, ...noise, ...extra];
    const live = states.map((s, i) =>
      have(
        `u${String(i).padStart(3, '0')}`,
        s.name,
        s.type,
        s.value,
        s.ttl ?? 3600,
        s.priority ?? null,
      ),
    );
    return { desired, live, purge };
  });

function planOf(s: Scenario): ZonePlan {
  const plan = computePlan(
    [desiredZone(DOMAIN, s.desired, { purge: s.purge, ignore: IGNORE })],
    [liveZone(DOMAIN, s.live)],
  );
  return plan.zones[0]!;
}

type State = { name: string; type: string; value: string; ttl: number; priority: number | null };
const show = (r: State) => `${r.name} ${r.type} ${r.value} ${r.ttl} ${r.priority}`;

/** The test's own reading of the hands-off rules (docs/design.md, "Plan stages"). */
function isHandsOff(record: LiveRecord, desired: DesiredRecord[]): boolean {
  if (!record.manageable) return true;
  if (record.type === 'TXT' && record.name.startsWith('_acme')) return true;
  const ownsApexNs = desired.some((r) => r.name === '@' && r.type === 'NS');
  return !ownsApexNs && record.name === '@' && record.type === 'NS';
}

/**
 * Runs the changes against a copy of the live records in `order`, checking each against
 * the state it expects, like a careful API would. Returns the records at the end.
 */
function simulate(
  live: LiveRecord[],
  changes: Change[],
  onStep?: (records: Map<string, State>) => void,
) {
  const records = new Map<string, State>(live.map((r) => [r.uuid, { ...r }]));
  let created = 0;
  for (const change of changes) {
    const after: State = {
      name: change.name,
      type: change.type,
      value: change.value,
      ttl: change.ttl,
      priority: change.priority,
    };
    if (change.action === 'create') {
      records.set(`new-${created++}`, after);
    } else {
      const current = records.get(change.record_uuid ?? '');
      if (!current) throw new Error(`${change.id}: no live record ${change.record_uuid}`);
      if (change.action === 'update') {
        expect(show(current)).toBe(show(change.before!));
        records.set(change.record_uuid!, after);
      } else {
        expect(show(current)).toBe(show(after));
        records.delete(change.record_uuid!);
      }
    }
    onStep?.(records);
  }
  return records;
}

/** A CNAME shares its name with nothing else. */
function cnameConflicts(records: Map<string, State>): string[] {
  const byName = new Map<string, string[]>();
  for (const r of records.values()) {
    if (r.type === 'SOA' || r.type === 'PTR') continue;
    byName.set(r.name, [...(byName.get(r.name) ?? []), r.type]);
  }
  return [...byName]
    .filter(([, types]) => types.includes('CNAME') && types.length > 1)
    .map(([n]) => n);
}

/** Any order that respects depends_on, chosen by `pick`. */
function topologicalOrder(changes: Change[], pick: (n: number) => number): Change[] {
  const done = new Set<string>();
  const left = [...changes];
  const order: Change[] = [];
  while (left.length > 0) {
    const ready = left.filter((c) => c.depends_on.every((id) => done.has(id)));
    if (ready.length === 0) throw new Error('dependency cycle');
    const next = ready[pick(ready.length)]!;
    left.splice(left.indexOf(next), 1);
    done.add(next.id);
    order.push(next);
  }
  return order;
}

describe('planner properties', () => {
  it('applying the plan in plan order yields exactly the desired (plus kept) records', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const zone = planOf(s);
        const after = simulate(s.live, zone.changes);

        const untouched = s.live.filter((r) => isHandsOff(r, s.desired));
        for (const r of untouched) expect(after.get(r.uuid)).toEqual({ ...r });

        const desiredKeys = new Set(s.desired.map((r) => r.key));
        const kept = s.purge
          ? []
          : s.live.filter(
              (r) =>
                !isHandsOff(r, s.desired) &&
                !desiredKeys.has(recordKey(r.name, r.type, r.value, r.priority)),
            );
        const expected = [...s.desired, ...kept].map(show).sort();
        const untouchedIds = new Set(untouched.map((r) => r.uuid));
        const actual = [...after]
          .filter(([uuid]) => !untouchedIds.has(uuid))
          .map(([, r]) => show(r))
          .sort();
        expect(actual).toEqual(expected);
        expect(zone.kept.map(show).sort()).toEqual(kept.map(show).sort());
      }),
      { numRuns: 400 },
    );
  });

  it('any order that respects depends_on converges too, and never puts a CNAME beside other data', () => {
    fc.assert(
      fc.property(
        scenario.filter(
          (s) => s.purge && cnameConflicts(new Map(s.live.map((r) => [r.uuid, r]))).length === 0,
        ),
        fc.infiniteStream(fc.nat()),
        (s, choices) => {
          const zone = planOf(s);
          const iterator = choices[Symbol.iterator]();
          const order = topologicalOrder(
            zone.changes,
            (n) => (iterator.next().value as number) % n,
          );
          const after = simulate(s.live, order, (records) =>
            expect(cnameConflicts(records)).toEqual([]),
          );
          const managed = [...after.values()].filter(
            (r) =>
              !isHandsOff(
                { ...r, uuid: '', manageable: r.type !== 'SOA' && r.type !== 'PTR' },
                s.desired,
              ),
          );
          expect(managed.map(show).sort()).toEqual(s.desired.map(show).sort());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('dependencies point backwards in plan order and phases never go back', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const zone = planOf(s);
        const position = new Map(zone.changes.map((c, i) => [c.id, i]));
        const rank = { clear: 0, upsert: 1, delete: 2 };
        zone.changes.forEach((change, i) => {
          for (const id of change.depends_on) expect(position.get(id)).toBeLessThan(i);
          const previous = zone.changes[i - 1];
          if (previous) expect(rank[previous.phase]).toBeLessThanOrEqual(rank[change.phase]);
          if (change.action !== 'delete') expect(change.phase).toBe('upsert');
          if (change.before) expect(change.before.type).toBe(change.type);
          if (change.before) expect(change.before.name).toBe(change.name);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('a converged zone plans nothing', () => {
    fc.assert(
      fc.property(desiredRecords, handsOff, fc.boolean(), (desired, extra, purge) => {
        const live = [...desired, ...extra].map((r, i) =>
          have(
            `u${i}`,
            r.name,
            r.type,
            r.value,
            'ttl' in r ? r.ttl : 3600,
            'priority' in r ? r.priority : null,
          ),
        );
        const zone = planOf({ desired, live, purge });
        expect(zone.changes).toEqual([]);
        expect(zone.safety.unsafe).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('the plan does not depend on record order in the file or in the API response', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (s, randoms) => {
          const iterator = randoms[Symbol.iterator]();
          const shuffle = <T>(items: T[]) =>
            items
              .map((item) => ({ item, sortKey: iterator.next().value as number }))
              .sort((a, b) => a.sortKey - b.sortKey)
              .map(({ item }) => item);
          const shuffled = { ...s, desired: shuffle(s.desired), live: shuffle(s.live) };
          expect(planOf(shuffled)).toEqual(planOf(s));
        },
      ),
      { numRuns: 300 },
    );
  });
});
