/**
 * The corpus: test/fixtures/invalid holds realistic zone files with one mistake each;
 * the first line of each says where the error is and what it says:
 *   # expect: LINE:COL message fragment
 * test/fixtures/valid holds files that use every feature and must load cleanly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DesiredZone } from '../src/model.js';
import { loadZones } from '../src/zonefile/load.js';

const INVALID = join(import.meta.dirname, 'fixtures', 'invalid');
const VALID = join(import.meta.dirname, 'fixtures', 'valid');

interface Expectation {
  file: string;
  line: number;
  col: number;
  fragment: string;
}

function expectations(): Expectation[] {
  return readdirSync(INVALID)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => {
      const file = join(INVALID, name);
      const first = readFileSync(file, 'utf8').split('\n')[0] ?? '';
      const match = /^# expect: (\d+):(\d+) (.+)$/.exec(first);
      if (!match) throw new Error(`${name}: the first line must be "# expect: LINE:COL fragment"`);
      return { file, line: Number(match[1]), col: Number(match[2]), fragment: match[3] ?? '' };
    });
}

describe('invalid corpus', () => {
  const cases = expectations();

  it('has at least 30 files, each named after a domain', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const { file } of cases) expect(file).toMatch(/\/[a-z0-9-]+\.test\.ya?ml$/);
  });

  it.each(cases.map((c) => [c.file.split('/').pop(), c] as const))(
    '%s',
    async (_name, { file, line, col, fragment }) => {
      const { issues, zones } = await loadZones(INVALID, [domainOf(file)]);
      const errors = issues.filter((issue) => issue.severity === 'error');
      expect(errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toHaveLength(1);
      expect(errors[0]).toMatchObject({ file, line, col });
      expect(errors[0]?.message).toContain(fragment);
      // A zone with errors may still be returned (for rules after the schema), never a crash.
      expect(zones.length).toBeLessThanOrEqual(1);
    },
  );

  it('loading the whole corpus at once reports every file', async () => {
    const { issues, files } = await loadZones(INVALID);
    expect(files).toHaveLength(cases.length);
    const filesWithErrors = new Set(
      issues.filter((issue) => issue.severity === 'error').map((issue) => issue.file),
    );
    expect(filesWithErrors.size).toBe(cases.length);
  });
});

function domainOf(file: string): string {
  return (file.split('/').pop() ?? '').replace(/\.ya?ml$/, '');
}

describe('valid fixtures', () => {
  async function load(): Promise<Map<string, DesiredZone>> {
    const { zones, issues } = await loadZones(VALID);
    expect(issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    return new Map(zones.map((zone) => [zone.domain, zone]));
  }

  it('load without errors or warnings', async () => {
    const { zones, issues, files } = await loadZones(VALID);
    expect(issues).toEqual([]);
    expect(files.map((f) => f.split('/').pop())).toEqual([
      'anchors.test.yaml',
      'full-features.test.yaml',
      'minimal.test.yml',
      'xn--bcher-kva.test.yaml',
    ]);
    expect(zones.map((z) => z.domain).sort()).toEqual([
      'anchors.test',
      'full-features.test',
      'minimal.test',
      'xn--bcher-kva.test',
    ]);
  });

  it('full-features: every type in canonical form, with TTLs, priorities and settings', async () => {
    const zone = (await load()).get('full-features.test');
    expect(zone).toMatchObject({ ttl: 1800, purge: false });
    expect(zone?.ignore).toEqual([
      { name: '_acme-challenge*', types: ['TXT'] },
      { name: 'legacy-*', types: ['A', 'AAAA'] },
      { name: 'old', types: null },
    ]);
    const dkim = zone?.records.find((r) => r.name === 'google._domainkey')?.value ?? '';
    expect(dkim.startsWith('v=DKIM1; k=rsa; p=MIIBIjANBgkq')).toBe(true);
    expect(dkim.length).toBeGreaterThan(255);
    expect(
      zone?.records
        .filter((r) => r.name !== 'google._domainkey')
        .map((r) => `${r.name} ${r.ttl} ${r.type} ${r.priority ?? '-'} ${r.value}`),
    ).toEqual([
      '@ 1800 A - 192.0.2.1',
      '@ 1800 A - 192.0.2.2',
      '@ 1800 AAAA - 2001:db8::1',
      '@ 1800 MX 10 mx1.mail.example.net',
      '@ 1800 MX 10 mx2.mail.example.net',
      '@ 1800 TXT - v=spf1 include:_spf.mail.example.net -all',
      '@ 1800 CAA - 0 issue "letsencrypt.org"',
      '@ 1800 CAA - 0 issuewild ";"',
      '@ 1800 CAA - 128 iodef "mailto:security@full-features.test"',
      'www 300 CNAME - full-features.test',
      'api 60 A - 192.0.2.10',
      'api 60 AAAA - ::ffff:192.0.2.10',
      '*.preview 1800 CNAME - previews.hosting.example.net',
      '* 1800 A - 192.0.2.99',
      '_dmarc 1800 TXT - v=DMARC1; p=reject; rua=mailto:"dmarc"@full-features.test',
      'win 1800 TXT - C:\\Program Files\\App; a\\\\b',
      '_sip._tcp 1800 SRV 10 5 5060 sip.full-features.test',
      '_sip._tcp 1800 SRV 20 5 5060 sip2.full-features.test',
      '_imaps._tcp 1800 SRV 0 0 0 .',
      'sip 1800 A - 192.0.2.30',
      'lab 1800 NS - ns1.lab-dns.example.net',
      'lab 1800 NS - ns2.lab-dns.example.net',
      'nomail 1800 MX 0 .',
      'xn--caf-dma 1800 A - 192.0.2.40',
      'a.b.c 1800 TXT - deep',
    ]);
    expect(zone?.records.find((r) => r.name === 'www')?.comment).toBe('the site');
  });

  it('a Unicode domain: punycode file name, Unicode domain:, names and hostnames', async () => {
    const zone = (await load()).get('xn--bcher-kva.test');
    expect(zone?.records.map((r) => `${r.name} ${r.type} ${r.value}`)).toEqual([
      '@ A 192.0.2.50',
      'www CNAME xn--bcher-kva.test',
      'xn--strae-oqa AAAA 2001:db8::50',
      '@ MX mx.xn--bcher-kva.test',
    ]);
  });

  it('anchors, aliases and block scalars', async () => {
    const zone = (await load()).get('anchors.test');
    expect(zone?.records.map((r) => `${r.name} ${r.ttl} ${r.value}`)).toEqual([
      'web1 120 192.0.2.60',
      'web2 120 192.0.2.60',
      '@ 3600 line one\nline two',
    ]);
  });

  it('the shipped example zones are valid and use all eight types', async () => {
    const { zones, issues } = await loadZones(join(import.meta.dirname, '..', 'zones'));
    expect(issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(zones.length).toBeGreaterThanOrEqual(2);
    const types = new Set(zones.flatMap((zone) => zone.records.map((record) => record.type)));
    expect([...types].sort()).toEqual(['A', 'AAAA', 'CAA', 'CNAME', 'MX', 'NS', 'SRV', 'TXT']);
    for (const zone of zones) {
      const text = readFileSync(zone.file, 'utf8');
      expect(text.split('\n')[0]).toBe(
        '# yaml-language-server: $schema=../schemas/zone.schema.json',
      );
    }
  });
});
