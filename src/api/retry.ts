/**
 * When the client tries a request again, and how long it waits first (docs/design.md,
 * "Retries").
 *
 * The policy is deliberately conservative:
 * - 429 Too Many Requests: wait as `Retry-After` says (delta-seconds or an HTTP date),
 *   capped at 30 s, plus up to 0.5 s of jitter; without the header, the exponential
 *   backoff below (at least 1 s). While a `Retry-After` runs the whole client holds new
 *   requests back, and afterwards paces them (pace.ts). At most 10 such retries per
 *   request, and at most 5 minutes of waiting out rate limits in all (these waits and
 *   the pacer's). That waiting does not count against the request's time limit; the
 *   time each 429 took to arrive does, as any answer's.
 * - 502, 503, 504 and lost connections (ECONNRESET, ECONNREFUSED, EPIPE, socket
 *   closed, ...): exponential backoff with full jitter, a random wait in
 *   [0, min(8 s, 250 ms * 2^n)) before retry n+1; at most 5 attempts in all, and only
 *   while the request's time limit (the client's timeout, covering all its attempts and
 *   the waits between them) has time left. A timeout has used that time up: it is final.
 * - Every other status (400, 401, 403, 404, 409, 500, ...) is final: no retry, and so is
 *   an answer larger than the client reads.
 * - GET, PUT, PATCH and DELETE are idempotent and are simply sent again. A POST whose
 *   outcome is unknown (a 5xx, or the connection lost or timed out after the request may
 *   have reached the server) is never sent again blindly: the client re-reads the zone
 *   and sends it again only when the object is not there (see client.ts). A POST that
 *   surely did not reach the server (429, connection refused, a timeout before it was
 *   written) is simply sent again.
 * - A DELETE that answers 404 after an earlier attempt's outcome was unknown counts as
 *   done: the earlier attempt deleted it.
 */

export interface RetryPolicy {
  /** Attempts in all for 5xx, network errors and timeouts (the first one included). */
  maxAttempts: number;
  /** Retries after 429, counted separately: waiting out a rate limit is normal operation. */
  maxRateLimitRetries: number;
  /**
   * The longest one request waits out rate limits in all: its `Retry-After` waits and
   * its waits for the pacer. A wait that would pass it ends the request with an error.
   */
  maxRateLimitWaitMs: number;
  /** Backoff: retry n (from 0) waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^n)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound on a `Retry-After` wait. */
  maxRetryAfterMs: number;
  /** Extra random wait added to a `Retry-After` wait. */
  retryAfterJitterMs: number;
  /** Lower bound of the wait after a 429 without `Retry-After`. */
  minRateLimitDelayMs: number;
  /** Source of randomness in [0, 1); replaceable for tests. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxRateLimitRetries: 10,
  maxRateLimitWaitMs: 300_000,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  maxRetryAfterMs: 30_000,
  retryAfterJitterMs: 500,
  minRateLimitDelayMs: 1000,
  random: Math.random,
};

/** The code of the client's own per-request deadline (transport.ts). */
export const REQUEST_TIMEOUT_CODE = 'DNSSYNC_REQUEST_TIMEOUT';
/** The same deadline, passed while still connecting: the request was never sent. */
export const CONNECT_TIMEOUT_CODE = 'DNSSYNC_CONNECT_TIMEOUT';

const RETRYABLE_STATUSES: readonly number[] = [502, 503, 504];

/** Error codes of a connection that failed or was lost; the request may be repeated. */
const RETRYABLE_NETWORK_CODES: readonly string[] = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  REQUEST_TIMEOUT_CODE,
  CONNECT_TIMEOUT_CODE,
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
];

/** Codes that mean the request never left this machine, so even a POST is safe to repeat. */
const NOT_SENT_CODES: readonly string[] = [
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT',
  CONNECT_TIMEOUT_CODE,
];

export const TIMEOUT_CODES: readonly string[] = [
  REQUEST_TIMEOUT_CODE,
  CONNECT_TIMEOUT_CODE,
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
];

/**
 * What one attempt produced: a response (any status), an answer larger than the client
 * reads (final, never retried), or a failure without a response.
 */
export type AttemptOutcome =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string | string[] | undefined>;
      text: string;
    }
  | { kind: 'too-large'; status: number }
  | { kind: 'failure'; error: unknown; code: string | null };

export type RetryReason = 'rate-limited' | 'server-error' | 'network' | 'timeout';

/** Why this outcome may be retried, or null when it is final. */
export function retryReason(outcome: AttemptOutcome): RetryReason | null {
  if (outcome.kind === 'too-large') return null;
  if (outcome.kind === 'response') {
    if (outcome.status === 429) return 'rate-limited';
    return RETRYABLE_STATUSES.includes(outcome.status) ? 'server-error' : null;
  }
  if (outcome.code === null) return null;
  if (TIMEOUT_CODES.includes(outcome.code)) return 'timeout';
  return RETRYABLE_NETWORK_CODES.includes(outcome.code) ? 'network' : null;
}

/**
 * True when the server may have acted on the request although the client cannot tell:
 * any 5xx, or a connection lost after the request could have been delivered.
 */
export function outcomeUnknown(outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'too-large') return false;
  if (outcome.kind === 'response') return outcome.status >= 500;
  return outcome.code === null || !NOT_SENT_CODES.includes(outcome.code);
}

/** Full-jitter exponential backoff before retry number `retryIndex` (0 for the first retry). */
export function backoffDelay(policy: RetryPolicy, retryIndex: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(policy.random() * ceiling);
}

/**
 * Milliseconds to wait according to a `Retry-After` header (delta-seconds or an
 * HTTP-date), or null when it is absent or unreadable. Never negative.
 */
export function parseRetryAfter(
  header: string | string[] | undefined,
  now = Date.now(),
): number | null {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (/^\d+\.\d+$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** How long to wait before retrying after a 429. */
export function rateLimitDelay(
  policy: RetryPolicy,
  retryAfter: string | string[] | undefined,
  retryIndex: number,
  now = Date.now(),
): number {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked === null) {
    return Math.max(policy.minRateLimitDelayMs, backoffDelay(policy, retryIndex));
  }
  return (
    Math.min(asked, policy.maxRetryAfterMs) +
    Math.floor(policy.random() * policy.retryAfterJitterMs)
  );
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
