/** schemas/plan.schema.json describes the plans computePlan really makes (and only those). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computePlan } from '../src/plan/index.js';
import type { Plan } from '../src/plan/types.js';
import { desiredZone, have, liveZone, planValidator, richInputs, want } from './plan-fixtures.js';

const validate = planValidator();

function errorsOf(plan: unknown): string[] {
  return validate(plan) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

function richPlan(): Plan {
  const inputs = richInputs();
  return computePlan(inputs.desired, inputs.live, { unmanagedZones: ['parked.example'] });
}

describe('plan.schema.json', () => {
  it('accepts a rich plan, through JSON', () => {
    expect(errorsOf(JSON.parse(JSON.stringify(richPlan())))).toEqual([]);
  });

  it('accepts an empty plan', () => {
    expect(errorsOf(computePlan([], []))).toEqual([]);
  });

  it('accepts plans of random zones', () => {
    const records = fc.array(
      fc.record({
        name: fc.constantFrom('@', 'www', 'mail'),
        type: fc.constantFrom('A' as const, 'MX' as const, 'NS' as const),
        value: fc.constantFrom('192.0.2.1', 'mx.example.net', 'ns1.vps.org'),
        ttl: fc.constantFrom(300, 3600),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(records, records, fc.boolean(), fc.boolean(), (wanted, live, exists, purge) => {
        const desired = wanted.map((r) =>
          want(r.name, r.type, r.value, r.ttl, r.type === 'MX' ? 10 : null),
        );
        const unique = desired.filter((r, i) => desired.findIndex((o) => o.key === r.key) === i);
        const liveRecords = live.map((r, i) =>
          have(`u${i}`, r.name, r.type, r.value, r.ttl, r.type === 'MX' ? 20 : null),
        );
        const plan = computePlan(
          [desiredZone('a.example', unique, { purge })],
          exists ? [liveZone('a.example', liveRecords)] : [],
        );
        expect(errorsOf(JSON.parse(JSON.stringify(plan)))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['an unknown top-level key', (p: Plan) => Object.assign(p, { extra: 1 })],
    ['another format version', (p: Plan) => Object.assign(p, { format_version: 2 })],
    [
      'an unknown record type',
      (p: Plan) => Object.assign(p.zones[1]!.changes[0]!, { type: 'SOA' }),
    ],
    [
      'an update without before',
      (p: Plan) => {
        const update = p.zones[1]!.changes.find((c) => c.action === 'update')!;
        delete update.before;
      },
    ],
    [
      'a create with a record uuid',
      (p: Plan) => {
        const create = p.zones[1]!.changes.find((c) => c.action === 'create')!;
        create.record_uuid = 'x';
      },
    ],
    [
      'a zone to create with a uuid',
      (p: Plan) => {
        const zone = p.zones.find((z) => z.create_zone)!;
        zone.zone_uuid = 'x';
      },
    ],
    ['a bad fingerprint', (p: Plan) => Object.assign(p.zones[0]!, { desired_fingerprint: 'abc' })],
    [
      'a missing summary field',
      (p: Plan) => {
        delete (p.summary as Partial<Plan['summary']>).unsafe_zones;
      },
    ],
  ])('rejects %s', (_title, spoil) => {
    const plan = JSON.parse(JSON.stringify(richPlan())) as Plan;
    spoil(plan);
    expect(errorsOf(plan)).not.toEqual([]);
  });
});
