/** `dnssync sandbox` as users run it: the built CLI, spawned, driven over plain HTTP. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  CLI,
  CLI_BUILT,
  call,
  clientFor,
  type SandboxChild,
  spawnSandbox,
} from './sandbox-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dnssync-sandbox-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const running: SandboxChild[] = [];
afterEach(() => {
  for (const sandbox of running.splice(0)) sandbox.child.kill('SIGKILL');
});

async function start(args: string[]): Promise<SandboxChild> {
  const sandbox = await spawnSandbox(args);
  running.push(sandbox);
  return sandbox;
}

async function stop(sandbox: SandboxChild, signal: NodeJS.Signals) {
  sandbox.child.kill(signal);
  const exit = await sandbox.exited;
  running.splice(running.indexOf(sandbox), 1);
  return exit;
}

describe.skipIf(!CLI_BUILT)('dnssync sandbox', () => {
  it('prints its URL, a token and the export lines; serves the API; stops on SIGTERM with exit 0', async () => {
    const sandbox = await start(['--port', '0']);
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.token).toMatch(/^vps_[0-9a-f]{48}$/);
    expect(sandbox.stdout()).toContain(`listening on ${sandbox.url}`);
    expect(sandbox.stdout()).toContain(`token: ${sandbox.token}`);

    const api = clientFor(sandbox.url, sandbox.token);
    expect((await api('GET', '/api/v1/dns-zones/')).body).toEqual([]);
    expect(
      (await api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } })).status,
    ).toBe(201);
    expect((await call(sandbox.url, 'GET', '/api/v1/dns-zones/', { token: null })).status).toBe(
      401,
    );

    expect(await stop(sandbox, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(sandbox.stdout()).toMatch(/SIGTERM: sandbox stopped/);
    expect(sandbox.stderr()).toBe('');
  });

  it('stops on SIGINT with exit 0 and saves its state; a restart keeps token and zones', async () => {
    const file = join(dir, 'state.json');
    const first = await start(['--port', '0', '--state', file]);
    expect(first.stdout()).toContain(`state: ${file}`);
    const api = clientFor(first.url, first.token);
    await api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } });
    expect(await stop(first, 'SIGINT')).toEqual({ code: 0, signal: null });
    expect(first.stdout()).toContain(`state saved to ${file}`);
    expect(JSON.parse(readFileSync(file, 'utf8')).zones).toHaveLength(1);

    const second = await start(['--port', '0', '--state', file]);
    expect(second.token).toBe(first.token);
    const zones = await clientFor(second.url, first.token)('GET', '/api/v1/dns-zones/');
    expect(zones.body.map((z: { domain: string }) => z.domain)).toEqual(['example.com']);
    expect(await stop(second, 'SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('uses --token and applies the fault flags', async () => {
    const sandbox = await start([
      '--port',
      '0',
      '--token',
      'vps_my_own_token',
      '--token',
      'vps_read_only=dns:list,dns:read',
      '--latency',
      '5',
      '--rate-limit',
      '1',
      '--rate-burst',
      '2',
      '--fail-before',
      '0.5',
      '--fail-after',
      '0.25',
      '--page-size',
      '2',
    ]);
    expect(sandbox.token).toBe('vps_my_own_token');
    expect(sandbox.stdout()).toContain('(1 more token accepted)');
    const readOnly = await call(sandbox.url, 'POST', '/api/v1/dns-zones/', {
      token: 'vps_read_only',
      json: { domain: 'example.com' },
    });
    expect(readOnly.status).toBe(403);
    expect(readOnly.body.detail).toBe('Token lacks dns:create permission');
    expect(sandbox.stdout()).toMatch(
      /faults: latency 5 ms, rate limit 1\/s per token, bursts of 2/,
    );
    const settings = await call(sandbox.url, 'GET', '/_sandbox/faults', { token: sandbox.token });
    expect(settings.body).toEqual({
      latencyMs: 5,
      rateLimit: 1,
      rateBurst: 2,
      failBefore: 0.5,
      failAfter: 0.25,
      dropConnections: 0,
      pageSize: 2,
    });
    const api = clientFor(sandbox.url, sandbox.token);
    expect((await api('GET', '/api/v1/dns-zones/')).body).toMatchObject({ count: 0, results: [] });
    // Bursts of two: the second passes too, the third is refused.
    expect((await api('GET', '/api/v1/dns-zones/')).status).toBe(200);
    expect((await api('GET', '/api/v1/dns-zones/')).status).toBe(429);
    expect(await stop(sandbox, 'SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it.each([
    [['--token', 'abc'], /--token must start with vps_/],
    [['--token', 'vps_x=dns:lists'], /unknown permission dns:lists/],
    [['--fail-before', '2'], /--fail-before needs a fraction/],
    [['--port', '70000'], /--port needs a port number/],
    [['--rate-limit', '0'], /--rate-limit needs a number/],
    [['--rate-limit', '5', '--rate-burst', '0'], /--rate-burst needs a whole number/],
    [['--rate-burst', '2'], /--rate-burst goes with --rate-limit/],
  ])('refuses %j with exit 1', (args, message) => {
    const result = spawnSync(process.execPath, [CLI, 'sandbox', ...args], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it('says so when the port is taken', async () => {
    const sandbox = await start(['--port', '0']);
    const port = new URL(sandbox.url).port;
    const result = spawnSync(process.execPath, [CLI, 'sandbox', '--port', port], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
  });

  it('documents its options in --help', () => {
    const result = spawnSync(process.execPath, [CLI, 'sandbox', '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    for (const flag of [
      '--port',
      '--state',
      '--token',
      '--latency',
      '--rate-limit',
      '--rate-burst',
      '--fail-before',
      '--fail-after',
      '--page-size',
    ]) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toContain('8053');
  });
});
