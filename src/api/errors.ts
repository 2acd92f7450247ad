/**
 * Errors of the VPS.org client: a small hierarchy whose messages name the request
 * (`PATCH /api/v1/dns-records/abc/: 400 MX records require a priority value`) and keep
 * `cause`. Each is a UserError, so the CLI prints it as one line and exits 1.
 *
 * No message, path or cause here may carry the API token: messages are built from
 * redacted parts, and causes are replaced by redacted copies (see `redactError`).
 * Text the API sent (detail, field, status text, a redirect's target, what was wrong with
 * a body) is anyone's: it enters a message only through forTerminal, so a message is one
 * line that cannot steer a terminal or a job log wherever it is printed.
 */
import { UserError } from '../errors.js';
import { forTerminal } from '../text/terminal.js';

const REDACTED = 'vps_[REDACTED]';

/**
 * Replaces every occurrence of `secret` in `text`, in any letter case (a host name
 * built from it comes back lowercased).
 */
export function redact(text: string, secret: string | undefined): string {
  if (secret === undefined || secret === '') return text;
  const pattern = new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  return text.replace(pattern, REDACTED);
}

/**
 * A copy of `error` safe to keep as a `cause`: name, message, code and stack with the
 * secret removed, and the same for its own cause, a few levels deep. Other properties
 * (sockets, request objects) are dropped, since they may hold headers.
 */
export function redactError(error: unknown, secret: string | undefined, depth = 0): unknown {
  if (!(error instanceof Error)) {
    return typeof error === 'string' ? redact(error, secret) : undefined;
  }
  const copy = new Error(redact(error.message, secret));
  copy.name = error.name;
  copy.stack = redact(error.stack ?? '', secret);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  if (error.cause !== undefined && depth < 3) {
    Object.assign(copy, { cause: redactError(error.cause, secret, depth + 1) });
  }
  return copy;
}

export interface ApiErrorDetails {
  method: string;
  /** Path and query of the request, e.g. `/api/v1/dns-zones/?domain=example.com`. */
  path: string;
  /** The HTTP status, or null when no response arrived. */
  status: number | null;
  /** The API's `detail`, `error_code` and `field`, when its body had them. */
  detail?: string | null;
  errorCode?: string | null;
  field?: string | null;
  /** How many attempts were made, when more than one. */
  attempts?: number;
}

/** Anything that went wrong talking to the API. */
export class ApiError extends UserError {
  readonly method: string;
  readonly path: string;
  readonly status: number | null;
  readonly detail: string | null;
  readonly errorCode: string | null;
  readonly field: string | null;

  constructor(message: string, details: ApiErrorDetails, options?: { cause?: unknown }) {
    const gaveUp =
      details.attempts !== undefined && details.attempts > 1
        ? ` (gave up after ${details.attempts} attempts)`
        : '';
    super(`${message}${gaveUp}`, 1, options);
    this.name = 'ApiError';
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.detail = details.detail ?? null;
    this.errorCode = details.errorCode ?? null;
    this.field = details.field ?? null;
  }

  /** `METHOD /path` of the request. */
  get request(): string {
    return `${this.method} ${this.path}`;
  }
}

/** The API answered with a status dnssync does not accept (4xx, 5xx, or 3xx). */
export class HttpError extends ApiError {
  constructor(
    details: ApiErrorDetails & { status: number; statusText?: string },
    options?: { cause?: unknown },
  ) {
    super(httpMessage(details), details, options);
    this.name = 'HttpError';
  }
}

function httpMessage(details: ApiErrorDetails & { status: number; statusText?: string }): string {
  const what = forTerminal(details.detail ?? details.statusText ?? '');
  const field = details.field ? ` (field: ${forTerminal(details.field)})` : '';
  return `${details.method} ${details.path}: ${details.status}${what ? ` ${what}` : ''}${field}`;
}

/** 401: the token itself is wrong. One line that says what to fix. */
export class AuthenticationError extends ApiError {
  constructor(details: ApiErrorDetails) {
    super(
      `VPS.org rejected the API token (401 on ${details.method} ${details.path}): check VPS_API_TOKEN (it must be a valid vps_ token)`,
      details,
    );
    this.name = 'AuthenticationError';
  }
}

/** 403: the token lacks a `dns:*` permission; the API's detail names which. */
export class PermissionError extends ApiError {
  /** The missing permission, e.g. `dns:create`, when the API named it. */
  readonly permission: string | null;

  constructor(details: ApiErrorDetails) {
    const permission = /\bdns:[a-z]+\b/.exec(details.detail ?? '')?.[0] ?? null;
    const missing = permission ?? 'a dns:* permission this command needs';
    super(
      `the API token lacks ${missing} (403 on ${details.method} ${details.path}): create a token with ${permission ?? 'the needed dns:* permissions'} at https://admin.vps.org/account/developers/ and set VPS_API_TOKEN`,
      details,
    );
    this.name = 'PermissionError';
    this.permission = permission;
  }
}

/** 3xx: redirects are never followed (a redirect could carry the token elsewhere). */
export class RedirectError extends ApiError {
  constructor(details: ApiErrorDetails & { status: number; location: string | null }) {
    const target = details.location === null ? '' : ` to ${forTerminal(details.location)}`;
    super(
      `${details.method} ${details.path}: ${details.status} redirect${target}; dnssync does not follow redirects, check VPS_API_URL`,
      details,
    );
    this.name = 'RedirectError';
  }
}

interface NetworkDetails {
  method: string;
  path: string;
  origin: string;
  code: string | null;
  attempts?: number;
}

/** No usable response: connection refused or reset, DNS failure, TLS error, timeout. */
export class NetworkError extends ApiError {
  /** The low-level error code (ECONNREFUSED, UND_ERR_SOCKET, ...), when there is one. */
  readonly code: string | null;

  constructor(details: NetworkDetails & { reason: string }, options?: { cause?: unknown }) {
    super(
      `cannot reach VPS.org API at ${details.origin}: ${forTerminal(details.reason)} (${details.method} ${details.path})`,
      {
        method: details.method,
        path: details.path,
        status: null,
        ...(details.attempts === undefined ? {} : { attempts: details.attempts }),
      },
      options,
    );
    this.name = 'NetworkError';
    this.code = details.code;
  }
}

/** The request did not finish within the per-request timeout. */
export class TimeoutError extends NetworkError {
  constructor(details: NetworkDetails & { timeoutMs: number }, options?: { cause?: unknown }) {
    super(
      {
        ...details,
        reason: `no answer within ${details.timeoutMs} ms`,
      },
      options,
    );
    this.name = 'TimeoutError';
  }
}

/**
 * The API's rate limit held a request back (its own 429s, or the pause the client keeps
 * after other requests' 429s) for longer than the client waits for one request.
 */
export class RateLimitError extends ApiError {
  constructor(details: { method: string; path: string; waitedMs: number }) {
    super(
      `${details.method} ${details.path}: not sent: the API's rate limit held it back for ${Number((details.waitedMs / 1000).toFixed(1))} s, the longest dnssync waits for one request`,
      { method: details.method, path: details.path, status: null },
    );
    this.name = 'RateLimitError';
  }
}

/** A 2xx whose body is not what the API documents (not JSON, wrong shape). */
export class ResponseShapeError extends ApiError {
  constructor(details: ApiErrorDetails & { problem: string }, options?: { cause?: unknown }) {
    super(
      `${details.method} ${details.path}: ${details.status ?? ''} unexpected response from VPS.org API: ${forTerminal(details.problem)}`,
      details,
      options,
    );
    this.name = 'ResponseShapeError';
  }
}
