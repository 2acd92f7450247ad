/**
 * The VPS.org DNS API client: the endpoints dnssync uses over undici, pagination, one
 * limit on requests in flight, pacing under a rate limit (pace.ts), retries (retry.ts)
 * and errors that name the request (errors.ts).
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import { UserError } from '../errors.js';
import { quoted } from '../text/terminal.js';
import { parseBaseUrl } from './config.js';
import { findSameRecord, isUsableUuid, zoneDomain } from './convert.js';
import { ApiError, RateLimitError, ResponseShapeError } from './errors.js';
import { Pacer, type PaceTicket, PaceWaitExceeded } from './pace.js';
import {
  type AttemptOutcome,
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  outcomeUnknown,
  parseRetryAfter,
  type RetryPolicy,
  type RetryReason,
  rateLimitDelay,
  retryReason,
  sleep,
} from './retry.js';
import { isPage, isRecord, isZoneDetail, isZoneDetailOrSummary, isZoneSummary } from './shape.js';
import { type HttpMethod, Transport } from './transport.js';
import type {
  ApiPage,
  ApiRecord,
  ApiRecordInput,
  ApiZoneDetail,
  ApiZoneSummary,
  CallOptions,
  DnsApi,
} from './types.js';

interface RequestEvent {
  method: string;
  /** Path and query, never the token. */
  path: string;
  /** 1 for the first attempt. */
  attempt: number;
}

interface ResponseEvent extends RequestEvent {
  /** Null when no response arrived. */
  status: number | null;
  /** The error code when no response arrived (ECONNRESET, DNSSYNC_REQUEST_TIMEOUT, ...). */
  code: string | null;
  durationMs: number;
}

export interface RetryEvent extends RequestEvent {
  reason: RetryReason;
  status: number | null;
  code: string | null;
  /** Wait before the next attempt. */
  delayMs: number;
  /** True when a create's outcome is unknown and the zone is re-read before deciding. */
  recheck: boolean;
}

export interface VpsClientOptions {
  /** e.g. https://admin.vps.org; plain http only for loopback hosts. */
  baseUrl: string | URL;
  /** A `vps_` token. Checked here, before any request. */
  token: string;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /**
   * Time limit of one request: every attempt, from sending it to the end of its answer
   * (a 429 too), and the backoff between attempts. Waiting for a free slot or for a rate
   * limit does not count (that has its own bound, `retry.maxRateLimitWaitMs`). Default 30 s.
   */
  timeoutMs?: number;
  /** Largest answer read; a larger one is an error. Default 64 MiB. */
  maxResponseBytes?: number;
  retry?: Partial<RetryPolicy>;
  /** When an attempt is sent (after any wait for a slot or the pacer): progress displays. */
  onSend?: (event: RequestEvent) => void;
  /** After every attempt (debug lines, tests). */
  onResponse?: (event: ResponseEvent) => void;
  onRetry?: (event: RetryEvent) => void;
  userAgent?: string;
}

interface SendOptions extends CallOptions {
  body?: unknown;
  /**
   * For a POST: after an attempt whose outcome is unknown, finds what it would have
   * created. A non-null answer is the result; null means it is safe to send again.
   */
  recheck?: () => Promise<unknown>;
  /** For a DELETE: a 404 after an attempt whose outcome was unknown means it is done. */
  goneIsDone?: boolean;
}

const DEFAULT_CONCURRENCY = 8;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Answers at least this long are parsed after yielding to I/O (see `send`). */
const LARGE_ANSWER_CHARS = 4096;

/**
 * Resolves in the event loop's check phase after next. undici writes a request on a
 * kept-alive connection from a setImmediate callback; every answer that arrives in one
 * poll phase releases a connection and so queues such a write. Waiting two check phases
 * lets all of those writes go out before this thread spends time on a parse.
 */
async function afterPendingWrites(): Promise<void> {
  await yieldToIo();
  await yieldToIo();
}

/** A paginated list longer than this many pages is taken for a server bug. */
const MAX_PAGES = 10_000;

export class VpsClient implements DnsApi {
  readonly concurrency: number;
  private readonly transport: Transport;
  private readonly policy: RetryPolicy;
  private readonly hooks: Pick<VpsClientOptions, 'onSend' | 'onResponse' | 'onRetry'>;
  /** The one limit on attempts in flight, whoever calls. */
  private readonly limit: LimitFunction;
  private readonly pacer: Pacer;

  constructor(options: VpsClientOptions) {
    if (!options.token.startsWith('vps_')) {
      throw new UserError('the API token must start with vps_ (check VPS_API_TOKEN)');
    }
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new UserError(`concurrency must be a whole number of at least 1 (got ${concurrency})`);
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw new UserError(`the timeout must be above 0 (got ${timeoutMs})`);
    this.concurrency = concurrency;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    // Only the hooks: the options hold the token, which inspecting the client must not show.
    this.hooks = {
      ...(options.onSend ? { onSend: options.onSend } : {}),
      ...(options.onResponse ? { onResponse: options.onResponse } : {}),
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    };
    this.limit = pLimit(concurrency);
    this.pacer = new Pacer(this.policy.random);
    this.transport = new Transport({
      baseUrl: parseBaseUrl(String(options.baseUrl)),
      token: options.token,
      connections: concurrency,
      timeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      userAgent: options.userAgent ?? 'dnssync',
    });
  }

  /** Closes the connections; requests still running fail. */
  close(): Promise<void> {
    return this.transport.close();
  }

  async listZones(
    filter: { domain?: string } = {},
    options: CallOptions = {},
  ): Promise<ApiZoneSummary[]> {
    const url = this.transport.url('/api/v1/dns-zones/', { domain: filter.domain });
    return this.listAll(url, isZoneSummary, 'zone', options);
  }

  async getZone(zoneUuid: string, options: CallOptions = {}): Promise<ApiZoneDetail> {
    const url = this.transport.url(`/api/v1/dns-zones/${segment(zoneUuid)}/`);
    return this.call('GET', url, isZoneDetail, 'zone with records', options);
  }

  async createZone(domain: string, options: CallOptions = {}): Promise<ApiZoneDetail> {
    const url = this.transport.url('/api/v1/dns-zones/');
    const recheck = async () => {
      const wanted = zoneDomain(domain);
      const found = (await this.listZones({ domain: wanted })).find(
        (zone) => zoneDomain(zone.domain) === wanted,
      );
      return found === undefined ? null : this.getZone(found.uuid);
    };
    const zone = await this.call('POST', url, isZoneDetailOrSummary, 'zone', {
      ...options,
      body: { domain },
      recheck,
    });
    // The seed answers a new zone's detail; a bare summary means it has no records yet.
    return { ...zone, records: zone.records ?? [] };
  }

  /**
   * Creates a record. When the outcome of an attempt is unknown (5xx, lost connection,
   * timeout), the zone is re-read: a record with the same identity (canonical name,
   * type, value) is taken as the result; only when there is none is the POST sent again.
   */
  async createRecord(
    zoneUuid: string,
    input: ApiRecordInput,
    options: CallOptions = {},
  ): Promise<ApiRecord> {
    const url = this.transport.url(`/api/v1/dns-zones/${segment(zoneUuid)}/records/`);
    const recheck = async () => findSameRecord(await this.getZone(zoneUuid), input);
    return this.call('POST', url, isRecord, 'record', { ...options, body: input, recheck });
  }

  async updateRecord(
    recordUuid: string,
    patch: Partial<ApiRecordInput>,
    options: CallOptions = {},
  ): Promise<ApiRecord> {
    return this.call('PATCH', this.recordUrl(recordUuid), isRecord, 'record', {
      ...options,
      body: patch,
    });
  }

  /**
   * Deletes a record; resolves once it is gone. A 404 on the first attempt is an error
   * (wrong uuid); a 404 after an attempt whose outcome was unknown means that attempt
   * deleted it, and counts as done.
   */
  async deleteRecord(recordUuid: string, options: CallOptions = {}): Promise<void> {
    await this.send('DELETE', this.recordUrl(recordUuid), { ...options, goneIsDone: true });
  }

  private recordUrl(recordUuid: string): URL {
    return this.transport.url(`/api/v1/dns-records/${segment(recordUuid)}/`);
  }

  /**
   * Every item of a list endpoint: a bare array, or a paginated object whose `next`
   * links are followed while they stay under the base URL and never repeat.
   */
  private async listAll<T>(
    first: URL,
    check: (item: unknown) => item is T,
    what: string,
    options: CallOptions,
  ): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let url: URL | null = first;
    while (url !== null) {
      if (seen.has(url.href) || seen.size >= MAX_PAGES) {
        throw this.shapeError(
          'GET',
          url,
          200,
          `pagination does not end (page ${this.transport.describe(url)} again)`,
        );
      }
      seen.add(url.href);
      // Once the first page is read, the rest belong to a request already under way: only
      // a cancel still reaches them.
      const pageOptions =
        seen.size === 1 ? options : options.cancel ? { cancel: options.cancel } : {};
      const { status, data } = await this.send('GET', url, pageOptions);
      const page: unknown[] | ApiPage<unknown> | null = Array.isArray(data)
        ? data
        : isPage(data)
          ? data
          : null;
      if (page === null) throw this.shapeError('GET', url, status, `expected a list of ${what}s`);
      const results = Array.isArray(page) ? page : page.results;
      for (const item of results) {
        if (!check(item)) throw this.shapeError('GET', url, status, `expected a list of ${what}s`);
        items.push(item);
      }
      url = Array.isArray(page) || !page.next ? null : this.nextPage(url, page.next);
    }
    return items;
  }

  /** The next page, checked before any request (and so before the token) goes to it. */
  private nextPage(current: URL, next: string): URL {
    let url: URL;
    try {
      url = new URL(next, current);
    } catch {
      throw this.shapeError('GET', current, 200, 'the next page link is not a URL');
    }
    if (!this.transport.isUnderBase(url)) {
      const base = this.transport.baseUrl;
      throw this.shapeError(
        'GET',
        current,
        200,
        `the next page link leads outside ${this.transport.redact(`${base.origin}${base.pathname}`)} (to ${this.transport.redact(`${url.origin}${url.pathname}`)}); not followed`,
      );
    }
    if (!this.transport.hasPlainPath(url)) {
      throw this.shapeError(
        'GET',
        current,
        200,
        `the next page link ${this.transport.redact(url.pathname)} holds an encoded "/", "\\", "%" or dot segment, which a server could read as a path outside ${this.transport.redact(this.transport.baseUrl.pathname)}; not followed`,
      );
    }
    return url;
  }

  /**
   * Sends one request with the retry policy of retry.ts and returns the parsed JSON of
   * a 2xx answer (undefined for 204), or throws an ApiError.
   */
  private async send(
    method: HttpMethod,
    url: URL,
    options: SendOptions = {},
  ): Promise<{ status: number; data: unknown }> {
    // Only the hooks (debug logging, tests) need the path: worked out on first use.
    let described: string | undefined;
    const pathOf = () => {
      described ??= this.transport.describe(url);
      return described;
    };
    // Serialised once, before any attempt: a body JSON cannot hold (a BigInt) fails here.
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    // What is left of the request's time limit: every attempt until its answer (a slow
    // 429 as much as a slow 200) and the backoff between attempts use it up. Waiting for
    // a connection slot does not; waiting out a rate limit (the pacer, a Retry-After) uses
    // up a budget of its own instead, so a request held back by 429s still ends.
    let timeLeft = this.transport.timeoutMs;
    let rateWaitLeft = this.policy.maxRateLimitWaitMs;
    let failures = 0;
    let rateLimited = 0;
    let unknownBefore = false;
    for (let attempt = 1; ; attempt++) {
      // The signal only keeps a request from starting: once sent, it runs to its end.
      // A cancel ends it wherever it is.
      const signal = either(attempt === 1 ? options.signal : undefined, options.cancel);
      const { cancel } = options;
      const sent =
        this.hooks.onSend && (() => this.hooks.onSend?.({ method, path: pathOf(), attempt }));
      const { outcome, durationMs, pacedMs } = await this.limit(() =>
        this.attempt(method, url, payload, { timeLeft, rateWaitLeft, signal, cancel }, sent),
      );
      cancel?.throwIfAborted();
      timeLeft -= durationMs;
      rateWaitLeft -= pacedMs;
      this.hooks.onResponse?.({
        method,
        path: pathOf(),
        attempt,
        status: outcome.kind === 'failure' ? null : outcome.status,
        code: outcome.kind === 'failure' ? outcome.code : null,
        durationMs,
      });
      if (outcome.kind === 'too-large') {
        throw this.shapeError(
          method,
          url,
          outcome.status,
          `the answer is larger than ${this.transport.maxResponseBytes / 1024 / 1024} MiB, the most dnssync reads`,
        );
      }
      if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
        // A large answer (a zone's records) is parsed once the requests waiting behind
        // this one are on their way: parsing first would hold their connections idle.
        if (outcome.text.length >= LARGE_ANSWER_CHARS) await afterPendingWrites();
        return { status: outcome.status, data: this.parse(method, url, outcome) };
      }
      if (
        outcome.kind === 'response' &&
        outcome.status === 404 &&
        options.goneIsDone &&
        unknownBefore
      ) {
        return { status: 204, data: undefined };
      }
      const reason = retryReason(outcome);
      const unknown = outcomeUnknown(outcome);
      const recheck = method === 'POST' && unknown;
      let delayMs = 0;
      if (reason === 'rate-limited') {
        const retryAfter = outcome.kind === 'response' ? outcome.headers['retry-after'] : undefined;
        delayMs = rateLimitDelay(this.policy, retryAfter, rateLimited);
      } else if (reason !== null) {
        delayMs = backoffDelay(this.policy, failures);
      }
      const allowed =
        reason !== null &&
        (reason === 'rate-limited'
          ? rateLimited < this.policy.maxRateLimitRetries && timeLeft > 0 && delayMs <= rateWaitLeft
          : failures + 1 < this.policy.maxAttempts && timeLeft - delayMs > 0) &&
        (!recheck || options.recheck !== undefined) &&
        !options.stopRetries?.aborted;
      if (!allowed) {
        // Out of retries or time (or a 500) with a create's outcome unknown: one last
        // look, so a create that did take effect is reported as the success it was.
        if (recheck && options.recheck !== undefined) {
          const existing = await this.recheck(method, url, outcome, options.recheck);
          if (existing !== null) return { status: 201, data: existing };
        }
        throw this.transport.errorFor(method, url, outcome, attempt);
      }
      if (reason === 'rate-limited') {
        rateLimited++;
        rateWaitLeft -= delayMs;
      } else {
        failures++;
        timeLeft -= delayMs;
      }
      this.hooks.onRetry?.({
        method,
        path: pathOf(),
        attempt,
        reason,
        status: outcome.kind === 'response' ? outcome.status : null,
        code: outcome.kind === 'failure' ? outcome.code : null,
        delayMs,
        recheck,
      });
      await sleep(delayMs, either(options.stopRetries, cancel));
      cancel?.throwIfAborted();
      if (options.stopRetries?.aborted)
        throw this.transport.errorFor(method, url, outcome, attempt);
      if (recheck && options.recheck !== undefined) {
        const checking = performance.now();
        const existing = await this.recheck(method, url, outcome, options.recheck);
        if (existing !== null) return { status: 201, data: existing };
        timeLeft -= performance.now() - checking;
        if (timeLeft <= 0) throw this.transport.errorFor(method, url, outcome, attempt);
      }
      if (unknown) unknownBefore = true;
    }
  }

  /**
   * One attempt, run under the client's limit: waits for its turn with the pacer (at most
   * `rateWaitLeft`), sends, and tells the pacer how the server took it before the slot
   * goes to the next attempt. `pacedMs` is the wait for the pacer, `durationMs` the rest.
   */
  private async attempt(
    method: HttpMethod,
    url: URL,
    payload: string | undefined,
    limits: {
      timeLeft: number;
      rateWaitLeft: number;
      /** Keeps the attempt from starting. */
      signal: AbortSignal | undefined;
      /** Ends the attempt even once sent. */
      cancel: AbortSignal | undefined;
    },
    sent: (() => void) | undefined,
  ): Promise<{ outcome: AttemptOutcome; durationMs: number; pacedMs: number }> {
    const queued = performance.now();
    let ticket: PaceTicket;
    try {
      ticket = await this.pacer.turn(limits.signal, Math.max(0, limits.rateWaitLeft));
    } catch (error) {
      if (!(error instanceof PaceWaitExceeded)) throw error;
      throw new RateLimitError({
        method,
        path: this.transport.describe(url),
        waitedMs: this.policy.maxRateLimitWaitMs,
      });
    }
    sent?.();
    const outcome = await this.transport.attempt(
      method,
      url,
      payload,
      limits.timeLeft,
      limits.cancel,
    );
    if (outcome.kind === 'response' && outcome.status === 429) {
      const asked = parseRetryAfter(outcome.headers['retry-after']);
      this.pacer.throttled(
        ticket,
        asked === null ? null : Math.min(asked, this.policy.maxRetryAfterMs),
      );
    } else if (outcome.kind !== 'failure') {
      this.pacer.succeeded();
    }
    return { outcome, durationMs: performance.now() - ticket.at, pacedMs: ticket.at - queued };
  }

  /** Runs a create's recheck; its failure is reported as the create's failure. */
  private async recheck(
    method: HttpMethod,
    url: URL,
    outcome: Exclude<AttemptOutcome, { kind: 'too-large' }>,
    find: () => Promise<unknown>,
  ) {
    try {
      return await find();
    } catch (error) {
      const first = this.transport.errorFor(method, url, outcome, 1);
      const why = error instanceof Error ? error.message : String(error);
      throw new ApiError(
        `${first.message}; whether it took effect is unknown, and re-reading to check failed: ${why}`,
        { method, path: first.path, status: first.status },
        { cause: error },
      );
    }
  }

  private parse(
    method: HttpMethod,
    url: URL,
    outcome: AttemptOutcome & { kind: 'response' },
  ): unknown {
    if (outcome.status === 204 || outcome.text.trim() === '') return undefined;
    try {
      return JSON.parse(outcome.text);
    } catch {
      throw this.shapeError(method, url, outcome.status, 'the body is not JSON');
    }
  }

  /** `send`, then checks that the answer is the documented object. */
  private call<T>(
    method: HttpMethod,
    url: URL,
    check: (value: unknown) => value is T,
    what: string,
    options: SendOptions = {},
  ): Promise<T> {
    return this.send(method, url, options).then(({ status, data }) => {
      if (check(data)) return data;
      throw this.shapeError(method, url, status, `expected a ${what}`);
    });
  }

  private shapeError(
    method: HttpMethod,
    url: URL,
    status: number,
    problem: string,
  ): ResponseShapeError {
    return new ResponseShapeError({ method, path: this.transport.describe(url), status, problem });
  }
}

/** A signal that aborts when either does; undefined when neither is given. */
function either(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  return a === undefined ? b : b === undefined ? a : AbortSignal.any([a, b]);
}

/**
 * A uuid as one path segment, so nothing in it can change the path. The live reader
 * refuses an unusable uuid when it reads it; this is the last line, for any caller.
 */
function segment(value: string): string {
  if (!isUsableUuid(value)) throw new UserError(`not a valid identifier: ${quoted(value)}`);
  return encodeURIComponent(value);
}
