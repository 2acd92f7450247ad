/** The pure parts of the DNS checks: record readers, the zone view, and checks that never throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { issueValueProblem } from '../src/checks/caa.js';
import { parseDmarc } from '../src/checks/dmarc.js';
import { runOfflineChecks } from '../src/checks/engine.js';
import { domainSpecProblem, parseSpf } from '../src/checks/spf-record.js';
import { zoneView } from '../src/checks/zone-view.js';
import {
  type DesiredRecord,
  type DesiredZone,
  RECORD_TYPES,
  type RecordType,
  recordKey,
} from '../src/model.js';

function zone(
  records: Array<[string, RecordType, string]>,
  extra: Partial<DesiredZone> = {},
): DesiredZone {
  return {
    domain: 'example.com',
    file: 'zones/example.com.yaml',
    ttl: 3600,
    purge: true,
    ignore: [],
    records: records.map(
      ([name, type, value], index): DesiredRecord => ({
        name,
        type,
        value,
        ttl: 3600,
        priority: type === 'MX' || type === 'SRV' ? 10 : null,
        key: recordKey(name, type, value, type === 'MX' || type === 'SRV' ? 10 : null),
        pos: { file: 'zones/example.com.yaml', line: index + 2, col: 5 },
      }),
    ),
    ...extra,
  };
}

describe('SPF records', () => {
  it.each([
    ['v=spf1 -all', []],
    [
      'v=spf1 +a/24//64 mx:mx.example.com ip4:10.0.0.0/8 ip6:::1 ?exists:%{ir}.%{v}._spf.%{d} ~all',
      [],
    ],
    [
      'v=spf1 include:example',
      ['"include:example": the domain "example" is a single label (write the full domain)'],
    ],
    ['v=spf1 ip4:10.0.0.0/33', ['"ip4:10.0.0.0/33": the prefix /33 is not 0-32']],
    ['v=spf1 !all', ['"!all": "!" is not a qualifier (use +, -, ~ or ?)']],
    [
      'v=spf1 inclde:x.example.com',
      ['"inclde:x.example.com": unknown mechanism "inclde" (did you mean "include"?)'],
    ],
    [
      'v=spf1 redirect=a.example.com redirect=b.example.com',
      ['"redirect=" appears more than once'],
    ],
  ])('%s', (value, errors) => {
    expect(parseSpf(value).errors).toEqual(errors);
  });

  it('reads domain-specs with macros', () => {
    expect(domainSpecProblem('%{i}._spf.example.com')).toBeNull();
    expect(domainSpecProblem('%{d}')).toBeNull();
    expect(domainSpecProblem('%{x}.example.com')).toContain('malformed macro');
    expect(domainSpecProblem('example.123')).toContain('top label');
  });
});

describe('DMARC records', () => {
  it.each([
    ['v=DMARC1; p=none', []],
    ['v=DMARC1; p=reject; rua=mailto:a@example.com!10m, mailto:b@example.net; ri=86400;', []],
    [
      'v=DMARC1; rua=mailto:a@example.com',
      ['the required "p=" tag is missing (p=none, quarantine or reject)'],
    ],
    ['v=DMARC1; p=none; p=reject', ['"p=" appears more than once']],
    [
      'v=DMARC1; p=none; rua=https://example.com/r',
      [
        'rua=https://example.com/r: "https://example.com/r" is not a mailto: address (mailto:reports@example.com)',
      ],
    ],
    ['v=DMARC1; p=none; adkim=x', ['adkim=x: must be one of r, s']],
  ])('%s', (value, errors) => {
    expect(parseDmarc(value).errors).toEqual(errors);
  });
});

describe('CAA issue values', () => {
  it.each([
    ['letsencrypt.org', null],
    [';', null],
    ['', null],
    ['ca.example.net; account=230123; policy=ev', null],
    [
      'https://letsencrypt.org',
      '"https://letsencrypt.org" is not a CA\'s domain name (e.g. letsencrypt.org; ";" alone forbids issuance)',
    ],
    ['letsencrypt.org; account', '"account" is not a key=value parameter'],
  ])('%j', (value, problem) => {
    expect(issueValueProblem(value)).toBe(problem);
  });
});

describe('zone view', () => {
  const view = zoneView(
    zone(
      [
        ['@', 'A', '192.0.2.1'],
        ['a.b', 'A', '192.0.2.2'],
        ['*.w', 'TXT', 'wild'],
        ['x.w', 'A', '192.0.2.3'],
        ['sub', 'NS', 'ns1.example.net'],
      ],
      { ignore: [{ name: '_acme-challenge*', types: ['TXT'] }] },
    ),
  );

  it('answers like an authoritative server: own records, empty non-terminals, wildcards, NXDOMAIN', () => {
    expect(view.answer('a.b')?.map((r) => r.value)).toEqual(['192.0.2.2']);
    expect(view.answer('b')).toEqual([]);
    expect(view.answer('y.w')?.map((r) => r.value)).toEqual(['wild']);
    expect(view.answer('deep.y.w')?.map((r) => r.value)).toEqual(['wild']);
    // x.w exists, so the wildcard does not cover names below it.
    expect(view.answer('q.x.w')).toBeNull();
    expect(view.answer('nope')).toBeNull();
  });

  it('knows its delegations and what it cannot vouch for', () => {
    expect(view.delegationOf('www.sub')).toBe('sub');
    expect(view.delegationOf('sub')).toBe('sub');
    expect(view.delegationOf('a.b')).toBeNull();
    expect(view.relative('WWW.Example.com.')).toBe('www');
    expect(view.relative('example.net')).toBeNull();
    expect(view.knowsAll('_acme-challenge', 'TXT')).toBe(false);
    expect(view.knowsAll('_acme-challenge', 'A')).toBe(true);
    expect(view.knowsAll('_acme-challenge')).toBe(false);
  });
});

describe('every offline check', () => {
  it('returns findings, never throws, whatever the records hold', () => {
    const name = fc.constantFrom(
      '@',
      'www',
      '_dmarc',
      's._domainkey',
      'a.b',
      '*.w',
      'sub',
      'ns.sub',
    );
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'v=spf1 ',
        'v=DMARC1;',
        'v=DKIM1; p=',
        'www.example.com',
        'ns.sub.example.com',
        '0 issue "',
      ),
      fc
        .tuple(
          fc.constantFrom('v=spf1 ', 'v=DMARC1; ', 'v=DKIM1; ', '0 issue "', '0 x "'),
          fc.string(),
        )
        .map(([a, b]) => a + b),
    );
    const record = fc.tuple(name, fc.constantFrom(...RECORD_TYPES), value);
    fc.assert(
      fc.property(fc.array(record, { maxLength: 12 }), (records) => {
        for (const issue of runOfflineChecks([zone(records)])) {
          expect(issue.message).toMatch(/ \[[a-z-]+\]$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
