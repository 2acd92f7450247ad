/**
 * Every offline DNS check end to end through the built CLI: a zone file that trips it,
 * at the right line, and a near miss that must not. All trip files are validated in one
 * run and all near misses in another (one file per check, named after it).
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OFFLINE_CHECKS } from '../src/checks/catalog.js';
import {
  CLI,
  dkimKey,
  dnssync,
  type JsonIssue,
  markedLine,
  validateJson,
  zoneFile,
  zonesDir,
} from './checks-helpers.js';

const txt = (name: string, value: string) =>
  `{ name: "${name}", type: TXT, value: ${JSON.stringify(value)} }`;
const rec = (name: string, type: string, value: string, extra = '') =>
  `{ name: "${name}", type: ${type}, value: ${JSON.stringify(value)}${extra} }`;
const includes = (n: number) =>
  Array.from({ length: n }, (_, i) => `include:_spf${i}.example.net`).join(' ');
/** n CNAMEs in a row, c1 → c2 → ... → cn → end (an A record); c1 is marked. */
const chain = (n: number) => [
  ...Array.from({ length: n }, (_, i) => {
    const record = rec(`c${i + 1}`, 'CNAME', i + 1 < n ? `c${i + 2}.ZONE.` : 'end.ZONE.');
    return i === 0 ? `${record} # here` : record;
  }),
  rec('end', 'A', '192.0.2.1'),
];

/** Check id → [records that trip it (one marked `# here`), records of a near miss]. */
const CASES: Record<string, [string[], string[]]> = {
  'spf-multiple': [
    [txt('@', 'v=spf1 -all'), `${txt('@', 'v=spf1 include:_spf.example.net -all')} # here`],
    [txt('@', 'v=spf1 -all'), txt('@', 'v=spf10 is not spf'), txt('www', 'v=spf1 -all')],
  ],
  'spf-syntax': [
    [`${txt('@', 'v=spf1 ip4:192.0.2.300 !all')} # here`],
    [
      txt(
        '@',
        'v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a mx:mail.example.net/24//64 exists:%{i}.x.example.net ~all',
      ),
    ],
  ],
  'spf-unknown-modifier': [
    [`${txt('@', 'v=spf1 -all redirct=_spf.example.net')} # here`],
    [txt('@', 'v=spf1 -all exp=explain.example.net')],
  ],
  'spf-all-not-last': [
    [`${txt('@', 'v=spf1 -all include:_spf.example.net')} # here`],
    [txt('@', 'v=spf1 include:_spf.example.net -all exp=explain.example.net')],
  ],
  'spf-redirect-with-all': [
    [`${txt('@', 'v=spf1 a -all redirect=_spf.example.net')} # here`],
    [txt('@', 'v=spf1 a redirect=_spf.example.net')],
  ],
  'spf-ptr': [
    [`${txt('@', 'v=spf1 ptr -all')} # here`],
    [txt('@', 'v=spf1 a:ptr.example.net -all')],
  ],
  'spf-lookups': [
    [`${txt('@', `v=spf1 ${includes(10)} a -all`)} # here`],
    [txt('@', `v=spf1 ${includes(9)} a -all`)],
  ],
  'spf-include-no-spf': [
    [`${txt('@', 'v=spf1 include:_spf.ZONE -all')} # here`, txt('_spf', 'not spf')],
    [txt('@', 'v=spf1 include:_spf.ZONE -all'), txt('_spf', 'v=spf1 ip4:192.0.2.1 -all')],
  ],
  'dmarc-syntax': [
    [`${txt('_dmarc', 'v=DMARC1; p=block; pct=150')} # here`],
    [
      txt(
        '_dmarc',
        'v=DMARC1; p=quarantine; pct=50; rua=mailto:d@example.net,mailto:e@example.net!10m',
      ),
    ],
  ],
  'dmarc-unknown-tag': [
    [`${txt('_dmarc', 'v=DMARC1; p=none; pcts=50')} # here`],
    [txt('_dmarc', 'v=DMARC1; p=none; np=reject; fo=0:d')],
  ],
  'dmarc-multiple': [
    [txt('_dmarc', 'v=DMARC1; p=none'), `${txt('_dmarc', 'v=DMARC1; p=reject')} # here`],
    [
      txt('_dmarc', 'v=DMARC1; p=none'),
      txt('_dmarc.sub', 'v=DMARC1; p=reject'),
      txt('_dmarc', 'other text'),
    ],
  ],
  'dmarc-misplaced': [
    [`${txt('@', 'v=DMARC1; p=none')} # here`],
    [txt('example.net._report._dmarc', 'v=DMARC1')],
  ],
  'dkim-key': [
    [
      `${txt('s1._domainkey', `v=DKIM1; k=rsa; p=${dkimKey().slice(0, 100)}" "${dkimKey().slice(100)}`)} # here`,
    ],
    [txt('s1._domainkey', `v=DKIM1; k=rsa; p=${dkimKey()}`), txt('_adsp._domainkey', 'dkim=all')],
  ],
  'dkim-revoked': [
    [`${txt('old._domainkey', 'v=DKIM1; p=')} # here`],
    [txt('old._domainkey', `v=DKIM1; p=${dkimKey()}`)],
  ],
  'target-ip-address': [
    [`${rec('@', 'MX', '192.0.2.25', ', priority: 10')} # here`],
    [rec('@', 'MX', 'mx.192.0.2.25.example.net', ', priority: 10')],
  ],
  'target-is-cname': [
    [
      `${rec('@', 'MX', 'mail.ZONE', ', priority: 10')} # here`,
      rec('mail', 'CNAME', 'host.example.net'),
    ],
    [rec('@', 'MX', 'mail.ZONE', ', priority: 10'), rec('mail', 'A', '192.0.2.25')],
  ],
  'target-dangling': [
    [`${rec('www', 'CNAME', 'web.ZONE')} # here`, rec('web2', 'A', '192.0.2.1')],
    [rec('www', 'CNAME', 'web.ZONE'), rec('web', 'TXT', 'hi'), rec('tlsa', 'CNAME', '_tlsa.ZONE')],
  ],
  'cname-loop': [
    [`${rec('a', 'CNAME', 'b.ZONE')} # here`, rec('b', 'CNAME', 'a.ZONE')],
    [rec('a', 'CNAME', 'b.ZONE'), rec('b', 'CNAME', 'c.ZONE'), rec('c', 'A', '192.0.2.1')],
  ],
  'cname-chain-long': [chain(9), chain(8)],
  'name-like-domain': [
    [
      `${rec('shop.example.com', 'A', '192.0.2.1')} # here`,
      rec('www.spf-multiple.check.test', 'A', '192.0.2.2'),
    ],
    [
      rec('www.eu', 'A', '192.0.2.1'),
      rec('x.dev', 'A', '192.0.2.2'),
      rec('_dmarc', 'TXT', 'v=DMARC1; p=none'),
      rec('_sip._tcp', 'SRV', '1 5060 sip.example.net', ', priority: 1'),
      rec('shop.ZONE', 'A', '192.0.2.3'),
    ],
  ],
  'delegation-occluded': [
    [rec('sub', 'NS', 'ns1.example.net'), `${rec('www.sub', 'A', '192.0.2.1')} # here`],
    [
      rec('sub', 'NS', 'ns1.sub.ZONE'),
      rec('ns1.sub', 'A', '192.0.2.53'),
      rec('www', 'A', '192.0.2.1'),
    ],
  ],
  'delegation-no-glue': [
    [`${rec('sub', 'NS', 'ns1.sub.ZONE')} # here`, rec('ns1', 'A', '192.0.2.53')],
    [rec('sub', 'NS', 'ns1.sub.ZONE'), rec('ns1.sub', 'AAAA', '2001:db8::53')],
  ],
  'caa-flags': [
    [`${rec('@', 'CAA', '1 issue "letsencrypt.org"')} # here`],
    [rec('@', 'CAA', '128 issue "letsencrypt.org"')],
  ],
  'caa-unknown-tag': [
    [`${rec('@', 'CAA', '0 issuer "letsencrypt.org"')} # here`],
    [rec('@', 'CAA', '0 issuemail "example.net"')],
  ],
  'caa-issue-value': [
    [`${rec('@', 'CAA', '0 issue "https://letsencrypt.org"')} # here`],
    [
      rec(
        '@',
        'CAA',
        '0 issue "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1"',
      ),
      rec('@', 'CAA', '0 issuewild ";"'),
    ],
  ],
  'caa-iodef': [
    [`${rec('@', 'CAA', '0 iodef "security@example.com"')} # here`],
    [rec('@', 'CAA', '0 iodef "mailto:security@example.com"')],
  ],
  'ttl-low': [
    [`${rec('www', 'A', '192.0.2.1', ', ttl: 30')} # here`],
    [rec('www', 'A', '192.0.2.1', ', ttl: 60')],
  ],
  'ttl-high': [
    [`${rec('www', 'A', '192.0.2.1', ', ttl: 604801')} # here`],
    [rec('www', 'A', '192.0.2.1', ', ttl: 604800')],
  ],
  'ttl-apex-low': [
    [`${rec('@', 'MX', 'mx.example.net', ', priority: 10, ttl: 120')} # here`],
    [
      rec('@', 'MX', 'mx.example.net', ', priority: 10, ttl: 300'),
      rec('sub', 'MX', 'mx.example.net', ', priority: 10, ttl: 120'),
    ],
  ],
};

let trips: JsonIssue[] = [];
let nears: JsonIssue[] = [];
let tripCode: number | null = null;
let nearCode: number | null = null;
const tripText: Record<string, string> = {};

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first`);
  const tripFiles: Record<string, string> = {};
  const nearFiles: Record<string, string> = {};
  for (const [id, [trip, near]] of Object.entries(CASES)) {
    const domain = `${id}.check.test`;
    tripText[id] = zoneFile(trip).replaceAll('ZONE', domain);
    tripFiles[`${domain}.yaml`] = tripText[id] as string;
    nearFiles[`${domain}.yaml`] = zoneFile(near).replaceAll('ZONE', domain);
  }
  ({ code: tripCode, issues: trips } = validateJson(zonesDir(tripFiles)));
  ({ code: nearCode, issues: nears } = validateJson(zonesDir(nearFiles)));
});

describe('every offline check, end to end', () => {
  it('has a case here for every offline check in the catalog', () => {
    expect(Object.keys(CASES).sort()).toEqual(OFFLINE_CHECKS.map((check) => check.id).sort());
  });

  it.each(Object.keys(CASES))('%s: trips on the marked line, and not on its near miss', (id) => {
    const file = `${id}.check.test.yaml`;
    const line = markedLine(tripText[id] as string);
    expect(line).toBeGreaterThan(0);
    const found = trips.filter((issue) => issue.file.endsWith(`/${file}`) && issue.code === id);
    expect(found.map((issue) => issue.line)).toContain(line);
    const severity = OFFLINE_CHECKS.find((check) => check.id === id)?.severity;
    expect(found[0]?.severity).toBe(severity);
    expect(found[0]?.message).toMatch(new RegExp(`\\[${id}\\]$`));
    const missed = nears.filter((issue) => issue.file.endsWith(`/${file}`));
    expect(missed.filter((issue) => issue.code === id)).toEqual([]);
    // A near miss is a clean zone file: no schema or rule problems hide the check.
    expect(missed.filter((issue) => issue.severity === 'error')).toEqual([]);
  });

  it('fails validation when a check of error severity trips, and passes the near misses', () => {
    expect(tripCode).toBe(1);
    expect(nearCode).toBe(0);
  });
});

describe('check findings in validate output', () => {
  it('prints file:line:col, the severity, what to do and the id; annotates in GitHub Actions', () => {
    const text = zoneFile([
      '{ name: "@", type: A, value: 192.0.2.1 }',
      `${txt('@', 'v=spf1 -all')}`,
      `${txt('@', 'v=spf1 mx -all')} # here`,
    ]);
    const dir = zonesDir({ 'mail.test.yaml': text });
    const run = dnssync(['validate', '--zones', dir], { GITHUB_ACTIONS: 'true' });
    expect(run.code).toBe(1);
    const line = markedLine(text);
    expect(run.stdout).toContain(
      `${dir}/mail.test.yaml:${line}:36: error: @ has more than one SPF record (also at line ${line - 1}); receivers fail SPF (permerror): merge them into one [spf-multiple]`,
    );
    expect(run.stdout).toContain(
      `::error file=${dir}/mail.test.yaml,line=${line},col=36::@ has more than one SPF record`,
    );
    expect(run.stdout).toMatch(/✗ 1 error in 1 file \(1 zone file checked\)\n$/);
  });

  it('counts warnings and notices in the summary line, and they do not fail validation', () => {
    const text = zoneFile([
      rec('www', 'A', '192.0.2.1', ', ttl: 5'),
      txt('old._domainkey', 'v=DKIM1; p='),
    ]);
    const run = dnssync(['validate', '--zones', zonesDir({ 'w.test.yaml': text })], {
      GITHUB_ACTIONS: 'true',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/: notice: DKIM: old is revoked/);
    expect(run.stdout).toMatch(/::notice file=.*w\.test\.yaml,line=3,/);
    expect(run.stdout).toMatch(/✓ 1 zone file valid \(2 records\), 1 warning, 1 notice\n$/);
  });

  it('stops plan when a check finds an error', () => {
    const text = zoneFile([txt('@', 'v=spf1 -all'), txt('@', 'v=spf1 mx -all')]);
    const run = dnssync(['plan', '--zones', zonesDir({ 'mail.test.yaml': text })], {
      VPS_API_URL: 'http://127.0.0.1:9',
      VPS_API_TOKEN: 'vps_test',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('[spf-multiple]');
    expect(run.stdout).toContain('no plan was made');
  });
});
