/** Per-type values (docs/design.md, "Canonical forms"): what each type accepts, rejects, and its canonical form. */
import { describe, expect, it } from 'vitest';
import { RECORD_TYPES, type RecordType } from '../src/model.js';
import { canonicalValue, RECORD_TYPE_DEFS, typeDef } from '../src/records/index.js';

/** [raw value, canonical form] */
type Accepted = ReadonlyArray<readonly [string, string]>;
/** [raw value, fragment of the reason] */
type Rejected = ReadonlyArray<readonly [string, string]>;

function accepts(type: RecordType, cases: Accepted): void {
  it.each(cases)(`${type} accepts %j as %j`, (raw, canonical) => {
    const result = canonicalValue(type, raw);
    expect(result).toStrictEqual({ ok: true, value: canonical });
  });
}

function rejects(type: RecordType, cases: Rejected): void {
  it.each(cases)(`${type} rejects %j`, (raw, reason) => {
    const result = canonicalValue(type, raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
}

describe('A', () => {
  accepts('A', [
    ['192.0.2.1', '192.0.2.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['10.0.0.0', '10.0.0.0'],
    [' 198.51.100.7 ', '198.51.100.7'],
  ]);
  rejects('A', [
    ['192.0.2.01', 'no leading zeros'],
    ['010.0.0.1', 'no leading zeros'],
    ['00.1.2.3', 'not an IPv4 address'],
    ['256.0.0.1', 'not an IPv4 address'],
    ['1.2.3', 'not an IPv4 address'],
    ['1.2.3.4.5', 'not an IPv4 address'],
    ['1.2.3.-1', 'not an IPv4 address'],
    ['+1.2.3.4', 'not an IPv4 address'],
    ['0x7f.0.0.1', 'not an IPv4 address'],
    ['1.2.3.4/24', 'not an IPv4 address'],
    ['1.2..4', 'not an IPv4 address'],
    ['2001:db8::1', 'not an IPv4 address'],
    ['example.com', 'not an IPv4 address'],
    ['١.٢.٣.٤', 'not an IPv4 address'],
  ]);
});

describe('AAAA: any valid notation, RFC 5952 canonical form', () => {
  accepts('AAAA', [
    // lowercase, leading zeros dropped
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:0DB8:00AB:000C::0001', '2001:db8:ab:c::1'],
    // the longest run of zero groups becomes ::
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'],
    ['2001:db8:0:0:0:1:0:0', '2001:db8::1:0:0'],
    // equal runs: the first one
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:1:1', '2001::1:0:0:1:1'],
    // a single zero group is never shortened
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['2001:db8::1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    // :: anywhere in the input
    ['::', '::'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['fe80::', 'fe80::'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    // IPv4-mapped keeps its dotted tail; other embedded IPv4 becomes hex
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::FFFF:C000:0201', '::ffff:192.0.2.1'],
    ['0:0:0:0:0:ffff:c000:201', '::ffff:192.0.2.1'],
    ['::192.0.2.1', '::c000:201'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['2001:db8:1:2:3:4:192.0.2.1', '2001:db8:1:2:3:4:c000:201'],
    [' 2001:db8::1 ', '2001:db8::1'],
  ]);
  rejects('AAAA', [
    ['2001:db8::1::1', 'not an IPv6 address'],
    ['2001:db8:::1', 'not an IPv6 address'],
    ['12345::1', 'not an IPv6 address'],
    ['1:2:3:4:5:6:7:8:9', 'not an IPv6 address'],
    ['1:2:3:4:5:6:7', 'not an IPv6 address'],
    ['2001:db8::g', 'not an IPv6 address'],
    ['fe80::1%eth0', 'not an IPv6 address'],
    ['::ffff:192.0.2.01', 'not an IPv6 address'],
    ['::ffff:192.0.2.256', 'not an IPv6 address'],
    ['192.0.2.1', 'not an IPv6 address'],
    ['[2001:db8::1]', 'not an IPv6 address'],
    ['2001:db8::/32', 'not an IPv6 address'],
  ]);

  it('gives every spelling of one address the same canonical form', () => {
    const spellings = [
      '2001:db8::8:800:200c:417a',
      '2001:DB8:0:0:8:800:200C:417A',
      '2001:0db8:0000:0000:0008:0800:200c:417a',
      '2001:db8:0::8:800:200c:417a',
      '2001:db8::0:8:800:200c:417a',
    ];
    const forms = new Set(spellings.map((s) => JSON.stringify(canonicalValue('AAAA', s))));
    expect([...forms]).toEqual([JSON.stringify({ ok: true, value: '2001:db8::8:800:200c:417a' })]);
  });
});

describe('CNAME and NS: an absolute hostname', () => {
  for (const type of ['CNAME', 'NS'] as const) {
    accepts(type, [
      ['target.example.net', 'target.example.net'],
      ['target.example.net.', 'target.example.net'],
      ['Target.EXAMPLE.net.', 'target.example.net'],
      ['a-b.c_d.example.net', 'a-b.c_d.example.net'],
      ['bücher.example', 'xn--bcher-kva.example'],
      ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ]);
    rejects(type, [
      ['www', 'single label'],
      ['www.', 'single label'],
      ['.', '"." is not a valid hostname here'],
      ['a..example.net', 'empty label'],
      ['-a.example.net', 'not a valid label'],
      ['a-.example.net', 'not a valid label'],
      ['a b.example.net', 'not a valid label'],
      ['*.example.net', 'cannot contain a wildcard'],
      [`${'a'.repeat(64)}.example.net`, '64 octets'],
      [
        `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`,
        'longer than 253',
      ],
    ]);
  }
  accepts('NS', [
    [
      `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
      `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
    ],
  ]);
});

describe('MX: a hostname, or . for a null MX', () => {
  accepts('MX', [
    ['mail.example.com', 'mail.example.com'],
    ['Mail.Example.COM.', 'mail.example.com'],
    ['.', '.'],
    [' mx1.example.net ', 'mx1.example.net'],
  ]);
  rejects('MX', [
    ['mail', 'single label; write the full hostname (e.g. mail.example.com)'],
    ['10 mail.example.com', 'not a valid label'],
    ['mail.example.com..', 'empty label'],
    ['..', 'empty label'],
  ]);
});

describe('SRV: weight port target', () => {
  accepts('SRV', [
    ['5 5060 sip.example.com', '5 5060 sip.example.com'],
    ['5  5060   SIP.Example.com.', '5 5060 sip.example.com'],
    ['\t5\t5060\tsip.example.com\n', '5 5060 sip.example.com'],
    ['0 0 .', '0 0 .'],
    ['65535 65535 a.example', '65535 65535 a.example'],
    ['007 0443 a.example', '7 443 a.example'],
  ]);
  rejects('SRV', [
    ['65536 1 a.example', 'SRV weight "65536" must be 0-65535'],
    ['1 65536 a.example', 'SRV port "65536" must be 0-65535'],
    ['-1 1 a.example', 'SRV weight "-1" must be 0-65535'],
    ['1 x a.example', 'SRV port "x" must be 0-65535'],
    ['1.5 1 a.example', 'SRV weight'],
    ['1 1', 'is not "weight port target"'],
    ['1 1 a.example extra', 'is not "weight port target"'],
    ['10 5 5060 sip.example.com', 'the priority goes in priority:'],
    ['1 1 sip', 'SRV target: "sip" is a single label'],
    ['1 1 *.example', 'SRV target'],
  ]);
});

describe('CAA: flags tag "value"', () => {
  accepts('CAA', [
    ['0 issue "letsencrypt.org"', '0 issue "letsencrypt.org"'],
    ['0 ISSUE "letsencrypt.org"', '0 issue "letsencrypt.org"'],
    ['0  issue   "letsencrypt.org"  ', '0 issue "letsencrypt.org"'],
    ['0 issue letsencrypt.org', '0 issue "letsencrypt.org"'],
    ['128 issue "ca.example"', '128 issue "ca.example"'],
    ['255 issuewild ";"', '255 issuewild ";"'],
    ['0 iodef "mailto:security@example.com"', '0 iodef "mailto:security@example.com"'],
    ['0 issue "ca.example; account=230123"', '0 issue "ca.example; account=230123"'],
    ['0 issue ""', '0 issue ""'],
    ['0 issue "a\\"b"', '0 issue "a\\"b"'],
  ]);
  rejects('CAA', [
    ['256 issue "x"', 'CAA flags "256" must be 0-255'],
    ['-1 issue "x"', 'CAA flags "-1" must be 0-255'],
    ['x issue "x"', 'CAA flags "x" must be 0-255'],
    ['0 "issue" "x"', 'must be 1-15 letters or digits'],
    ['0 issue-wild "x"', 'must be 1-15 letters or digits'],
    ['0 abcdefghijklmnop "x"', 'must be 1-15 letters or digits'],
    ['0 issue "a"b"', 'unescaped quote'],
    ['0 issue "letsencrypt.org', 'a quote at one end only'],
    ['0 issue letsencrypt.org"', 'a quote at one end only'],
    ['0', 'is not "flags tag value"'],
    ['', 'is not "flags tag value"'],
  ]);

  it.each([
    ['0 tbs "x"', '0 tbs "x"', 'tbs'],
    ['0 ContactEmail "a@example.com"', '0 contactemail "a@example.com"', 'contactemail'],
  ])('accepts the unknown tag in %j (the caa-unknown-tag check reports it)', (raw, canonical) => {
    const result = canonicalValue('CAA', raw);
    expect(result).toStrictEqual({ ok: true, value: canonical });
  });
});

describe('TXT: verbatim', () => {
  const long = `v=DKIM1; k=rsa; p=${'A'.repeat(600)}`;
  accepts('TXT', [
    ['v=spf1 include:_spf.example.net ~all', 'v=spf1 include:_spf.example.net ~all'],
    [
      'v=DMARC1; p=reject; rua=mailto:d@example.com',
      'v=DMARC1; p=reject; rua=mailto:d@example.com',
    ],
    ['C:\\path\\to; "inner" quotes', 'C:\\path\\to; "inner" quotes'],
    ['  leading and trailing spaces  ', '  leading and trailing spaces  '],
    ['Ünïcödé text ✓', 'Ünïcödé text ✓'],
    [long, long],
    ['"', '"'],
  ]);
  rejects('TXT', [
    ['', 'must not be empty'],
    ['   ', 'more than spaces'],
  ]);

  it('keeps surrounding quotes as part of the value, with a warning', () => {
    const result = canonicalValue('TXT', '"v=spf1 -all"');
    expect(result).toMatchObject({ ok: true, value: '"v=spf1 -all"' });
    if (result.ok) expect(result.warnings?.[0]).toContain('surrounding quotes become part');
  });
});

describe('the type table', () => {
  it('has one entry per managed type, and only MX and SRV carry a priority', () => {
    expect(Object.keys(RECORD_TYPE_DEFS).sort()).toEqual([...RECORD_TYPES].sort());
    const withPriority = RECORD_TYPES.filter((type) => RECORD_TYPE_DEFS[type].hasPriority);
    expect(withPriority).toEqual(['MX', 'SRV']);
  });

  it.each(RECORD_TYPES)('the example value of %s is valid and canonical', (type) => {
    const def = RECORD_TYPE_DEFS[type];
    expect(def.type).toBe(type);
    expect(canonicalValue(type, def.example)).toStrictEqual({ ok: true, value: def.example });
  });

  it('finds definitions by type name and nothing else', () => {
    expect(typeDef('MX')?.type).toBe('MX');
    expect(typeDef('mx')).toBeUndefined();
    expect(typeDef('SOA')).toBeUndefined();
  });
});
