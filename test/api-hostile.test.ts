/**
 * The client against small hostile servers written here, each on a random loopback
 * port: an answer too large to hold, a server that never answers, next-page links that
 * lead away from VPS_API_URL, and a strict rate limit (5 requests/s, bursts of 1).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import type { RetryEvent } from '../src/api/client.js';
import { ResponseShapeError, TimeoutError } from '../src/api/errors.js';
import type { ApiRecordInput } from '../src/api/types.js';
import { client, onCleanup } from './api-helpers.js';

const MiB = 1024 * 1024;

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server: Server = createServer(handler);
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

describe('answer size', () => {
  test('a streamed answer past 64 MiB fails naming the request, read no further, not retried', async () => {
    let requests = 0;
    let written = 0;
    let finished = false;
    const url = await listen(async (_req, res) => {
      requests++;
      // 100 MiB of valid JSON (a list of strings), sent as it is made, without a length.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.from(`${'"x",'.repeat(MiB / 4 - 1)}"x",`);
      res.write('[');
      for (let i = 0; i < 100 && !res.destroyed; i++) {
        written += chunk.length;
        if (!res.write(chunk)) {
          await new Promise((resolve) => {
            res.once('drain', resolve);
            res.once('close', resolve);
          });
        }
      }
      if (!res.destroyed) {
        res.end('"x"]');
        finished = true;
      }
    });
    const api = client({ url, token: 'vps_size' });
    const error = (await api.listZones().catch((e: unknown) => e)) as ResponseShapeError;
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect(error.message).toBe(
      'GET /api/v1/dns-zones/: 200 unexpected response from VPS.org API: the answer is larger than 64 MiB, the most dnssync reads',
    );
    expect(requests).toBe(1);
    // The client stopped reading at the cap: the server could not send the rest.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(finished).toBe(false);
    expect(written).toBeLessThan(90 * MiB);
  });

  test('an answer declaring more than the cap is refused before its body is read', async () => {
    let requests = 0;
    const url = await listen((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 600_000_000 });
      res.write('[');
    });
    const api = client({ url, token: 'vps_size' }, { maxResponseBytes: 1024 });
    const error = (await api.getZone('z').catch((e: unknown) => e)) as ResponseShapeError;
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect(error.message).toMatch(
      /^GET \/api\/v1\/dns-zones\/z\/: 200 unexpected response from VPS\.org API: the answer is larger than 0\.0009765625 MiB/,
    );
    expect(requests).toBe(1);
  });
});

describe('a server that never answers', () => {
  test('fails as a timeout after one attempt: the timeout bounds the retries too', async () => {
    const arrived: number[] = [];
    const url = await listen((req) => {
      arrived.push(performance.now());
      req.resume(); // reads the request, never answers
    });
    const retries: RetryEvent[] = [];
    const api = client(
      { url, token: 'vps_hung' },
      { timeoutMs: 300, onRetry: (event) => retries.push(event) },
    );
    const started = performance.now();
    const error = (await api.listZones().catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(
      `cannot reach VPS.org API at ${url}: no answer within 300 ms (GET /api/v1/dns-zones/)`,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(arrived).toHaveLength(1);
    expect(retries).toEqual([]);
  });
});

describe('next-page links', () => {
  /** A list endpoint under /vps whose first page links to `next`; records every request. */
  async function pagedServer(next: (origin: string) => string) {
    const seen: { path: string; authorization: string | undefined }[] = [];
    const url = await listen((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' });
      const results = [{ uuid: 'a', domain: 'a.com', created_at: 'x', record_count: 0 }];
      const page = req.url === '/vps/api/v1/dns-zones/' ? next(`http://${req.headers.host}`) : null;
      res.end(JSON.stringify({ count: 2, next: page, previous: null, results }));
    });
    return { url, seen };
  }

  test.each([
    [
      'another path on the same origin',
      (origin: string) => `${origin}/other/api/v1/dns-zones/?page=2`,
    ],
    ['a way out of the prefix with ..', (origin: string) => `${origin}/vps/../other/?page=2`],
    ['an encoded way out', (origin: string) => `${origin}/vps/%2e%2e/other/?page=2`],
    ['a relative link above the prefix', () => '/vpsother/api/v1/dns-zones/?page=2'],
  ])('%s is not followed, and gets no request with the token', async (_what, next) => {
    const server = await pagedServer(next);
    const api = client({ url: `${server.url}/vps`, token: 'vps_paged_secret' });
    const error = (await api.listZones().catch((e: unknown) => e)) as ResponseShapeError;
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect(error.message).toContain(`the next page link leads outside ${server.url}/vps (to `);
    expect(error.message).toMatch(/other\/[^)]*\); not followed$/);
    expect(server.seen.map((request) => request.path)).toEqual(['/vps/api/v1/dns-zones/']);
  });

  test('another origin gets no request at all', async () => {
    const foreign: string[] = [];
    const elsewhere = await listen((req, res) => {
      foreign.push(`${req.url} ${req.headers.authorization}`);
      res.end('[]');
    });
    const server = await pagedServer(() => `${elsewhere}/vps/api/v1/dns-zones/?page=2`);
    const api = client({ url: `${server.url}/vps`, token: 'vps_paged_secret' });
    const error = await api.listZones().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect(foreign).toEqual([]);
  });

  test('a link under the prefix is followed', async () => {
    const server = await pagedServer((origin) => `${origin}/vps/api/v1/dns-zones/?page=2`);
    const api = client({ url: `${server.url}/vps/`, token: 'vps_paged_secret' });
    expect(await api.listZones()).toHaveLength(2);
    expect(server.seen.map((request) => request.authorization)).toEqual([
      'Bearer vps_paged_secret',
      'Bearer vps_paged_secret',
    ]);
  });
});

describe('a strict rate limit: 5 requests/s, bursts of 1', () => {
  test('60 creates all succeed, paced: after the first 429 no two requests leave together', async () => {
    let throttled = 0;
    // A token bucket of one token, refilled at 5 per second, as a strict limiter keeps it.
    let tokens = 1;
    let filledAt = performance.now();
    let created = 0;
    const url = await listen((req, res) => {
      const now = performance.now();
      req.resume();
      tokens = Math.min(1, tokens + (now - filledAt) / 200);
      filledAt = now;
      res.setHeader('content-type', 'application/json');
      if (tokens < 1) {
        throttled++;
        res.writeHead(429, { 'retry-after': '1' });
        res.end('{"detail":"Request was throttled.","error_code":"throttled","field":null}');
        return;
      }
      tokens -= 1;
      created++;
      res.writeHead(201);
      res.end(
        JSON.stringify({
          uuid: `r${created}`,
          record_type: 'A',
          name: `h${created}`,
          value: '192.0.2.1',
          ttl: 3600,
          priority: null,
          created_at: 'x',
        }),
      );
    });
    // Request starts as the client sees them, and when it first heard of a 429.
    const starts: number[] = [];
    let firstRefusal = Number.POSITIVE_INFINITY;
    // The client's own policy (no fast test retries): what a user gets.
    const api = client(
      { url, token: 'vps_paced' },
      {
        retry: { ...realRetries },
        onResponse: (event) => {
          starts.push(performance.now() - event.durationMs);
          if (event.status === 429) firstRefusal = Math.min(firstRefusal, performance.now());
        },
      },
    );
    const input: ApiRecordInput = { record_type: 'A', name: 'h', value: '192.0.2.1' };
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, () => api.createRecord('z', input)),
    );
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(created).toBe(60);
    expect(throttled).toBeGreaterThan(0);
    // The herd this replaces: every queued request released at the same instant.
    const after = starts.filter((at) => at > firstRefusal).sort((a, b) => a - b);
    const gaps = after.slice(1).map((at, i) => at - (after[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThan(100);
    // Refusals are few: the pace is found, not hammered out.
    expect(throttled).toBeLessThan(20);
  }, 90_000);
});

/** The default retry policy, undoing the test helpers' fast one. */
const realRetries = {
  baseDelayMs: 250,
  maxDelayMs: 8000,
  maxAttempts: 5,
  retryAfterJitterMs: 500,
  minRateLimitDelayMs: 1000,
};
