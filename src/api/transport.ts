/**
 * One HTTP exchange with the API over undici, and the mapping of a final outcome to an
 * ApiError. One Agent per client: keep-alive connections, at most `connections` of
 * them (so at most that many requests in flight), no pipelining, no redirects.
 */
import { STATUS_CODES } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import {
  type ApiError,
  AuthenticationError,
  HttpError,
  NetworkError,
  PermissionError,
  RedirectError,
  redact,
  redactError,
  TimeoutError,
} from './errors.js';
import {
  type AttemptOutcome,
  CONNECT_TIMEOUT_CODE,
  REQUEST_TIMEOUT_CODE,
  sleep,
  TIMEOUT_CODES,
} from './retry.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface TransportOptions {
  baseUrl: URL;
  token: string;
  /** Connections to the API origin, i.e. requests in flight at once. */
  connections: number;
  timeoutMs: number;
  userAgent: string;
}

export class Transport {
  readonly baseUrl: URL;
  readonly timeoutMs: number;
  // A private field: util.inspect and JSON.stringify of the transport never show it.
  readonly #token: string;
  readonly #agent: Agent;
  readonly #userAgent: string;
  /** Origin and path prefix of the base URL (a proxy's), without a trailing slash. */
  readonly #prefix: string;
  /** At most `connections` attempts at once, whatever undici does with its queue. */
  readonly #slots: Slots;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl;
    this.timeoutMs = options.timeoutMs;
    this.#token = options.token;
    this.#userAgent = options.userAgent;
    this.#prefix = `${options.baseUrl.origin}${options.baseUrl.pathname.replace(/\/+$/, '')}`;
    this.#slots = new Slots(options.connections);
    this.#agent = new Agent({
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: options.timeoutMs },
    });
  }

  /** An API path (e.g. `/api/v1/dns-zones/`) as an absolute URL under the base URL. */
  url(path: string, query?: Record<string, string | undefined>): URL {
    const url = new URL(`${this.#prefix}${path}`);
    if (query !== undefined) {
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) url.searchParams.set(key, value);
      }
    }
    return url;
  }

  /** Path and query of `url`, for messages; the token is removed should it appear. */
  describe(url: URL): string {
    return this.redact(`${url.pathname}${url.search}`);
  }

  redact(text: string): string {
    return redact(text, this.#token);
  }

  /**
   * One attempt. Never throws: a failure without a response is an outcome too.
   * `json` is the request body, already serialised. Once it holds one of the
   * `connections` slots, it waits until `pace.notBefore()` (a Retry-After in force, on
   * the performance.now() clock), then calls `pace.onStart` and sends;
   * `pace.onAnswer` sees the outcome before the slot goes to the next attempt.
   * The deadline covers the attempt from there: connect, send, headers and body
   * (waiting for a slot or a Retry-After does not count). undici's own headers/body
   * timeouts stay as a backstop; they tick coarsely.
   */
  attempt(
    method: HttpMethod,
    url: URL,
    json: string | undefined,
    pace: { notBefore(): number; onStart(): void; onAnswer(outcome: AttemptOutcome): void },
  ): Promise<AttemptOutcome> {
    return this.#slots.run(async () => {
      for (
        let wait = pace.notBefore() - performance.now();
        wait > 0;
        wait = pace.notBefore() - performance.now()
      ) {
        await sleep(wait);
      }
      pace.onStart();
      const outcome = await this.#exchange(method, url, json);
      pace.onAnswer(outcome);
      return outcome;
    });
  }

  /**
   * The request through undici's dispatcher with a handler that gathers the answer as
   * text: no stream, no AbortController, no promise per chunk — the client's CPU per
   * request is what keeps 16 requests moving on one thread.
   */
  #exchange(method: HttpMethod, url: URL, json: string | undefined): Promise<AttemptOutcome> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#token}`,
      accept: 'application/json',
      'user-agent': this.#userAgent,
    };
    if (json !== undefined) headers['content-type'] = 'application/json';
    return new Promise((resolve) => {
      const handler = new ExchangeHandler(resolve, this.timeoutMs);
      try {
        this.#agent.dispatch(
          {
            origin: url.origin,
            path: `${url.pathname}${url.search}`,
            method,
            headers,
            body: json ?? null,
            headersTimeout: this.timeoutMs,
            bodyTimeout: this.timeoutMs,
          },
          handler,
        );
      } catch (error) {
        handler.fail(error);
      }
    });
  }

  /** The error for a final outcome that is not a success. */
  errorFor(method: HttpMethod, url: URL, outcome: AttemptOutcome, attempts: number): ApiError {
    const path = this.describe(url);
    const tries = attempts > 1 ? { attempts } : {};
    if (outcome.kind === 'failure') {
      const cause = redactError(outcome.error, this.#token);
      const { code } = outcome;
      if (code !== null && TIMEOUT_CODES.includes(code)) {
        return new TimeoutError(
          { method, path, origin: this.baseUrl.origin, timeoutMs: this.timeoutMs, code, ...tries },
          { cause },
        );
      }
      return new NetworkError(
        {
          method,
          path,
          origin: this.baseUrl.origin,
          reason: this.reasonOf(outcome.error, code),
          code,
          ...tries,
        },
        { cause },
      );
    }
    const { status } = outcome;
    const body = errorBody(outcome.text);
    const details = {
      method,
      path,
      status,
      detail: body.detail === null ? null : this.redact(body.detail),
      errorCode: body.errorCode === null ? null : this.redact(body.errorCode),
      field: body.field === null ? null : this.redact(body.field),
      ...tries,
    };
    if (status >= 300 && status < 400) {
      return new RedirectError({
        ...details,
        location: this.locationOf(outcome.headers.location, url),
      });
    }
    if (status === 401) return new AuthenticationError(details);
    if (status === 403) return new PermissionError(details);
    return new HttpError({ ...details, statusText: STATUS_CODES[status] ?? 'unexpected status' });
  }

  /** A short reason for a network failure, e.g. `connection refused (ECONNREFUSED)`. */
  private reasonOf(error: unknown, code: string | null): string {
    const known = code === null ? undefined : REASONS[code];
    const message = error instanceof Error && error.message !== '' ? error.message : String(error);
    if (known !== undefined) return known;
    return this.redact(code === null || message.includes(code) ? message : `${message} (${code})`);
  }

  /** Where a redirect pointed, without its query (it could carry anything). */
  private locationOf(header: string | string[] | undefined, base: URL): string | null {
    const value = Array.isArray(header) ? header[0] : header;
    if (value === undefined) return null;
    try {
      const target = new URL(value, base);
      return this.redact(`${target.origin}${target.pathname}`);
    } catch {
      return null;
    }
  }

  /** Closes every connection at once; requests still running fail. */
  async close(): Promise<void> {
    await this.#agent.destroy();
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed temporarily',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the server before it answered',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not match the host name',
};

/**
 * A counting semaphore: `run` starts its task at once while fewer than `size` run, and
 * queues it (first in, first out) otherwise. A queued task costs one closure, so a
 * caller may fire thousands of requests at once without the wait itself weighing on
 * the garbage collector.
 */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  #head = 0;

  constructor(size: number) {
    this.#free = size;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) {
      this.#free--;
      return this.#start(task);
    }
    return new Promise<T>((resolve) => {
      this.#waiting.push(() => resolve(this.#start(task)));
    });
  }

  #start<T>(task: () => Promise<T>): Promise<T> {
    let running: Promise<T>;
    try {
      running = task();
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(this.#release, this.#release);
    return running;
  }

  readonly #release = (): void => {
    if (this.#head < this.#waiting.length) {
      const next = this.#waiting[this.#head] as () => void;
      this.#waiting[this.#head++] = noop;
      // Drop the started entries once they are half the array (all of it when it empties),
      // so a queue that never quite drains does not grow for ever.
      if (this.#head * 2 >= this.#waiting.length) {
        this.#waiting.splice(0, this.#head);
        this.#head = 0;
      }
      next();
    } else {
      this.#free++;
    }
  };
}

function noop(): void {}

/**
 * Collects one answer for `Transport.#exchange` and settles its promise exactly once:
 * with the response, with the failure undici reports, or with a timeout when the
 * deadline passes first (the request is then aborted, or never started).
 */
class ExchangeHandler implements Dispatcher.DispatchHandler {
  #resolve: ((outcome: AttemptOutcome) => void) | null;
  #controller: Dispatcher.DispatchController | null = null;
  #timer: NodeJS.Timeout;
  #status = 0;
  #headers: Record<string, string | string[] | undefined> = {};
  #chunks: Buffer[] = [];

  constructor(resolve: (outcome: AttemptOutcome) => void, timeoutMs: number) {
    this.#resolve = resolve;
    this.#timer = setTimeout(() => {
      const controller = this.#controller;
      if (controller === null) {
        // Still connecting: undici starts a request (onRequestStart) before it writes
        // a byte of it, so this one was never sent, and even a POST may be repeated.
        this.fail(timeoutError(timeoutMs, CONNECT_TIMEOUT_CODE));
        return;
      }
      const error = timeoutError(timeoutMs, REQUEST_TIMEOUT_CODE);
      controller.abort(error);
      this.fail(error);
    }, timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // The deadline passed while the request waited for its connection: it is not sent.
    if (this.#resolve === null) controller.abort(timeoutError(0, CONNECT_TIMEOUT_CODE));
    else this.#controller = controller;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (statusCode < 200) return; // informational (1xx); the answer follows
    this.#status = statusCode;
    this.#headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    const chunks = this.#chunks;
    const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    // A UTF-8 byte order mark is not part of the text (as WHATWG's decoder has it).
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const text = bytes.toString('utf8', bom ? 3 : 0);
    this.#settle({ kind: 'response', status: this.#status, headers: this.#headers, text });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  fail(error: unknown): void {
    this.#settle({ kind: 'failure', error, code: errorCode(error) });
  }

  #settle(outcome: AttemptOutcome): void {
    const resolve = this.#resolve;
    if (resolve === null) return;
    this.#resolve = null;
    clearTimeout(this.#timer);
    resolve(outcome);
  }
}

function timeoutError(timeoutMs: number, code: string): Error {
  return Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code });
}

/** The error code of a failed request; an AggregateError (happy eyeballs) gives its first. */
function errorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const innerCode = errorCode(inner);
      if (innerCode !== null) return innerCode;
    }
  }
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? null : errorCode(cause);
}

/** `detail`, `error_code` and `field` of an error body, when it is the API's JSON shape. */
function errorBody(text: string): {
  detail: string | null;
  errorCode: string | null;
  field: string | null;
} {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { detail: null, errorCode: null, field: null };
  }
  const object = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return {
    detail: str(object.detail),
    errorCode: str(object.error_code),
    field: str(object.field),
  };
}
