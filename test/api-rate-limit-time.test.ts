/**
 * How a request's time is counted under a rate limit, against small servers written here
 * on random loopback ports. The time spent waiting for an answer counts against
 * `--timeout`, a 429's as much as any; the `Retry-After` wait and the pacer's do not, but
 * they have a bound of their own (`maxRateLimitWaitMs`), so a request never waits out
 * rate limits forever.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { ApiError, RateLimitError } from '../src/api/errors.js';
import { client, onCleanup } from './api-helpers.js';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
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

function tooManyRequests(res: ServerResponse, retryAfter: string): void {
  res.writeHead(429, { 'content-type': 'application/json', 'retry-after': retryAfter });
  res.end('{"detail":"slow down"}');
}

describe('the time limit counts the wait for every answer, a 429 too', () => {
  test('a server that answers 429 after most of the time limit gets no more than a couple of attempts', async () => {
    let requests = 0;
    const url = await listen((req, res) => {
      requests++;
      req.resume();
      // Most of the 1 s limit, then "too many requests, try again at once".
      setTimeout(() => tooManyRequests(res, '0'), 700);
    });
    const api = client(
      { url, token: 'vps_slow429' },
      { timeoutMs: 1000, retry: { retryAfterJitterMs: 0 } },
    );
    const error = await api.listZones().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    // Counting only other answers, this was 11 attempts (about 7.7 s) for a 1 s limit.
    expect(requests).toBeLessThanOrEqual(3);
  });
});

describe('waiting out rate limits has a bound of its own', () => {
  test('Retry-After waits stop once they would pass maxRateLimitWaitMs', async () => {
    let requests = 0;
    const url = await listen((req, res) => {
      requests++;
      req.resume();
      tooManyRequests(res, '0.2');
    });
    const api = client(
      { url, token: 'vps_always429' },
      { retry: { retryAfterJitterMs: 0, maxRateLimitWaitMs: 500 } },
    );
    const error = (await api.listZones().catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(429);
    // Two waits of 0.2 s fit in 0.5 s, a third does not; without the bound: 11 attempts.
    expect(requests).toBeGreaterThanOrEqual(2);
    expect(requests).toBeLessThanOrEqual(4);
  });

  test('a request held back by the pacer after another request’s 429 gives up, unsent', async () => {
    const paths: string[] = [];
    const url = await listen((req, res) => {
      paths.push(req.url ?? '');
      req.resume();
      tooManyRequests(res, '30');
    });
    const api = client(
      { url, token: 'vps_held' },
      { retry: { retryAfterJitterMs: 0, maxRateLimitWaitMs: 300 } },
    );
    // A 30 s Retry-After does not fit in 0.3 s: the first request gives up at once...
    const first = (await api.listZones().catch((e: unknown) => e)) as ApiError;
    expect(first.status).toBe(429);
    // ...and holds every request for 30 s; the next one waits 0.3 s for its turn, no more.
    const held = (await api.getZone('z1').catch((e: unknown) => e)) as RateLimitError;
    expect(held).toBeInstanceOf(RateLimitError);
    expect(held.message).toBe(
      "GET /api/v1/dns-zones/z1/: not sent: the API's rate limit held it back for 0.3 s, the longest dnssync waits for one request",
    );
    expect(paths).toEqual(['/api/v1/dns-zones/']);
  });
});
