import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { octodnsText, parseOctodnsZone } from '../src/interop/octodns.js';
import type { ImportedZone } from '../src/interop/types.js';
import type { DnsRecord } from '../src/model.js';

const FIXTURE = 'test/fixtures/octodns/example.com.yaml';

function converted(text: string, file = 'example.com.yaml', domain?: string): ImportedZone {
  const result = parseOctodnsZone(file, text, domain === undefined ? {} : { domain });
  if (!result.ok) throw new Error(result.reason.map((e) => `${e.line}: ${e.message}`).join('\n'));
  return result.value;
}

function errorsOf(text: string, file = 'example.com.yaml'): string[] {
  const result = parseOctodnsZone(file, text);
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.reason.map((e) => `${e.line}: ${e.message}`);
}

const r = (
  name: string,
  type: DnsRecord['type'],
  value: string,
  ttl = 3600,
  priority: number | null = null,
): DnsRecord => ({ name, type, value, ttl, priority });

const key = (x: DnsRecord) => `${x.name} ${x.type} ${x.value}`;
const sorted = (records: DnsRecord[]) =>
  [...records].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

describe('parseOctodnsZone on a zone in octoDNS YamlProvider format', () => {
  const zone = converted(readFileSync(FIXTURE, 'utf8'), FIXTURE);

  it('takes the domain from the file name', () => {
    expect(zone.domain).toBe('example.com');
    expect(zone.source).toBe('the octoDNS zone file example.com.yaml');
  });

  it('converts each of the eight types, both MX spellings, SRV/CAA mappings and TXT escapes', () => {
    expect(sorted(zone.records)).toEqual(
      sorted([
        r('@', 'A', '192.0.2.1'),
        r('@', 'A', '192.0.2.2'),
        r('@', 'AAAA', '2001:db8::1'),
        r('@', 'MX', 'mx1.example.com', 3600, 10),
        r('@', 'MX', 'mx2.example.net', 3600, 20),
        r('@', 'TXT', 'v=spf1 include:_spf.example.net ~all'),
        r('@', 'TXT', 'some-verification=abc123'),
        r('@', 'CAA', '0 issue "letsencrypt.org"'),
        r('@', 'CAA', '0 iodef "mailto:security@example.com"'),
        r('*', 'CNAME', 'www.example.com'),
        r('_dmarc', 'TXT', 'v=DMARC1; p=reject; rua=mailto:dmarc@example.com', 300),
        r('_sip._tcp', 'SRV', '20 5060 sip.example.com', 3600, 10),
        r('chunked', 'TXT', 'first half second half'),
        r('geo', 'A', '192.0.2.50'),
        r('lab', 'NS', 'ns1.lab.example.net'),
        r('lab', 'NS', 'ns2.lab.example.net'),
        r('pool', 'A', '192.0.2.60'),
        r('sip', 'A', '192.0.2.30', 600),
        r('www', 'CNAME', 'example.com'),
      ]),
    );
  });

  it('leaves out other types, apex NS and octoDNS-only features, naming the line', () => {
    expect(zone.leftOut).toEqual([
      "line 27: '' NS ns1.vps.org: the apex nameservers are the provider's (ns1.vps.org, ns2.vps.org)",
      "line 27: '' NS ns2.vps.org: the apex nameservers are the provider's (ns1.vps.org, ns2.vps.org)",
      'line 48: geo A: geo answers are an octoDNS feature VPS.org does not offer; dropped; the plain value(s) were imported',
      'line 59: pool A: dynamic pools and rules are an octoDNS feature VPS.org does not offer; dropped; the plain value(s) were imported',
      'line 70: ptr PTR: PTR is not one of the 8 types dnssync manages',
      'line 77: sip SSHFP: SSHFP is not one of the 8 types dnssync manages',
      'line 82: www CNAME: octodns: settings (provider-specific) do not apply to VPS.org; dropped; the plain value(s) were imported',
      'line 88: www.sub ALIAS: ALIAS is not one of the 8 types dnssync manages',
    ]);
  });
});

describe('octoDNS details', () => {
  it('undoes \\; escapes and the chunked "a" "b" form, and nothing else', () => {
    expect(octodnsText('v=DKIM1\\; k=rsa\\; p=abc')).toBe('v=DKIM1; k=rsa; p=abc');
    expect(octodnsText('"one" "two"')).toBe('onetwo');
    expect(octodnsText('back\\slash stays')).toBe('back\\slash stays');
    expect(octodnsText('plain "quotes" inside')).toBe('plain "quotes" inside');
  });

  it('keeps a name that spells the zone as a name inside it, not as the apex', () => {
    const zone = converted('example.com:\n  type: A\n  value: 192.0.2.1\n');
    expect(zone.records).toEqual([r('example.com', 'A', '192.0.2.1')]);
  });

  it('accepts --domain for a file not named after its domain', () => {
    const zone = converted("'':\n  type: A\n  value: 192.0.2.1\n", 'zone.yaml', 'example.org');
    expect(zone.domain).toBe('example.org');
  });

  it('leaves out a record octoDNS itself ignores, pointing at ignore rules', () => {
    const zone = converted('x:\n  octodns:\n    ignored: true\n  type: A\n  value: 192.0.2.1\n');
    expect(zone.records).toEqual([]);
    expect(zone.leftOut[0]).toContain('octodns.ignored');
  });

  it('escapes a quote inside a CAA value for the canonical form', () => {
    const zone = converted("'':\n  type: CAA\n  value:\n    tag: issue\n    value: 'a\"b'\n");
    expect(zone.records[0]?.value).toBe('0 issue "a\\"b"');
  });

  it('converts a unicode name to punycode', () => {
    const zone = converted('bücher:\n  type: A\n  value: 192.0.2.1\n');
    expect(zone.records[0]?.name).toBe('xn--bcher-kva');
  });
});

describe('broken octoDNS files are rejected with the line', () => {
  const cases: Array<[string, string, string[]]> = [
    ['no type', 'www:\n  value: 192.0.2.1\n', ['1: www: type: missing']],
    [
      'MX without exchange',
      "'':\n  - type: A\n    value: 192.0.2.1\n  - type: MX\n    value:\n      preference: 10\n",
      ["4: '': MX: missing exchange"],
    ],
    [
      'SRV port out of range',
      '_x._tcp:\n  type: SRV\n  value: {priority: 1, weight: 2, port: 70000, target: a.example.com.}\n',
      ['1: _x._tcp: SRV: port must be 0-65535'],
    ],
    [
      'bad address',
      'a:\n  type: A\n  value: 1.2.3\n',
      ['1: a: A: "1.2.3" is not an IPv4 address (four numbers 0-255, no leading zeros)'],
    ],
    [
      'bad ttl',
      'a:\n  type: A\n  ttl: soon\n  value: 192.0.2.1\n',
      ['1: a: ttl "soon" must be a whole number of seconds'],
    ],
    ['no value', 'a:\n  type: A\n', ['1: a: A has no value or values']],
    ['not a mapping', '- a\n- b\n', ['1: an octoDNS zone file is a mapping of record names']],
  ];
  it.each(cases)('%s', (_what, text, expected) => {
    expect(errorsOf(text)).toEqual(expected);
  });

  it('reports YAML syntax errors with their line', () => {
    const [error] = errorsOf("'':\n  type: A\n  value: [192.0.2.1\n");
    expect(error).toMatch(/^\d+: YAML: /);
  });

  it('says how to name the domain when the file name is not one', () => {
    const result = parseOctodnsZone('zone.yaml', "'': {type: A, value: 192.0.2.1}\n");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason[0]?.message).toContain('--domain');
  });
});
