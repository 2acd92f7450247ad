/** Fault knobs over plain HTTP: latency, in-flight counting, rate limit, 502s, dropped connections. */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../src/api/types.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../src/sandbox/server.js';
import { call, clientFor } from './sandbox-helpers.js';

const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function sandboxWith(options: SandboxOptions = {}) {
  const sandbox = await startSandbox(options);
  open.push(sandbox);
  return { sandbox, api: clientFor(sandbox.url, sandbox.token) };
}

const A_RECORD = { record_type: 'A', name: 'www', value: '192.0.2.1' };

describe('latency', () => {
  it('delays every API answer by at least latencyMs', async () => {
    const { sandbox, api } = await sandboxWith({ latencyMs: 120 });
    for (const [method, path] of [
      ['GET', '/api/v1/dns-zones/'],
      ['GET', '/api/v1/dns-zones/nope/'],
    ] as const) {
      const started = performance.now();
      await api(method, path);
      expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    }
    // The sandbox's own endpoints are not delayed: a test can always read the stats.
    sandbox.setFaults({ latencyMs: 5000 });
    const stats = await call(sandbox.url, 'GET', '/_sandbox/stats', { token: sandbox.token });
    expect(stats.status).toBe(200);
  });

  it('makes a change when the request arrives; the answer leaves latencyMs later', async () => {
    const { sandbox, api } = await sandboxWith({ latencyMs: 600 });
    let answered = false;
    const creating = api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } }).then(
      (response) => {
        answered = true;
        return response;
      },
    );
    while (sandbox.zone('example.com') === undefined) await sleep(5);
    // The zone is there, as on a distant server whose answer is still on its way.
    expect(answered).toBe(false);
    expect((await creating).status).toBe(201);
  });
});

describe('in-flight counting', () => {
  it('counts the peak of requests in progress at once, and resets', async () => {
    // Long enough that all twelve have arrived before the first answer, even on a busy machine.
    const { sandbox, api } = await sandboxWith({ latencyMs: 400 });
    await Promise.all(Array.from({ length: 12 }, () => api('GET', '/api/v1/dns-zones/')));
    expect(sandbox.stats).toMatchObject({ requests: 12, inFlight: 0, peakInFlight: 12 });

    sandbox.resetStats();
    sandbox.setFaults({ latencyMs: 0 });
    expect(sandbox.stats).toMatchObject({ requests: 0, peakInFlight: 0 });
    for (let i = 0; i < 3; i++) await api('GET', '/api/v1/dns-zones/');
    expect(sandbox.stats).toMatchObject({ requests: 3, peakInFlight: 1 });
  });

  it('serves the stats over HTTP, and resets them over HTTP', async () => {
    const { sandbox, api } = await sandboxWith({ latencyMs: 300 });
    await Promise.all([
      api('GET', '/api/v1/dns-zones/'),
      api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } }),
      api('GET', '/api/v1/dns-zones/'),
    ]);
    const stats = await call(sandbox.url, 'GET', '/_sandbox/stats', { token: sandbox.token });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({
      requests: 3,
      byMethod: { GET: 2, POST: 1 },
      byStatus: { 200: 2, 201: 1 },
      inFlight: 0,
      peakInFlight: 3,
      faults: { dropped: 0, failBefore: 0, failAfter: 0, rateLimited: 0 },
    });
    const reset = await call(sandbox.url, 'POST', '/_sandbox/reset-stats', {
      token: sandbox.token,
      json: {},
    });
    expect(reset.body).toMatchObject({ requests: 0, peakInFlight: 0 });
    expect(sandbox.stats.requests).toBe(0);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After and the error body once the bucket is empty', async () => {
    const { sandbox, api } = await sandboxWith({ rateLimit: 2 });
    expect((await api('GET', '/api/v1/dns-zones/')).status).toBe(200);
    expect((await api('GET', '/api/v1/dns-zones/')).status).toBe(200);
    const limited = await api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(limited.body).toEqual({
      detail: expect.stringMatching(/throttled/),
      error_code: 'throttled',
      field: null,
    });
    expect(sandbox.zones()).toEqual([]);
    expect(sandbox.stats.faults.rateLimited).toBe(1);

    await new Promise((r) => setTimeout(r, Number(limited.headers['retry-after']) * 1000));
    expect((await api('GET', '/api/v1/dns-zones/')).status).toBe(200);
  });

  it('keeps one bucket per token', async () => {
    const other = 'vps_second_token';
    const { sandbox, api } = await sandboxWith({
      rateLimit: 1,
      tokens: [
        { token: 'vps_first_token', permissions: [...PERMISSIONS], owner: 'a' },
        { token: other, permissions: [...PERMISSIONS], owner: 'b' },
      ],
    });
    expect((await api('GET', '/api/v1/dns-zones/')).status).toBe(200);
    expect((await api('GET', '/api/v1/dns-zones/')).status).toBe(429);
    const second = await call(sandbox.url, 'GET', '/api/v1/dns-zones/', { token: other });
    expect(second.status).toBe(200);
  });

  it('a burst gets exactly the bucket size through (the rate, by default)', async () => {
    const { api } = await sandboxWith({ rateLimit: 5 });
    const replies = await Promise.all(
      Array.from({ length: 12 }, () => api('GET', '/api/v1/dns-zones/')),
    );
    const statuses = replies.map((r) => r.status);
    // Refill during the burst may let one more through on a slow machine.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(5);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(6);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(6);
  });

  it('rateBurst sets the bucket size: 5/s with bursts of 1 lets one through at once', async () => {
    const { sandbox, api } = await sandboxWith({ rateLimit: 5, rateBurst: 1 });
    const burst = await Promise.all(
      Array.from({ length: 4 }, () => api('GET', '/api/v1/dns-zones/')),
    );
    expect(burst.map((r) => r.status).sort()).toEqual([200, 429, 429, 429]);
    // Changed over HTTP, the buckets start full at the new size.
    const control = clientFor(sandbox.url, sandbox.token);
    const set = await control('POST', '/_sandbox/faults', { json: { rateBurst: 3 } });
    expect(set.body).toMatchObject({ rateLimit: 5, rateBurst: 3 });
    const again = await Promise.all(
      Array.from({ length: 5 }, () => api('GET', '/api/v1/dns-zones/')),
    );
    expect(again.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(3);
    expect(again.filter((r) => r.status === 200).length).toBeLessThanOrEqual(4);
  });
});

describe('control endpoints', () => {
  it('need a sandbox token', async () => {
    const { sandbox } = await sandboxWith();
    for (const [method, path] of [
      ['GET', '/_sandbox/stats'],
      ['POST', '/_sandbox/reset-stats'],
      ['GET', '/_sandbox/faults'],
      ['POST', '/_sandbox/faults'],
    ] as const) {
      const without = await call(sandbox.url, method, path, { token: null, json: {} });
      expect(without.status).toBe(401);
      const unknown = await call(sandbox.url, method, path, { token: 'vps_unknown', json: {} });
      expect(unknown.status).toBe(401);
      const known = await call(sandbox.url, method, path, { token: sandbox.token, json: {} });
      expect(known.status).toBe(200);
    }
  });

  it('refuse a POST that is not application/json, as a cross-site form or fetch sends it', async () => {
    const { sandbox } = await sandboxWith();
    const headers = { 'content-type': 'text/plain' };
    const post = await call(sandbox.url, 'POST', '/_sandbox/faults', {
      token: sandbox.token,
      raw: '{"failBefore":1}',
      headers,
    });
    expect(post.status).toBe(415);
    expect(post.body).toMatchObject({ error_code: 'unsupported_media_type' });
    const settings = await call(sandbox.url, 'GET', '/_sandbox/faults', { token: sandbox.token });
    expect(settings.body.failBefore).toBe(0);
    const reset = await call(sandbox.url, 'POST', '/_sandbox/reset-stats', {
      token: sandbox.token,
      headers,
    });
    expect(reset.status).toBe(415);
    const charset = await call(sandbox.url, 'POST', '/_sandbox/faults', {
      token: sandbox.token,
      raw: '{"failBefore":1}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(charset.status).toBe(200);
  });

  it('answer only to a Host that names the sandbox on loopback', async () => {
    const { sandbox } = await sandboxWith();
    const port = new URL(sandbox.url).port;
    const asked = (host: string) =>
      call(sandbox.url, 'GET', '/_sandbox/stats', { token: sandbox.token, headers: { host } });
    for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.2:${port}`]) {
      const refused = await asked(host);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error_code: 'invalid_host' });
    }
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      `[::1]:${port}`,
    ]) {
      expect((await asked(host)).status).toBe(200);
    }
    // A zone's BIND view is a control endpoint too.
    const bind = await call(sandbox.url, 'GET', '/_sandbox/zones/example.com/bind', {
      token: sandbox.token,
      headers: { host: 'rebound.example' },
    });
    expect(bind.status).toBe(403);
  });
});

describe('502 before and after a write takes effect', () => {
  it('failBefore: 502 from the gateway, nothing changed', async () => {
    const { sandbox, api } = await sandboxWith();
    const zone = (await api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } })).body
      .uuid;
    sandbox.setFaults({ failBefore: 1 });
    const created = await api('POST', `/api/v1/dns-zones/${zone}/records/`, { json: A_RECORD });
    expect(created.status).toBe(502);
    expect(created.headers['content-type']).toMatch(/^text\/html/);
    expect(
      (await api('POST', '/api/v1/dns-zones/', { json: { domain: 'b.example' } })).status,
    ).toBe(502);
    expect((await api('DELETE', `/api/v1/dns-zones/${zone}/`)).status).toBe(502);
    // Reads are not writes: they pass.
    expect((await api('GET', `/api/v1/dns-zones/${zone}/`)).status).toBe(200);
    expect(sandbox.zones()).toMatchObject([{ domain: 'example.com', records: [] }]);
    expect(sandbox.stats.faults.failBefore).toBe(3);
  });

  it('failAfter: 502, yet the write happened (the ambiguous case)', async () => {
    const { sandbox, api } = await sandboxWith({ failAfter: 1 });
    const zoneReply = await api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } });
    expect(zoneReply.status).toBe(502);
    const [zone] = sandbox.zones();
    expect(zone?.domain).toBe('example.com');

    const recordReply = await api('POST', `/api/v1/dns-zones/${zone?.uuid}/records/`, {
      json: A_RECORD,
    });
    expect(recordReply.status).toBe(502);
    const record = sandbox.zone('example.com')?.records[0];
    expect(record).toMatchObject(A_RECORD);

    expect(
      (await api('PATCH', `/api/v1/dns-records/${record?.uuid}/`, { json: { ttl: 60 } })).status,
    ).toBe(502);
    expect(sandbox.zone('example.com')?.records[0]?.ttl).toBe(60);
    expect((await api('DELETE', `/api/v1/dns-records/${record?.uuid}/`)).status).toBe(502);
    expect(sandbox.zone('example.com')?.records).toEqual([]);

    // A write that has no effect answers as usual.
    const invalid = await api('POST', `/api/v1/dns-zones/${zone?.uuid}/records/`, {
      json: { record_type: 'MX', name: '@', value: 'mx.example.com' },
    });
    expect(invalid.status).toBe(400);
    expect(sandbox.stats.faults.failAfter).toBe(4);
  });

  it('fractions: every 201 and every 502-after is a zone, every 502-before is not', async () => {
    const { sandbox, api } = await sandboxWith({ failBefore: 0.25, failAfter: 0.25, seed: 7 });
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const reply = await api('POST', '/api/v1/dns-zones/', { json: { domain: `z${i}.example` } });
      statuses.push(reply.status);
    }
    const { failBefore, failAfter } = sandbox.stats.faults;
    const created = statuses.filter((s) => s === 201).length;
    expect(statuses.filter((s) => s === 502).length).toBe(failBefore + failAfter);
    expect(failBefore).toBeGreaterThan(25);
    expect(failBefore).toBeLessThan(75);
    expect(failAfter).toBeGreaterThan(15);
    expect(failAfter).toBeLessThan(65);
    expect(sandbox.zones()).toHaveLength(created + failAfter);
  });

  it('the same seed fails the same requests', async () => {
    const run = async () => {
      const { sandbox, api } = await sandboxWith({ failBefore: 0.3, failAfter: 0.3, seed: 99 });
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) {
        statuses.push(
          (await api('POST', '/api/v1/dns-zones/', { json: { domain: `z${i}.example` } })).status,
        );
      }
      await sandbox.close();
      return statuses;
    };
    const first = await run();
    expect(first).toContain(502);
    expect(first).toContain(201);
    expect(await run()).toEqual(first);
  });
});

describe('dropped connections', () => {
  it('destroys the connection without an answer and without effect', async () => {
    const { sandbox, api } = await sandboxWith({ dropConnections: 1 });
    await expect(api('GET', '/api/v1/dns-zones/')).rejects.toThrow(/closed|reset|socket/i);
    await expect(
      api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } }),
    ).rejects.toThrow();
    expect(sandbox.zones()).toEqual([]);
    expect(sandbox.stats).toMatchObject({ inFlight: 0, faults: { dropped: 2 } });
    sandbox.setFaults({ dropConnections: 0 });
    expect((await api('GET', '/api/v1/dns-zones/')).status).toBe(200);
  });
});

describe('knobs', () => {
  it('are set and read over HTTP at /_sandbox/faults', async () => {
    const { sandbox, api } = await sandboxWith();
    const control = clientFor(sandbox.url, sandbox.token);
    const set = await control('POST', '/_sandbox/faults', {
      json: { failBefore: 1, pageSize: 3, latencyMs: 1 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      latencyMs: 1,
      rateLimit: null,
      rateBurst: null,
      failBefore: 1,
      failAfter: 0,
      dropConnections: 0,
      pageSize: 3,
    });
    expect((await control('GET', '/_sandbox/faults')).body).toEqual(set.body);
    expect(
      (await api('POST', '/api/v1/dns-zones/', { json: { domain: 'a.example' } })).status,
    ).toBe(502);
    expect((await api('GET', '/api/v1/dns-zones/')).body).toMatchObject({ count: 0, results: [] });

    const bad = await control('POST', '/_sandbox/faults', { json: { failAfter: 2 } });
    expect(bad.status).toBe(400);
    expect((await control('POST', '/_sandbox/faults', { json: { rateBurst: 0.5 } })).status).toBe(
      400,
    );
    const unknown = await control('POST', '/_sandbox/faults', { json: { fail: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('fail');
  });

  it('reject out-of-range values in process too', async () => {
    const { sandbox } = await sandboxWith();
    expect(() => sandbox.setFaults({ failBefore: 1.5 })).toThrow(/failBefore/);
    expect(() => sandbox.setFaults({ latencyMs: -1 })).toThrow(/latencyMs/);
    expect(() => sandbox.setFaults({ rateLimit: 0 })).toThrow(/rateLimit/);
    expect(() => sandbox.setFaults({ rateBurst: 0 })).toThrow(/rateBurst/);
    expect(() => sandbox.setPageSize(0)).toThrow(/pageSize/);
    await expect(startSandbox({ dropConnections: 2 })).rejects.toThrow(/dropConnections/);
    await expect(
      startSandbox({ tokens: [{ token: 'abc', permissions: [], owner: 'x' }] }),
    ).rejects.toThrow(/vps_/);
  });
});
