/**
 * The client against the sandbox with each fault knob on: rate limits (429 with
 * Retry-After), 502 before and after a write takes effect, dropped connections,
 * latency and timeouts. The invariant throughout: every call ends with the documented
 * result, and no create ever leaves a duplicate record behind.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import type { RetryEvent } from '../src/api/client.js';
import { ApiError, HttpError, NetworkError, TimeoutError } from '../src/api/errors.js';
import type { ApiRecordInput } from '../src/api/types.js';
import { client, identityCounts, onCleanup, sandbox } from './api-helpers.js';

function aRecord(i: number): ApiRecordInput {
  return {
    record_type: 'A',
    name: `host${i}`,
    value: `10.0.${Math.floor(i / 250)}.${i % 250}`,
    ttl: 300,
  };
}

function expectNoDuplicates(records: { name: string; record_type: string; value: string }[]) {
  const counts = identityCounts(records as Parameters<typeof identityCounts>[0]);
  const duplicated = [...counts].filter(([, n]) => n > 1);
  expect(duplicated).toEqual([]);
}

describe('429 rate limit', () => {
  test('a burst beyond the limit waits out Retry-After and then succeeds', async () => {
    const sb = await sandbox({ rateLimit: 20 });
    const retries: RetryEvent[] = [];
    const api = client(sb, { concurrency: 8, onRetry: (event) => retries.push(event) });
    const zone = await api.createZone('example.com');
    const results = await Promise.all(Array.from({ length: 50 }, () => api.getZone(zone.uuid)));
    expect(results.every((detail) => detail.uuid === zone.uuid)).toBe(true);
    expect(sb.stats.faults.rateLimited).toBeGreaterThan(0);
    const waits = retries.filter((event) => event.reason === 'rate-limited');
    expect(waits.length).toBe(sb.stats.faults.rateLimited);
    // The sandbox asks for at least 1 s; no retry came sooner than that.
    for (const event of waits) expect(event.delayMs).toBeGreaterThanOrEqual(1000);
  });

  test('creates under a rate limit are sent again (a 429 did nothing), without duplicates', async () => {
    const sb = await sandbox({ rateLimit: 25 });
    const api = client(sb, { concurrency: 8 });
    const zone = await api.createZone('example.com');
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => api.createRecord(zone.uuid, aRecord(i))),
    );
    expect(sb.stats.faults.rateLimited).toBeGreaterThan(0);
    const records = sb.zone('example.com')?.records ?? [];
    expect(records).toHaveLength(40);
    expectNoDuplicates(records);
  });

  test('after its 429 budget the request fails with the 429 and the API detail', async () => {
    const sb = await sandbox({ rateLimit: 1 });
    const api = client(sb, { retry: { maxRateLimitRetries: 0 } });
    await api.listZones();
    const error = (await api.listZones().catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/^GET \/api\/v1\/dns-zones\/: 429 Request was throttled/);
  });
});

describe('502 before and after a write', () => {
  test('failures before the write: every create lands once', async () => {
    const sb = await sandbox({ seed: 11 });
    const api = client(sb, { concurrency: 8, retry: { maxAttempts: 12 } });
    const zone = await api.createZone('example.com');
    sb.setFaults({ failBefore: 0.3 });
    const created = await Promise.all(
      Array.from({ length: 80 }, (_, i) => api.createRecord(zone.uuid, aRecord(i))),
    );
    expect(sb.stats.faults.failBefore).toBeGreaterThan(0);
    const records = sb.zone('example.com')?.records ?? [];
    expect(records).toHaveLength(80);
    expectNoDuplicates(records);
    expect(new Set(created.map((r) => r.uuid))).toEqual(new Set(records.map((r) => r.uuid)));
  });

  test('failures after the write (the ambiguous case): the zone is re-read, never a duplicate', async () => {
    const sb = await sandbox({ seed: 12 });
    const retries: RetryEvent[] = [];
    const api = client(sb, {
      concurrency: 8,
      retry: { maxAttempts: 12 },
      onRetry: (e) => retries.push(e),
    });
    const zone = await api.createZone('example.com');
    sb.setFaults({ failAfter: 0.4 });
    const created = await Promise.all(
      Array.from({ length: 80 }, (_, i) => api.createRecord(zone.uuid, aRecord(i))),
    );
    const failedAfter = sb.stats.faults.failAfter;
    expect(failedAfter).toBeGreaterThan(0);
    const records = sb.zone('example.com')?.records ?? [];
    expect(records).toHaveLength(80);
    expectNoDuplicates(records);
    // Each ambiguous POST was answered by a re-read, not a second POST.
    const posts = retries.filter((e) => e.method === 'POST');
    expect(posts.every((e) => e.recheck)).toBe(true);
    expect(sb.stats.byMethod.POST).toBe(1 + 80);
    expect(new Set(created.map((r) => r.uuid))).toEqual(new Set(records.map((r) => r.uuid)));
  });

  test('all faults at once, many creates: no duplicate ever appears', async () => {
    const sb = await sandbox({ seed: 13 });
    const api = client(sb, { concurrency: 8, retry: { maxAttempts: 12 } });
    const zone = await api.createZone('example.com');
    sb.setFaults({ failBefore: 0.2, failAfter: 0.2, dropConnections: 0.05, latencyMs: 2 });
    await Promise.all(
      Array.from({ length: 150 }, (_, i) => api.createRecord(zone.uuid, aRecord(i))),
    );
    const { faults } = sb.stats;
    expect(faults.failBefore).toBeGreaterThan(0);
    expect(faults.failAfter).toBeGreaterThan(0);
    expect(faults.dropped).toBeGreaterThan(0);
    sb.setFaults({ failBefore: 0, failAfter: 0, dropConnections: 0 });
    const { records } = await api.getZone(zone.uuid);
    expect(records).toHaveLength(150);
    expectNoDuplicates(records);
  });

  test('the re-read compares canonical forms, so another spelling of the record counts', async () => {
    const sb = await sandbox();
    const api = client(sb, { onRetry: () => sb.setFaults({ failAfter: 0 }) });
    const zone = await api.createZone('example.com');
    sb.setFaults({ failAfter: 1 });
    const record = await api.createRecord(zone.uuid, {
      record_type: 'CNAME',
      name: 'Www.Example.COM.',
      value: 'Target.Example.NET.',
    });
    const stored = sb.zone('example.com')?.records ?? [];
    expect(stored).toHaveLength(1);
    expect(record.uuid).toBe(stored[0]?.uuid);
    expect(sb.stats.byMethod.POST).toBe(2); // the zone, and the record once
  });

  test('a zone create whose outcome is unknown is re-read by domain, not repeated', async () => {
    const sb = await sandbox();
    const api = client(sb, { onRetry: () => sb.setFaults({ failAfter: 0 }) });
    sb.setFaults({ failAfter: 1 });
    const zone = await api.createZone('example.com');
    expect(zone).toMatchObject({ domain: 'example.com', records: [] });
    expect(sb.zones().map((z) => z.uuid)).toEqual([zone.uuid]);
    expect(sb.stats.byMethod.POST).toBe(1);
  });

  test('out of attempts, a create still looks once: taken effect is success, else the error', async () => {
    const sb = await sandbox();
    const api = client(sb, { retry: { maxAttempts: 1 } });
    const zone = await api.createZone('example.com');
    sb.setFaults({ failAfter: 1 });
    const record = await api.createRecord(zone.uuid, aRecord(1));
    expect(sb.zone('example.com')?.records.map((r) => r.uuid)).toEqual([record.uuid]);

    sb.setFaults({ failAfter: 0, failBefore: 1 });
    const twice = client(sb, { retry: { maxAttempts: 2 } });
    const error = (await twice
      .createRecord(zone.uuid, aRecord(2))
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toBe(
      `POST /api/v1/dns-zones/${zone.uuid}/records/: 502 Bad Gateway (gave up after 2 attempts)`,
    );
    expect(sb.zone('example.com')?.records).toHaveLength(1);
    // zone, record 1, record 2 twice; a re-read after each of record 2's attempts.
    expect(sb.stats.byMethod).toEqual({ POST: 4, GET: 3 });
  });

  test('PATCH is simply sent again', async () => {
    const sb = await sandbox({ seed: 5 });
    const retries: RetryEvent[] = [];
    const api = client(sb, { retry: { maxAttempts: 12 }, onRetry: (e) => retries.push(e) });
    const zone = await api.createZone('example.com');
    const record = await api.createRecord(zone.uuid, aRecord(1));
    sb.setFaults({ failBefore: 0.3, failAfter: 0.2 });
    for (let ttl = 100; ttl < 140; ttl++) {
      expect((await api.updateRecord(record.uuid, { ttl })).ttl).toBe(ttl);
    }
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((e) => e.method === 'PATCH' && !e.recheck)).toBe(true);
    expect(sb.stats.faults.failBefore + sb.stats.faults.failAfter).toBeGreaterThan(0);
  });

  test('a DELETE answering 404 after an ambiguous attempt counts as done', async () => {
    const sb = await sandbox();
    const api = client(sb, { onRetry: () => sb.setFaults({ failAfter: 0 }) });
    const zone = await api.createZone('example.com');
    const record = await api.createRecord(zone.uuid, aRecord(1));
    sb.setFaults({ failAfter: 1 });
    await api.deleteRecord(record.uuid);
    expect(sb.zone('example.com')?.records).toEqual([]);
    expect(sb.stats.byStatus['404']).toBe(1);
  });

  test('a 502 that outlasts the attempts fails with the status, not an HTML page', async () => {
    const sb = await sandbox();
    const api = client(sb, { retry: { maxAttempts: 3 } });
    const zone = await api.createZone('example.com');
    const record = await api.createRecord(zone.uuid, aRecord(1));
    sb.setFaults({ failBefore: 1 });
    const error = (await api
      .updateRecord(record.uuid, { ttl: 60 })
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toBe(
      `PATCH /api/v1/dns-records/${record.uuid}/: 502 Bad Gateway (gave up after 3 attempts)`,
    );
  });
});

describe('dropped connections', () => {
  test('reads and writes survive connections closed without an answer', async () => {
    const sb = await sandbox({ seed: 21 });
    const api = client(sb, { concurrency: 6, retry: { maxAttempts: 12 } });
    const zone = await api.createZone('example.com');
    sb.setFaults({ dropConnections: 0.3 });
    const created = await Promise.all(
      Array.from({ length: 60 }, (_, i) => api.createRecord(zone.uuid, aRecord(i))),
    );
    const reads = await Promise.all(created.map(() => api.getZone(zone.uuid)));
    for (const read of reads) expect(new Set(read.records)).toEqual(new Set(created));
    expect(sb.stats.faults.dropped).toBeGreaterThan(0);
    const records = sb.zone('example.com')?.records ?? [];
    expect(records).toHaveLength(60);
    expectNoDuplicates(records);
  });
});

describe('latency and timeouts', () => {
  test('with latency below the timeout everything succeeds, within the concurrency', async () => {
    const sb = await sandbox({ latencyMs: 40 });
    const api = client(sb, { concurrency: 4, timeoutMs: 2000 });
    const zone = await api.createZone('example.com');
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => api.createRecord(zone.uuid, aRecord(i))),
    );
    expect((await api.getZone(zone.uuid)).records).toHaveLength(12);
    expect(sb.stats.peakInFlight).toBe(4);
  });

  test('a read slower than the timeout fails as a timeout: the timeout bounds its retries too', async () => {
    const sb = await sandbox();
    const api = client(sb, { timeoutMs: 50, retry: { maxAttempts: 3 } });
    const zone = await api.createZone('example.com');
    sb.setFaults({ latencyMs: 300 });
    const error = (await api.getZone(zone.uuid).catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(
      `cannot reach VPS.org API at ${sb.url}: no answer within 50 ms (GET /api/v1/dns-zones/${zone.uuid}/)`,
    );
    expect(sb.stats.byMethod.GET).toBe(1);
  });

  test('retries stop when the time limit is used up, whatever attempts are left', async () => {
    const sb = await sandbox();
    const retries: RetryEvent[] = [];
    const api = client(sb, {
      timeoutMs: 300,
      retry: { maxAttempts: 100, baseDelayMs: 40, maxDelayMs: 40, random: () => 0.99 },
      onRetry: (e) => retries.push(e),
    });
    const zone = await api.createZone('example.com');
    sb.setFaults({ failBefore: 1, latencyMs: 20 });
    const error = (await api
      .updateRecord('no-matter', { ttl: 60 })
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(502);
    // Each attempt takes about 20 ms and waits 39 ms before the next: about 5 fit in 300 ms.
    expect(retries.length).toBeGreaterThan(1);
    expect(retries.length).toBeLessThan(10);
    expect(zone.domain).toBe('example.com');
  });

  test('a create that timed out but took effect is found by the re-read', async () => {
    const sb = await sandbox();
    const api = client(sb, {
      timeoutMs: 100,
      onResponse: (e) => {
        if (e.code !== null) sb.setFaults({ latencyMs: 0 });
      },
    });
    const zone = await api.createZone('example.com');
    // The server makes the record at once but answers 150 ms in, after the client gave up
    // at 100 ms; the client re-reads the zone before reporting, and finds it.
    sb.setFaults({ latencyMs: 150 });
    const record = await api.createRecord(zone.uuid, aRecord(7));
    const stored = sb.zone('example.com')?.records ?? [];
    expect(stored.map((r) => r.uuid)).toEqual([record.uuid]);
    expect(sb.stats.byMethod.POST).toBe(2);
  });

  test('a create whose outcome cannot be checked fails saying so, and is not repeated', async () => {
    const sb = await sandbox();
    const api = client(sb, { timeoutMs: 60, retry: { maxAttempts: 2 } });
    const zone = await api.createZone('example.com');
    sb.setFaults({ latencyMs: 200 });
    const error = (await api
      .createRecord(zone.uuid, aRecord(3))
      .catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toMatch(
      /^cannot reach VPS\.org API at .*: no answer within 60 ms \(POST .*\); whether it took effect is unknown, and re-reading to check failed: /,
    );
    sb.setFaults({ latencyMs: 0 });
    expect(sb.stats.byMethod.POST).toBe(2); // the zone, and the record once
    expect((await api.getZone(zone.uuid)).records).toHaveLength(1);
  });
});

describe('unreachable API', () => {
  test('connection refused is retried, then one line naming the origin', async () => {
    const port = await freePort();
    const retries: RetryEvent[] = [];
    const api = client(
      { url: `http://127.0.0.1:${port}`, token: 'vps_unreachable' },
      { retry: { maxAttempts: 3 }, onRetry: (e) => retries.push(e) },
    );
    const error = (await api.listZones().catch((e: unknown) => e)) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.message).toBe(
      `cannot reach VPS.org API at http://127.0.0.1:${port}: connection refused (GET /api/v1/dns-zones/) (gave up after 3 attempts)`,
    );
    expect(retries.map((e) => e.reason)).toEqual(['network', 'network']);
  });

  test('a create that surely never left (connection refused) is retried without a re-read', async () => {
    const port = await freePort();
    const retries: RetryEvent[] = [];
    const api = client(
      { url: `http://127.0.0.1:${port}`, token: 'vps_unreachable' },
      { retry: { maxAttempts: 2 }, onRetry: (e) => retries.push(e) },
    );
    await expect(api.createRecord('z', aRecord(1))).rejects.toBeInstanceOf(NetworkError);
    expect(retries).toHaveLength(1);
    expect(retries[0]?.recheck).toBe(false);
  });

  test('a create whose connection never opens times out as never sent: no re-read', async () => {
    const port = await unansweredPort();
    const retries: RetryEvent[] = [];
    const api = client(
      { url: `http://127.0.0.1:${port}`, token: 'vps_unreachable' },
      { timeoutMs: 200, retry: { maxAttempts: 2 }, onRetry: (e) => retries.push(e) },
    );
    const error = (await api.createRecord('z', aRecord(1)).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(
      `cannot reach VPS.org API at http://127.0.0.1:${port}: no answer within 200 ms (POST /api/v1/dns-zones/z/records/)`,
    );
    // The time limit is used up: no retry, and no re-read of a zone it never reached.
    expect(retries).toEqual([]);
  });
});

/**
 * A loopback port whose connections never open: a listener in a child process whose
 * event loop is blocked, so it accepts nothing, and whose backlog this process fills.
 */
async function unansweredPort(): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const server = require('node:net').createServer();
       server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
         process.stdout.write(server.address().port + '\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
       });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const fillers: Socket[] = [];
  onCleanup(async () => {
    for (const socket of fillers) socket.destroy();
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(String(line).trim());
  // The kernel completes handshakes for a backlog of 1 plus one; after that, SYNs wait.
  for (let i = 0; i < 2; i++) {
    const socket = connect(port, '127.0.0.1');
    fillers.push(socket);
    await once(socket, 'connect');
  }
  return port;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
