/**
 * API records to canonical LiveRecords and back. Equal records spelled differently by
 * the API (names, hostname case and dots, IPv6 notation) become the same LiveZone and
 * plan zero changes against the canonical zone file.
 */

import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import { findSameRecord, toApiRecordInput, toLiveRecord, toLiveZone } from '../src/api/convert.js';
import type { ApiRecord, ApiRecordInput, ApiZoneDetail } from '../src/api/types.js';
import {
  type DesiredRecord,
  type DesiredZone,
  type LiveZone,
  type RecordType,
  recordKey,
} from '../src/model.js';
import { computePlan } from '../src/plan/index.js';
import { client, sandbox } from './api-helpers.js';

function apiRecord(
  partial: Partial<ApiRecord> & Pick<ApiRecord, 'record_type' | 'name' | 'value'>,
): ApiRecord {
  return { uuid: 'r1', ttl: 3600, priority: null, created_at: '2024-01-15T10:30:00Z', ...partial };
}

describe('toLiveRecord', () => {
  test.each([
    ['@', '@'],
    ['', '@'],
    ['example.com', '@'],
    ['example.com.', '@'],
    ['Example.COM.', '@'],
    ['www', 'www'],
    ['WWW', 'www'],
    ['www.example.com', 'www'],
    ['www.example.com.', 'www'],
    ['a.b.Example.com', 'a.b'],
    ['*.example.com.', '*'],
  ])('name %j is %j', (raw, canonical) => {
    const live = toLiveRecord(
      apiRecord({ record_type: 'A', name: raw, value: '192.0.2.1' }),
      'example.com',
    );
    expect(live.name).toBe(canonical);
    expect(live.manageable).toBe(true);
  });

  test.each([
    ['AAAA', '2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['AAAA', '2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['AAAA', '::FFFF:192.0.2.1', '::ffff:192.0.2.1'],
    ['CNAME', 'Target.Example.NET.', 'target.example.net'],
    ['NS', 'NS1.Other-DNS.net', 'ns1.other-dns.net'],
    ['MX', 'MAIL.example.com.', 'mail.example.com'],
    ['SRV', '5  5060   SIP.Example.com.', '5 5060 sip.example.com'],
    ['CAA', '0 ISSUE letsencrypt.org', '0 issue "letsencrypt.org"'],
    ['TXT', 'v=spf1 -all', 'v=spf1 -all'],
    ['a', '192.0.2.1', '192.0.2.1'],
  ])('%s value %j is %j', (type, raw, canonical) => {
    const priority = type === 'MX' || type === 'SRV' ? 10 : null;
    const live = toLiveRecord(
      apiRecord({ record_type: type, name: '@', value: raw, priority }),
      'example.com',
    );
    expect(live).toMatchObject({
      type: type.toUpperCase(),
      value: canonical,
      manageable: true,
      priority,
    });
    expect(recordKey(live.name, live.type, live.value, live.priority)).toBe(
      recordKey('@', type.toUpperCase(), canonical, live.priority),
    );
  });

  test('priority is kept for MX and SRV only', () => {
    const a = toLiveRecord(
      apiRecord({ record_type: 'A', name: '@', value: '192.0.2.1', priority: 0 }),
      'example.com',
    );
    expect(a.priority).toBeNull();
    const mx = toLiveRecord(
      apiRecord({ record_type: 'MX', name: '@', value: 'mx.example.com', priority: 0 }),
      'example.com',
    );
    expect(mx.priority).toBe(0);
  });

  test('other types and names outside the zone keep their spelling and are not managed', () => {
    const soa = toLiveRecord(
      apiRecord({
        record_type: 'SOA',
        name: '@',
        value: 'ns1.vps.org. hostmaster.vps.org. 1 2 3 4 5',
      }),
      'example.com',
    );
    expect(soa).toMatchObject({
      type: 'SOA',
      value: 'ns1.vps.org. hostmaster.vps.org. 1 2 3 4 5',
      manageable: false,
    });
    const ptr = toLiveRecord(
      apiRecord({ record_type: 'ptr', name: 'X.example.com.', value: 'Host.' }),
      'example.com',
    );
    expect(ptr).toMatchObject({ name: 'x', type: 'ptr', value: 'Host.', manageable: false });
    const outside = toLiveRecord(
      apiRecord({ record_type: 'A', name: 'www.other.org.', value: '192.0.2.1' }),
      'example.com',
    );
    expect(outside).toMatchObject({ name: 'www.other.org.', manageable: false });
  });

  test('a managed type with a value dnssync cannot parse stays managed, in its own spelling', () => {
    // So that the planner deletes it (or keeps it with purge: false) rather than leaving
    // it unseen beside the records the file declares.
    const badA = toLiveRecord(
      apiRecord({ record_type: 'A', name: 'www', value: '999.1.1.1' }),
      'example.com',
    );
    expect(badA).toMatchObject({ name: 'www', type: 'A', value: '999.1.1.1', manageable: true });
    const singleLabel = toLiveRecord(
      apiRecord({ record_type: 'CNAME', name: 'old', value: 'localhost' }),
      'example.com',
    );
    expect(singleLabel).toMatchObject({ type: 'CNAME', value: 'localhost', manageable: true });
  });

  test('names that end in the zone domain go to the API fully qualified', () => {
    const record = {
      name: 'ex9.com',
      type: 'A' as const,
      value: '192.0.2.9',
      ttl: 300,
      priority: null,
    };
    const input = toApiRecordInput(record, 'ex9.com');
    expect(input.name).toBe('ex9.com.ex9.com.');
    expect(toLiveRecord(apiRecord({ ...input, ttl: 300, priority: null }), 'ex9.com').name).toBe(
      'ex9.com',
    );
    expect(toApiRecordInput({ ...record, name: 'www' }, 'ex9.com').name).toBe('www');
    expect(toApiRecordInput({ ...record, name: '@' }, 'ex9.com').name).toBe('@');
  });

  test('toLiveZone canonicalises the domain too', () => {
    const zone = toLiveZone({
      uuid: 'z1',
      domain: 'Example.COM.',
      created_at: '',
      record_count: 1,
      records: [
        apiRecord({ record_type: 'CNAME', name: 'WWW.Example.com', value: 'Example.com.' }),
      ],
    });
    expect(zone.domain).toBe('example.com');
    expect(zone.records[0]).toMatchObject({ name: 'www', value: 'example.com', manageable: true });
  });
});

describe('toApiRecordInput', () => {
  test('name, canonical value and TTL; priority only for MX and SRV', () => {
    expect(
      toApiRecordInput({ name: '@', type: 'A', value: '192.0.2.1', ttl: 300, priority: null }),
    ).toEqual({
      record_type: 'A',
      name: '@',
      value: '192.0.2.1',
      ttl: 300,
    });
    expect(toApiRecordInput({ name: 'a.b', type: 'MX', value: '.', ttl: 60, priority: 0 })).toEqual(
      {
        record_type: 'MX',
        name: 'a.b',
        value: '.',
        ttl: 60,
        priority: 0,
      },
    );
    expect(
      toApiRecordInput({
        name: '_sip._tcp',
        type: 'SRV',
        value: '5 5060 sip.example.com',
        ttl: 60,
        priority: 10,
      }),
    ).toMatchObject({ priority: 10 });
  });

  test('a converted record reads back as the same canonical record', () => {
    const canonical = {
      name: 'v6',
      type: 'AAAA' as const,
      value: '2001:db8::1',
      ttl: 600,
      priority: null,
    };
    const input = toApiRecordInput(canonical);
    const back = toLiveRecord(
      apiRecord({ ...input, ttl: input.ttl ?? 3600, priority: input.priority ?? null }),
      'example.com',
    );
    expect(back).toMatchObject({ ...canonical, manageable: true });
  });

  test('findSameRecord matches identities across spellings, preferring equal TTL', () => {
    const zone: ApiZoneDetail = {
      uuid: 'z',
      domain: 'example.com',
      created_at: '',
      record_count: 2,
      records: [
        apiRecord({
          uuid: 'old',
          record_type: 'CNAME',
          name: 'www.example.com.',
          value: 'T.example.net.',
          ttl: 60,
        }),
        apiRecord({
          uuid: 'new',
          record_type: 'CNAME',
          name: 'WWW',
          value: 't.example.net',
          ttl: 300,
        }),
      ],
    };
    const input: ApiRecordInput = {
      record_type: 'CNAME',
      name: 'www',
      value: 't.example.net',
      ttl: 300,
    };
    expect(findSameRecord(zone, input)?.uuid).toBe('new');
    expect(findSameRecord(zone, { ...input, ttl: 5 })?.uuid).toBe('old');
    expect(findSameRecord(zone, { ...input, value: 'u.example.net' })).toBeNull();
  });
});

/** The same eight records in the canonical spelling and in an equivalent one. */
const SPELLINGS: { canonical: ApiRecordInput; variant: ApiRecordInput }[] = [
  {
    canonical: { record_type: 'A', name: '@', value: '192.0.2.1' },
    variant: { record_type: 'A', name: 'example.com.', value: '192.0.2.1' },
  },
  {
    canonical: { record_type: 'A', name: 'apex2', value: '192.0.2.2' },
    variant: { record_type: 'A', name: 'APEX2.example.com', value: '192.0.2.2' },
  },
  {
    canonical: { record_type: 'AAAA', name: 'v6', value: '2001:db8::1' },
    variant: {
      record_type: 'AAAA',
      name: 'V6.Example.COM',
      value: '2001:0DB8:0000:0000:0000:0000:0000:0001',
    },
  },
  {
    canonical: { record_type: 'CNAME', name: 'www', value: 'example.com' },
    variant: { record_type: 'CNAME', name: 'www.example.com.', value: 'EXAMPLE.COM.' },
  },
  {
    canonical: { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10 },
    variant: { record_type: 'MX', name: 'example.com', value: 'Mail.Example.Com.', priority: 10 },
  },
  {
    canonical: { record_type: 'NS', name: 'sub', value: 'ns1.other-dns.net' },
    variant: { record_type: 'NS', name: 'SUB', value: 'NS1.Other-DNS.net.' },
  },
  {
    canonical: {
      record_type: 'SRV',
      name: '_sip._tcp',
      value: '5 5060 sip.example.com',
      priority: 10,
    },
    variant: {
      record_type: 'SRV',
      name: '_sip._tcp.example.com.',
      value: '5 5060 SIP.example.com.',
      priority: 10,
    },
  },
  {
    canonical: { record_type: 'CAA', name: '@', value: '0 issue "letsencrypt.org"' },
    variant: { record_type: 'CAA', name: '@', value: '0 ISSUE "letsencrypt.org"' },
  },
  {
    canonical: { record_type: 'TXT', name: 'txt', value: 'v=spf1 -all' },
    variant: { record_type: 'TXT', name: 'Txt.example.com.', value: 'v=spf1 -all' },
  },
];

/** Seeds a zone over plain HTTP (not through the client), so the spellings arrive as written. */
async function seedZone(
  url: string,
  token: string,
  domain: string,
  records: ApiRecordInput[],
): Promise<string> {
  const post = async (path: string, body: unknown) => {
    const response = await request(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const data = (await response.body.json()) as { uuid: string };
    expect(response.statusCode).toBe(201);
    return data.uuid;
  };
  const zone = await post('/api/v1/dns-zones/', { domain });
  for (const record of records) await post(`/api/v1/dns-zones/${zone}/records/`, record);
  return zone;
}

/** The records without what the API assigns (uuid, and created_at, which may fall in another second). */
function withoutUuids(zone: LiveZone) {
  return zone.records
    .map(({ uuid: _uuid, createdAt: _createdAt, ...rest }) => rest)
    .sort((a, b) =>
      recordKey(a.name, a.type, a.value, a.priority).localeCompare(
        recordKey(b.name, b.type, b.value, b.priority),
      ),
    );
}

describe('equivalent spellings at the API', () => {
  test('read back as the same canonical zone, which plans zero changes', async () => {
    const sb = await sandbox({ pageSize: 3 });
    const api = client(sb);

    const canonicalUuid = await seedZone(
      sb.url,
      sb.token,
      'example.com',
      SPELLINGS.map((s) => s.canonical),
    );
    const canonical = toLiveZone(await api.getZone(canonicalUuid));
    // The same domain again, spelled differently, on a sandbox of its own.
    const other = await sandbox({ pageSize: 3 });
    const variantUuid = await seedZone(
      other.url,
      other.token,
      'example.com',
      SPELLINGS.map((s) => s.variant),
    );
    const variant = toLiveZone(await client(other).getZone(variantUuid));

    // The sandbox stored the variant spellings as sent: the equality below is the converter's.
    const stored = other.zone('example.com')?.records.map((r) => r.name) ?? [];
    expect(stored).toContain('V6.Example.COM');
    expect(canonical.records.every((r) => r.manageable)).toBe(true);
    expect(withoutUuids(variant)).toEqual(withoutUuids(canonical));

    const desired: DesiredZone = {
      domain: 'example.com',
      file: 'zones/example.com.yaml',
      ttl: 3600,
      purge: true,
      ignore: [],
      records: canonical.records.map(
        (r): DesiredRecord => ({
          name: r.name,
          type: r.type as RecordType,
          value: r.value,
          ttl: r.ttl,
          priority: r.priority,
          key: recordKey(r.name, r.type, r.value, r.priority),
        }),
      ),
    };
    const plan = computePlan([desired], new Map([['example.com', variant]]));
    expect(plan.summary).toMatchObject({ create: 0, update: 0, delete: 0, zones_changed: 0 });
    expect(plan.zones[0]?.changes).toEqual([]);
  });
});
