/** Responses as values, and the few node:http helpers that send them. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorBody } from '../api/types.js';
import { fail, ok, type Result } from '../model.js';

export interface SandboxResponse {
  status: number;
  /** JSON body; absent for 204. */
  body?: unknown;
  /** A non-JSON body (BIND zone file, a gateway's HTML page). */
  text?: { contentType: string; content: string };
  headers?: Record<string, string>;
}

export function json(
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): SandboxResponse {
  return headers === undefined ? { status, body } : { status, body, headers };
}

export function noContent(): SandboxResponse {
  return { status: 204 };
}

export function apiError(
  status: number,
  detail: string,
  errorCode: string,
  field: string | null = null,
  headers?: Record<string, string>,
): SandboxResponse {
  const body: ApiErrorBody = { detail, error_code: errorCode, field };
  return json(status, body, headers);
}

export function validationError(detail: string, field: string | null): SandboxResponse {
  return apiError(400, detail, 'validation_error', field);
}

export function notFound(detail = 'Not found.'): SandboxResponse {
  return apiError(404, detail, 'not_found');
}

/**
 * What a reverse proxy answers when the application behind it fails: an HTML page,
 * not the API's JSON error shape, so clients must not rely on a JSON body here.
 */
export function badGateway(): SandboxResponse {
  return {
    status: 502,
    text: {
      contentType: 'text/html',
      content:
        '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
    },
  };
}

export function send(res: ServerResponse, response: SandboxResponse, closing: boolean): void {
  sendEncoded(res, encode(response), closing);
}

/** A response serialised, ready to write. */
export interface EncodedResponse {
  status: number;
  headers: Record<string, string | number>;
  payload: string | null;
}

export function encode(response: SandboxResponse): EncodedResponse {
  const headers: Record<string, string | number> = { ...response.headers };
  let payload: string | null = null;
  if (response.text !== undefined) {
    headers['content-type'] = `${response.text.contentType}; charset=utf-8`;
    payload = response.text.content;
  } else if (response.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(response.body);
  }
  if (payload !== null) headers['content-length'] = Buffer.byteLength(payload, 'utf8');
  return { status: response.status, headers, payload };
}

export function sendEncoded(res: ServerResponse, encoded: EncodedResponse, closing: boolean): void {
  const headers = closing ? { ...encoded.headers, connection: 'close' } : encoded.headers;
  res.writeHead(encoded.status, headers);
  // A string body goes out in the same write as the head (node:http joins them).
  if (encoded.payload === null) res.end();
  else res.end(encoded.payload, 'utf8');
}

const MAX_BODY_OCTETS = 1024 * 1024;

/** The request body as text, or null when it exceeds 1 MiB. */
export function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_OCTETS) tooLarge = true;
      else chunks.push(chunk);
    });
    req.once('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

/** A JSON object from a request body; an empty body is an empty object. */
export function parseJsonObject(raw: string): Result<Record<string, unknown>, SandboxResponse> {
  if (raw.trim() === '') return ok({});
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    return fail(apiError(400, `JSON parse error - ${(error as Error).message}`, 'parse_error'));
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail(apiError(400, 'Invalid data. Expected a JSON object.', 'parse_error'));
  }
  return ok(data as Record<string, unknown>);
}
