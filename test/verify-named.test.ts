/**
 * `dnssync verify` (built CLI) against a real BIND `named` started here on a random
 * high loopback port, serving a zone exported by `dnssync export`. Skipped, saying so,
 * when named is not installed (Debian package bind9).
 */
import { spawn, spawnSync } from 'node:child_process';
import { promises as dns } from 'node:dns';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  hasNamed,
  type NamedServer,
  startNamed,
  warnIfNoNamed,
} from './named-helpers.js';

const CLI = 'dist/cli.js';
warnIfNoNamed('verify-named');

const DOMAIN = 'verify.example';
/** The zone named serves; the tests' zone files are variations of it. */
const SERVED = `# yaml-language-server: $schema=../schemas/zone.schema.json
ttl: 600
records:
  - { name: "@", type: A, values: [192.0.2.1, 192.0.2.2] }
  - { name: "@", type: AAAA, value: "2001:DB8::1" }
  - { name: "@", type: MX, values: [mx1.verify.example, mx2.verify.example], priority: 10 }
  - { name: "@", type: TXT, value: "v=spf1 -all" }
  - { name: "@", type: TXT, value: "long ${'x'.repeat(300)} ünïcödé" }
  - { name: "@", type: CAA, value: 0 issue "letsencrypt.org" }
  - { name: "@", type: CAA, value: '128 issuewild ";"' }
  - { name: mx1, type: A, value: 192.0.2.11 }
  - { name: mx2, type: A, value: 192.0.2.12 }
  - { name: www, type: A, value: 192.0.2.80, ttl: 300 }
  - { name: Alias, type: CNAME, value: WWW.verify.example. }
  - { name: "*.preview", type: CNAME, value: previews.example.net }
  - { name: nomail, type: MX, value: ".", priority: 0 }
  - { name: _sip._tcp, type: SRV, value: 5 5060 sip.verify.example, priority: 10 }
  - { name: _imaps._tcp, type: SRV, value: 0 0 ., priority: 0 }
  - { name: sip, type: A, value: 192.0.2.30 }
  - { name: sub, type: NS, values: [ns1.sub-dns.example.net, ns2.sub-dns.example.net], ttl: 86400 }
`;

let work = '';
let port = 0;
let named: NamedServer | null = null;
let zoneFile = '';

function dnssync(...args: string[]) {
  return spawnSync('node', [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

/** An async run, for --wait while the test changes the zone meanwhile. */
function dnssyncAsync(...args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

/** A zones directory holding one zone file with `text`. */
function zonesWith(name: string, text: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${DOMAIN}.yaml`), text);
  return dir;
}

function verify(zones: string, ...extra: string[]) {
  return dnssync('verify', '--zones', zones, '--nameserver', `127.0.0.1:${port}`, ...extra);
}

/** Writes the served zone (as `dnssync export` renders it) and, if running, reloads named. */
function serve(zoneText: string, serial: number): void {
  const dir = zonesWith(`served-${serial}`, zoneText);
  const exported = dnssync(
    'export',
    '--format',
    'bind',
    '--zones',
    dir,
    '--serial',
    String(serial),
  );
  expect(exported.status, exported.stderr).toBe(0);
  writeFileSync(zoneFile, exported.stdout);
  named?.reload();
}

beforeAll(async () => {
  if (!hasNamed) return;
  work = mkdtempSync(join(tmpdir(), 'dnssync-verify-'));
  zoneFile = join(work, `${DOMAIN}.zone`);
  serve(SERVED, 1);
  named = await startNamed([{ domain: DOMAIN, file: zoneFile }]);
  port = named.port;
});

afterAll(async () => {
  await named?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasNamed)('dnssync verify against BIND named', () => {
  it('reports every record set matching, delegation NS read from the referral', () => {
    const result = verify(zonesWith('same', SERVED));
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('✓ every record set matches');
    expect(result.stdout).toContain(`${DOMAIN} at 127.0.0.1:${port}: 15 of 15 record sets match`);
    expect(result.stdout).toContain(
      '✓ sub NS: ns1.sub-dns.example.net, ns2.sub-dns.example.net, TTL 86400',
    );
    expect(result.stdout).toContain('✓ www A: 192.0.2.80, TTL 300');
    expect(result.stdout).toContain('✓ *.preview CNAME: previews.example.net');
    expect(result.stdout).toContain('✓ nomail MX: 0 .');
    expect(result.stdout).toContain('✓ _imaps._tcp SRV: 0 0 0 .');
    expect(result.status).toBe(0);
  });

  it('detects one changed value', () => {
    const result = verify(
      zonesWith('changed', SERVED.replace('value: 192.0.2.80', 'value: 192.0.2.81')),
    );
    expect(result.stdout).toContain('✗ www A: differs: missing 192.0.2.81; unexpected 192.0.2.80');
    expect(result.stdout).toContain('✗ 1 of 15 checks do not match');
    expect(result.status).toBe(1);
  });

  it('detects a TTL that differs on A records', () => {
    const result = verify(zonesWith('ttl', SERVED.replace('ttl: 300 }', 'ttl: 900 }')));
    expect(result.stdout).toContain('✗ www A: differs: TTL 300, expected 900');
    expect(result.status).toBe(1);
  });

  it('reads TTLs of every type, not only of addresses (here MX and SRV)', () => {
    const zone = SERVED.replaceAll('priority: 10 }', 'priority: 10, ttl: 900 }');
    const result = verify(zonesWith('ttl-any', zone));
    expect(result.stdout).toContain('✗ @ MX: differs: TTL 600, expected 900');
    expect(result.stdout).toContain('✗ _sip._tcp SRV: differs: TTL 600, expected 900');
    expect(result.stdout).toContain('✓ nomail MX: 0 ., TTL 600');
    expect(result.status).toBe(1);
  });

  it('detects missing records: a new name, a new type at a name, a delegation not there', () => {
    const extra = `${SERVED}  - { name: new, type: A, value: 192.0.2.99 }
  - { name: www, type: TXT, value: "hello" }
  - { name: other, type: NS, value: ns.other.example.net }
`;
    const result = verify(zonesWith('missing', extra));
    expect(result.stdout).toContain(
      '✗ new A: missing (the name does not exist); expected 192.0.2.99',
    );
    expect(result.stdout).toContain('✗ www TXT: missing (the name has no TXT records)');
    expect(result.stdout).toContain('✗ other NS: missing (the name does not exist)');
    expect(result.status).toBe(1);
  });

  it('detects a delegation whose nameservers differ', () => {
    const result = verify(
      zonesWith('delegation', SERVED.replace('ns2.sub-dns.example.net', 'ns3.sub-dns.example.net')),
    );
    expect(result.stdout).toContain(
      '✗ sub NS: differs: missing ns3.sub-dns.example.net; unexpected ns2.sub-dns.example.net',
    );
    expect(result.status).toBe(1);
  });

  it('with --wait, succeeds once the nameserver serves the change (zone reloaded by SIGHUP)', async () => {
    const updated = SERVED.replace('value: "v=spf1 -all"', 'value: "v=spf1 mx -all"');
    const zones = zonesWith('updated', updated);
    expect(verify(zones).status).toBe(1);
    const running = dnssyncAsync(
      'verify',
      '--zones',
      zones,
      '--nameserver',
      `127.0.0.1:${port}`,
      '--wait',
      '30',
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    serve(updated, 2);
    const result = await running;
    expect(result.stdout).toContain('✓ @ TXT:');
    expect(result.stdout).toContain('✓ every record set matches');
    expect(result.status).toBe(0);
    expect(readFileSync(zoneFile, 'utf8')).toContain('"v=spf1 mx -all"');
    serve(SERVED, 3);
    await waitUntilChanged();
  });

  it('with --wait, gives up when the time is over and exits 1', () => {
    const result = verify(
      zonesWith('never', SERVED.replace('value: 192.0.2.80', 'value: 192.0.2.82')),
      '--wait',
      '1',
    );
    expect(result.stderr).toMatch(/not matching yet; trying again/);
    expect(result.stdout).toContain('✗ www A: differs');
    expect(result.status).toBe(1);
  });

  it('reports a zone the server does not serve as refused, not as missing', () => {
    const dir = join(work, 'other');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'not-served.example.yaml'),
      'records:\n  - { name: "@", type: A, value: 192.0.2.1 }\n',
    );
    const result = verify(dir);
    expect(result.stdout).toContain('? @ A: could not check: the server refused the query');
    expect(result.status).toBe(1);
  });

  it('counts the checks a second, silent nameserver could not answer apart from mismatches', async () => {
    const silent = await freePort();
    const result = verify(zonesWith('silent', SERVED), '--nameserver', `127.0.0.1:${silent}`);
    expect(result.stdout).toContain(`${DOMAIN} at 127.0.0.1:${port}: 15 of 15 record sets match`);
    expect(result.stdout).toContain(
      `${DOMAIN} at 127.0.0.1:${silent}: none of 15 record sets could be checked`,
    );
    expect(result.stdout).toContain(
      `✗ 15 of 30 checks could not be made (127.0.0.1:${silent}: connection refused); the other 15 match`,
    );
    expect(result.stdout).not.toContain('do not match');
    expect(result.status).toBe(1);
  });

  it('shows a hostile answer (a TXT of escape sequences) only as visible text', async () => {
    const hostileTxt = '\\e[2J\\e[H\\e]0;owned\\aall good\\u202e';
    serve(`${SERVED}  - { name: hostile, type: TXT, value: "${hostileTxt}" }\n`, 4);
    await waitForTxt('hostile', true);
    const result = verify(
      zonesWith('hostile', `${SERVED}  - { name: hostile, type: TXT, value: clean }\n`),
    );
    expect(result.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    expect(result.stdout).toContain(
      '✗ hostile TXT: differs: missing clean; unexpected \\x1b[2J\\x1b[H\\x1b]0;owned\\x07all good\\u202e',
    );
    expect(result.status).toBe(1);
    serve(SERVED, 5);
    await waitForTxt('hostile', false);
  });
});

/** Waits until named serves a TXT at `name` (or, with `present` false, no longer does). */
async function waitForTxt(name: string, present: boolean): Promise<void> {
  const resolver = new dns.Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const found = await resolver.resolveTxt(`${name}.${DOMAIN}`).then(
      () => true,
      () => false,
    );
    if (found === present) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`named did not ${present ? 'serve' : 'drop'} the TXT at ${name}`);
}

/** After restoring the served zone, wait until named answers with it again. */
async function waitUntilChanged(): Promise<void> {
  const resolver = new dns.Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      const txt = (await resolver.resolveTxt(DOMAIN)).map((chunks) => chunks.join(''));
      if (txt.includes('v=spf1 -all')) return;
    } catch {
      // named may be busy reloading; ask again.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('named did not reload the restored zone');
}
