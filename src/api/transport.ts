/**
 * One HTTP exchange with the API over undici's `request`, and the mapping of a final
 * outcome to an ApiError. One connection pool per client: keep-alive, no pipelining, no
 * redirects followed, answers no larger than `maxResponseBytes`. How many requests run
 * at once is the client's business; the pool only holds their connections.
 */
import { STATUS_CODES } from 'node:http';
import { Readable } from 'node:stream';
import { Pool } from 'undici';
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
  TIMEOUT_CODES,
} from './retry.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface TransportOptions {
  baseUrl: URL;
  token: string;
  /** Connections kept open at most: as many as requests the client lets run at once. */
  connections: number;
  /** The request's whole time limit, for messages; each attempt gets its own share. */
  timeoutMs: number;
  maxResponseBytes: number;
  userAgent: string;
}

/** undici's code when an answer passes `maxResponseSize` while it streams in. */
const TOO_LARGE_CODE = 'UND_ERR_RES_EXCEEDED_MAX_SIZE';

export class Transport {
  readonly baseUrl: URL;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  // A private field: util.inspect and JSON.stringify of the transport never show it.
  readonly #headers: Record<string, string>;
  readonly #token: string;
  readonly #pool: Pool;
  /** Origin and path prefix of the base URL (a proxy's), without a trailing slash. */
  readonly #prefix: string;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl;
    this.timeoutMs = options.timeoutMs;
    this.maxResponseBytes = options.maxResponseBytes;
    this.#token = options.token;
    this.#headers = {
      authorization: `Bearer ${options.token}`,
      accept: 'application/json',
      'user-agent': options.userAgent,
    };
    this.#prefix = `${options.baseUrl.origin}${options.baseUrl.pathname.replace(/\/+$/, '')}`;
    // undici's own timeouts are a backstop only: each attempt has its deadline (below).
    this.#pool = new Pool(options.baseUrl.origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: options.timeoutMs },
      maxResponseSize: options.maxResponseBytes,
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

  /** True when `url` is under the base URL: its origin, and its path prefix if it has one. */
  isUnderBase(url: URL): boolean {
    return `${url.origin}${url.pathname}`.startsWith(`${this.#prefix}/`);
  }

  /**
   * True when the path of `url` below the base URL's prefix reads the same decoded: no
   * percent-encoded `/` or `\`, no encoded `%` (decoded twice, it could be either), and
   * no segment that decodes to `.` or `..`. A server, or a proxy in front of it, that
   * decodes before routing would otherwise take `/proxy/..%2Fother/` out of the prefix.
   * dnssync's own paths never hold any of these (uuids are checked when read).
   */
  hasPlainPath(url: URL): boolean {
    const below = url.pathname.startsWith(this.baseUrl.pathname)
      ? url.pathname.slice(this.baseUrl.pathname.length)
      : url.pathname;
    return below.split('/').every((segment) => {
      if (/%(2f|5c|25)/i.test(segment)) return false;
      try {
        const decoded = decodeURIComponent(segment);
        return decoded !== '.' && decoded !== '..';
      } catch {
        return false; // a malformed escape: no telling what a server makes of it
      }
    });
  }

  /** Path and query of `url`, for messages; the token is removed should it appear. */
  describe(url: URL): string {
    return this.redact(`${url.pathname}${url.search}`);
  }

  redact(text: string): string {
    return redact(text, this.#token);
  }

  /**
   * One attempt with at most `timeoutMs` for all of it: connecting, sending, and the
   * whole answer. Never throws: a failure without a response is an outcome too. `json`
   * is the request body, already serialised. `cancel` aborts the request wherever it is
   * (the caller then ignores the outcome).
   */
  async attempt(
    method: HttpMethod,
    url: URL,
    json: string | undefined,
    timeoutMs: number,
    cancel?: AbortSignal,
  ): Promise<AttemptOutcome> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    // A cancel ends the attempt as its deadline does (cheaper than AbortSignal.any per attempt).
    const cancelled = () => deadline.abort();
    if (cancel?.aborted) deadline.abort();
    cancel?.addEventListener('abort', cancelled, { once: true });
    // undici reads a body only while writing the request to a connection: a body never
    // read means the request never left, and even a POST may be sent again.
    let sent = json === undefined;
    let status = 0;
    try {
      const response = await this.#pool.request({
        path: `${url.pathname}${url.search}`,
        method,
        headers:
          json === undefined
            ? this.#headers
            : {
                ...this.#headers,
                'content-type': 'application/json',
                'content-length': String(Buffer.byteLength(json)),
              },
        body:
          json === undefined
            ? null
            : new Readable({
                read() {
                  sent = true;
                  this.push(json);
                  this.push(null);
                },
              }),
        signal: deadline.signal,
      });
      status = response.statusCode;
      if (Number(response.headers['content-length']) > this.maxResponseBytes) {
        response.body.destroy();
        return { kind: 'too-large', status };
      }
      // text() drops a UTF-8 byte order mark, as WHATWG's decoder does.
      const text = await response.body.text();
      return { kind: 'response', status, headers: response.headers, text };
    } catch (error) {
      if (deadline.signal.aborted && !cancel?.aborted) {
        const code = sent ? REQUEST_TIMEOUT_CODE : CONNECT_TIMEOUT_CODE;
        return { kind: 'failure', error: timeoutError(timeoutMs, code), code };
      }
      const code = errorCode(error);
      if (code === TOO_LARGE_CODE) return { kind: 'too-large', status };
      return { kind: 'failure', error, code };
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', cancelled);
    }
  }

  /** The error for a final outcome that is not a success. */
  errorFor(
    method: HttpMethod,
    url: URL,
    outcome: Exclude<AttemptOutcome, { kind: 'too-large' }>,
    attempts: number,
  ): ApiError {
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
    await this.#pool.destroy();
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

function timeoutError(timeoutMs: number, code: string): Error {
  return Object.assign(new Error(`no answer within ${Math.round(timeoutMs)} ms`), { code });
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
