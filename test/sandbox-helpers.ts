/**
 * Plain-HTTP helpers for the sandbox tests: they talk to the sandbox with undici's
 * `request`, never through dnssync's API client, so the conformance tests check the
 * wire format itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

/** A parsed JSON body: its shape is what the assertions check. */
// biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies and assert on their shape
export type Json = any;

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  body: Json;
}

export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>`; null sends no Authorization header. */
  token?: string | null;
  /** JSON-encoded as the request body. */
  json?: unknown;
  /** Sent verbatim as the request body (as application/json unless `headers` say otherwise). */
  raw?: string;
  headers?: Record<string, string>;
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] ??= 'application/json';
  }
  const url = path.startsWith('http') ? path : `${baseUrl}${path}`;
  const response = await request(url, {
    method: method as 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.body.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, body: parsed };
}

/** A client bound to one sandbox and token. */
export function clientFor(baseUrl: string, token: string | null) {
  return (method: string, path: string, options: Omit<CallOptions, 'token'> = {}) =>
    call(baseUrl, method, path, { token, ...options });
}

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
export const CLI_BUILT = existsSync(CLI);
if (!CLI_BUILT) {
  console.warn(`${CLI} is missing: run \`npx tsc -p .\`; the sandbox CLI tests are skipped`);
}

export interface SandboxChild {
  child: ChildProcess;
  url: string;
  token: string;
  /** Everything the child has written to stdout so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node dist/cli.js sandbox ARGS` and waits until it prints the export lines. */
export function spawnSandbox(args: string[]): Promise<SandboxChild> {
  const child = spawn(process.execPath, [CLI, 'sandbox', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const url = /^export VPS_API_URL=(\S+)$/m.exec(out)?.[1];
      const token = /^export VPS_API_TOKEN=(\S+)$/m.exec(out)?.[1];
      if (url !== undefined && token !== undefined) {
        resolve({ child, url, token, stdout: () => out, stderr: () => err, exited });
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`sandbox exited early (code ${code}, signal ${signal}): ${err}${out}`)),
    );
  });
}
