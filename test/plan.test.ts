import { describe, expect, it } from 'vitest';
import type { DesiredRecord, IgnoreRule, LiveRecord } from '../src/model.js';
import { computePlan, hasChanges } from '../src/plan/index.js';
import type { Plan, ZonePlan } from '../src/plan/types.js';
import { brief, desiredZone, have, liveZone, want } from './plan-fixtures.js';

const DOMAIN = 'example.com';

function planOne(
  desired: DesiredRecord[],
  live: LiveRecord[] | null,
  extra: { purge?: boolean; ignore?: IgnoreRule[] } = {},
): ZonePlan {
  const plan = computePlan(
    [desiredZone(DOMAIN, desired, extra)],
    live ? [liveZone(DOMAIN, live)] : [],
  );
  const zone = plan.zones[0];
  if (!zone) throw new Error('no zone planned');
  return zone;
}

interface RecordCase {
  title: string;
  desired: DesiredRecord[];
  live: LiveRecord[];
  purge?: boolean;
  ignore?: IgnoreRule[];
  changes: string[];
  kept?: string[];
  counts?: { ignored?: number; unmanaged_types?: number; provider_ns?: number };
}

const recordCases: RecordCase[] = [
  {
    title: 'a desired record that is not live is created',
    desired: [want('www', 'A', '192.0.2.1', 300)],
    live: [],
    changes: ['+ www A 192.0.2.1 300'],
  },
  {
    title: 'a live record that is not desired is deleted',
    desired: [],
    live: [have('r1', 'old', 'TXT', 'bye')],
    changes: ['- old TXT bye 3600'],
  },
  {
    title: 'equal records plan nothing',
    desired: [want('@', 'A', '192.0.2.1'), want('@', 'MX', 'mx.example.net', 3600, 10)],
    live: [have('r1', '@', 'A', '192.0.2.1'), have('r2', '@', 'MX', 'mx.example.net', 3600, 10)],
    changes: [],
  },
  {
    title: 'a TTL difference on the same identity is an update',
    desired: [want('@', 'A', '192.0.2.1', 300)],
    live: [have('r1', '@', 'A', '192.0.2.1', 3600)],
    changes: ['~ @ A 192.0.2.1 300 (was 192.0.2.1 3600)'],
  },
  {
    title: 'a priority difference on the same identity is an update',
    desired: [want('@', 'MX', 'mx.example.net', 3600, 20)],
    live: [have('r1', '@', 'MX', 'mx.example.net', 3600, 10)],
    changes: ['~ @ MX mx.example.net 3600 p20 (was mx.example.net 3600 p10)'],
  },
  {
    title: 'a delete and a create of one name+type are paired into a value update',
    desired: [want('mail', 'A', '192.0.2.9')],
    live: [have('r1', 'mail', 'A', '192.0.2.1')],
    changes: ['~ mail A 192.0.2.9 3600 (was 192.0.2.1 3600)'],
  },
  {
    title: 'pairing goes in value order; the leftover delete stays a delete',
    desired: [want('mail', 'A', '192.0.2.8')],
    live: [have('r1', 'mail', 'A', '192.0.2.3'), have('r2', 'mail', 'A', '192.0.2.1')],
    changes: ['~ mail A 192.0.2.8 3600 (was 192.0.2.1 3600)', '- mail A 192.0.2.3 3600'],
  },
  {
    title: 'pairing goes in value order; the leftover create stays a create',
    desired: [want('mail', 'A', '192.0.2.9'), want('mail', 'A', '192.0.2.7')],
    live: [have('r1', 'mail', 'A', '192.0.2.1')],
    changes: ['~ mail A 192.0.2.7 3600 (was 192.0.2.1 3600)', '+ mail A 192.0.2.9 3600'],
  },
  {
    title: 'a paired update also carries a new TTL and priority',
    desired: [want('@', 'MX', 'mx2.example.net', 300, 20)],
    live: [have('r1', '@', 'MX', 'mx1.example.net', 3600, 10)],
    changes: ['~ @ MX mx2.example.net 300 p20 (was mx1.example.net 3600 p10)'],
  },
  {
    title: 'no pairing across types at one name',
    desired: [want('v6', 'AAAA', '2001:db8::1')],
    live: [have('r1', 'v6', 'A', '192.0.2.1')],
    changes: ['+ v6 AAAA 2001:db8::1 3600', '- v6 A 192.0.2.1 3600'],
  },
  {
    title: 'no pairing across names',
    desired: [want('new', 'A', '192.0.2.1')],
    live: [have('r1', 'old', 'A', '192.0.2.1')],
    changes: ['+ new A 192.0.2.1 3600', '- old A 192.0.2.1 3600'],
  },
  {
    title: 'duplicate live records are reduced to one (smallest uuid kept)',
    desired: [want('@', 'A', '192.0.2.1')],
    live: [have('r2', '@', 'A', '192.0.2.1'), have('r1', '@', 'A', '192.0.2.1')],
    changes: ['- @ A 192.0.2.1 3600'],
  },
  {
    title: 'of duplicates, the one already right is kept, so no update is needed',
    desired: [want('@', 'A', '192.0.2.1', 300)],
    live: [have('r1', '@', 'A', '192.0.2.1', 3600), have('r2', '@', 'A', '192.0.2.1', 300)],
    changes: ['- @ A 192.0.2.1 3600'],
  },
  {
    title: 'undesired duplicates are all deleted',
    desired: [],
    live: [have('r1', 'x', 'TXT', 'a'), have('r2', 'x', 'TXT', 'a')],
    changes: ['- x TXT a 3600', '- x TXT a 3600'],
  },
  {
    title: 'a duplicate pairs with a create of the same name+type',
    desired: [want('@', 'A', '192.0.2.1'), want('@', 'A', '192.0.2.2')],
    live: [have('r1', '@', 'A', '192.0.2.1'), have('r2', '@', 'A', '192.0.2.1')],
    changes: ['~ @ A 192.0.2.2 3600 (was 192.0.2.1 3600)'],
  },
  {
    title: 'records matching an ignore rule are left alone and counted',
    desired: [],
    live: [
      have('r1', '_acme-challenge', 'TXT', 'token'),
      have('r2', '_acme-challenge.www', 'TXT', 't'),
    ],
    ignore: [{ name: '_acme-challenge*', types: null }],
    changes: [],
    counts: { ignored: 2 },
  },
  {
    title: 'an ignore rule with types leaves other types managed',
    desired: [],
    live: [have('r1', 'dyn', 'A', '192.0.2.1'), have('r2', 'dyn', 'TXT', 'x')],
    ignore: [{ name: 'dyn', types: ['A'] }],
    changes: ['- dyn TXT x 3600'],
    counts: { ignored: 1 },
  },
  {
    title: 'types outside the eight are never touched',
    desired: [],
    live: [
      { ...have('r1', '@', 'SOA', 'ns1.vps.org. hostmaster.vps.org. 1 3600 900 1209600 300') },
      have('r2', '4', 'PTR', 'host.example.com.'),
    ],
    changes: [],
    counts: { unmanaged_types: 2 },
  },
  {
    title: 'a managed:false record of a known type name is still hands-off',
    desired: [],
    live: [{ ...have('r1', '@', 'A', 'garbage'), manageable: false }],
    changes: [],
    counts: { unmanaged_types: 1 },
  },
  {
    title: 'apex NS are the provider’s when the file declares none',
    desired: [want('@', 'A', '192.0.2.1')],
    live: [
      have('r1', '@', 'A', '192.0.2.1'),
      have('r2', '@', 'NS', 'ns1.vps.org'),
      have('r3', '@', 'NS', 'ns2.vps.org'),
    ],
    changes: [],
    counts: { provider_ns: 2 },
  },
  {
    title: 'NS below the apex are managed even when the file declares no apex NS',
    desired: [],
    live: [have('r1', 'sub', 'NS', 'ns1.other.net')],
    changes: ['- sub NS ns1.other.net 3600'],
  },
  {
    title: 'apex NS declared in the file are managed: differences become changes',
    desired: [want('@', 'NS', 'ns1.other-dns.net'), want('@', 'NS', 'ns2.other-dns.net')],
    live: [have('r1', '@', 'NS', 'ns1.vps.org'), have('r2', '@', 'NS', 'ns2.vps.org')],
    changes: [
      '~ @ NS ns1.other-dns.net 3600 (was ns1.vps.org 3600)',
      '~ @ NS ns2.other-dns.net 3600 (was ns2.vps.org 3600)',
    ],
    counts: { provider_ns: 0 },
  },
  {
    title: 'purge: false keeps live records missing from the file',
    desired: [want('@', 'A', '192.0.2.1', 300)],
    live: [have('r1', '@', 'A', '192.0.2.1', 3600), have('r2', 'legacy', 'TXT', 'keep me')],
    purge: false,
    changes: ['~ @ A 192.0.2.1 300 (was 192.0.2.1 3600)'],
    kept: ['legacy TXT keep me'],
  },
  {
    title: 'purge: false does not pair (nothing is deleted), and still removes duplicates',
    desired: [want('mail', 'A', '192.0.2.9'), want('@', 'A', '192.0.2.1')],
    live: [
      have('r1', 'mail', 'A', '192.0.2.1'),
      have('r2', '@', 'A', '192.0.2.1'),
      have('r3', '@', 'A', '192.0.2.1'),
    ],
    purge: false,
    changes: ['+ mail A 192.0.2.9 3600', '- @ A 192.0.2.1 3600'],
    kept: ['mail A 192.0.2.1'],
  },
];

describe('computePlan: record rules', () => {
  it.each(recordCases)('$title', (c) => {
    const zone = planOne(c.desired, c.live, {
      ...(c.purge !== undefined ? { purge: c.purge } : {}),
      ...(c.ignore ? { ignore: c.ignore } : {}),
    });
    expect(zone.changes.map(brief).sort()).toEqual([...c.changes].sort());
    expect(zone.kept.map((r) => `${r.name} ${r.type} ${r.value}`)).toEqual(c.kept ?? []);
    const counts = { ignored: 0, unmanaged_types: 0, provider_ns: 0, ...c.counts };
    expect({
      ignored: zone.ignored,
      unmanaged_types: zone.unmanaged_types,
      provider_ns: zone.provider_ns,
    }).toEqual(counts);
  });

  it('deletes of duplicates say why', () => {
    const zone = planOne(
      [want('@', 'A', '192.0.2.1')],
      [have('r1', '@', 'A', '192.0.2.1'), have('r2', '@', 'A', '192.0.2.1')],
    );
    expect(zone.changes).toHaveLength(1);
    expect(zone.changes[0]?.record_uuid).toBe('r2');
    expect(zone.changes[0]?.reason).toMatch(/duplicate/);
  });

  it('updates and deletes name the live record; creates have none', () => {
    const zone = planOne(
      [want('a', 'A', '192.0.2.1', 300), want('b', 'A', '192.0.2.2'), want('c', 'A', '192.0.2.3')],
      [
        have('u-a', 'a', 'A', '192.0.2.1'),
        have('u-b', 'b', 'A', '192.0.2.9'),
        have('u-d', 'd', 'A', '192.0.2.4'),
      ],
    );
    const byName = Object.fromEntries(zone.changes.map((c) => [c.name, c]));
    expect(byName['a']?.record_uuid).toBe('u-a');
    expect(byName['b']?.record_uuid).toBe('u-b');
    expect(byName['c']?.record_uuid).toBeNull();
    expect(byName['c']?.before).toBeUndefined();
    expect(byName['d']?.record_uuid).toBe('u-d');
    expect(byName['d']?.before).toBeUndefined();
  });
});

describe('computePlan: zones', () => {
  it('a zone file without a live zone is planned as create zone + create records', () => {
    const plan = computePlan(
      [
        desiredZone('new.example', [
          want('@', 'A', '192.0.2.1'),
          want('www', 'CNAME', 'new.example'),
        ]),
      ],
      [],
    );
    const zone = plan.zones[0]!;
    expect(zone.create_zone).toBe(true);
    expect(zone.zone_uuid).toBeNull();
    expect(zone.live_fingerprint).toBeNull();
    expect(zone.changes.map(brief)).toEqual([
      '+ @ A 192.0.2.1 3600',
      '+ www CNAME new.example 3600',
    ]);
    expect(zone.changes.every((c) => c.depends_on.length === 0)).toBe(true);
    expect(plan.summary).toMatchObject({ create: 2, zones_to_create: 1, zones_changed: 1 });
  });

  it('an empty zone file without a live zone still has changes (the zone itself)', () => {
    const plan = computePlan([desiredZone('empty.example', [])], []);
    expect(plan.zones[0]?.create_zone).toBe(true);
    expect(hasChanges(plan)).toBe(true);
  });

  it('live zones without a file are unmanaged, from the options and from the live zones', () => {
    const plan = computePlan(
      [desiredZone('b.example', [])],
      [liveZone('b.example', []), liveZone('z.example', [have('r', '@', 'A', '192.0.2.1')])],
      { unmanagedZones: ['a.example', 'z.example', 'b.example'] },
    );
    expect(plan.unmanaged_zones).toEqual(['a.example', 'z.example']);
    expect(plan.zones.map((z) => z.domain)).toEqual(['b.example']);
    expect(hasChanges(plan)).toBe(false);
  });

  it('accepts live zones as a Map keyed by domain', () => {
    const desired = [desiredZone(DOMAIN, [want('@', 'A', '192.0.2.1')])];
    const live = [liveZone(DOMAIN, [have('r1', '@', 'A', '192.0.2.2')])];
    expect(computePlan(desired, new Map(live.map((z) => [z.domain, z])))).toEqual(
      computePlan(desired, live),
    );
  });

  it('zones are sorted by domain and the summary counts every change', () => {
    const plan = computePlan(
      [
        desiredZone('b.example', [want('@', 'A', '192.0.2.1')]),
        desiredZone('a.example', [want('@', 'A', '192.0.2.1', 60)]),
        desiredZone('c.example', []),
      ],
      [
        liveZone('a.example', [have('r1', '@', 'A', '192.0.2.1')]),
        liveZone('b.example', []),
        liveZone('c.example', [have('r2', 'x', 'TXT', 'x')]),
      ],
    );
    expect(plan.zones.map((z) => z.domain)).toEqual(['a.example', 'b.example', 'c.example']);
    expect(plan.summary).toEqual({
      create: 1,
      update: 1,
      delete: 1,
      zones_changed: 3,
      zones_to_create: 0,
      unsafe_zones: 0,
    });
  });

  it('the plan is plain data: JSON round-trips it unchanged', () => {
    const plan = computePlan(
      [
        desiredZone(DOMAIN, [
          want('@', 'A', '192.0.2.9', 300),
          want('www', 'CNAME', 'example.com'),
        ]),
      ],
      [liveZone(DOMAIN, [have('r1', '@', 'A', '192.0.2.1'), have('r2', 'www', 'A', '192.0.2.1')])],
      { unmanagedZones: ['other.example'] },
    );
    expect(JSON.parse(JSON.stringify(plan)) as Plan).toStrictEqual(plan);
  });

  it('change ids are <domain>#n in plan order', () => {
    const zone = planOne([want('a', 'A', '192.0.2.1'), want('b', 'A', '192.0.2.1')], []);
    expect(zone.changes.map((c) => c.id)).toEqual([`${DOMAIN}#1`, `${DOMAIN}#2`]);
  });

  it('fingerprints change with the live zone and with the file, not with record order', () => {
    const records = [have('r1', '@', 'A', '192.0.2.1'), have('r2', 'www', 'A', '192.0.2.2')];
    const desired = [desiredZone(DOMAIN, [want('@', 'A', '192.0.2.1')])];
    const base = computePlan(desired, [liveZone(DOMAIN, records)]).zones[0]!;
    const reordered = computePlan(desired, [liveZone(DOMAIN, records.toReversed())]).zones[0]!;
    const edited = computePlan(desired, [
      liveZone(DOMAIN, [records[0]!, { ...records[1]!, ttl: 60 }]),
    ]).zones[0]!;
    const otherFile = computePlan(
      [desiredZone(DOMAIN, [want('@', 'A', '192.0.2.1')], { purge: false })],
      [liveZone(DOMAIN, records)],
    ).zones[0]!;
    expect(base.live_fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(reordered.live_fingerprint).toBe(base.live_fingerprint);
    expect(edited.live_fingerprint).not.toBe(base.live_fingerprint);
    expect(otherFile.live_fingerprint).toBe(base.live_fingerprint);
    expect(otherFile.desired_fingerprint).not.toBe(base.desired_fingerprint);
  });
});

/** `phase:brief [deps as briefs]` for checking order and dependencies together. */
function ordered(zone: ZonePlan): string[] {
  const byId = new Map(zone.changes.map((c) => [c.id, c]));
  return zone.changes.map((c) => {
    const deps = c.depends_on.map((id) => brief(byId.get(id)!));
    return `${c.phase}: ${brief(c)}${deps.length ? ` after [${deps.join('; ')}]` : ''}`;
  });
}

describe('computePlan: order and dependencies', () => {
  it.each([
    {
      title: 'A → CNAME at one name: delete the A first, the CNAME waits for it',
      desired: [want('www', 'CNAME', 'example.com')],
      live: [have('r1', 'www', 'A', '192.0.2.1')],
      expected: [
        'clear: - www A 192.0.2.1 3600',
        'upsert: + www CNAME example.com 3600 after [- www A 192.0.2.1 3600]',
      ],
    },
    {
      title: 'A + AAAA → CNAME: both deletes clear the way',
      desired: [want('www', 'CNAME', 'example.com')],
      live: [have('r1', 'www', 'A', '192.0.2.1'), have('r2', 'www', 'AAAA', '2001:db8::1')],
      expected: [
        'clear: - www A 192.0.2.1 3600',
        'clear: - www AAAA 2001:db8::1 3600',
        'upsert: + www CNAME example.com 3600 after [- www A 192.0.2.1 3600; - www AAAA 2001:db8::1 3600]',
      ],
    },
    {
      title: 'CNAME → A: the CNAME goes first, the A waits for it',
      desired: [want('www', 'A', '192.0.2.1')],
      live: [have('r1', 'www', 'CNAME', 'example.com')],
      expected: [
        'clear: - www CNAME example.com 3600',
        'upsert: + www A 192.0.2.1 3600 after [- www CNAME example.com 3600]',
      ],
    },
    {
      title: 'CNAME → MX + TXT: both creates wait for the CNAME delete',
      desired: [want('mail', 'MX', 'mx.example.net', 3600, 10), want('mail', 'TXT', 'v=spf1 -all')],
      live: [have('r1', 'mail', 'CNAME', 'example.com')],
      expected: [
        'clear: - mail CNAME example.com 3600',
        'upsert: + mail MX mx.example.net 3600 p10 after [- mail CNAME example.com 3600]',
        'upsert: + mail TXT v=spf1 -all 3600 after [- mail CNAME example.com 3600]',
      ],
    },
    {
      title: 'CNAME target change is one in-place update, no clearing',
      desired: [want('www', 'CNAME', 'new.example.net')],
      live: [have('r1', 'www', 'CNAME', 'old.example.net')],
      expected: ['upsert: ~ www CNAME new.example.net 3600 (was old.example.net 3600)'],
    },
    {
      title: 'leftover deletes wait for the upserts of their name+type only',
      desired: [want('www', 'A', '192.0.2.9'), want('www', 'TXT', 'hello')],
      live: [
        have('r1', 'www', 'A', '192.0.2.1'),
        have('r2', 'www', 'A', '192.0.2.2'),
        have('r3', 'other', 'A', '192.0.2.3'),
      ],
      expected: [
        'upsert: ~ www A 192.0.2.9 3600 (was 192.0.2.1 3600)',
        'upsert: + www TXT hello 3600',
        'delete: - other A 192.0.2.3 3600',
        'delete: - www A 192.0.2.2 3600 after [~ www A 192.0.2.9 3600 (was 192.0.2.1 3600)]',
      ],
    },
    {
      title: 'unrelated changes carry no dependencies, whatever their phase',
      desired: [want('a', 'CNAME', 'example.com'), want('b', 'A', '192.0.2.1')],
      live: [have('r1', 'a', 'TXT', 'x'), have('r2', 'c', 'A', '192.0.2.1')],
      expected: [
        'clear: - a TXT x 3600',
        'upsert: + a CNAME example.com 3600 after [- a TXT x 3600]',
        'upsert: + b A 192.0.2.1 3600',
        'delete: - c A 192.0.2.1 3600',
      ],
    },
  ])('$title', ({ desired, live, expected }) => {
    expect(ordered(planOne(desired, live))).toEqual(expected);
  });

  it('sorts changes by phase, then name (apex first), type and value', () => {
    const zone = planOne(
      [
        want('b', 'TXT', 'z'),
        want('b', 'A', '192.0.2.2'),
        want('@', 'TXT', 'a'),
        want('a', 'A', '192.0.2.1'),
      ],
      [have('r1', 'zz', 'A', '192.0.2.1'), have('r2', 'b', 'CNAME', 'example.com')],
    );
    expect(zone.changes.map((c) => `${c.phase} ${c.name} ${c.type}`)).toEqual([
      'clear b CNAME',
      'upsert @ TXT',
      'upsert a A',
      'upsert b A',
      'upsert b TXT',
      'delete zz A',
    ]);
  });
});

function manyRecords(count: number): { desired: DesiredRecord[]; live: LiveRecord[] } {
  const desired: DesiredRecord[] = [];
  const live: LiveRecord[] = [];
  for (let i = 0; i < count; i++) {
    desired.push(want(`h${i}`, 'A', '192.0.2.1'));
    live.push(have(`r${i}`, `h${i}`, 'A', '192.0.2.1'));
  }
  return { desired, live };
}

describe('computePlan: safety', () => {
  const withUpdates = (managed: number, updates: number) => {
    const { desired, live } = manyRecords(managed);
    return planOne(
      desired.map((r, i) => (i < updates ? { ...r, ttl: 60 } : r)),
      live,
    ).safety;
  };
  const withDeletes = (managed: number, deletes: number) => {
    const { desired, live } = manyRecords(managed);
    return planOne(desired.slice(deletes), live).safety;
  };

  it.each([
    {
      title: 'updating exactly 30% of 10 is safe',
      safety: () => withUpdates(10, 3),
      unsafe: false,
    },
    { title: 'updating 4 of 10 (40%) is unsafe', safety: () => withUpdates(10, 4), unsafe: true },
    {
      title: 'deleting exactly 30% of 10 is safe',
      safety: () => withDeletes(10, 3),
      unsafe: false,
    },
    { title: 'deleting 4 of 10 is unsafe', safety: () => withDeletes(10, 4), unsafe: true },
    { title: 'deleting 30 of 100 is safe', safety: () => withDeletes(100, 30), unsafe: false },
    {
      title: 'deleting 31 of 100 (just above) is unsafe',
      safety: () => withDeletes(100, 31),
      unsafe: true,
    },
    {
      title: 'fewer than 10 records: deleting all 9 is safe',
      safety: () => withDeletes(9, 9),
      unsafe: false,
    },
    {
      title: 'fewer than 10 records: updating all 9 is safe',
      safety: () => withUpdates(9, 9),
      unsafe: false,
    },
  ])('$title', ({ safety, unsafe }) => {
    expect(safety().unsafe).toBe(unsafe);
  });

  it('reasons are plain sentences with the percentages', () => {
    expect(withDeletes(10, 4)).toEqual({
      unsafe: true,
      reasons: ['would delete 4 of 10 managed records (40% > 30%)'],
      managed_records: 10,
      update_percent: 0,
      delete_percent: 40,
    });
    expect(withUpdates(10, 10).reasons).toEqual([
      'would update 10 of 10 managed records (100% > 30%)',
    ]);
  });

  it('a share just above the limit never reads as equal to it', () => {
    expect(withDeletes(10_000, 3_001).reasons).toEqual([
      'would delete 3001 of 10000 managed records (30.01% > 30%)',
    ]);
  });

  it('paired value updates count as updates', () => {
    const { desired, live } = manyRecords(10);
    const zone = planOne(
      desired.map((r, i) => (i < 4 ? want(r.name, 'A', '192.0.2.99') : r)),
      live,
    );
    expect(zone.safety.reasons).toEqual(['would update 4 of 10 managed records (40% > 30%)']);
  });

  it('hands-off records do not count as managed records', () => {
    const { desired, live } = manyRecords(9);
    const zone = planOne(
      desired.slice(5),
      [
        ...live,
        have('s', '@', 'SOA', 'soa'),
        have('n', '@', 'NS', 'ns1.vps.org'),
        have('i', 'dyn', 'A', '192.0.2.1'),
      ],
      { ignore: [{ name: 'dyn', types: null }] },
    );
    expect(zone.safety).toMatchObject({ unsafe: false, managed_records: 9 });
  });

  it('any apex NS change is unsafe, even in a small zone', () => {
    const safety = planOne(
      [want('@', 'NS', 'ns1.other-dns.net'), want('@', 'NS', 'ns2.vps.org')],
      [have('r1', '@', 'NS', 'ns1.vps.org'), have('r2', '@', 'NS', 'ns2.vps.org')],
    ).safety;
    expect(safety.unsafe).toBe(true);
    expect(safety.reasons).toEqual([
      'would change the apex NS records, which delegate the zone (1 to update)',
    ]);
  });

  it('declared apex NS equal to the live ones are safe', () => {
    const zone = planOne(
      [want('@', 'NS', 'ns1.vps.org'), want('@', 'NS', 'ns2.vps.org')],
      [have('r1', '@', 'NS', 'ns1.vps.org'), have('r2', '@', 'NS', 'ns2.vps.org')],
    );
    expect(zone.changes).toEqual([]);
    expect(zone.safety.unsafe).toBe(false);
  });

  it('apex NS of a zone still to be created are not a delegation change', () => {
    const zone = planOne([want('@', 'NS', 'ns1.other-dns.net')], null);
    expect(zone.safety.unsafe).toBe(false);
  });

  it('thresholds are adjustable', () => {
    const { desired, live } = manyRecords(10);
    const plan = computePlan([desiredZone(DOMAIN, desired.slice(2))], [liveZone(DOMAIN, live)], {
      safety: { delete_threshold: 0.1 },
    });
    expect(plan.zones[0]?.safety.reasons).toEqual([
      'would delete 2 of 10 managed records (20% > 10%)',
    ]);
    expect(plan.summary.unsafe_zones).toBe(1);
    expect(plan.safety_options).toEqual({
      update_threshold: 0.3,
      delete_threshold: 0.1,
      min_records: 10,
    });

    const fiveRecords = [desiredZone(DOMAIN, desired.slice(7, 10))];
    const fiveLive = [liveZone(DOMAIN, live.slice(5))];
    expect(computePlan(fiveRecords, fiveLive).zones[0]?.safety.unsafe).toBe(false);
    expect(
      computePlan(fiveRecords, fiveLive, { safety: { min_records: 5 } }).zones[0]?.safety.reasons,
    ).toEqual(['would delete 2 of 5 managed records (40% > 30%)']);
  });
});

/**
 * Exact duplicates, as two applies of the same files at the same time leave them: which
 * copy stays must not depend on who looks, and removing the others is never unsafe.
 */
describe('computePlan: exact duplicates', () => {
  const at = (record: LiveRecord, createdAt: string): LiveRecord => ({ ...record, createdAt });

  it('keeps the oldest copy by created_at, whatever the uuids and the listing order', () => {
    const copies = [
      at(have('a-newest', '@', 'A', '192.0.2.1'), '2026-01-02T10:00:00Z'),
      at(have('z-oldest', '@', 'A', '192.0.2.1'), '2026-01-01T10:00:00Z'),
      // Same second as the oldest written with milliseconds: still later.
      at(have('b-later', '@', 'A', '192.0.2.1'), '2026-01-01T10:00:00.250Z'),
    ];
    for (const live of [copies, copies.toReversed()]) {
      const deleted = planOne([want('@', 'A', '192.0.2.1')], live).changes.map(
        (change) => change.record_uuid,
      );
      expect(deleted.sort()).toEqual(['a-newest', 'b-later']);
    }
  });

  it('copies created in the same second keep the smallest uuid; an unknown time sorts last', () => {
    const zone = planOne(
      [want('@', 'A', '192.0.2.1')],
      [
        have('a-no-time', '@', 'A', '192.0.2.1'),
        at(have('c', '@', 'A', '192.0.2.1'), '2026-01-01T10:00:00Z'),
        at(have('b', '@', 'A', '192.0.2.1'), '2026-01-01T10:00:00Z'),
      ],
    );
    expect(zone.changes.map((change) => change.record_uuid).sort()).toEqual(['a-no-time', 'c']);
  });

  it('a copy that already has the wanted TTL is kept before an older one (no update needed)', () => {
    const zone = planOne(
      [want('@', 'A', '192.0.2.1', 300)],
      [
        at(have('old', '@', 'A', '192.0.2.1', 3600), '2026-01-01T10:00:00Z'),
        at(have('new', '@', 'A', '192.0.2.1', 300), '2026-01-02T10:00:00Z'),
      ],
    );
    expect(zone.changes.map(brief)).toEqual(['- @ A 192.0.2.1 3600']);
    expect(zone.changes[0]?.record_uuid).toBe('old');
  });

  it('removing duplicates does not count toward the safety thresholds', () => {
    // 10 records, each created twice: 10 deletes of 20 live records would be 50%.
    const { desired, live } = manyRecords(10);
    const doubled = [
      ...live,
      ...live.map((record) => ({ ...record, uuid: `${record.uuid}-copy` })),
    ];
    const zone = planOne(desired, doubled);
    expect(zone.changes).toHaveLength(10);
    expect(zone.changes.every((change) => change.reason === 'duplicate live record')).toBe(true);
    expect(zone.safety).toEqual({
      unsafe: false,
      reasons: [],
      managed_records: 20,
      update_percent: 0,
      delete_percent: 0,
    });

    // Real deletes beside them still count: 3 of 10 names removed (both copies) is 30%,
    // as it would be with one copy each; 4 of 10 is unsafe.
    expect(planOne(desired.slice(3), doubled).safety.unsafe).toBe(false);
    expect(planOne(desired.slice(4), doubled).safety.reasons).toEqual([
      'would delete 8 of 20 managed records (40% > 30%)',
    ]);
  });

  it('removing a duplicate apex NS is not a delegation change', () => {
    const ns = [want('@', 'NS', 'ns1.other-dns.net'), want('@', 'NS', 'ns2.other-dns.net')];
    const zone = planOne(ns, [
      have('n1', '@', 'NS', 'ns1.other-dns.net'),
      have('n2', '@', 'NS', 'ns2.other-dns.net'),
      have('n3', '@', 'NS', 'ns2.other-dns.net'),
    ]);
    expect(zone.changes.map(brief)).toEqual(['- @ NS ns2.other-dns.net 3600']);
    expect(zone.safety.unsafe).toBe(false);
  });
});
