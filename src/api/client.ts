/**
 * The VPS.org DNS API client (SPEC §5): every endpoint of the seed document over undici,
 * pagination, retries (retry.ts) and errors that name the request (errors.ts).
 */
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { UserError } from '../errors.js';
import { parseBaseUrl } from './config.js';
import { findSameRecord, zoneDomain } from './convert.js';
import { ApiError, ResponseShapeError } from './errors.js';
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
  DnsApi,
} from './types.js';

export interface RequestEvent {
  method: string;
  /** Path and query, never the token. */
  path: string;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface ResponseEvent extends RequestEvent {
  /** Null when no response arrived. */
  status: number | null;
  /** The error code when no response arrived (ECONNRESET, UND_ERR_HEADERS_TIMEOUT, ...). */
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
  /** Requests in flight at once (connections to the API). Default 8. */
  concurrency?: number;
  /** Per-request limit for the response headers and for each pause in the body. Default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onRequest?: (event: RequestEvent) => void;
  onResponse?: (event: ResponseEvent) => void;
  onRetry?: (event: RetryEvent) => void;
  userAgent?: string;
}

interface SendOptions {
  body?: unknown;
  /**
   * For a POST: after an attempt whose outcome is unknown, finds what it would have
   * created. A non-null answer is the result; null means it is safe to send again.
   */
  recheck?: () => Promise<unknown>;
  /** For a DELETE: a 404 after an attempt whose outcome was unknown means it is done. */
  goneIsDone?: boolean;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_TIMEOUT_MS = 30_000;
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
  private readonly hooks: Pick<VpsClientOptions, 'onRequest' | 'onResponse' | 'onRetry'>;
  /**
   * While a 429's Retry-After runs, attempts wait until this time (performance.now(), a
   * monotonic clock: setting the wall clock back does not stretch the wait).
   */
  private notBefore = 0;

  constructor(options: VpsClientOptions) {
    if (!options.token.startsWith('vps_')) {
      throw new UserError('the API token must start with vps_ (check VPS_API_TOKEN)');
    }
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new UserError(`concurrency must be a whole number of at least 1 (got ${concurrency})`);
    }
    this.concurrency = concurrency;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.hooks = {
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      ...(options.onResponse ? { onResponse: options.onResponse } : {}),
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    };
    this.transport = new Transport({
      baseUrl: parseBaseUrl(String(options.baseUrl)),
      token: options.token,
      connections: concurrency,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      userAgent: options.userAgent ?? 'dnssync',
    });
  }

  get baseUrl(): URL {
    return new URL(this.transport.baseUrl.href);
  }

  /** Closes the connections; requests still running fail. */
  close(): Promise<void> {
    return this.transport.close();
  }

  // Zones

  async listZones(filter: { domain?: string } = {}): Promise<ApiZoneSummary[]> {
    const url = this.transport.url('/api/v1/dns-zones/', { domain: filter.domain });
    return this.listAll(url, isZoneSummary, 'zone');
  }

  async getZone(zoneUuid: string): Promise<ApiZoneDetail> {
    const url = this.transport.url(`/api/v1/dns-zones/${segment(zoneUuid)}/`);
    return this.call('GET', url, isZoneDetail, 'zone with records');
  }

  async createZone(domain: string): Promise<ApiZoneDetail> {
    const url = this.transport.url('/api/v1/dns-zones/');
    const recheck = async () => {
      const wanted = zoneDomain(domain);
      const found = (await this.listZones({ domain: wanted })).find(
        (zone) => zoneDomain(zone.domain) === wanted,
      );
      return found === undefined ? null : this.getZone(found.uuid);
    };
    const zone = await this.call('POST', url, isZoneDetailOrSummary, 'zone', {
      body: { domain },
      recheck,
    });
    // The seed answers a new zone's detail; a bare summary means it has no records yet.
    return { ...zone, records: zone.records ?? [] };
  }

  async deleteZone(zoneUuid: string): Promise<void> {
    const url = this.transport.url(`/api/v1/dns-zones/${segment(zoneUuid)}/`);
    await this.send('DELETE', url, { goneIsDone: true });
  }

  // Records

  async listRecords(zoneUuid: string): Promise<ApiRecord[]> {
    const url = this.transport.url(`/api/v1/dns-zones/${segment(zoneUuid)}/records/`);
    return this.listAll(url, isRecord, 'record');
  }

  /**
   * Creates a record. When the outcome of an attempt is unknown (5xx, lost connection,
   * timeout), the zone is re-read: a record with the same identity (canonical name,
   * type, value) is taken as the result; only when there is none is the POST sent again.
   */
  async createRecord(zoneUuid: string, input: ApiRecordInput): Promise<ApiRecord> {
    const url = this.transport.url(`/api/v1/dns-zones/${segment(zoneUuid)}/records/`);
    const recheck = async () => findSameRecord(await this.getZone(zoneUuid), input);
    return this.call('POST', url, isRecord, 'record', { body: input, recheck });
  }

  async getRecord(recordUuid: string): Promise<ApiRecord> {
    return this.call('GET', this.recordUrl(recordUuid), isRecord, 'record');
  }

  async replaceRecord(recordUuid: string, input: ApiRecordInput): Promise<ApiRecord> {
    return this.call('PUT', this.recordUrl(recordUuid), isRecord, 'record', { body: input });
  }

  async updateRecord(recordUuid: string, patch: Partial<ApiRecordInput>): Promise<ApiRecord> {
    return this.call('PATCH', this.recordUrl(recordUuid), isRecord, 'record', { body: patch });
  }

  /**
   * Deletes a record; resolves once it is gone. A 404 on the first attempt is an error
   * (wrong uuid); a 404 after an attempt whose outcome was unknown means that attempt
   * deleted it, and counts as done.
   */
  async deleteRecord(recordUuid: string): Promise<void> {
    await this.send('DELETE', this.recordUrl(recordUuid), { goneIsDone: true });
  }

  async queryRecords(filter: { zone?: string; record_type?: string }): Promise<ApiRecord[]> {
    const url = this.transport.url('/api/v1/dns-records/', {
      zone: filter.zone,
      record_type: filter.record_type,
    });
    return this.listAll(url, isRecord, 'record');
  }

  private recordUrl(recordUuid: string): URL {
    return this.transport.url(`/api/v1/dns-records/${segment(recordUuid)}/`);
  }

  /**
   * Every item of a list endpoint: a bare array, or a paginated object whose `next`
   * links are followed while they stay on the API's origin and never repeat.
   */
  private async listAll<T>(
    first: URL,
    check: (item: unknown) => item is T,
    what: string,
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
      const { status, data } = await this.send('GET', url);
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

  private nextPage(current: URL, next: string): URL {
    let url: URL;
    try {
      url = new URL(next, current);
    } catch {
      throw this.shapeError('GET', current, 200, 'the next page link is not a URL');
    }
    if (url.origin !== this.transport.baseUrl.origin) {
      throw this.shapeError(
        'GET',
        current,
        200,
        `the next page link leads to another origin (${this.transport.redact(url.origin)}); not followed`,
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
    let failures = 0;
    let rateLimited = 0;
    let unknownBefore = false;
    for (let attempt = 1; ; attempt++) {
      // While a Retry-After runs, every attempt waits for its end before it is sent.
      let started = 0;
      const outcome = await this.transport.attempt(method, url, payload, {
        notBefore: () => this.notBefore,
        onStart: () => {
          this.hooks.onRequest?.({ method, path: pathOf(), attempt });
          started = performance.now();
        },
        onAnswer: (answer) => this.holdBackAfter(answer),
      });
      this.hooks.onResponse?.({
        method,
        path: pathOf(),
        attempt,
        status: outcome.kind === 'response' ? outcome.status : null,
        code: outcome.kind === 'failure' ? outcome.code : null,
        durationMs: performance.now() - started,
      });
      if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
        // A large answer (a zone's records) is parsed once the event loop has sent the
        // requests waiting behind this one: parsing first would hold their connections idle.
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
      const allowed =
        reason !== null &&
        (reason === 'rate-limited'
          ? rateLimited < this.policy.maxRateLimitRetries
          : failures + 1 < this.policy.maxAttempts) &&
        (!recheck || options.recheck !== undefined);
      if (!allowed) {
        // Out of retries (or a 500) with a create's outcome unknown: one last look, so a
        // create that did take effect is reported as the success it was.
        if (recheck && options.recheck !== undefined) {
          if (reason === 'timeout') await sleep(this.transport.timeoutMs);
          const existing = await this.recheck(method, url, outcome, options.recheck);
          if (existing !== null) return { status: 201, data: existing };
        }
        throw this.transport.errorFor(method, url, outcome, attempt);
      }

      let delayMs: number;
      if (reason === 'rate-limited') {
        const retryAfter = outcome.kind === 'response' ? outcome.headers['retry-after'] : undefined;
        delayMs = rateLimitDelay(this.policy, retryAfter, rateLimited);
        rateLimited++;
      } else {
        delayMs = backoffDelay(this.policy, failures);
        // A create that timed out may still be running on the server: give it as long
        // again before re-reading, or the re-read could miss it and a duplicate follow.
        if (recheck && reason === 'timeout') delayMs = Math.max(delayMs, this.transport.timeoutMs);
        failures++;
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
      await sleep(delayMs);
      if (recheck && options.recheck !== undefined) {
        const existing = await this.recheck(method, url, outcome, options.recheck);
        if (existing !== null) return { status: 201, data: existing };
      }
      if (unknown) unknownBefore = true;
    }
  }

  /**
   * After a 429 with Retry-After, every attempt of this client waits as long as the
   * server asked. Called while the answered attempt still holds its connection slot,
   * so the attempt queued behind it already sees the wait.
   */
  private holdBackAfter(outcome: AttemptOutcome): void {
    if (outcome.kind !== 'response' || outcome.status !== 429) return;
    const asked = parseRetryAfter(outcome.headers['retry-after']);
    if (asked === null) return;
    this.notBefore = Math.max(
      this.notBefore,
      performance.now() + Math.min(asked, this.policy.maxRetryAfterMs),
    );
  }

  /** Runs a create's recheck; its failure is reported as the create's failure. */
  private async recheck(
    method: HttpMethod,
    url: URL,
    outcome: AttemptOutcome,
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

/** A uuid as one path segment, so nothing in it can change the path. */
function segment(value: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new UserError(`not a valid identifier: "${value}"`);
  }
  return encodeURIComponent(value);
}
