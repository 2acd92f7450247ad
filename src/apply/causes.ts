/**
 * The cause of a failed change, so that a thousand changes refused for one reason are
 * reported as one line with a count. Two failures share a cause when the API said the
 * same thing: the status and its message, without the request they were said about.
 */
import {
  ApiError,
  AuthenticationError,
  NetworkError,
  PermissionError,
  TimeoutError,
} from '../api/errors.js';
import { forTerminal } from '../text/terminal.js';
import type { Cause } from './types.js';

export const INTERRUPTED: Cause = {
  key: 'interrupted',
  title: 'interrupted',
  kind: 'interrupted',
};

/** Titles longer than this are cut: the full message is kept with each change. */
const MAX_TITLE = 120;

export function causeOf(error: unknown): Cause {
  if (error instanceof AuthenticationError) {
    return { key: '401', title: '401 the API token was rejected', kind: 'token' };
  }
  if (error instanceof PermissionError) {
    const permission = error.permission ?? 'a dns:* permission';
    return { key: `403 ${permission}`, title: `403 ${permission} missing`, kind: 'token' };
  }
  if (error instanceof ApiError) {
    // No answer at all (the connection failed, or timed out): the API may be unreachable.
    if (error.status === null) {
      const title =
        error instanceof NetworkError || error instanceof TimeoutError
          ? short(withoutRequest(error))
          : // A create whose outcome was unknown, and whose re-read failed too.
            'no answer from the API, not even to check whether the change took effect';
      return { key: `network ${title}`, title, kind: 'network' };
    }
    const title = short(withoutRequest(error));
    const kind = refused(error.status) ? 'refused' : 'other';
    return { key: `${kind} ${title}`, title, kind };
  }
  const title = short(error instanceof Error ? error.message : String(error));
  return { key: `other ${title}`, title, kind: 'other' };
}

/** A 4xx other than 429: the API understood and refused; sending it again changes nothing. */
function refused(status: number | null): boolean {
  return status !== null && status >= 400 && status < 500 && status !== 429;
}

/**
 * The message without the request it names (`PATCH /api/v1/dns-records/abc/: `, or
 * ` (PATCH /api/v1/...)` after a network error) and without the attempt count, which
 * differ from one change to the next.
 */
function withoutRequest(error: ApiError): string {
  const request = `${error.method} ${error.path}`;
  let text = error.message.replace(/ \(gave up after \d+ attempts\)$/, '');
  if (text.startsWith(`${request}: `)) text = text.slice(request.length + 2);
  if (text.endsWith(` (${request})`)) text = text.slice(0, -(request.length + 3));
  return text;
}

function short(text: string): string {
  const safe = forTerminal(text);
  return safe.length <= MAX_TITLE ? safe : `${safe.slice(0, MAX_TITLE - 1)}…`;
}
