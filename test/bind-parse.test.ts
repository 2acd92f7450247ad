import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lexBindZone } from '../src/interop/bind-lexer.js';
import { domainFromBindFileName, parseBindZone } from '../src/interop/bind-parse.js';
import { parseTtl } from '../src/interop/bind-rdata.js';
import type { ImportedZone } from '../src/interop/types.js';
import type { DnsRecord } from '../src/model.js';

const FIXTURE = 'test/fixtures/bind/db.example.net';

function parsed(text: string, file = 'db.example.com', domain?: string): ImportedZone {
  const result = parseBindZone(file, text, domain === undefined ? {} : { domain });
  if (!result.ok) throw new Error(result.reason.map((e) => `${e.line}: ${e.message}`).join('\n'));
  // Where each record came from is checked on its own (`from`); the records alone here.
  return {
    ...result.value,
    records: result.value.records.map(({ from: _line, ...plain }) => plain),
  };
}

function errorsOf(text: string, file = 'db.example.com'): string[] {
  const result = parseBindZone(file, text);
  if (result.ok) throw new Error('expected the zone to be rejected');
  return result.reason.map((e) => `${e.file}:${e.line}: ${e.message}`);
}

const r = (
  name: string,
  type: DnsRecord['type'],
  value: string,
  ttl: number,
  priority: number | null = null,
): DnsRecord => ({ name, type, value, ttl, priority });

const sorted = (records: DnsRecord[]) =>
  [...records].sort((a, b) =>
    `${a.name} ${a.type} ${a.value}`.localeCompare(`${b.name} ${b.type} ${b.value}`),
  );

describe('parseBindZone on a hand-written zone with every syntax feature', () => {
  const zone = parsed(readFileSync(FIXTURE, 'utf8'), FIXTURE);

  it('takes the domain from the SOA owner', () => {
    expect(zone.domain).toBe('example.net');
  });

  it('reads every record of the eight types with the right name, value, TTL and priority', () => {
    expect(sorted(zone.records)).toEqual(
      sorted([
        r('@', 'A', '192.0.2.1', 7200),
        r('@', 'A', '192.0.2.2', 7200),
        r('www', 'CNAME', 'example.net', 300),
        r('ftp', 'CNAME', 'www.example.net', 600),
        r('mail', 'A', '192.0.2.25', 86400),
        r('mail', 'AAAA', '2001:db8::25', 7200),
        r('@', 'MX', 'mail.example.net', 7200, 10),
        r('@', 'MX', 'backup-mx.example.org', 7200, 20),
        r('@', 'TXT', 'v=spf1 mx -all', 7200),
        r('long', 'TXT', 'first part, second part', 7200),
        r('quotes', 'TXT', 'say "hi" \\ and a semicolon; here', 7200),
        r('octal', 'TXT', 'café ; done', 7200),
        r('bare', 'TXT', 'unquoted-text', 7200),
        r('_sip._tcp', 'SRV', '60 5060 sip.example.net', 7200, 10),
        r('sip', 'A', '192.0.2.30', 7200),
        r('@', 'CAA', '0 issue "letsencrypt.org"', 7200),
        r('@', 'CAA', '128 iodef "mailto:security@example.net"', 7200),
        r('sub', 'NS', 'ns1.sub-dns.example.org', 7200),
        r('sub', 'NS', 'ns2.sub-dns.example.org', 7200),
        r('*.wild', 'CNAME', 'www.example.net', 7200),
        r('api.dev', 'A', '192.0.2.40', 7200),
      ]),
    );
  });

  it('leaves out the SOA, the apex NS, other types and names outside the zone, with line numbers', () => {
    expect(zone.leftOut).toEqual([
      'line 4: SOA: the provider writes its own',
      "line 10: @ NS ns1.vps.org: the apex nameservers are the provider's (ns1.vps.org, ns2.vps.org)",
      "line 11: @ NS ns2.vps.org: the apex nameservers are the provider's (ns1.vps.org, ns2.vps.org)",
      'line 33: host.example.net HINFO: HINFO is not one of the 8 types dnssync manages',
      'line 34: 1.2.0.192.in-addr.arpa PTR: "1.2.0.192.in-addr.arpa." is outside the zone example.net',
    ]);
  });
});

describe('parseBindZone details', () => {
  it('uses $TTL, then the last explicit TTL, then the SOA minimum for records without one', () => {
    const withTtl = parsed('$TTL 60\n@ 300 A 192.0.2.1\nb A 192.0.2.2\n');
    expect(withTtl.records.find((x) => x.name === 'b')?.ttl).toBe(60);
    const lastExplicit = parsed('@ 300 A 192.0.2.1\nb A 192.0.2.2\n');
    expect(lastExplicit.records.find((x) => x.name === 'b')?.ttl).toBe(300);
    const soaMinimum = parsed('@ SOA ns. host. 1 2 3 4 1800\nb A 192.0.2.2\n');
    expect(soaMinimum.records).toEqual([r('b', 'A', '192.0.2.2', 1800)]);
  });

  it('rejects a record with no TTL at all, naming the line', () => {
    expect(errorsOf('\n\nb A 192.0.2.2\n')).toEqual([
      'db.example.com:3: the record has no TTL and the file sets none: add $TTL',
    ]);
  });

  it('joins several quoted strings with no separator and keeps their spaces', () => {
    const zone = parsed('$TTL 60\n@ TXT "a " " b" "" "c"\n');
    expect(zone.records[0]?.value).toBe('a  bc');
  });

  it('decodes \\DDD escapes as octets, so multi-octet UTF-8 survives', () => {
    const zone = parsed('$TTL 60\n@ TXT "\\240\\159\\152\\128 ok \\034"\n');
    expect(zone.records[0]?.value).toBe('😀 ok "');
  });

  it('treats a semicolon inside quotes as text, and outside as a comment', () => {
    const zone = parsed('$TTL 60\n@ TXT "a;b" ; comment "not a string"\n');
    expect(zone.records[0]?.value).toBe('a;b');
  });

  it('accepts names in any case, absolute or relative, and @ in targets', () => {
    const zone = parsed('$TTL 60\nWWW.Example.COM. CNAME @\nMixed CNAME Target.Example.Org.\n');
    expect(sorted(zone.records)).toEqual([
      r('mixed', 'CNAME', 'target.example.org', 60),
      r('www', 'CNAME', 'example.com', 60),
    ]);
  });

  it('reads a null MX and an SRV "no service" target as "."', () => {
    const zone = parsed('$TTL 60\n@ MX 0 .\n_imap._tcp SRV 0 0 0 .\n');
    expect(sorted(zone.records)).toEqual(
      sorted([r('@', 'MX', '.', 60, 0), r('_imap._tcp', 'SRV', '0 0 .', 60, 0)]),
    );
  });

  it('unescapes CAA values and keeps quotes escaped in the canonical form', () => {
    const zone = parsed('$TTL 60\n@ CAA 0 issue "ca.example; account=\\"42\\""\n');
    expect(zone.records[0]?.value).toBe('0 issue "ca.example; account=\\"42\\""');
  });

  it('writes one TXT per identity and one TTL per name and type, saying so', () => {
    const zone = parsed('@ 60 A 192.0.2.1\n@ 60 A 192.0.2.1\n@ 30 A 192.0.2.2\n');
    expect(zone.records).toEqual([r('@', 'A', '192.0.2.1', 30), r('@', 'A', '192.0.2.2', 30)]);
    expect(zone.adjusted).toHaveLength(2);
  });

  it('leaves out an empty TXT rather than failing', () => {
    const zone = parsed('$TTL 60\nempty TXT ""\n');
    expect(zone.records).toEqual([]);
    expect(zone.leftOut).toEqual([
      'line 2: empty.example.com TXT: an empty TXT value (dnssync needs text)',
    ]);
  });
});

describe('finding the domain', () => {
  it('prefers --domain, then the SOA owner, then $ORIGIN, then the file name', () => {
    expect(parsed('$TTL 60\n@ A 192.0.2.1\n', 'whatever', 'given.example').domain).toBe(
      'given.example',
    );
    expect(parsed('$TTL 60\nsoa.example. SOA ns. h. 1 2 3 4 5\n', 'db.file.example').domain).toBe(
      'soa.example',
    );
    expect(parsed('$ORIGIN origin.example.\n$TTL 60\n@ A 192.0.2.1\n', 'notes.txt').domain).toBe(
      'origin.example',
    );
    expect(parsed('$TTL 60\n@ A 192.0.2.1\n', 'dir/db.file.example').domain).toBe('file.example');
  });

  it('derives domains from the usual file names', () => {
    expect(domainFromBindFileName('db.example.com')).toBe('example.com');
    expect(domainFromBindFileName('zones/example.com.zone')).toBe('example.com');
    expect(domainFromBindFileName('example.com.db')).toBe('example.com');
    expect(domainFromBindFileName('example.com')).toBe('example.com');
    expect(domainFromBindFileName('zonefile')).toBeNull();
  });

  it('says what to do when nothing names the domain', () => {
    expect(errorsOf('$TTL 60\nwww A 192.0.2.1\n', 'zonefile')).toEqual([
      "zonefile:0: cannot tell the zone's domain (no SOA, no $ORIGIN, and the file name is not a domain): give --domain",
    ]);
  });
});

describe('malformed zone files are rejected with file and line', () => {
  const cases: Array<[string, string, string[]]> = [
    [
      '$INCLUDE of a missing file',
      '$TTL 60\n\n$INCLUDE other.zone\n',
      ['db.example.com:3: $INCLUDE other.zone: no such file'],
    ],
    [
      '$GENERATE with a bad range',
      '$TTL 60\n$GENERATE 3-1 host$ A 192.0.2.$\n',
      ['db.example.com:2: $GENERATE: "3-1" is not a range start-stop[/step] with start <= stop'],
    ],
    ['unknown directive', '$TLL 60\n', ['db.example.com:1: unknown directive $TLL']],
    [
      'unclosed parenthesis',
      '$TTL 60\n@ TXT ( "a"\n\n"b"\n',
      ['db.example.com:2: "(" is never closed (missing ")")'],
    ],
    [
      'stray parenthesis',
      '$TTL 60\n@ A 192.0.2.1 )\n',
      ['db.example.com:2: ")" without a matching "("'],
    ],
    [
      'unclosed quote',
      '$TTL 60\nwww TXT "open\n',
      ['db.example.com:2: quoted string not closed before the end of the line'],
    ],
    [
      'bad TTL',
      '$TTL 60\nwww 1x A 192.0.2.1\n',
      ['db.example.com:2: www.example.com: "1x" is not a TTL (seconds, or units such as 1h30m)'],
    ],
    [
      'other class',
      '$TTL 60\nwww CH A 192.0.2.1\n',
      ["db.example.com:2: www.example.com: class CH is not the zone's class IN"],
    ],
    [
      'bad address',
      '$TTL 60\n\nwww A 192.0.2.300\n',
      [
        'db.example.com:3: www.example.com A: "192.0.2.300" is not an IPv4 address (four numbers 0-255, no leading zeros)',
      ],
    ],
    [
      'missing rdata',
      '$TTL 60\nwww MX 10\n',
      ['db.example.com:2: www.example.com MX: expected preference and exchange, found 1 field'],
    ],
    [
      'bad MX preference',
      '$TTL 60\n@ MX 70000 mail\n',
      ['db.example.com:2: example.com MX: MX preference "70000" must be 0-65535'],
    ],
    [
      'no previous owner',
      '$TTL 60\n   A 192.0.2.1\n',
      ['db.example.com:2: the line starts with a blank but there is no previous owner name'],
    ],
    [
      'bad escape',
      '$TTL 60\n@ TXT "\\999"\n',
      ['db.example.com:2: example.com TXT: escape \\999 is above \\255'],
    ],
    [
      'SOA too short',
      '@ 60 SOA ns. host. 1 2 3\n',
      [
        'db.example.com:1: SOA needs 7 fields (mname rname serial refresh retry expire minimum), found 5',
      ],
    ],
  ];
  it.each(cases)('%s', (_what, text, expected) => {
    expect(errorsOf(text)).toEqual(expected);
  });

  it('reports every problem, in line order, not only the first', () => {
    const errors = errorsOf('$TTL 60\nwww A nope\nok A 192.0.2.1\nmx MX x y\n');
    expect(errors.map((line) => line.split(': ')[0])).toEqual([
      'db.example.com:2',
      'db.example.com:4',
    ]);
  });
});

describe('lexBindZone', () => {
  it('joins lines inside parentheses into one entry that starts where the first token is', () => {
    const { entries } = lexBindZone('a ( b\n c ) d\n e\n');
    expect(entries.map((e) => [e.line, e.ownerOmitted, e.tokens.map((t) => t.raw)])).toEqual([
      [1, false, ['a', 'b', 'c', 'd']],
      [3, true, ['e']],
    ]);
  });
});

describe('parseTtl', () => {
  it('reads seconds and unit forms', () => {
    expect(parseTtl('3600')).toEqual({ ok: true, value: 3600 });
    expect(parseTtl('1h30m')).toEqual({ ok: true, value: 5400 });
    expect(parseTtl('2D')).toEqual({ ok: true, value: 172800 });
    expect(parseTtl('1w1s')).toEqual({ ok: true, value: 604801 });
    expect(parseTtl('h').ok).toBe(false);
    expect(parseTtl('99999999999').ok).toBe(false);
  });
});
