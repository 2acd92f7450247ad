/**
 * How commands read their arguments, end to end through the built CLI: `apply [DOMAIN...]`
 * beside `apply PLANFILE`, `--nameserver` given once per nameserver, `export` without
 * `--format`, and mistyped options that never earn a `--force` suggestion.
 */
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import { type CliTarget, emptySandbox, runCli, tempZones, writeZone } from './apply-helpers.js';
import { CLI, CLI_BUILT } from './sandbox-helpers.js';

const ZONE_A = 'records:\n  - { name: "@", type: A, value: 192.0.2.1 }\n';
const ZONE_B = 'records:\n  - { name: www, type: A, value: 192.0.2.2 }\n';

/** The built CLI, offline, in `cwd`. */
function offline(args: string[], cwd: string) {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  for (const name of ['GITHUB_ACTIONS', 'FORCE_COLOR', 'DNSSYNC_DEBUG', 'VPS_API_TOKEN']) {
    delete env[name];
  }
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.skipIf(!CLI_BUILT)('apply [DOMAIN...] and apply PLANFILE', () => {
  let sandbox: Sandbox;
  let temp: Awaited<ReturnType<typeof tempZones>>;
  let target: CliTarget;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    temp = await tempZones('dnssync-apply-args-');
    target = { sandbox, zonesDir: temp.zonesDir, cwd: temp.dir };
    await writeZone(temp.zonesDir, 'a.example', ZONE_A);
    await writeZone(temp.zonesDir, 'b.example', ZONE_B);
  });
  afterEach(async () => {
    await emptySandbox(sandbox);
    await temp.cleanup();
  });

  it('applies only the domains named, as plan plans them', async () => {
    const run = await runCli(target, ['apply', 'a.example', '--yes']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('a.example');
    expect(run.stdout).not.toContain('b.example');
    expect(sandbox.zone('a.example')).toBeDefined();
    expect(sandbox.zone('b.example')).toBeUndefined();
  });

  it('answers a domain without a zone file exactly as plan does', async () => {
    const applied = await runCli(target, ['apply', 'nosuch.example', '--yes']);
    const planned = await runCli(target, ['plan', 'nosuch.example']);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('no zone file for nosuch.example');
    expect(applied.stderr).toBe(planned.stderr);
    expect(sandbox.zone('a.example')).toBeUndefined();
  });

  it('reads an argument ending in .json or holding a slash as a saved plan', async () => {
    const saved = await runCli(target, ['plan', 'b.example', '--out', 'saved.json']);
    expect(saved.code).toBe(0);
    const run = await runCli(target, ['apply', 'saved.json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(sandbox.zone('b.example')).toBeDefined();
    expect(sandbox.zone('a.example')).toBeUndefined();
  });

  it('says how to name a plan saved under another name, and applies it as ./NAME', async () => {
    const saved = await runCli(target, ['plan', 'a.example', '--out', 'plan.out']);
    // The hint plan prints is one apply reads as a plan file.
    expect(saved.stdout).toContain('dnssync apply ./plan.out');
    const bare = await runCli(target, ['apply', 'plan.out']);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('write ./plan.out');
    expect(sandbox.zone('a.example')).toBeUndefined();
    const run = await runCli(target, ['apply', './plan.out']);
    expect(run.code).toBe(0);
    expect(sandbox.zone('a.example')).toBeDefined();
  });

  it('says a zone file path is not a plan, and names the domain to give', async () => {
    const run = await runCli(target, ['apply', 'zones/a.example.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'zones/a.example.yaml is a zone file, not a saved plan: apply takes domains (dnssync apply a.example)',
    );
    expect(sandbox.stats.byMethod.POST ?? 0).toBe(0);
  });

  it('refuses a plan file beside domains, and two plan files', async () => {
    writeFileSync(join(temp.dir, 'one.json'), '{}');
    const both = await runCli(target, ['apply', 'one.json', 'a.example']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('give the plan file one.json or domains, not both');
    const two = await runCli(target, ['apply', 'one.json', 'two.json']);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('give one plan file, not 2');
    expect(sandbox.stats.byMethod.POST ?? 0).toBe(0);
  });
});

describe.skipIf(!CLI_BUILT)('mistyped options', () => {
  const COMMANDS = [
    'validate',
    'plan',
    'apply',
    'import',
    'export',
    'verify',
    'checks',
    'sandbox',
    'init',
    'completion',
  ];
  const cwd = tmpdir();

  it.each(COMMANDS)('%s: never suggests --force', (command) => {
    for (const typo of ['--forc', '--forse', '--formt', '--fource', '--force-it']) {
      const run = offline([command, typo], cwd);
      expect(run.code, `${command} ${typo}`).toBe(1);
      expect(run.stderr, `${command} ${typo}`).toContain(`unknown option '${typo}'`);
      // The typo itself is quoted back; nothing else may name --force.
      expect(run.stderr.replace(typo, ''), `${command} ${typo}`).not.toContain('--force');
    }
  });

  it('apply --format json does not suggest --force', () => {
    const run = offline(['apply', '--format', 'json'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('--force');
  });

  it('still suggests the other options', () => {
    expect(offline(['plan', '--fromat', 'json'], cwd).stderr).toContain('(Did you mean --format?)');
    expect(offline(['apply', '--no-verfy'], cwd).stderr).toContain('(Did you mean --no-verify?)');
    expect(offline(['apply', '--yess'], cwd).stderr).toContain('(Did you mean --yes?)');
  });
});

describe.skipIf(!CLI_BUILT)('--nameserver, once per nameserver', () => {
  let dir: string;
  let zones: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dnssync-nameserver-'));
    zones = join(dir, 'zones');
    spawnSync('mkdir', [zones]);
    writeFileSync(join(zones, 'a.example.yaml'), ZONE_A);
    writeFileSync(join(zones, 'b.example.yaml'), ZONE_B);
    writeFileSync(
      join(zones, 'c.example.yaml'),
      'records:\n  - { name: "@", type: NS, values: [ns1.c.example, ns2.c.example] }\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('export --format bind --nameserver NS DOMAIN exports that one zone, with NS as its apex NS', () => {
    const run = offline(
      ['export', '--format', 'bind', '--nameserver', 'ns1.dns.test', 'a.example'],
      dir,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('$ORIGIN a.example.');
    expect(run.stdout).not.toContain('b.example');
    expect(run.stdout).toMatch(/^@ +\d+ +IN NS +ns1\.dns\.test\.$/m);
  });

  it('export takes several nameservers, one --nameserver each, and needs no --format', () => {
    const run = offline(
      ['export', '--nameserver', 'ns1.dns.test', '--nameserver', 'ns2.dns.test', 'b.example'],
      dir,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('$ORIGIN b.example.');
    expect(run.stdout).toMatch(/IN NS +ns1\.dns\.test\.\n.*IN NS +ns2\.dns\.test\./);
  });

  it('export --format takes only bind', () => {
    const run = offline(['export', '--format', 'json', 'a.example'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("argument 'json' is invalid");
  });

  it('verify --nameserver HOST:PORT DOMAIN DOMAIN verifies both domains at that nameserver', async () => {
    const closed = await closedUdpPort();
    const run = offline(
      ['verify', '--nameserver', `127.0.0.1:${closed}`, 'a.example', 'b.example'],
      dir,
    );
    expect(run.stderr).not.toContain('cannot find the address');
    expect(run.stdout).toContain(`a.example at 127.0.0.1:${closed}:`);
    expect(run.stdout).toContain(`b.example at 127.0.0.1:${closed}:`);
    expect(run.stdout).not.toContain('c.example');
    expect(run.code).toBe(1);
  });

  it('verify asks every nameserver given', async () => {
    const [one, two] = [await closedUdpPort(), await closedUdpPort()];
    const run = offline(
      [
        'verify',
        '--nameserver',
        `127.0.0.1:${one}`,
        '--nameserver',
        `127.0.0.1:${two}`,
        'a.example',
      ],
      dir,
    );
    expect(run.stdout).toContain(`a.example at 127.0.0.1:${one}:`);
    expect(run.stdout).toContain(`a.example at 127.0.0.1:${two}:`);
    expect(run.code).toBe(1);
  });

  it('verify against a closed port says nothing was compared, not that records differ', async () => {
    const closed = await closedUdpPort();
    const run = offline(['verify', '--nameserver', `127.0.0.1:${closed}`], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `a.example at 127.0.0.1:${closed}: none of 1 record set could be checked`,
    );
    expect(run.stdout).toMatch(/^✗ nothing was compared: none of 3 checks could be made \(.+\)$/m);
    expect(run.stdout).not.toContain('do not match');
  });
});

/** A loopback UDP port nobody listens on (bound, then closed). */
function closedUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
