/**
 * Every call of VpsClient (the endpoints dnssync uses), against the in-process sandbox:
 * results, error mapping, pagination and the concurrency limit. The sandbox's
 * conformance tests cover every endpoint of the API over plain HTTP.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  HttpError,
  PermissionError,
  ResponseShapeError,
} from '../src/api/errors.js';
import type { ApiRecordInput } from '../src/api/types.js';
import { client, onCleanup, sandbox } from './api-helpers.js';

const EIGHT: ApiRecordInput[] = [
  { record_type: 'A', name: '@', value: '192.0.2.1', ttl: 300 },
  { record_type: 'AAAA', name: 'v6', value: '2001:db8::1' },
  { record_type: 'CNAME', name: 'www', value: 'example.com' },
  { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10 },
  { record_type: 'TXT', name: '@', value: 'v=spf1 -all' },
  { record_type: 'NS', name: 'sub', value: 'ns1.other-dns.net' },
  { record_type: 'SRV', name: '_sip._tcp', value: '5 5060 sip.example.com', priority: 10 },
  { record_type: 'CAA', name: '@', value: '0 issue "letsencrypt.org"' },
];

describe('zones', () => {
  test('create, list, filter by domain, read', async () => {
    const sb = await sandbox();
    const api = client(sb);
    const created = await api.createZone('example.com');
    expect(created).toMatchObject({ domain: 'example.com', record_count: 0, records: [] });
    await api.createZone('myapp.io');

    const all = await api.listZones();
    expect(all.map((zone) => zone.domain).sort()).toEqual(['example.com', 'myapp.io']);
    const filtered = await api.listZones({ domain: 'myapp.io' });
    expect(filtered.map((zone) => zone.domain)).toEqual(['myapp.io']);

    const detail = await api.getZone(created.uuid);
    expect(detail).toMatchObject({ uuid: created.uuid, domain: 'example.com', records: [] });

    const gone = await api.getZone('no-such-zone').catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(HttpError);
    expect((gone as HttpError).status).toBe(404);
    expect((gone as HttpError).message).toBe(
      'GET /api/v1/dns-zones/no-such-zone/: 404 DNS zone not found',
    );
  });

  test('a zone that exists is a 400 naming the field', async () => {
    const sb = await sandbox();
    const api = client(sb);
    await api.createZone('example.com');
    const error = (await api.createZone('example.com').catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(400);
    expect(error.field).toBe('domain');
    expect(error.message).toBe(
      'POST /api/v1/dns-zones/: 400 DNS zone for example.com already exists (field: domain)',
    );
    expect(sb.zones()).toHaveLength(1);
  });

  test('deleting a record that was never there is an error (404), not silently done', async () => {
    const sb = await sandbox();
    const error = await client(sb)
      .deleteRecord('no-such-record')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(404);
  });
});

describe('records', () => {
  test('every type is created in a zone and read back with the zone', async () => {
    const sb = await sandbox();
    const api = client(sb);
    const zone = await api.createZone('example.com');
    const created = [];
    for (const input of EIGHT) created.push(await api.createRecord(zone.uuid, input));
    expect(created.map((r) => r.record_type)).toEqual(EIGHT.map((r) => r.record_type));
    expect(created[0]).toMatchObject({ name: '@', value: '192.0.2.1', ttl: 300, priority: null });
    expect(created[1]?.ttl).toBe(3600);
    expect(created[3]).toMatchObject({ record_type: 'MX', priority: 10 });

    expect((await api.getZone(zone.uuid)).records).toEqual(created);
  });

  test('PATCH changes one field, DELETE removes', async () => {
    const sb = await sandbox();
    const api = client(sb);
    const zone = await api.createZone('example.com');
    const record = await api.createRecord(zone.uuid, EIGHT[0] as ApiRecordInput);

    const patched = await api.updateRecord(record.uuid, { ttl: 1800 });
    expect(patched).toMatchObject({ uuid: record.uuid, name: '@', value: '192.0.2.1', ttl: 1800 });
    expect((await api.getZone(zone.uuid)).records).toEqual([patched]);

    await api.deleteRecord(record.uuid);
    expect((await api.getZone(zone.uuid)).records).toEqual([]);
    const again = await api.deleteRecord(record.uuid).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(HttpError);
    expect((again as HttpError).status).toBe(404);
  });

  test('a validation error names the request, the status, the detail and the field', async () => {
    const sb = await sandbox();
    const api = client(sb);
    const zone = await api.createZone('example.com');
    const record = await api.createRecord(zone.uuid, EIGHT[0] as ApiRecordInput);

    const patch = (await api
      .updateRecord(record.uuid, { record_type: 'MX', value: 'mail.example.com' })
      .catch((e: unknown) => e)) as HttpError;
    expect(patch).toBeInstanceOf(HttpError);
    expect(patch).toBeInstanceOf(ApiError);
    expect(patch.message).toBe(
      `PATCH /api/v1/dns-records/${record.uuid}/: 400 MX records require a priority value (field: priority)`,
    );
    expect(patch).toMatchObject({
      method: 'PATCH',
      path: `/api/v1/dns-records/${record.uuid}/`,
      status: 400,
      detail: 'MX records require a priority value',
      errorCode: 'validation_error',
      field: 'priority',
      exitCode: 1,
    });

    const post = (await api
      .createRecord(zone.uuid, { record_type: 'A', name: 'x', value: '300.1.1.1' })
      .catch((e: unknown) => e)) as HttpError;
    expect(post.message).toBe(
      `POST /api/v1/dns-zones/${zone.uuid}/records/: 400 Invalid IPv4 address: 300.1.1.1 (field: value)`,
    );
    // A 400 is final: exactly one POST of it reached the sandbox.
    expect(sb.stats.byStatus['400']).toBe(2);
  });
});

describe('authentication and permissions', () => {
  test('401 is one line that says to check VPS_API_TOKEN', async () => {
    const sb = await sandbox();
    const api = client({ url: sb.url, token: 'vps_not_a_known_token' });
    const error = await api.listZones().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/rejected the API token/);
    expect(message).toMatch(/check VPS_API_TOKEN \(it must be a valid vps_ token\)/);
    expect(sb.stats.requests).toBe(1);
  });

  test('403 names the missing dns:* permission and says to create a token with it', async () => {
    const sb = await sandbox({
      tokens: [
        {
          token: 'vps_readonly_token',
          permissions: ['dns:list', 'dns:read'],
          owner: 'default',
        },
      ],
    });
    const api = client({ url: sb.url, token: 'vps_readonly_token' });
    expect(await api.listZones()).toEqual([]);
    const error = (await api.createZone('example.com').catch((e: unknown) => e)) as PermissionError;
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.permission).toBe('dns:create');
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(
      /^the API token lacks dns:create \(403 on POST \/api\/v1\/dns-zones\/\)/,
    );
    expect(error.message).toMatch(/create a token with dns:create/);
  });

  test("another owner's zone is not found", async () => {
    const sb = await sandbox({
      tokens: [
        { token: 'vps_alice', permissions: ['dns:list', 'dns:read', 'dns:create'], owner: 'alice' },
        { token: 'vps_bob', permissions: ['dns:list', 'dns:read', 'dns:create'], owner: 'bob' },
      ],
    });
    const alice = client({ url: sb.url, token: 'vps_alice' });
    const bob = client({ url: sb.url, token: 'vps_bob' });
    const zone = await alice.createZone('example.com');
    expect(await bob.listZones()).toEqual([]);
    const error = await bob.getZone(zone.uuid).catch((e: unknown) => e);
    expect((error as HttpError).status).toBe(404);
  });
});

describe('pagination', () => {
  test('follows next through every page', async () => {
    const sb = await sandbox({ pageSize: 2 });
    const api = client(sb);
    const domains = ['a.com', 'b.com', 'c.com', 'd.com', 'e.com'];
    for (const domain of domains) await api.createZone(domain);

    sb.resetStats();
    expect((await api.listZones()).map((z) => z.domain).sort()).toEqual(domains);
    expect(sb.stats.byMethod.GET).toBe(3);

    sb.setPageSize(1);
    sb.resetStats();
    expect((await api.listZones()).map((z) => z.domain).sort()).toEqual(domains);
    expect(sb.stats.byMethod.GET).toBe(5);
    expect((await api.listZones({ domain: 'c.com' })).map((z) => z.domain)).toEqual(['c.com']);
  });

  test('stops on a next link that loops or leaves the origin', async () => {
    let foreignNext = false;
    const server = await listen(
      createServer((req, res) => {
        const self = `http://${req.headers.host}${req.url}`;
        const next = foreignNext ? 'https://elsewhere.example/api/v1/dns-zones/?page=2' : self;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ count: 2, next, previous: null, results: [] }));
      }),
    );
    const api = client({ url: server, token: 'vps_pagination_test' });
    const loop = await api.listZones().catch((e: unknown) => e);
    expect(loop).toBeInstanceOf(ResponseShapeError);
    expect((loop as Error).message).toMatch(/pagination does not end/);
    foreignNext = true;
    const away = await api.listZones().catch((e: unknown) => e);
    expect(away).toBeInstanceOf(ResponseShapeError);
    expect((away as Error).message).toMatch(
      /leads outside http:\/\/127\.0\.0\.1:\d+\/ \(to https:\/\/elsewhere\.example\/api\/v1\/dns-zones\/\); not followed/,
    );
  });
});

describe('concurrency', () => {
  test.each([1, 3, 8])('never more than %i requests in flight', async (concurrency) => {
    const sb = await sandbox({ latencyMs: 15 });
    const api = client(sb, { concurrency });
    const zone = await api.createZone('example.com');
    sb.resetStats();
    const writes = Array.from({ length: 40 }, (_, i) =>
      api.createRecord(zone.uuid, { record_type: 'A', name: `h${i}`, value: '192.0.2.1' }),
    );
    const reads = Array.from({ length: 40 }, () => api.getZone(zone.uuid));
    await Promise.all([...writes, ...reads]);
    expect(sb.stats.requests).toBe(80);
    // The limit is reached (so the test could see a breach) and never exceeded.
    expect(sb.stats.peakInFlight).toBe(concurrency);
  });

  test('a request queued behind a 429 waits out its Retry-After too', async () => {
    // One connection; three zone reads queued at once; the first is answered 429.
    const arrivals: { path: string; at: number }[] = [];
    let throttledAt = 0;
    const server = createServer((req, res) => {
      const path = req.url ?? '';
      arrivals.push({ path, at: performance.now() });
      res.setHeader('content-type', 'application/json');
      if (path === '/api/v1/dns-zones/z0/' && throttledAt === 0) {
        throttledAt = performance.now();
        res.writeHead(429, { 'retry-after': '1' });
        res.end('{"detail":"Request was throttled."}');
        return;
      }
      const uuid = path.split('/')[4];
      res.end(JSON.stringify({ uuid, domain: `${uuid}.com`, created_at: 'x', records: [] }));
    });
    const api = client({ url: await listen(server), token: 'vps_retry_after' }, { concurrency: 1 });
    const zones = await Promise.all(['z0', 'z1', 'z2'].map((uuid) => api.getZone(uuid)));
    expect(zones.map((zone) => zone.uuid)).toEqual(['z0', 'z1', 'z2']);
    const after = arrivals.filter((arrival) => arrival.at > throttledAt);
    expect(after).toHaveLength(3);
    // Nothing reached the server before the second was up (timer ticks allow a little slack).
    for (const arrival of after) expect(arrival.at - throttledAt).toBeGreaterThanOrEqual(990);
  });

  test('a Retry-After is waited on a monotonic clock: setting the wall clock back does not stretch it', async () => {
    let throttled = false;
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      if (!throttled) {
        throttled = true;
        res.writeHead(429, { 'retry-after': '1' });
        res.end('{"detail":"Request was throttled."}');
        return;
      }
      res.end('[]');
    });
    const realNow = Date.now;
    onCleanup(async () => {
      Date.now = realNow;
    });
    const api = client(
      { url: await listen(server), token: 'vps_clock' },
      {
        // The wall clock jumps 30 s back while the client waits, and is set right 2 s later.
        onRetry: () => {
          Date.now = () => realNow() - 30_000;
          setTimeout(() => {
            Date.now = realNow;
          }, 2000).unref();
        },
      },
    );
    // Waiting on Date.now, this takes 31 s instead of about 1 s.
    const started = performance.now();
    expect(await api.listZones()).toEqual([]);
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  test('a body that cannot be sent fails its own call and frees its connection slot', async () => {
    const sb = await sandbox();
    const api = client(sb, { concurrency: 1 });
    const zone = await api.createZone('example.com');
    const bad = { record_type: 'A', name: 'www', value: '192.0.2.1', ttl: 10n };
    const calls = [
      api.createRecord(zone.uuid, bad as unknown as ApiRecordInput),
      api.createRecord(zone.uuid, bad as unknown as ApiRecordInput),
      api.createRecord(zone.uuid, { record_type: 'A', name: 'ok', value: '192.0.2.2' }),
    ];
    const results = await Promise.allSettled(calls);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/BigInt/);
  });
});

describe('cancel', () => {
  test('aborts the calls on the wire and never sends the queued ones', async () => {
    // Zone reads are held open; the server records how each one ended.
    const ended: string[] = [];
    let arrived = 0;
    const server = createServer((_req, res) => {
      arrived++;
      res.once('close', () => ended.push(res.writableFinished ? 'answered' : 'aborted'));
    });
    const api = client({ url: await listen(server), token: 'vps_cancel' }, { concurrency: 2 });
    const cancel = new AbortController();
    const reads = ['z0', 'z1', 'z2', 'z3'].map((uuid) =>
      api.getZone(uuid, { cancel: cancel.signal }),
    );
    while (arrived < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const reason = new Error('not wanted any more');
    cancel.abort(reason);
    const results = await Promise.allSettled(reads);
    expect(results).toEqual(reads.map(() => ({ status: 'rejected', reason })));
    while (ended.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ended).toEqual(['aborted', 'aborted']);
    expect(arrived).toBe(2);
  });

  test('a cancelled read is not retried, and a cancel ends the wait before a retry', async () => {
    let arrived = 0;
    const server = createServer((_req, res) => {
      arrived++;
      res.writeHead(503).end();
    });
    const cancel = new AbortController();
    const api = client(
      { url: await listen(server), token: 'vps_cancel_retry' },
      {
        timeoutMs: 3_600_000,
        retry: { baseDelayMs: 600_000, maxDelayMs: 600_000 },
        onRetry: () => cancel.abort(new Error('cancelled while waiting')),
      },
    );
    await expect(api.listZones({}, { cancel: cancel.signal })).rejects.toThrow(
      'cancelled while waiting',
    );
    expect(arrived).toBe(1);
  });
});

describe('answers', () => {
  test('a UTF-8 byte order mark before the JSON is not part of it', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[]')]));
    });
    const api = client({ url: await listen(server), token: 'vps_bom' });
    expect(await api.listZones()).toEqual([]);
  });
});

describe('connections', () => {
  test('are kept alive and reused: never more than the concurrency', async () => {
    let connections = 0;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
    server.on('connection', () => {
      connections++;
    });
    const api = client({ url: await listen(server), token: 'vps_keepalive' }, { concurrency: 4 });
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 20 }, () => api.listZones()));
    }
    expect(connections).toBeGreaterThan(0);
    expect(connections).toBeLessThanOrEqual(4);
  });
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
