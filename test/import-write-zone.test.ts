import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fitRecords, leftOutNote, normaliseRecords } from '../src/interop/fit-records.js';
import type { ImportedZone } from '../src/interop/types.js';
import { mostCommonTtl, writeZoneFile } from '../src/interop/write-zone.js';
import { yamlScalar } from '../src/interop/yaml-scalar.js';
import { type DnsRecord, recordKey } from '../src/model.js';
import { canonicalValue } from '../src/records/index.js';
import { parseZoneFile } from '../src/zonefile/parse.js';

const DATE = new Date('2025-03-04T05:06:07Z');
const OPTIONS = { schemaRef: '../schemas/zone.schema.json', date: DATE };

const r = (
  name: string,
  type: DnsRecord['type'],
  value: string,
  ttl = 3600,
  priority: number | null = null,
): DnsRecord => ({ name, type, value, ttl, priority });

function zoneOf(records: DnsRecord[], extra: Partial<ImportedZone> = {}): ImportedZone {
  return {
    domain: 'example.com',
    records,
    leftOut: [],
    unwritable: [],
    adjusted: [],
    source: 'a test',
    ...extra,
  };
}

const fingerprint = (x: Pick<DnsRecord, 'name' | 'type' | 'value' | 'ttl' | 'priority'>) =>
  `${recordKey(x.name, x.type, x.value, x.priority)}|${x.ttl}`;

/** Writes, parses back, and returns what came back plus any issues. */
function roundTrip(records: DnsRecord[]) {
  const text = writeZoneFile(zoneOf(records), OPTIONS);
  const result = parseZoneFile('zones/example.com.yaml', text);
  return { text, result, back: (result.zone?.records ?? []).map(fingerprint).sort() };
}

describe('yamlScalar', () => {
  const tricky = [
    '@',
    '*',
    '*.preview',
    '2001:db8::1',
    '::1',
    'v=DMARC1; p=reject; rua=mailto:dmarc@example.com',
    '# not a comment',
    'a #b',
    ' leading space',
    'trailing space ',
    '"quoted"',
    "it's",
    'both \' and "',
    'a: b',
    '- dash',
    'true',
    'False',
    'null',
    '~',
    'yes',
    'off',
    '123',
    '0123',
    '1e3',
    '0x1F',
    '0o17',
    '.inf',
    '.',
    '{braces}',
    '[brackets]',
    'a,b',
    '%percent',
    '!tag',
    '&anchor',
    '|',
    '>',
    '`backtick',
    'back\\slash',
    'tab\there',
    'line\nbreak',
    'nel\u0085',
    'ls\u2028',
    '\ufeffbom',
    'del\u007f',
    'häkkinen ☃ 🎉',
    '0 issue "letsencrypt.org"',
    'two  spaces',
  ];
  it.each(tricky)('%j reads back unchanged inside a flow mapping', (text) => {
    expect(parse(`{ value: ${yamlScalar(text)} }`)).toEqual({ value: text });
  });

  it('leaves ordinary values plain and quotes what YAML would misread', () => {
    expect(yamlScalar('www')).toBe('www');
    expect(yamlScalar('192.0.2.1')).toBe('192.0.2.1');
    expect(yamlScalar('5 5060 sip.example.com')).toBe('5 5060 sip.example.com');
    expect(yamlScalar('@')).toBe('"@"');
    expect(yamlScalar('2001:db8::1')).toBe('"2001:db8::1"');
    expect(yamlScalar('10')).toBe('"10"');
    expect(yamlScalar('yes')).toBe('"yes"');
  });

  it('reads back any string at all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(parse(`{ value: ${yamlScalar(text)} }`)).toEqual({ value: text });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('mostCommonTtl', () => {
  it('picks the TTL most records use, the larger on a tie, 3600 for no records', () => {
    expect(mostCommonTtl([r('a', 'A', '192.0.2.1', 300), r('b', 'A', '192.0.2.2', 300)])).toBe(300);
    expect(mostCommonTtl([r('a', 'A', '192.0.2.1', 300), r('b', 'A', '192.0.2.2', 600)])).toBe(600);
    expect(mostCommonTtl([])).toBe(3600);
  });
});

describe('writeZoneFile', () => {
  it('writes the house format: modeline, header, domain, ttl, sorted one-line records', () => {
    const text = writeZoneFile(
      zoneOf(
        [
          r('www', 'CNAME', 'example.com', 300),
          r('@', 'MX', 'mx2.example.net', 3600, 20),
          r('@', 'A', '192.0.2.2'),
          r('@', 'MX', 'mx1.example.net', 3600, 10),
          r('@', 'A', '192.0.2.1'),
          r('@', 'MX', 'mx0.example.net', 3600, 10),
          r('_sip._tcp', 'SRV', '5 5060 sip.example.com', 3600, 10),
        ],
        { leftOut: ['@ SOA: the provider writes its own'], adjusted: ['x: two TTLs'] },
      ),
      OPTIONS,
    );
    expect(text).toBe(
      [
        '# yaml-language-server: $schema=../schemas/zone.schema.json',
        '# Written by dnssync import on 2025-03-04 from a test.',
        '# Left out:',
        '#   - @ SOA: the provider writes its own',
        '# Adjusted to fit the zone file rules:',
        '#   - x: two TTLs',
        'domain: example.com',
        'ttl: 3600',
        'records:',
        '  - { name: "@", type: A, values: [192.0.2.1, 192.0.2.2] }',
        '  - { name: "@", type: MX, values: [mx0.example.net, mx1.example.net], priority: 10 }',
        '  - { name: "@", type: MX, value: mx2.example.net, priority: 20 }',
        '  - { name: _sip._tcp, type: SRV, value: 5 5060 sip.example.com, priority: 10 }',
        '  - { name: www, type: CNAME, value: example.com, ttl: 300 }',
        '',
      ].join('\n'),
    );
  });

  it('writes an empty zone as records: [] and keeps header notes on one line each', () => {
    const text = writeZoneFile(
      zoneOf([], {
        leftOut: ['sneaky\nrecords: evil'],
        unwritable: ['x TXT \u001b]0;title\u0007 \u202egnp.exe\r\n# not a note'],
        source: 'a file named\nttl: 1',
      }),
      OPTIONS,
    );
    expect(text).toContain('#   - sneaky\\nrecords: evil\n');
    expect(text).toContain('#   - x TXT \\x1b]0;title\\x07 \\u202egnp.exe\\r\\n# not a note\n');
    expect(text).toContain('from a file named\\nttl: 1.\n');
    // Nothing a terminal or an editor would act on survives into the file.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    const result = parseZoneFile('zones/example.com.yaml', text);
    expect(result.issues).toEqual([]);
    expect(result.zone?.records).toEqual([]);
  });

  it('round-trips hand-picked awkward values exactly, with no issues', () => {
    const records = [
      r('@', 'TXT', 'v=spf1 include:_spf.example.net ~all'),
      r('@', 'TXT', 'has "quotes" and \\ backslash'),
      r('@', 'TXT', '# hash first'),
      r('@', 'TXT', '  leading and trailing  '),
      r('@', 'TXT', 'ünïcödé ☃'),
      r('@', 'TXT', 'x'.repeat(700)),
      r('@', 'TXT', 'tab\tand newline\n'),
      r('@', 'MX', '.', 3600, 0),
      r('*', 'A', '192.0.2.1', 60),
      r('*.preview', 'CNAME', 'previews.example.net'),
      r('v6', 'AAAA', '2001:db8::1'),
      r('_imap._tcp', 'SRV', '0 0 .', 3600, 0),
      r('@', 'CAA', '0 issue "ca.example; account=\\"42\\""'),
      r('@', 'CAA', '0 issuewild ";"'),
      r('123', 'A', '192.0.2.9'),
      r('true', 'A', '192.0.2.10'),
    ];
    const { back, result } = roundTrip(records);
    expect(result.issues).toEqual([]);
    expect(back).toEqual(records.map(fingerprint).sort());
  });

  it('round-trips any set of valid canonical records exactly, with no issues', () => {
    fc.assert(
      fc.property(fc.array(recordArbitrary(), { maxLength: 25 }), (raw) => {
        const records = normaliseRecords(fitRules(raw)).records;
        const { back, result, text } = roundTrip(records);
        expect(result.issues, text).toEqual([]);
        expect(back, text).toEqual(records.map(fingerprint).sort());
      }),
      { numRuns: 300 },
    );
  });
});

describe('fitRecords', () => {
  it('leaves out nothing a zone file can hold', () => {
    fc.assert(
      fc.property(fc.array(recordArbitrary(), { maxLength: 25 }), (raw) => {
        expect(fitRecords(fitRules(raw), 'example.com').leftOut).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps, whatever the source sent, only records that write a valid file; the rest are left out', () => {
    fc.assert(
      fc.property(fc.array(hostileRecordArbitrary(), { maxLength: 25 }), (raw) => {
        const fitted = fitRecords(raw, 'example.com');
        const { back, result, text } = roundTrip(fitted.records);
        expect(result.issues, text).toEqual([]);
        expect(back, text).toEqual(fitted.records.map(fingerprint).sort());
        // Every record is written, left out with a reason, or a duplicate of one written.
        const key = (x: DnsRecord) => recordKey(x.name, x.type, x.value, x.priority);
        const seen = new Set([...fitted.records, ...fitted.leftOut.map((e) => e.record)].map(key));
        for (const record of raw) expect(seen.has(key(record)), JSON.stringify(record)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('says why each record was left out, and keeps the data beside a CNAME', () => {
    const fitted = fitRecords(
      [
        r('@', 'CNAME', 'example.net'),
        r('www', 'CNAME', 'example.net'),
        r('www', 'A', '192.0.2.1'),
        r('two', 'CNAME', 'a.example.net'),
        r('two', 'CNAME', 'b.example.net'),
        r('zero', 'A', '192.0.2.2', 0),
        r('mail', 'MX', 'mx.example.net', 3600, null),
        r('@', 'MX', 'mx.example.net', 3600, 10),
        r('@', 'MX', '.', 3600, 0),
        r('nomail', 'MX', '.', 3600, 10),
        r('sip', 'SRV', '5 5060 sip.example.com', 3600, 70000),
        r('_sip._tcp', 'SRV', '5 5060 sip.example.com', 3600, 70000),
      ],
      'example.com',
    );
    expect(fitted.records).toEqual([
      r('www', 'A', '192.0.2.1'),
      r('@', 'MX', 'mx.example.net', 3600, 10),
    ]);
    expect(fitted.leftOut.map(leftOutNote)).toEqual([
      "@ CNAME example.net: a CNAME cannot be at the apex of example.com (it would hide the zone's SOA and NS)",
      'zero A 192.0.2.2: its TTL 0 is not a whole number of seconds from 1 to 2147483647',
      'mail MX mx.example.net: it has no preference, which MX records need',
      'nomail MX .: a null MX (".") must have preference 0, not 10',
      'sip SRV 5 5060 sip.example.com: SRV name "sip" must start with _service._proto (e.g. _sip._tcp)',
      '_sip._tcp SRV 5 5060 sip.example.com: its priority 70000 is not a whole number from 0 to 65535',
      'www CNAME example.net: www also has A records, and a name with a CNAME can have no other',
      'two CNAME a.example.net: two has 2 CNAMEs, and a name can have only one',
      'two CNAME b.example.net: two has 2 CNAMEs, and a name can have only one',
      '@ MX .: a null MX (".") must be the only MX at @, and @ has others',
    ]);
  });
});

/** Records as an untrusted source may send them: any name, TTL or priority, valid values. */
function hostileRecordArbitrary(): fc.Arbitrary<DnsRecord> {
  const ttl = fc.oneof(
    fc.constantFrom(0, -1, 1.5, 2147483648, 1e300, 1, 2147483647),
    fc.constantFrom(300, 3600),
  );
  const priority = fc.constantFrom(null, -1, 0.5, 65536, 0, 10, 65535);
  return fc
    .tuple(recordArbitrary(), fc.constantFrom(...NAMES, '_sip._tcp'), ttl, priority, fc.boolean())
    .map(([record, name, t, p, keep]) => {
      if (keep) return record;
      const hasPriority = record.type === 'MX' || record.type === 'SRV';
      return { ...record, name, ttl: t, priority: hasPriority ? p : null };
    });
}

const NAMES = ['@', 'www', 'a.b', '*', '*.wild', 'mail', 'xn--bcher-kva', '123', 'null'];
const HOSTS = ['example.com', 'mail.example.net', 'a-b.c-d.example', 'xn--bcher-kva.example'];

/** Raw records of every type whose values the records module accepts; canonicalised here. */
function recordArbitrary(): fc.Arbitrary<DnsRecord> {
  const ttl = fc.constantFrom(60, 300, 3600, 86400);
  const name = fc.constantFrom(...NAMES);
  const host = fc.constantFrom(...HOSTS);
  const text = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 80 })
    .filter((t) => t.trim() !== '' && !(t.length > 1 && t.startsWith('"') && t.endsWith('"')));
  const u16 = fc.integer({ min: 0, max: 65535 });
  const typed: Array<fc.Arbitrary<Omit<DnsRecord, 'ttl'>>> = [
    fc.tuple(name, fc.ipV4()).map(([n, v]) => ({ name: n, type: 'A', value: v, priority: null })),
    fc
      .tuple(name, fc.ipV6())
      .map(([n, v]) => ({ name: n, type: 'AAAA', value: v, priority: null })),
    fc.tuple(name, host).map(([n, v]) => ({ name: n, type: 'CNAME', value: v, priority: null })),
    fc
      .tuple(name, fc.oneof(host, fc.constant('.')), u16)
      .map(([n, v, p]) => ({ name: n, type: 'MX', value: v, priority: v === '.' ? 0 : p })),
    fc.tuple(name, text).map(([n, v]) => ({ name: n, type: 'TXT', value: v, priority: null })),
    fc
      .tuple(fc.constantFrom('a.b', 'www', 'sub'), host)
      .map(([n, v]) => ({ name: n, type: 'NS', value: v, priority: null })),
    fc.tuple(u16, u16, fc.oneof(host, fc.constant('.')), u16).map(([w, port, t, p]) => ({
      name: '_sip._tcp',
      type: 'SRV',
      value: `${w} ${port} ${t}`,
      priority: p,
    })),
    fc
      .tuple(
        name,
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('issue', 'issuewild', 'iodef'),
        fc.string({ maxLength: 30 }).map((s) => s.replace(/["\\]/g, '')),
      )
      .map(([n, f, tag, v]) => ({
        name: n,
        type: 'CAA',
        value: `${f} ${tag} "${v}"`,
        priority: null,
      })),
  ];
  return fc.tuple(fc.oneof(...typed), ttl).map(([record, t]) => {
    const canonical = canonicalValue(record.type, record.value);
    if (!canonical.ok) throw new Error(`generator made an invalid ${record.type}: ${record.value}`);
    return { ...record, value: canonical.value, ttl: t };
  });
}

/** Drops what the zone rules forbid: CNAME at the apex or beside other data, a null MX beside other MX. */
function fitRules(records: DnsRecord[]): DnsRecord[] {
  const out: DnsRecord[] = [];
  const cnameAt = new Set<string>();
  const dataAt = new Set<string>();
  const mxAt = new Map<string, boolean>();
  for (const record of records) {
    if (record.type === 'MX') {
      const isNull = record.value === '.';
      const seen = mxAt.get(record.name);
      if (seen !== undefined && seen !== isNull) continue;
      if (seen === true) continue;
      mxAt.set(record.name, isNull);
    }
    if (record.type === 'CNAME') {
      if (record.name === '@' || cnameAt.has(record.name) || dataAt.has(record.name)) continue;
      cnameAt.add(record.name);
    } else {
      if (cnameAt.has(record.name)) continue;
      dataAt.add(record.name);
    }
    out.push(record);
  }
  return out;
}
