/**
 * `dnssync verify` (built CLI) against a real BIND `named` serving what `dnssync export`
 * wrote for a zone with delegations, glue, data below a delegation (occluded), record
 * sets larger than a UDP answer holds, and TXT with control characters; and `validate`
 * on the same zone file. Skipped, saying so, when named is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasNamed, type NamedServer, startNamed, warnIfNoNamed } from './named-helpers.js';

const CLI = 'dist/cli.js';
warnIfNoNamed('verify-referrals');

const DOMAIN = 'ref.example';
/** 300 addresses: far more than a 512-octet UDP answer holds, and above Node's 256. */
const MANY_A = Array.from({ length: 300 }, (_, i) => `10.0.${i >> 8}.${i & 0xff}`);
const MANY_AAAA = Array.from({ length: 300 }, (_, i) => `2001:db8::${(i + 1).toString(16)}`);

const ZONE = `ttl: 600
records:
  - { name: "@", type: A, value: 192.0.2.1 }
  - { name: sub, type: NS, values: [ns1.sub.${DOMAIN}, ns2.sub.${DOMAIN}, ns.lab.${DOMAIN}], ttl: 86400 }
  - { name: ns1.sub, type: A, value: 192.0.2.53, ttl: 3000 }
  - { name: ns1.sub, type: AAAA, value: "2001:db8::53" }
  - { name: ns2.sub, type: A, value: 192.0.2.54 }
  - { name: lab, type: NS, value: ns.elsewhere.example.net }
  - { name: ns.lab, type: A, value: 192.0.2.55 }
  - { name: www.sub, type: A, value: 192.0.2.80 }
  - { name: sub, type: TXT, value: kept while the delegation moves }
  - { name: big, type: A, values: [${MANY_A.join(', ')}], ttl: 1234 }
  - { name: big6, type: AAAA, values: [${MANY_AAAA.map((a) => `"${a}"`).join(', ')}], ttl: 4321 }
  - { name: ctl, type: TXT, value: "bell\\a escape\\e[31m red\\u202e" }
`;

let work = '';
let named: NamedServer | null = null;

function dnssync(...args: string[]) {
  return spawnSync('node', [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

function zonesWith(name: string, text: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${DOMAIN}.yaml`), text);
  return dir;
}

function verify(zones: string, ...extra: string[]) {
  return dnssync('verify', '--zones', zones, '--nameserver', named?.nameserver ?? '', ...extra);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'dnssync-verify-ref-'));
  if (!hasNamed) return;
  const exported = dnssync('export', '--zones', zonesWith('served', ZONE), '--serial', '1');
  expect(exported.status, exported.stderr).toBe(0);
  const file = join(work, `${DOMAIN}.zone`);
  writeFileSync(file, exported.stdout);
  named = await startNamed([{ domain: DOMAIN, file }]);
});

afterAll(async () => {
  await named?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** C0, DEL, C1 and bidirectional controls: none may reach the terminal as themselves. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe.skipIf(!hasNamed)('dnssync verify follows referrals, reads any RRset size', () => {
  it('checks delegations through their NS set and glue, and reports occluded data apart', () => {
    const result = verify(zonesWith('same', ZONE));
    expect(result.stderr).toBe('');
    const out = result.stdout;
    expect(out).toContain(
      `${DOMAIN} at ${named?.nameserver}: 10 of 10 record sets match; 2 not served`,
    );
    expect(out).toContain(
      `✓ sub NS: ns1.sub.${DOMAIN}, ns2.sub.${DOMAIN}, ns.lab.${DOMAIN}, TTL 86400`,
    );
    // Glue, from the referral's additional section, TTL and all.
    expect(out).toContain('✓ ns1.sub A: 192.0.2.53, TTL 3000');
    expect(out).toContain('✓ ns1.sub AAAA: 2001:db8::53, TTL 600');
    expect(out).toContain('✓ ns2.sub A: 192.0.2.54, TTL 600');
    // Below lab, glue for sub's nameserver.
    expect(out).toContain('✓ ns.lab A: 192.0.2.55, TTL 600');
    expect(out).toContain(
      `- www.sub A: not served: below the delegation of sub.${DOMAIN}, where servers answer with a referral carrying only its NS records and glue (not asked; not a failure)`,
    );
    expect(out).toContain(`- sub TXT: not served: at the delegation of sub.${DOMAIN}`);
    expect(out).toContain(
      '✓ every record set matches (10 checks); 2 record sets below a delegation are not served and not asked',
    );
    expect(result.status).toBe(0);
  });

  it('with --wait, succeeds at once on a zone with glue and occluded data', () => {
    const result = verify(zonesWith('wait', ZONE), '--wait', '30');
    expect(result.stderr).not.toContain('trying again');
    expect(result.stdout).toContain('✓ every record set matches');
    expect(result.status).toBe(0);
  });

  it('compares glue: a changed address and TTL are differences, not "missing"', () => {
    const zone = ZONE.replace('value: 192.0.2.53, ttl: 3000', 'value: 192.0.2.99, ttl: 60');
    const result = verify(zonesWith('glue-changed', zone));
    expect(result.stdout).toContain(
      '✗ ns1.sub A: differs: missing 192.0.2.99; unexpected 192.0.2.53; TTL 3000, expected 60',
    );
    expect(result.status).toBe(1);
  });

  it('reads a set of 300 A and 300 AAAA records whole (TCP after a truncated UDP answer), TTL included', () => {
    const ok = verify(zonesWith('big', ZONE));
    expect(ok.stdout).toMatch(/✓ big A: 10\.0\.0\.0, .*, 10\.0\.1\.43, TTL 1234\n/);
    expect(ok.stdout).toMatch(/✓ big6 AAAA: .*, TTL 4321\n/);
    const fewer = ZONE.replace(', 10.0.1.43]', ']').replace('ttl: 1234', 'ttl: 999');
    const result = verify(zonesWith('big-differs', fewer));
    expect(result.stdout).toContain(
      '✗ big A: differs: unexpected 10.0.1.43; TTL 1234, expected 999',
    );
    expect(result.stdout).not.toContain('NaN');
    expect(result.status).toBe(1);
  });

  it('shows TXT with control characters only as visible escapes, matching or not', () => {
    const same = verify(zonesWith('ctl', ZONE));
    expect(same.stdout).not.toMatch(CONTROL);
    expect(same.stdout).toContain('✓ ctl TXT: bell\\x07 escape\\x1b[31m red\\u202e, TTL 600');
    const other = verify(zonesWith('ctl-differs', ZONE.replace('bell\\a', 'bell')));
    expect(other.stdout).not.toMatch(CONTROL);
    expect(other.stdout).toContain(
      '✗ ctl TXT: differs: missing bell escape\\x1b[31m red\\u202e; unexpected bell\\x07 escape\\x1b[31m red\\u202e',
    );
  });
});

describe('dnssync validate on a zone with a delegation', () => {
  it('warns about occluded data, explains glue, and takes glue as glue (as verify does)', () => {
    const result = dnssync('validate', '--zones', zonesWith('validate', ZONE));
    const warnings = result.stderr
      .split('\n')
      .concat(result.stdout.split('\n'))
      .filter((line) => line.includes('delegation-occluded'));
    expect(warnings.join('\n')).toContain(
      'A www.sub is below the delegation of sub (NS at line 4): resolvers never see it, as a server answers every name there with a referral to the sub.ref.example zone, carrying only the NS records of sub and glue (A/AAAA records of the names those NS records point at); move it to the sub.ref.example zone or remove it; it would be glue, served in referrals, if an NS record of sub pointed at www.sub.ref.example',
    );
    expect(warnings.join('\n')).toContain('TXT sub is at the delegation of sub');
    expect(warnings).toHaveLength(2);
  });
});
