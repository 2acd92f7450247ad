/**
 * `validate --online` (built CLI) against a real BIND `named` started here on a random
 * high loopback port, serving the zones the checked zone file points into. Nothing else
 * is asked: names outside those zones are refused by named (and reported as not
 * checked), and names inside the checked zone file are answered from the file itself.
 * Skipped, saying so, when named is not installed (Debian package bind9).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { promises as dns } from 'node:dns';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonIssue, markedLine, validateJson, zoneFile, zonesDir } from './checks-helpers.js';

const NAMED = ['named', '/usr/sbin/named'].find(
  (candidate) => spawnSync(candidate, ['-v']).error === undefined,
);
if (NAMED === undefined) {
  console.warn(
    'checks-online: `named` not found (Debian package bind9): the online check tests are SKIPPED',
  );
}

const ip4 = (n: number) => `192.0.2.${n}`;
/** The zones named serves: name → records after the SOA and NS. */
const SERVED: Record<string, string[]> = {
  'azurewebsites.net': ['live A 192.0.2.80'],
  'hosting.example': ['up A 192.0.2.81'],
  'mail.example': ['mx1 A 192.0.2.25', 'textonly TXT "no address here"'],
  'spf.example': [
    `big TXT "v=spf1 ${Array.from({ length: 10 }, (_, i) => `include:i${i + 1}.spf.example`).join(' ')} -all"`,
    `nine TXT "v=spf1 ${Array.from({ length: 9 }, (_, i) => `include:i${i + 1}.spf.example`).join(' ')} -all"`,
    ...Array.from({ length: 10 }, (_, i) => `i${i + 1} TXT "v=spf1 ip4:${ip4(i + 1)} -all"`),
    'nospf TXT "hello"',
    'exists A 192.0.2.99',
  ],
};

function bindZone(domain: string, records: string[]): string {
  return [
    `$ORIGIN ${domain}.`,
    '$TTL 300',
    `@ SOA ns.${domain}. hostmaster.${domain}. 1 3600 600 86400 300`,
    `@ NS ns.${domain}.`,
    'ns A 127.0.0.1',
    ...records,
    '',
  ].join('\n');
}

/** The zone file under test; `# here` marks are replaced per case below. */
const RECORDS = {
  takeover: '{ name: takeover, type: CNAME, value: ghost.azurewebsites.net }',
  takeoverNear: '{ name: fine, type: CNAME, value: live.azurewebsites.net }',
  nxdomain: '{ name: broken, type: CNAME, value: gone.hosting.example }',
  nxdomainNear: '{ name: ok, type: CNAME, value: up.hosting.example }',
  noAddress: '{ name: "@", type: MX, value: textonly.mail.example, priority: 10 }',
  noAddress2: '{ name: "@", type: MX, value: nowhere.mail.example, priority: 20 }',
  noAddressNear: '{ name: "@", type: MX, value: mx1.mail.example, priority: 30 }',
  total: '{ name: "@", type: TXT, value: "v=spf1 include:big.spf.example -all" }',
  totalNear: '{ name: ten, type: TXT, value: "v=spf1 include:nine.spf.example -all" }',
  voids:
    '{ name: void, type: TXT, value: "v=spf1 a:v1.spf.example mx:v2.spf.example exists:v3.spf.example -all" }',
  voidsNear:
    '{ name: twovoid, type: TXT, value: "v=spf1 a:v1.spf.example exists:exists.spf.example mx:v2.spf.example -all" }',
  unresolved: '{ name: nospf, type: TXT, value: "v=spf1 include:nospf.spf.example -all" }',
  unresolvedNear: '{ name: local, type: TXT, value: "v=spf1 include:_spf.site.test -all" }',
  localSpf: '{ name: _spf, type: TXT, value: "v=spf1 ip4:192.0.2.1 -all" }',
  failed: '{ name: elsewhere, type: CNAME, value: x.not-served.example }',
};

let work = '';
let port = 0;
let named: ChildProcess | null = null;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const found = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(found));
    });
  });
}

async function waitUntilServing(timeoutMs: number): Promise<void> {
  const resolver = new dns.Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await resolver.resolveSoa('spf.example');
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`named did not serve within ${timeoutMs} ms`);
}

beforeAll(async () => {
  if (NAMED === undefined) return;
  work = mkdtempSync(join(tmpdir(), 'dnssync-online-'));
  const zones = Object.entries(SERVED).map(([domain, records]) => {
    const file = join(work, `${domain}.zone`);
    writeFileSync(file, bindZone(domain, records));
    return `zone "${domain}" { type primary; file "${file}"; };`;
  });
  for (let attempt = 0; attempt < 5 && named === null; attempt++) {
    port = await freePort();
    const conf = join(work, `named-${port}.conf`);
    writeFileSync(
      conf,
      `options {
  directory "${work}";
  pid-file "${work}/named.pid";
  session-keyfile "${work}/session.key";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  notify no;
};
controls { };
${zones.join('\n')}
`,
    );
    const child = spawn(NAMED, ['-g', '-c', conf, '-n', '1'], { stdio: 'ignore' });
    try {
      await waitUntilServing(10_000);
      named = child;
    } catch {
      child.kill('SIGKILL');
    }
  }
  if (named === null) throw new Error('could not start named on a free loopback port');
});

afterAll(() => {
  named?.kill('SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Validates one zone file holding `records` (one of them marked), online; its issues. */
function check(records: string[]): { line: number; issues: JsonIssue[]; code: number | null } {
  const text = zoneFile(records);
  const dir = zonesDir({ 'site.test.yaml': text });
  const { issues, code } = validateJson(dir, '--resolver', `127.0.0.1:${port}`);
  return { line: markedLine(text), issues, code };
}

const at = (issues: JsonIssue[], id: string) =>
  issues.filter((issue) => issue.code === id).map((issue) => issue.line);

describe.skipIf(NAMED === undefined)('online checks against BIND named', () => {
  it('cname-takeover: a CNAME to a missing name under a takeover-prone suffix; not to one that exists', () => {
    const { line, issues, code } = check([`${RECORDS.takeover} # here`, RECORDS.takeoverNear]);
    expect(at(issues, 'cname-takeover')).toEqual([line]);
    expect(issues.find((i) => i.code === 'cname-takeover')?.message).toContain('Azure App Service');
    expect(issues.filter((i) => i.code !== 'cname-takeover')).toEqual([]);
    expect(code).toBe(1);
  });

  it('cname-nxdomain: a CNAME to a missing name elsewhere; not to one that exists', () => {
    const { line, issues, code } = check([`${RECORDS.nxdomain} # here`, RECORDS.nxdomainNear]);
    expect(at(issues, 'cname-nxdomain')).toEqual([line]);
    expect(issues).toHaveLength(1);
    expect(code).toBe(0);
  });

  it('mx-no-address: MX targets without A/AAAA (no address, or no name); not one with an address', () => {
    const { line, issues } = check([
      `${RECORDS.noAddress} # here`,
      RECORDS.noAddress2,
      RECORDS.noAddressNear,
    ]);
    expect(at(issues, 'mx-no-address')).toEqual([line, line + 1]);
    expect(issues.map((i) => i.message).join('\n')).toContain('does not exist (NXDOMAIN)');
    expect(issues).toHaveLength(2);
  });

  it('spf-lookups-total: 11 lookups through includes; 10 pass', () => {
    const { line, issues } = check([`${RECORDS.total} # here`, RECORDS.totalNear]);
    expect(at(issues, 'spf-lookups-total')).toEqual([line]);
    expect(issues.find((i) => i.code === 'spf-lookups-total')?.message).toContain(
      'takes 11 DNS lookups',
    );
    expect(issues).toHaveLength(1);
  });

  it('spf-void-lookups: three lookups that find nothing; two pass', () => {
    const { line, issues } = check([`${RECORDS.voids} # here`, RECORDS.voidsNear]);
    expect(at(issues, 'spf-void-lookups')).toEqual([line]);
    expect(issues).toHaveLength(1);
  });

  it('spf-include-unresolved: an include without SPF; an include answered from the zone file itself passes', () => {
    const { line, issues } = check([
      `${RECORDS.unresolved} # here`,
      RECORDS.unresolvedNear,
      RECORDS.localSpf,
    ]);
    expect(at(issues, 'spf-include-unresolved')).toEqual([line]);
    expect(issues).toHaveLength(1);
  });

  it('lookup-failed: a name the resolver refuses is reported as not checked, never as missing', () => {
    const { line, issues, code } = check([`${RECORDS.failed} # here`]);
    expect(issues.map((i) => `${i.line} ${i.severity} ${i.code}`)).toEqual([
      `${line} notice lookup-failed`,
    ]);
    expect(issues[0]?.message).toContain('refused');
    expect(code).toBe(0);
  });

  it('asks nothing without --online: the same file is clean offline', () => {
    const text = zoneFile([RECORDS.takeover, RECORDS.nxdomain, RECORDS.failed]);
    expect(validateJson(zonesDir({ 'site.test.yaml': text })).issues).toEqual([]);
  });
});
