/** The retry policy's pure parts: which outcomes retry, how long to wait. */
import { describe, expect, test } from 'vitest';
import {
  type AttemptOutcome,
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  outcomeUnknown,
  parseRetryAfter,
  rateLimitDelay,
  retryReason,
} from '../src/api/retry.js';

const response = (status: number, headers: Record<string, string> = {}): AttemptOutcome => ({
  kind: 'response',
  status,
  headers,
  text: '',
});
const failure = (code: string | null): AttemptOutcome => ({
  kind: 'failure',
  error: new Error('x'),
  code,
});

describe('retryReason and outcomeUnknown', () => {
  test('429 waits; 502, 503, 504 back off; other statuses are final', () => {
    expect(retryReason(response(429))).toBe('rate-limited');
    for (const status of [502, 503, 504])
      expect(retryReason(response(status))).toBe('server-error');
    for (const status of [400, 401, 403, 404, 405, 409, 413, 500, 501]) {
      expect(retryReason(response(status))).toBeNull();
    }
  });

  test('lost connections and timeouts retry; unknown failures do not', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET']) {
      expect(retryReason(failure(code))).toBe('network');
    }
    for (const code of [
      'UND_ERR_HEADERS_TIMEOUT',
      'UND_ERR_BODY_TIMEOUT',
      'DNSSYNC_REQUEST_TIMEOUT',
    ]) {
      expect(retryReason(failure(code))).toBe('timeout');
    }
    for (const code of ['ENOTFOUND', 'CERT_HAS_EXPIRED', null])
      expect(retryReason(failure(code))).toBeNull();
  });

  test('a 5xx or a connection lost after sending leaves the outcome unknown; a refusal does not', () => {
    expect(outcomeUnknown(response(502))).toBe(true);
    expect(outcomeUnknown(response(500))).toBe(true);
    expect(outcomeUnknown(response(429))).toBe(false);
    expect(outcomeUnknown(response(400))).toBe(false);
    expect(outcomeUnknown(failure('ECONNRESET'))).toBe(true);
    expect(outcomeUnknown(failure('DNSSYNC_REQUEST_TIMEOUT'))).toBe(true);
    expect(outcomeUnknown(failure('ECONNREFUSED'))).toBe(false);
    expect(outcomeUnknown(failure('UND_ERR_CONNECT_TIMEOUT'))).toBe(false);
  });
});

describe('waits', () => {
  test('Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-18T16:45:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(['2'], now)).toBe(2000);
    expect(parseRetryAfter('Sun, 18 Jan 2026 16:45:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Sun, 18 Jan 2026 16:44:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  test('a 429 waits as asked, capped at 30 s, plus a little jitter; without the header at least 1 s', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, random: () => 0.5 };
    expect(rateLimitDelay(policy, '2', 0)).toBe(2250);
    expect(rateLimitDelay(policy, '3600', 0)).toBe(30_250);
    expect(rateLimitDelay(policy, undefined, 0)).toBe(1000);
    expect(rateLimitDelay(policy, undefined, 6)).toBe(4000);
  });

  test('backoff is full jitter under an exponential ceiling of 250 ms * 2^n, at most 8 s', () => {
    const top = { ...DEFAULT_RETRY_POLICY, random: () => 0.999999 };
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(top, n))).toEqual([
      249, 499, 999, 1999, 3999, 7999, 7999,
    ]);
    const bottom = { ...DEFAULT_RETRY_POLICY, random: () => 0 };
    expect(backoffDelay(bottom, 3)).toBe(0);
  });

  test('the defaults are the documented ones', () => {
    expect(DEFAULT_RETRY_POLICY).toMatchObject({
      maxAttempts: 5,
      maxRateLimitRetries: 10,
      maxRateLimitWaitMs: 300_000,
      baseDelayMs: 250,
      maxDelayMs: 8000,
      maxRetryAfterMs: 30_000,
    });
  });
});
