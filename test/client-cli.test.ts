/**
 * The client as the built CLI uses it (`node dist/cli.js plan|apply`) against the
 * in-process sandbox: token and URL checks before any request, one-line 401/403/network
 * errors, convergence under faults, and the token absent from everything printed, with
 * DNSSYNC_DEBUG on. Needs `npx tsc -p .` first; skipped when dist/ is missing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { identityCounts, onCleanup, sandbox } from './api-helpers.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TOKEN = 'vps_CliSecret0123456789abcdefABCDEF';
const LIST_ONLY = 'vps_ListOnly0123456789abcdefABCDEF';

const ZONE = `records:
  - { name: "@", type: A, values: [192.0.2.1, 192.0.2.2] }
  - { name: www, type: CNAME, value: example.com. }
  - { name: "@", type: MX, value: Mail.Example.com, priority: 10 }
  - { name: v6, type: AAAA, value: "2001:0db8::0001" }
  - { name: "@", type: TXT, value: "v=spf1 -all" }
${Array.from({ length: 20 }, (_, i) => `  - { name: host${i}, type: A, value: 198.51.100.${i} }`).join('\n')}
`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dnssync-client-cli-'));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'zones'));
  await writeFile(join(dir, 'zones', 'example.com.yaml'), ZONE);
  return dir;
}

function expectNoToken(result: Run): void {
  const printed = `${result.stdout}\n${result.stderr}`.toLowerCase();
  for (const token of [TOKEN, LIST_ONLY])
    expect(printed).not.toContain(token.slice(4).toLowerCase());
}

describe.skipIf(!existsSync(CLI))('the client in the CLI', () => {
  test('apply converges under 502s and dropped connections; nothing printed holds the token', async () => {
    const sb = await sandbox({
      seed: 7,
      tokens: [
        {
          token: TOKEN,
          permissions: ['dns:list', 'dns:read', 'dns:create', 'dns:update', 'dns:delete'],
          owner: 'me',
        },
      ],
    });
    const dir = await workspace();
    const env = { VPS_API_URL: sb.url, VPS_API_TOKEN: TOKEN, DNSSYNC_DEBUG: '1' };
    sb.setFaults({ failBefore: 0.2, failAfter: 0.2, dropConnections: 0.05 });
    const applied = await run(['apply', '--yes', '--concurrency', '4'], env, dir);
    expectNoToken(applied);
    expect(applied.stderr).toMatch(/dnssync: debug: POST \/api\/v1\/dns-zones\//);
    expect(
      sb.stats.faults.failBefore + sb.stats.faults.failAfter + sb.stats.faults.dropped,
    ).toBeGreaterThan(0);
    expect(applied.code).toBe(0);

    const records = sb.zone('example.com')?.records ?? [];
    expect(records).toHaveLength(26);
    expect([...identityCounts(records).values()].every((n) => n === 1)).toBe(true);
    expect(sb.zones()).toHaveLength(1);

    sb.setFaults({ failBefore: 0, failAfter: 0, dropConnections: 0 });
    const again = await run(['plan', '--detailed-exitcode'], env, dir);
    expectNoToken(again);
    expect(again.code).toBe(0);
  });

  test('a token without vps_, or plain http to another host, fails before any request', async () => {
    const sb = await sandbox({
      tokens: [{ token: TOKEN, permissions: ['dns:list'], owner: 'me' }],
    });
    const dir = await workspace();
    const noPrefix = await run(
      ['plan'],
      { VPS_API_URL: sb.url, VPS_API_TOKEN: TOKEN.slice(4) },
      dir,
    );
    expect(noPrefix.code).toBe(1);
    expect(noPrefix.stderr).toBe(
      'dnssync: error: VPS_API_TOKEN does not look like a VPS.org API token: it must start with vps_\n',
    );
    expectNoToken(noPrefix);
    const remote = await run(
      ['plan'],
      { VPS_API_URL: 'http://dns.example.invalid', VPS_API_TOKEN: TOKEN },
      dir,
    );
    expect(remote.code).toBe(1);
    expect(remote.stderr).toMatch(
      /^dnssync: error: VPS_API_URL uses plain http:\/\/ for dns\.example\.invalid/,
    );
    expect(sb.stats.requests).toBe(0);
  });

  test('401, 403 and an unreachable API are one line each, exit 1', async () => {
    const sb = await sandbox({
      tokens: [{ token: LIST_ONLY, permissions: ['dns:list'], owner: 'me' }],
    });
    const dir = await workspace();

    const unknown = await run(['plan'], { VPS_API_URL: sb.url, VPS_API_TOKEN: TOKEN }, dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'dnssync: error: VPS.org rejected the API token (401 on GET /api/v1/dns-zones/): check VPS_API_TOKEN (it must be a valid vps_ token)\n',
    );
    expectNoToken(unknown);

    const apply = await run(
      ['apply', '--yes'],
      { VPS_API_URL: sb.url, VPS_API_TOKEN: LIST_ONLY },
      dir,
    );
    expectNoToken(apply);
    expect(apply.code).toBe(1);
    expect(`${apply.stdout}${apply.stderr}`).toMatch(
      /lacks dns:create .*create a token with dns:create/,
    );

    const port = await freePort();
    const refused = await run(
      ['plan'],
      { VPS_API_URL: `http://127.0.0.1:${port}`, VPS_API_TOKEN: TOKEN },
      dir,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `dnssync: error: cannot reach VPS.org API at http://127.0.0.1:${port}: connection refused (GET /api/v1/dns-zones/) (gave up after 5 attempts)\n`,
    );
  });
});

describe.skipIf(!existsSync(CLI))('--timeout', () => {
  test('a server that never answers fails plan, apply and import in one attempt of --timeout', async () => {
    const requests: string[] = [];
    const hung = createServer((req) => {
      requests.push(`${req.method} ${req.url}`);
      req.resume(); // never answers
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    onCleanup(
      () =>
        new Promise<void>((resolve) => {
          hung.closeAllConnections();
          hung.close(() => resolve());
        }),
    );
    const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
    const dir = await workspace();
    const env = { VPS_API_URL: url, VPS_API_TOKEN: TOKEN };
    for (const args of [
      ['plan', '--timeout', '0.5'],
      ['apply', '--yes', '--timeout', '0.5'],
      ['import', 'example.com', '--out-dir', 'imported', '--timeout', '0.5'],
    ]) {
      requests.length = 0;
      const result = await run(args, env, dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `cannot reach VPS.org API at ${url}: no answer within 500 ms (GET /api/v1/dns-zones/`,
      );
      expect(result.stderr).not.toContain('attempts');
      expect(requests).toHaveLength(1);
      expectNoToken(result);
    }
  });

  test('needs a number of seconds above 0', async () => {
    const dir = await workspace();
    for (const value of ['0', '-1', 'soon', '4000']) {
      const result = await run(['plan', '--timeout', value], { VPS_API_TOKEN: TOKEN }, dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/--timeout needs a number of seconds above 0, at most 3600/);
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
