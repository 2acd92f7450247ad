/**
 * The sandbox against the seed document (shared/seed/vps-dns-api.txt), over plain HTTP:
 * every endpoint, status code, field and documented example body.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../src/api/types.js';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import { call, clientFor, type Json, type Reply } from './sandbox-helpers.js';

const ZONE_SUMMARY_FIELDS = ['created_at', 'domain', 'record_count', 'uuid'];
const ZONE_DETAIL_FIELDS = [...ZONE_SUMMARY_FIELDS, 'records'].sort();
const RECORD_FIELDS = ['created_at', 'name', 'priority', 'record_type', 'ttl', 'uuid', 'value'];
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const OWNER_B_TOKEN = 'vps_owner_b_full_access';
const READ_ONLY_TOKEN = 'vps_read_only';
const NO_LIST_TOKEN = 'vps_no_list';

let sandbox: Sandbox;
let api: ReturnType<typeof clientFor>;

beforeAll(async () => {
  sandbox = await startSandbox({
    tokens: [
      { token: 'vps_main_full_access', permissions: [...PERMISSIONS], owner: 'alice' },
      { token: READ_ONLY_TOKEN, permissions: ['dns:list', 'dns:read'], owner: 'alice' },
      {
        token: NO_LIST_TOKEN,
        permissions: ['dns:create', 'dns:update', 'dns:delete'],
        owner: 'alice',
      },
      { token: OWNER_B_TOKEN, permissions: [...PERMISSIONS], owner: 'bob' },
    ],
  });
  api = clientFor(sandbox.url, sandbox.token);
});

afterAll(() => sandbox.close());

/** Deletes every zone of every owner, so each test starts empty. */
beforeEach(async () => {
  sandbox.setPageSize(null);
  for (const token of [sandbox.token, OWNER_B_TOKEN]) {
    const zones = await call(sandbox.url, 'GET', '/api/v1/dns-zones/', { token });
    for (const zone of zones.body) {
      await call(sandbox.url, 'DELETE', `/api/v1/dns-zones/${zone.uuid}/`, { token });
    }
  }
});

async function createZone(domain: string): Promise<string> {
  const reply = await api('POST', '/api/v1/dns-zones/', { json: { domain } });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.uuid;
}

async function createRecord(zone: string, input: Record<string, unknown>): Promise<Reply> {
  return api('POST', `/api/v1/dns-zones/${zone}/records/`, { json: input });
}

function expectError(reply: Reply, status: number, field: string | null, detail?: RegExp | string) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(reply.body).sort()).toEqual(['detail', 'error_code', 'field']);
  expect(typeof reply.body.detail).toBe('string');
  expect(typeof reply.body.error_code).toBe('string');
  expect(reply.body.field).toBe(field);
  if (typeof detail === 'string') expect(reply.body.detail).toBe(detail);
  else if (detail !== undefined) expect(reply.body.detail).toMatch(detail);
}

describe('dns-zones', () => {
  it('POST /api/v1/dns-zones/ creates the example zone: 201, record_count 0, records []', async () => {
    const reply = await api('POST', '/api/v1/dns-zones/', { json: { domain: 'newdomain.com' } });
    expect(reply.status).toBe(201);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(reply.body).sort()).toEqual(ZONE_DETAIL_FIELDS);
    expect(reply.body).toMatchObject({ domain: 'newdomain.com', record_count: 0, records: [] });
    expect(reply.body.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.body.created_at).toMatch(ISO_8601);
  });

  it('stores the domain lowercase', async () => {
    const reply = await api('POST', '/api/v1/dns-zones/', {
      json: { domain: 'MixedCase.Example' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.domain).toBe('mixedcase.example');
  });

  it('GET /api/v1/dns-zones/ lists summaries as a bare array, ?domain= filters exactly', async () => {
    expect((await api('GET', '/api/v1/dns-zones/')).body).toEqual([]);
    const a = await createZone('example.com');
    await createZone('myapp.io');
    const list = await api('GET', '/api/v1/dns-zones/');
    expect(list.status).toBe(200);
    expect(list.body.map((z: { domain: string }) => z.domain)).toEqual(['example.com', 'myapp.io']);
    for (const zone of list.body) expect(Object.keys(zone).sort()).toEqual(ZONE_SUMMARY_FIELDS);
    const filtered = await api('GET', '/api/v1/dns-zones/?domain=example.com');
    expect(filtered.body).toEqual([
      {
        uuid: a,
        domain: 'example.com',
        created_at: expect.stringMatching(ISO_8601),
        record_count: 0,
      },
    ]);
    expect((await api('GET', '/api/v1/dns-zones/?domain=example')).body).toEqual([]);
    expect((await api('GET', '/api/v1/dns-zones/?domain=nope.example')).body).toEqual([]);
  });

  it('400 when the zone already exists', async () => {
    await createZone('example.com');
    const again = await api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } });
    expectError(again, 400, 'domain', /already exists/);
    const upper = await api('POST', '/api/v1/dns-zones/', { json: { domain: 'EXAMPLE.com' } });
    expectError(upper, 400, 'domain', /already exists/);
  });

  it.each([
    ['not a domain'],
    ['nodots'],
    ['-bad.example.com'],
    ['bad-.example.com'],
    ['a..example.com'],
    ['example.com.'],
    ['under_score.com'],
    ['192.0.2.1'],
    [`${'a'.repeat(64)}.com`],
    [''],
  ])('400 Invalid domain name for %j', async (domain) => {
    const reply = await api('POST', '/api/v1/dns-zones/', { json: { domain } });
    expectError(reply, 400, 'domain', 'Invalid domain name');
  });

  it('400 when domain is missing or not a string', async () => {
    expectError(await api('POST', '/api/v1/dns-zones/', { json: {} }), 400, 'domain');
    expectError(await api('POST', '/api/v1/dns-zones/', { json: { domain: 42 } }), 400, 'domain');
  });

  it('400 parse_error for a body that is not JSON or not an object', async () => {
    const broken = await api('POST', '/api/v1/dns-zones/', { raw: '{"domain": ' });
    expectError(broken, 400, null);
    expect(broken.body.error_code).toBe('parse_error');
    expectError(await api('POST', '/api/v1/dns-zones/', { raw: '["example.com"]' }), 400, null);
  });

  it('GET /api/v1/dns-zones/{uuid}/ answers the detail with its records', async () => {
    const zone = await createZone('example.com');
    const a = await createRecord(zone, { record_type: 'A', name: '@', value: '192.0.2.1' });
    const mx = await createRecord(zone, {
      record_type: 'MX',
      name: '@',
      value: 'mail.example.com',
      priority: 10,
    });
    const detail = await api('GET', `/api/v1/dns-zones/${zone}/`);
    expect(detail.status).toBe(200);
    expect(Object.keys(detail.body).sort()).toEqual(ZONE_DETAIL_FIELDS);
    expect(detail.body.record_count).toBe(2);
    expect(detail.body.records).toEqual([a.body, mx.body]);
    expect(detail.body.records[0]).toEqual({
      uuid: a.body.uuid,
      record_type: 'A',
      name: '@',
      value: '192.0.2.1',
      ttl: 3600,
      priority: null,
      created_at: expect.stringMatching(ISO_8601),
    });
    expect(detail.body.records[1]).toMatchObject({ record_type: 'MX', priority: 10, ttl: 3600 });
  });

  it('404 for an unknown zone', async () => {
    expectError(await api('GET', '/api/v1/dns-zones/no-such-zone/'), 404, null);
    expectError(await api('DELETE', '/api/v1/dns-zones/no-such-zone/'), 404, null);
  });

  it('DELETE /api/v1/dns-zones/{uuid}/ answers 204 with no body and removes its records', async () => {
    const zone = await createZone('example.com');
    const record = await createRecord(zone, { record_type: 'A', name: 'www', value: '192.0.2.1' });
    const deleted = await api('DELETE', `/api/v1/dns-zones/${zone}/`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expectError(await api('GET', `/api/v1/dns-zones/${zone}/`), 404, null);
    expectError(await api('GET', `/api/v1/dns-records/${record.body.uuid}/`), 404, null);
    expect((await api('GET', '/api/v1/dns-zones/')).body).toEqual([]);
  });
});

describe('records in a zone', () => {
  let zone: string;
  beforeEach(async () => {
    zone = await createZone('example.com');
  });

  it('POST the seed example (A www 192.0.2.1 ttl 3600): 201 with the record', async () => {
    const reply = await createRecord(zone, {
      record_type: 'A',
      name: 'www',
      value: '192.0.2.1',
      ttl: 3600,
    });
    expect(reply.status).toBe(201);
    expect(Object.keys(reply.body).sort()).toEqual(RECORD_FIELDS);
    expect(reply.body).toMatchObject({
      record_type: 'A',
      name: 'www',
      value: '192.0.2.1',
      ttl: 3600,
      priority: null,
    });
  });

  it('MX without priority: 400 with exactly the seed example error body', async () => {
    const reply = await createRecord(zone, {
      record_type: 'MX',
      name: '@',
      value: 'mail.example.com',
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      detail: 'MX records require a priority value',
      error_code: 'validation_error',
      field: 'priority',
    });
    const explicitNull = await createRecord(zone, {
      record_type: 'MX',
      name: '@',
      value: 'mail.example.com',
      priority: null,
    });
    expect(explicitNull.body.detail).toBe('MX records require a priority value');
  });

  it('SRV without priority: 400 on priority', async () => {
    const reply = await createRecord(zone, {
      record_type: 'SRV',
      name: '_sip._tcp',
      value: '5 5060 sip.example.com',
    });
    expectError(reply, 400, 'priority', 'SRV records require a priority value');
  });

  it('accepts every supported type (ttl defaults to 3600, priority null unless given)', async () => {
    const inputs = [
      { record_type: 'A', name: '@', value: '192.0.2.1' },
      { record_type: 'AAAA', name: '@', value: '2001:0db8::1' },
      { record_type: 'CNAME', name: 'www', value: 'example.com' },
      { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10 },
      { record_type: 'TXT', name: '@', value: 'v=spf1 include:_spf.google.com ~all' },
      { record_type: 'NS', name: 'sub', value: 'ns1.example.com' },
      { record_type: 'SRV', name: '_sip._tcp', value: '10 5060 sip.example.com', priority: 5 },
      { record_type: 'CAA', name: '@', value: '0 issue "letsencrypt.org"', ttl: 300 },
    ];
    for (const input of inputs) {
      const reply = await createRecord(zone, input);
      expect(reply.status, reply.text).toBe(201);
      expect(reply.body).toMatchObject({
        ttl: 3600,
        priority: null,
        ...input,
      });
    }
    const detail = await api('GET', `/api/v1/dns-zones/${zone}/`);
    expect(detail.body.record_count).toBe(inputs.length);
  });

  it('stores names and values exactly as sent', async () => {
    const inputs = [
      { record_type: 'A', name: 'WWW.Example.COM.', value: '192.0.2.1' },
      { record_type: 'CNAME', name: 'alias.example.com', value: 'Target.Example.NET.' },
      { record_type: 'AAAA', name: 'v6', value: '2001:DB8:0:0:0:0:0:1' },
      { record_type: 'MX', name: '@', value: 'MAIL.example.com.', priority: 0 },
      { record_type: 'TXT', name: 'q', value: '"quoted" text with \\ and ; and ä' },
    ];
    for (const input of inputs) {
      const reply = await createRecord(zone, input);
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject(input);
      const back = await api('GET', `/api/v1/dns-records/${reply.body.uuid}/`);
      expect(back.body).toMatchObject(input);
    }
  });

  it.each([
    [{ record_type: 'PTR', name: '@', value: 'x.example.com' }, 'record_type'],
    [{ record_type: 'a', name: '@', value: '192.0.2.1' }, 'record_type'],
    [{ name: '@', value: '192.0.2.1' }, 'record_type'],
    [{ record_type: 'A', value: '192.0.2.1' }, 'name'],
    [{ record_type: 'A', name: '', value: '192.0.2.1' }, 'name'],
    [{ record_type: 'A', name: '@' }, 'value'],
    [{ record_type: 'A', name: '@', value: 19202 }, 'value'],
    [{ record_type: 'A', name: '@', value: '999.0.2.1' }, 'value'],
    [{ record_type: 'A', name: '@', value: '192.0.2' }, 'value'],
    [{ record_type: 'A', name: '@', value: '2001:db8::1' }, 'value'],
    [{ record_type: 'AAAA', name: '@', value: '192.0.2.1' }, 'value'],
    [{ record_type: 'AAAA', name: '@', value: '2001:db8::zz' }, 'value'],
    [{ record_type: 'AAAA', name: '@', value: 'fe80::1%eth0' }, 'value'],
    [{ record_type: 'A', name: '@', value: '192.0.2.1', ttl: 0 }, 'ttl'],
    [{ record_type: 'A', name: '@', value: '192.0.2.1', ttl: -60 }, 'ttl'],
    [{ record_type: 'A', name: '@', value: '192.0.2.1', ttl: 1.5 }, 'ttl'],
    [{ record_type: 'A', name: '@', value: '192.0.2.1', ttl: '3600' }, 'ttl'],
    [{ record_type: 'MX', name: '@', value: 'mx.example.com', priority: -1 }, 'priority'],
    [{ record_type: 'MX', name: '@', value: 'mx.example.com', priority: 65536 }, 'priority'],
    [{ record_type: 'MX', name: '@', value: 'mx.example.com', priority: '10' }, 'priority'],
  ])('400 validation_error for %j (field %s)', async (input, field) => {
    const reply = await createRecord(zone, input);
    expectError(reply, 400, field);
    expect(reply.body.error_code).toBe('validation_error');
    expect((await api('GET', `/api/v1/dns-zones/${zone}/`)).body.record_count).toBe(0);
  });

  it('names the supported types when the type is not one', async () => {
    const reply = await createRecord(zone, { record_type: 'SPF', name: '@', value: 'v=spf1' });
    expect(reply.body.detail).toMatch(/A, AAAA, CNAME, MX, TXT, NS, SRV, CAA/);
  });

  it('400 parse_error for a broken body; 404 for a zone that does not exist', async () => {
    const broken = await api('POST', `/api/v1/dns-zones/${zone}/records/`, { raw: '{record' });
    expectError(broken, 400, null);
    expect(broken.body.error_code).toBe('parse_error');
    const missing = await api('POST', '/api/v1/dns-zones/nope/records/', {
      json: { record_type: 'A', name: '@', value: '192.0.2.1' },
    });
    expectError(missing, 404, null);
    expectError(await api('GET', '/api/v1/dns-zones/nope/records/'), 404, null);
  });

  it('GET /api/v1/dns-zones/{uuid}/records/ lists the records as a bare array', async () => {
    const a = await createRecord(zone, { record_type: 'A', name: '@', value: '192.0.2.1' });
    const mx = await createRecord(zone, {
      record_type: 'MX',
      name: '@',
      value: 'mail.example.com',
      priority: 10,
    });
    const list = await api('GET', `/api/v1/dns-zones/${zone}/records/`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([a.body, mx.body]);
    for (const record of list.body) expect(Object.keys(record).sort()).toEqual(RECORD_FIELDS);
  });
});

describe('dns-records (direct access)', () => {
  let zone: string;
  let recordUuid: string;
  beforeEach(async () => {
    zone = await createZone('example.com');
    const reply = await createRecord(zone, {
      record_type: 'A',
      name: 'www',
      value: '192.0.2.1',
      ttl: 3600,
    });
    recordUuid = reply.body.uuid;
  });

  it('GET answers the record', async () => {
    const reply = await api('GET', `/api/v1/dns-records/${recordUuid}/`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ uuid: recordUuid, record_type: 'A', name: 'www' });
    expectError(await api('GET', '/api/v1/dns-records/nope/'), 404, null);
  });

  it('PATCH {"ttl": 1800} (the seed example) changes only the TTL', async () => {
    const before = (await api('GET', `/api/v1/dns-records/${recordUuid}/`)).body;
    const reply = await api('PATCH', `/api/v1/dns-records/${recordUuid}/`, { json: { ttl: 1800 } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ ...before, ttl: 1800 });
    expect((await api('GET', `/api/v1/dns-zones/${zone}/`)).body.records[0].ttl).toBe(1800);
  });

  it('PATCH validates the resulting record', async () => {
    const toMx = await api('PATCH', `/api/v1/dns-records/${recordUuid}/`, {
      json: { record_type: 'MX', value: 'mail.example.com' },
    });
    expectError(toMx, 400, 'priority', 'MX records require a priority value');
    const badIp = await api('PATCH', `/api/v1/dns-records/${recordUuid}/`, {
      json: { value: 'not-an-ip' },
    });
    expectError(badIp, 400, 'value');
    const unchanged = await api('GET', `/api/v1/dns-records/${recordUuid}/`);
    expect(unchanged.body).toMatchObject({ record_type: 'A', value: '192.0.2.1' });
  });

  it('PUT replaces the record; omitted ttl and priority fall back to their defaults', async () => {
    await api('PATCH', `/api/v1/dns-records/${recordUuid}/`, { json: { ttl: 60 } });
    const reply = await api('PUT', `/api/v1/dns-records/${recordUuid}/`, {
      json: { record_type: 'CNAME', name: 'www', value: 'example.net' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      uuid: recordUuid,
      record_type: 'CNAME',
      value: 'example.net',
      ttl: 3600,
      priority: null,
    });
    const incomplete = await api('PUT', `/api/v1/dns-records/${recordUuid}/`, {
      json: { record_type: 'A', name: 'www' },
    });
    expectError(incomplete, 400, 'value');
    expectError(
      await api('PUT', '/api/v1/dns-records/nope/', {
        json: { record_type: 'A', name: 'www', value: '192.0.2.9' },
      }),
      404,
      null,
    );
  });

  it('DELETE answers 204 with no body; the record and its count are gone', async () => {
    const reply = await api('DELETE', `/api/v1/dns-records/${recordUuid}/`);
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expectError(await api('GET', `/api/v1/dns-records/${recordUuid}/`), 404, null);
    expectError(await api('DELETE', `/api/v1/dns-records/${recordUuid}/`), 404, null);
    expect((await api('GET', `/api/v1/dns-zones/${zone}/`)).body.record_count).toBe(0);
  });

  it('GET /api/v1/dns-records/ filters by zone and record_type', async () => {
    const other = await createZone('example.org');
    const mx = await createRecord(zone, {
      record_type: 'MX',
      name: '@',
      value: 'mail.example.com',
      priority: 10,
    });
    const otherA = await createRecord(other, { record_type: 'A', name: '@', value: '192.0.2.7' });
    const uuids = (reply: Reply) => reply.body.map((r: { uuid: string }) => r.uuid).sort();

    const all = await api('GET', '/api/v1/dns-records/');
    expect(all.status).toBe(200);
    expect(uuids(all)).toEqual([recordUuid, mx.body.uuid, otherA.body.uuid].sort());
    expect(uuids(await api('GET', `/api/v1/dns-records/?zone=${zone}`))).toEqual(
      [recordUuid, mx.body.uuid].sort(),
    );
    expect(uuids(await api('GET', '/api/v1/dns-records/?record_type=A'))).toEqual(
      [recordUuid, otherA.body.uuid].sort(),
    );
    expect(uuids(await api('GET', `/api/v1/dns-records/?zone=${zone}&record_type=MX`))).toEqual([
      mx.body.uuid,
    ]);
    expect((await api('GET', '/api/v1/dns-records/?zone=nope')).body).toEqual([]);
  });
});

describe('paths and methods', () => {
  it('404 with a hint for a path without its trailing slash; no redirect', async () => {
    const reply = await api('GET', '/api/v1/dns-zones');
    expectError(reply, 404, null, /end with a slash: \/api\/v1\/dns-zones\//);
    expect(reply.headers.location).toBeUndefined();
    const zone = await createZone('example.com');
    expectError(await api('GET', `/api/v1/dns-zones/${zone}`), 404, null, /slash/);
  });

  it('404 for unknown paths, before authentication', async () => {
    expectError(await api('GET', '/api/v1/dns-zonez/'), 404, null);
    expectError(await call(sandbox.url, 'GET', '/api/v2/dns-zones/', { token: null }), 404, null);
  });

  it('405 with Allow for a method the endpoint does not have', async () => {
    const reply = await api('PUT', '/api/v1/dns-zones/', { json: {} });
    expectError(reply, 405, null);
    expect(reply.headers.allow).toBe('GET, POST');
    const zone = await createZone('example.com');
    const patch = await api('PATCH', `/api/v1/dns-zones/${zone}/`, { json: {} });
    expect(patch.status).toBe(405);
    expect(patch.headers.allow).toBe('GET, DELETE');
    expect((await api('POST', '/api/v1/dns-records/', { json: {} })).status).toBe(405);
  });
});

describe('authentication and permissions', () => {
  const unauthorized = {
    detail: 'Invalid API token',
    error_code: expect.any(String),
    field: null,
  };

  it('401 Invalid API token without a token, with a non-vps_ token or an unknown one', async () => {
    const cases: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer abc123def456' },
      { authorization: 'Bearer vps_not_a_known_token' },
      { authorization: `Token ${sandbox.token}` },
      { authorization: sandbox.token },
      { authorization: `Bearer ${sandbox.token.replace('vps_', 'VPS_')}` },
    ];
    for (const headers of cases) {
      for (const [method, path] of [
        ['GET', '/api/v1/dns-zones/'],
        ['POST', '/api/v1/dns-zones/'],
        ['GET', '/api/v1/dns-records/x/'],
      ] as const) {
        const reply = await call(sandbox.url, method, path, { token: null, headers });
        expect(reply.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(reply.body).toEqual(unauthorized);
        expect(reply.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    }
  });

  it('403 naming the missing permission for each operation', async () => {
    const zone = await createZone('example.com');
    const record = (await createRecord(zone, { record_type: 'A', name: '@', value: '192.0.2.1' }))
      .body.uuid;
    const readOnly = clientFor(sandbox.url, READ_ONLY_TOKEN);
    const noList = clientFor(sandbox.url, NO_LIST_TOKEN);
    const input = { record_type: 'A', name: 'x', value: '192.0.2.2' };
    const cases: Array<[Reply, string]> = [
      [
        await readOnly('POST', '/api/v1/dns-zones/', { json: { domain: 'x.example' } }),
        'dns:create',
      ],
      [await readOnly('POST', `/api/v1/dns-zones/${zone}/records/`, { json: input }), 'dns:create'],
      [await readOnly('PUT', `/api/v1/dns-records/${record}/`, { json: input }), 'dns:update'],
      [
        await readOnly('PATCH', `/api/v1/dns-records/${record}/`, { json: { ttl: 60 } }),
        'dns:update',
      ],
      [await readOnly('DELETE', `/api/v1/dns-records/${record}/`), 'dns:delete'],
      [await readOnly('DELETE', `/api/v1/dns-zones/${zone}/`), 'dns:delete'],
      [await noList('GET', '/api/v1/dns-zones/'), 'dns:list'],
      [await noList('GET', `/api/v1/dns-zones/${zone}/records/`), 'dns:list'],
      [await noList('GET', '/api/v1/dns-records/'), 'dns:list'],
      [await noList('GET', `/api/v1/dns-zones/${zone}/`), 'dns:read'],
      [await noList('GET', `/api/v1/dns-records/${record}/`), 'dns:read'],
    ];
    for (const [reply, permission] of cases) {
      expectError(reply, 403, null, `Token lacks ${permission} permission`);
      expect(reply.body.error_code).toBe('permission_denied');
    }
    // Nothing changed, and what the read-only token may do it can do.
    const detail = await readOnly('GET', `/api/v1/dns-zones/${zone}/`);
    expect(detail.status).toBe(200);
    expect(detail.body.records).toHaveLength(1);
    expect((await readOnly('GET', '/api/v1/dns-zones/')).body).toHaveLength(1);
  });

  it("another owner's zones and records are 404 and never listed", async () => {
    const zone = await createZone('example.com');
    const record = (await createRecord(zone, { record_type: 'A', name: '@', value: '192.0.2.1' }))
      .body.uuid;
    const bob = clientFor(sandbox.url, OWNER_B_TOKEN);
    expect((await bob('GET', '/api/v1/dns-zones/')).body).toEqual([]);
    expect((await bob('GET', '/api/v1/dns-zones/?domain=example.com')).body).toEqual([]);
    expect((await bob('GET', '/api/v1/dns-records/')).body).toEqual([]);
    expect((await bob('GET', `/api/v1/dns-records/?zone=${zone}`)).body).toEqual([]);
    const input = { record_type: 'A', name: 'x', value: '192.0.2.2' };
    for (const reply of [
      await bob('GET', `/api/v1/dns-zones/${zone}/`),
      await bob('DELETE', `/api/v1/dns-zones/${zone}/`),
      await bob('GET', `/api/v1/dns-zones/${zone}/records/`),
      await bob('POST', `/api/v1/dns-zones/${zone}/records/`, { json: input }),
      await bob('GET', `/api/v1/dns-records/${record}/`),
      await bob('PUT', `/api/v1/dns-records/${record}/`, { json: input }),
      await bob('PATCH', `/api/v1/dns-records/${record}/`, { json: { ttl: 60 } }),
      await bob('DELETE', `/api/v1/dns-records/${record}/`),
    ]) {
      expectError(reply, 404, null);
    }
    // The domain is taken, whoever asks.
    expectError(
      await bob('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } }),
      400,
      'domain',
    );
    // Bob's own zone is his alone.
    const bobZone = await bob('POST', '/api/v1/dns-zones/', { json: { domain: 'bob.example' } });
    expect(bobZone.status).toBe(201);
    expect(
      (await api('GET', '/api/v1/dns-zones/')).body.map((z: { domain: string }) => z.domain),
    ).toEqual(['example.com']);
    const detail = await api('GET', `/api/v1/dns-zones/${zone}/`);
    expect(detail.body.records).toEqual([expect.objectContaining({ uuid: record, ttl: 3600 })]);
  });
});

describe('pagination (pageSize set)', () => {
  /** Follows `next` from `path`, checking every page's shape; returns all results. */
  async function followPages(path: string): Promise<{ results: Json[]; pages: Json[] }> {
    const pages: Json[] = [];
    const results: Json[] = [];
    let next: string | null = `${sandbox.url}${path}`;
    while (next !== null) {
      const reply = await api('GET', next);
      expect(reply.status, reply.text).toBe(200);
      expect(Object.keys(reply.body).sort()).toEqual(['count', 'next', 'previous', 'results']);
      pages.push(reply.body);
      results.push(...reply.body.results);
      next = reply.body.next;
      expect(pages.length).toBeLessThan(50);
    }
    return { results, pages };
  }

  it('lists zones in pages with absolute next/previous links', async () => {
    const domains = ['a.example', 'b.example', 'c.example', 'd.example', 'e.example'];
    for (const domain of domains) await createZone(domain);
    sandbox.setPageSize(2);
    const { results, pages } = await followPages('/api/v1/dns-zones/');
    expect(results.map((z) => z.domain)).toEqual(domains);
    expect(pages.map((p) => p.results.length)).toEqual([2, 2, 1]);
    expect(pages.every((p) => p.count === 5)).toBe(true);
    expect(pages[0].previous).toBeNull();
    expect(pages[0].next).toBe(`${sandbox.url}/api/v1/dns-zones/?page=2`);
    expect(pages[1].previous).toBe(`${sandbox.url}/api/v1/dns-zones/`);
    expect(pages[2].previous).toBe(`${sandbox.url}/api/v1/dns-zones/?page=2`);
    expect(pages[2].next).toBeNull();
    expectError(await api('GET', '/api/v1/dns-zones/?page=4'), 404, null, 'Invalid page.');
    expectError(await api('GET', '/api/v1/dns-zones/?page=zero'), 404, null, 'Invalid page.');
  });

  it('an empty list is one page', async () => {
    sandbox.setPageSize(2);
    const reply = await api('GET', '/api/v1/dns-zones/');
    expect(reply.body).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it('pages records of a zone and record queries, keeping the filters in the links', async () => {
    const zone = await createZone('example.com');
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await createRecord(zone, {
        record_type: 'A',
        name: `h${i}`,
        value: `192.0.2.${i}`,
      });
      created.push(reply.body.uuid);
    }
    await createRecord(zone, { record_type: 'TXT', name: '@', value: 'not an A' });
    sandbox.setPageSize(1);
    const inZone = await followPages(`/api/v1/dns-zones/${zone}/records/`);
    expect(inZone.results).toHaveLength(6);
    const query = await followPages(`/api/v1/dns-records/?zone=${zone}&record_type=A`);
    expect(query.results.map((r) => r.uuid)).toEqual(created);
    expect(query.pages[0].next).toBe(
      `${sandbox.url}/api/v1/dns-records/?zone=${zone}&record_type=A&page=2`,
    );
    // The zone detail always carries all its records.
    const detail = await api('GET', `/api/v1/dns-zones/${zone}/`);
    expect(detail.body.records).toHaveLength(6);
  });
});

describe('in-process access', () => {
  it('exposes the stored zones, owners included, and counts requests', async () => {
    sandbox.resetStats();
    const zone = await createZone('example.com');
    await createRecord(zone, { record_type: 'A', name: 'WWW', value: '192.0.2.1' });
    await api('GET', `/api/v1/dns-zones/${zone}/`);
    const stored = sandbox.zone('Example.com');
    expect(stored).toMatchObject({ uuid: zone, owner: 'alice', record_count: 1 });
    expect(stored?.records[0]).toMatchObject({ name: 'WWW', value: '192.0.2.1' });
    expect(sandbox.zones().map((z) => z.domain)).toEqual(['example.com']);
    // Copies: changing them changes nothing in the sandbox.
    stored!.records.length = 0;
    expect(sandbox.zone('example.com')?.records).toHaveLength(1);
    expect(sandbox.stats).toMatchObject({
      requests: 3,
      byMethod: { POST: 2, GET: 1 },
      byStatus: { 201: 2, 200: 1 },
      inFlight: 0,
    });
  });
});
