/**
 * Token and URL checks (before any request), redirects never followed, and the token
 * never appearing in any error, cause, stack or debug line, on every error path.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { VpsClient } from '../src/api/client.js';
import { baseUrlFromEnv, isLoopbackHost, parseBaseUrl, tokenFromEnv } from '../src/api/config.js';
import { RedirectError } from '../src/api/errors.js';
import { createClientFromEnv } from '../src/api/live.js';
import { UserError } from '../src/errors.js';
import { client, onCleanup, sandbox } from './api-helpers.js';

describe('token', () => {
  test('comes from VPS_API_TOKEN and must start with vps_; the value is never quoted', () => {
    expect(tokenFromEnv({ VPS_API_TOKEN: 'vps_abc123' })).toBe('vps_abc123');
    expect(() => tokenFromEnv({})).toThrow(/VPS_API_TOKEN is not set/);
    for (const bad of ['abc123secret', 'VPS_abc123secret', 'vps_', 'vps_has space']) {
      let error: unknown;
      try {
        tokenFromEnv({ VPS_API_TOKEN: bad });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(/VPS_API_TOKEN/);
      if (bad.length > 4) expect((error as Error).message).not.toContain(bad);
    }
  });

  test('a token without vps_ is refused before any request reaches the API', async () => {
    const sb = await sandbox();
    const env = { VPS_API_TOKEN: sb.token.slice(4), VPS_API_URL: sb.url };
    expect(() => createClientFromEnv({ concurrency: 4, env })).toThrow(/must start with vps_/);
    expect(() => new VpsClient({ baseUrl: sb.url, token: sb.token.slice(4) })).toThrow(UserError);
    expect(sb.stats.requests).toBe(0);
    // The same sandbox answers a correct token, so the zero above is not an accident.
    const api = createClientFromEnv({ concurrency: 4, env: { ...env, VPS_API_TOKEN: sb.token } });
    onCleanup(() => api.close());
    expect(await api.listZones()).toEqual([]);
    expect(sb.stats.requests).toBe(1);
  });
});

describe('base URL', () => {
  test('defaults to https://admin.vps.org', () => {
    expect(baseUrlFromEnv({}).href).toBe('https://admin.vps.org/');
    expect(baseUrlFromEnv({ VPS_API_URL: '' }).href).toBe('https://admin.vps.org/');
  });

  test('plain http only for loopback hosts', () => {
    for (const ok of [
      'http://127.0.0.1:8080',
      'http://127.1.2.3',
      'http://localhost:9000/',
      'http://[::1]:8080',
      'https://dns.example.com',
    ]) {
      expect(() => parseBaseUrl(ok)).not.toThrow();
    }
    for (const bad of [
      'http://admin.vps.org',
      'http://10.0.0.1',
      'http://128.0.0.1',
      'http://[::2]',
      'http://localhost.evil.example',
      'http://127.0.0.1.nip.io',
    ]) {
      expect(() => parseBaseUrl(bad)).toThrow(/plain http:\/\/ .* only allowed for loopback/);
    }
    expect(() => parseBaseUrl('ftp://127.0.0.1')).toThrow(/must be an https:\/\/ URL/);
    expect(() => parseBaseUrl('https://user:pw@admin.vps.org')).toThrow(/credentials/);
    expect(() => parseBaseUrl('not a url')).toThrow(/not a URL/);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.255.255.254')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
  });

  test('an http URL to another host is refused by the client before any request', async () => {
    const requests: string[] = [];
    const url = await serve((req, res) => {
      requests.push(req.url ?? '');
      res.end('[]');
    });
    // The server is local, but addressed by a name that is not a loopback name.
    const remote = url.replace('127.0.0.1', 'lvh.invalid');
    expect(() =>
      createClientFromEnv({
        concurrency: 1,
        env: { VPS_API_TOKEN: 'vps_x1', VPS_API_URL: remote },
      }),
    ).toThrow(/plain http/);
    expect(requests).toEqual([]);
  });

  test('a path prefix in the base URL is kept', async () => {
    const paths: string[] = [];
    const url = await serve((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
    const api = client({ url: `${url}/proxy/`, token: 'vps_prefix' });
    await api.listZones({ domain: 'example.com' });
    expect(paths).toEqual(['/proxy/api/v1/dns-zones/?domain=example.com']);
  });
});

describe('redirects', () => {
  test.each([301, 302, 307, 308])(
    'a %i is an error that says so, and is not followed',
    async (status) => {
      const followed: string[] = [];
      const target = await serve((req, res) => {
        followed.push(`${req.method} ${req.url}`);
        res.end('[]');
      });
      let hits = 0;
      const url = await serve((_req, res) => {
        hits++;
        res.writeHead(status, { location: `${target}/steal/?token=abc` });
        res.end();
      });
      const api = client({ url, token: 'vps_redirect_test' });
      const error = (await api.createZone('example.com').catch((e: unknown) => e)) as RedirectError;
      expect(error).toBeInstanceOf(RedirectError);
      expect(error.message).toBe(
        `POST /api/v1/dns-zones/: ${status} redirect to ${target}/steal/; dnssync does not follow redirects, check VPS_API_URL`,
      );
      expect(hits).toBe(1);
      expect(followed).toEqual([]);
    },
  );
});

describe('the token never appears', () => {
  const TOKEN = 'vps_SECRET_d41d8cd98f00b204e9800998ecf8427e';

  /** Everything an error can show: message, stack, cause chain, inspect, JSON. */
  function everything(error: unknown): string {
    const parts: string[] = [inspect(error, { depth: 10, showHidden: true })];
    let current: unknown = error;
    for (let i = 0; i < 6 && current !== undefined && current !== null; i++) {
      if (current instanceof Error) parts.push(current.message, current.stack ?? '');
      parts.push(String(current));
      try {
        parts.push(JSON.stringify(current));
      } catch {
        // circular: inspect above already covered it
      }
      current = (current as { cause?: unknown }).cause;
    }
    return parts.join('\n');
  }

  test('on every error path, and in every debug line', async () => {
    // A misbehaving API that echoes the Authorization header back in every way it can.
    let mode = 'echo-401';
    const url = await serve((req, res) => {
      const auth = req.headers.authorization ?? '';
      const echo = (status: number, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify({ detail: `got ${auth}`, error_code: auth, field: auth }));
      };
      if (mode === 'echo-401') echo(401);
      else if (mode === 'echo-403') echo(403);
      else if (mode === 'echo-400') echo(400);
      else if (mode === 'echo-404') echo(404);
      else if (mode === 'echo-429') echo(429, { 'retry-after': '0' });
      else if (mode === 'echo-502') echo(502);
      else if (mode === 'redirect') {
        res.writeHead(302, { location: `/x/${auth.slice(7)}/?t=${auth}` });
        res.end();
      } else if (mode === 'not-json') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`token ${auth}`);
      } else if (mode === 'foreign-next') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            count: 1,
            next: `https://${auth.slice(7)}.example/`,
            previous: null,
            results: [],
          }),
        );
      } else if (mode === 'hang') {
        // never answers: the client's timeout fires
      } else if (mode === 'reset') {
        req.socket.destroy();
      }
    });
    const lines: string[] = [];
    const api = createClientFromEnv({
      concurrency: 2,
      timeoutMs: 80,
      retry: {
        baseDelayMs: 1,
        maxDelayMs: 2,
        maxAttempts: 2,
        maxRateLimitRetries: 1,
        retryAfterJitterMs: 1,
      },
      env: { VPS_API_TOKEN: TOKEN, VPS_API_URL: url },
      debug: (line) => lines.push(line),
    });
    onCleanup(() => api.close());

    const errors: unknown[] = [];
    const modes = [
      'echo-401',
      'echo-403',
      'echo-400',
      'echo-404',
      'echo-429',
      'echo-502',
      'redirect',
      'not-json',
      'hang',
      'reset',
    ];
    for (const current of modes) {
      mode = current;
      errors.push(await api.listZones().catch((e: unknown) => e));
      const input = { record_type: 'A', name: 'a', value: '192.0.2.1' };
      errors.push(await api.createRecord('zone-1', input).catch((e: unknown) => e));
      errors.push(await api.deleteRecord('rec-1').catch((e: unknown) => e));
    }
    mode = 'foreign-next';
    errors.push(await api.listZones().catch((e: unknown) => e));
    // Connection refused: nothing listens there any more.
    const closedPort = await freePort();
    const refused = createClientFromEnv({
      concurrency: 1,
      retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 },
      env: { VPS_API_TOKEN: TOKEN, VPS_API_URL: `http://127.0.0.1:${closedPort}` },
      debug: (line) => lines.push(line),
    });
    onCleanup(() => refused.close());
    errors.push(await refused.getZone('z').catch((e: unknown) => e));

    expect(errors).toHaveLength(modes.length * 3 + 2);
    for (const error of errors) {
      expect(error).toBeInstanceOf(UserError);
      const text = everything(error).toLowerCase();
      expect(text).not.toContain(TOKEN.slice(4).toLowerCase());
    }
    // The echoed header shows that redaction, not luck, kept it out.
    expect(errors.map((e) => (e as Error).message).join('\n')).toContain('vps_[REDACTED]');
    expect(lines.length).toBeGreaterThan(modes.length);
    expect(lines.join('\n').toLowerCase()).not.toContain(TOKEN.slice(4).toLowerCase());
    expect(inspect(api, { depth: 10, showHidden: true })).not.toContain(TOKEN.slice(4));
    expect(JSON.stringify(api)).not.toContain(TOKEN.slice(4));
  });
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
