/** Zone file → DesiredZone: the model the planner consumes, and every zone rule of the README's "Zone files". */
import { describe, expect, it } from 'vitest';
import { type DesiredZone, type Issue, recordKey } from '../src/model.js';
import { parseZoneFile } from '../src/zonefile/parse.js';

const FILE = 'zones/example.com.yaml';

/** `records:` lines → a zone file text. */
const zone = (...lines: string[]) => `records:\n${lines.map((l) => `  ${l}\n`).join('')}`;

function parse(text: string, file = FILE) {
  return parseZoneFile(file, text);
}

function errorsOf(text: string, file = FILE): Issue[] {
  return parse(text, file).issues.filter((issue) => issue.severity === 'error');
}

/** The one error of `text`, which must contain `fragment`. */
function onlyError(text: string, fragment: string, file = FILE): Issue {
  const errors = errorsOf(text, file);
  expect(errors.map((e) => e.message)).toHaveLength(1);
  const [error] = errors;
  expect(error?.message).toContain(fragment);
  return error as Issue;
}

function validZone(text: string, file = FILE): DesiredZone {
  const result = parse(text, file);
  expect(result.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
  expect(result.zone).not.toBeNull();
  return result.zone as DesiredZone;
}

const records = (z: DesiredZone) =>
  z.records.map((r) => [r.name, r.type, r.value, r.ttl, r.priority]);

describe('the desired model', () => {
  it('holds canonical records with identity key, TTL, priority, comment and position', () => {
    const z = validZone(
      [
        'ttl: 600',
        'records:',
        '  - { name: WWW.Example.COM., type: AAAA, value: "2001:DB8:0:0::1", comment: lab }',
        '  - { name: "@", type: MX, value: Mail.Example.NET., priority: 10, ttl: 300 }',
        '',
      ].join('\n'),
    );
    expect(z).toMatchObject({
      domain: 'example.com',
      file: FILE,
      ttl: 600,
      purge: true,
      ignore: [],
    });
    expect(z.records).toEqual([
      {
        name: 'www',
        type: 'AAAA',
        value: '2001:db8::1',
        ttl: 600,
        priority: null,
        key: recordKey('www', 'AAAA', '2001:db8::1', null),
        comment: 'lab',
        pos: { file: FILE, line: 3, col: 50 },
      },
      {
        name: '@',
        type: 'MX',
        value: 'mail.example.net',
        ttl: 300,
        priority: 10,
        key: recordKey('@', 'MX', 'mail.example.net', 10),
        pos: { file: FILE, line: 4, col: 35 },
      },
    ]);
  });

  it('defaults: TTL 3600, purge true, domain from the file name', () => {
    const z = validZone(
      zone('- { name: "@", type: A, value: 192.0.2.1 }'),
      'zones/Example.COM.yml',
    );
    expect(z).toMatchObject({ domain: 'example.com', ttl: 3600, purge: true });
    expect(z.records[0]?.ttl).toBe(3600);
  });

  it('accepts an empty records list', () => {
    expect(validZone('records: []\n').records).toEqual([]);
  });

  it('converts Unicode domains (file name and domain:) to punycode', () => {
    const z = validZone(
      'domain: bücher.de\nrecords:\n  - { name: straße, type: CNAME, value: www.bücher.de. }\n',
      'zones/bücher.de.yaml',
    );
    expect(z.domain).toBe('xn--bcher-kva.de');
    expect(records(z)).toEqual([['xn--strae-oqa', 'CNAME', 'www.xn--bcher-kva.de', 3600, null]]);
    // The punycode file name and the Unicode domain: are the same zone.
    expect(
      validZone('domain: bücher.de\nrecords: []\n', 'zones/xn--bcher-kva.de.yaml').domain,
    ).toBe('xn--bcher-kva.de');
  });

  it('keeps every type in canonical form', () => {
    const z = validZone(
      zone(
        '- { name: "@", type: A, value: 192.0.2.1 }',
        '- { name: "@", type: AAAA, value: "2001:0DB8::0001" }',
        '- { name: www, type: CNAME, value: Example.COM. }',
        '- { name: "@", type: MX, value: MX1.example.net., priority: 0 }',
        '- { name: "@", type: TXT, value: "v=spf1 -all" }',
        '- { name: sub, type: NS, value: NS1.Other-DNS.net. }',
        '- { name: _sip._tcp, type: SRV, value: "5   5060  SIP.example.com.", priority: 10 }',
        '- { name: "@", type: CAA, value: 0 ISSUE letsencrypt.org }',
      ),
    );
    expect(records(z)).toEqual([
      ['@', 'A', '192.0.2.1', 3600, null],
      ['@', 'AAAA', '2001:db8::1', 3600, null],
      ['www', 'CNAME', 'example.com', 3600, null],
      ['@', 'MX', 'mx1.example.net', 3600, 0],
      ['@', 'TXT', 'v=spf1 -all', 3600, null],
      ['sub', 'NS', 'ns1.other-dns.net', 3600, null],
      ['_sip._tcp', 'SRV', '5 5060 sip.example.com', 3600, 10],
      ['@', 'CAA', '0 issue "letsencrypt.org"', 3600, null],
    ]);
  });
});

describe('values: expansion', () => {
  it('makes one record per value, sharing name, type, TTL, priority and comment', () => {
    const z = validZone(
      zone(
        '- name: "@"',
        '  type: MX',
        '  priority: 10',
        '  ttl: 300',
        '  comment: two exchangers',
        '  values: [mx1.example.net, MX2.example.net.]',
      ),
    );
    expect(z.records.map((r) => [r.value, r.ttl, r.priority, r.comment, r.pos?.line])).toEqual([
      ['mx1.example.net', 300, 10, 'two exchangers', 7],
      ['mx2.example.net', 300, 10, 'two exchangers', 7],
    ]);
  });

  it('checks each value on its own and keeps the valid ones', () => {
    const result = parse(
      zone(
        '- name: "@"',
        '  type: A',
        '  values:',
        '    - 192.0.2.1',
        '    - 192.0.2.300',
        '    - 192.0.2.3',
      ),
    );
    expect(result.zone?.records.map((r) => r.value)).toEqual(['192.0.2.1', '192.0.2.3']);
    expect(result.issues.map((i) => [i.line, i.col, i.message])).toEqual([
      [
        6,
        9,
        'records[0].values[1]: "192.0.2.300" is not an IPv4 address (four numbers 0-255, no leading zeros)',
      ],
    ]);
  });

  it('finds duplicates inside one values list', () => {
    onlyError(
      zone('- { name: "@", type: AAAA, values: ["2001:db8::1", "2001:DB8:0::1"] }'),
      'duplicate record: @ AAAA 2001:db8::1 is already defined at line 2',
    );
  });
});

describe('ignore and purge', () => {
  it('parses ignore rules: a glob and one type, a list of types, or every type', () => {
    const z = validZone(
      [
        'purge: false',
        'ignore:',
        '  - name: "_acme-challenge*"',
        '    type: TXT',
        '  - { name: Legacy, type: [A, AAAA] }',
        '  - { name: "old-*.example.com." }',
        '  - { name: "@", type: NS }',
        'records: []',
        '',
      ].join('\n'),
    );
    expect(z.purge).toBe(false);
    expect(z.ignore).toEqual([
      { name: '_acme-challenge*', types: ['TXT'] },
      { name: 'legacy', types: ['A', 'AAAA'] },
      { name: 'old-*', types: null },
      { name: '@', types: ['NS'] },
    ]);
  });

  it('rejects a desired record that an ignore rule covers', () => {
    const error = onlyError(
      [
        'ignore:',
        '  - { name: "_acme-challenge*", type: TXT }',
        'records:',
        '  - { name: _acme-challenge.www, type: TXT, value: token }',
        '  - { name: _acme-challenge, type: A, value: 192.0.2.1 }',
        '',
      ].join('\n'),
      'matches the ignore rule "_acme-challenge*"',
    );
    expect(error).toMatchObject({ code: 'ignored', line: 4 });
  });

  it.each([
    [
      'ignore:\n  - { name: x, type: PTR }\nrecords: []\n',
      'ignore[0].type: "PTR" is not a record type dnssync manages',
    ],
    [
      'ignore:\n  - { name: x, type: [] }\nrecords: []\n',
      'ignore[0].type: must list at least one record type',
    ],
    [
      'ignore:\n  - { name: x, type: [A, SOA] }\nrecords: []\n',
      'ignore[0].type[1]: "SOA" is not a record type',
    ],
    ['ignore:\n  - { name: x, type: txt }\nrecords: []\n', 'types are written in capitals: TXT'],
    ['ignore:\n  - { type: TXT }\nrecords: []\n', 'ignore[0]: missing required key "name"'],
    ['ignore:\n  - { name: "" }\nrecords: []\n', 'ignore[0].name: must not be empty'],
    [
      'ignore:\n  - { name: x, types: A }\nrecords: []\n',
      'unknown key "types" (did you mean "type"?)',
    ],
    ['ignore: "_acme*"\nrecords: []\n', 'ignore: must be a list'],
    ['purge: "no"\nrecords: []\n', 'purge: must be true or false'],
  ])('reports one clear error for %j', (text, fragment) => {
    onlyError(text, fragment);
  });
});

describe('zone rules', () => {
  it('CNAME at the apex', () => {
    const error = onlyError(
      zone('- { name: example.com., type: CNAME, value: other.example.net }'),
      'a CNAME cannot be at the apex of example.com',
    );
    expect(error.code).toBe('cname-apex');
  });

  it('CNAME beside other data at its name', () => {
    const error = onlyError(
      zone(
        '- { name: www, type: CNAME, value: example.com. }',
        '- { name: WWW.example.com., type: TXT, value: hello }',
      ),
      'www has a CNAME, so it can have no other record (also TXT hello at line 3)',
    );
    expect(error).toMatchObject({ code: 'cname-exclusive', line: 2 });
  });

  it('two CNAMEs at one name', () => {
    const error = onlyError(
      zone(
        '- { name: www, type: CNAME, value: a.example.net }',
        '- { name: www, type: CNAME, value: b.example.net }',
      ),
      'www already has a CNAME (a.example.net at line 2); a name can have only one',
    );
    expect(error).toMatchObject({ code: 'cname-multiple', line: 3 });
  });

  it('a CNAME at a wildcard and data at a name below it do not clash', () => {
    validZone(
      zone(
        '- { name: "*.dev", type: CNAME, value: dev.example.net }',
        '- { name: a.dev, type: A, value: 192.0.2.1 }',
      ),
    );
  });

  it.each([
    ['WWW vs www.example.com.', 'WWW', 'A', '192.0.2.1', 'www.example.com.', 'A', '192.0.2.1'],
    ['IPv6 spellings', 'v6', 'AAAA', '"2001:DB8::1"', 'v6', 'AAAA', '"2001:db8:0::1"'],
    ['hostname case and dot', 'www', 'CNAME', 'Example.COM.', 'www', 'CNAME', 'example.com'],
    ['MX spelling', '"@"', 'MX', 'mx.example.net', 'example.com', 'MX', 'MX.example.net.'],
    [
      'SRV spacing',
      '_sip._tcp',
      'SRV',
      '"1 2 a.example.net"',
      '_sip._tcp',
      'SRV',
      '"1  2  A.example.net."',
    ],
    [
      'CAA tag case and quotes',
      '"@"',
      'CAA',
      '0 issue "ca.example"',
      '"@"',
      'CAA',
      '0 ISSUE ca.example',
    ],
    ['IDN name', 'bücher', 'A', '192.0.2.1', 'xn--bcher-kva', 'A', '192.0.2.1'],
  ])('duplicate identity: %s', (_what, n1, t1, v1, n2, t2, v2) => {
    const prio = (t: string) => (t === 'MX' || t === 'SRV' ? ', priority: 1' : '');
    const error = onlyError(
      zone(
        `- { name: ${n1}, type: ${t1}, value: ${v1}${prio(t1)} }`,
        `- { name: ${n2}, type: ${t2}, value: ${v2}${prio(t2)} }`,
      ),
      'duplicate record',
    );
    expect(error).toMatchObject({ code: 'duplicate', line: 3 });
    expect(error.message).toContain('is already defined at line 2');
  });

  it('MX records that differ only in priority are two records, as in DNS', () => {
    validZone(
      zone(
        '- { name: "@", type: MX, value: mx.example.net, priority: 10 }',
        '- { name: "@", type: MX, value: mx.example.net, priority: 20 }',
      ),
    );
  });

  it('same identity with a different TTL is still a duplicate', () => {
    onlyError(
      zone(
        '- { name: "@", type: MX, value: mx.example.net, priority: 10, ttl: 300 }',
        '- { name: "@", type: MX, value: mx.example.net, priority: 10, ttl: 600 }',
      ),
      'duplicate record: @ MX mx.example.net',
    );
  });

  it('TXT values that differ only in case are different records', () => {
    validZone(
      zone('- { name: "@", type: TXT, value: Hello }', '- { name: "@", type: TXT, value: hello }'),
    );
  });

  it('one TTL per name and type, explicit vs explicit', () => {
    const error = onlyError(
      zone(
        '- { name: www, type: A, value: 192.0.2.1, ttl: 300 }',
        '- { name: www, type: A, value: 192.0.2.2, ttl: 600 }',
      ),
      'A records at www must share one TTL (600 here, 300 at line 2)',
    );
    expect(error).toMatchObject({ code: 'ttl-mismatch', line: 3 });
  });

  it('one TTL per name and type, default vs explicit', () => {
    onlyError(
      `ttl: 1800\n${zone('- { name: www, type: A, value: 192.0.2.1 }', '- { name: www, type: A, value: 192.0.2.2, ttl: 300 }')}`,
      'A records at www must share one TTL (300 here, 1800 at line 3)',
    );
  });

  it('an explicit TTL equal to the default is no mismatch; other types may differ', () => {
    validZone(
      `ttl: 300\n${zone(
        '- { name: www, type: A, value: 192.0.2.1 }',
        '- { name: www, type: A, value: 192.0.2.2, ttl: 300 }',
        '- { name: www, type: AAAA, value: "2001:db8::1", ttl: 60 }',
      )}`,
    );
  });

  it.each([
    ['CNAME', 'www'],
    ['NS', 'ns1'],
    ['MX', 'mail'],
  ])('a single-label %s value is an error', (type, value) => {
    const prio = type === 'MX' ? ', priority: 10' : '';
    onlyError(
      zone(`- { name: sub, type: ${type}, value: ${value}${prio} }`),
      `"${value}" is a single label; write the full hostname (e.g. ${value}.example.com)`,
    );
  });

  it('a single-label SRV target is an error', () => {
    onlyError(
      zone('- { name: _sip._tcp, type: SRV, value: 1 5060 sip, priority: 1 }'),
      'SRV target: "sip" is a single label',
    );
  });

  it.each([
    ['www.example.net.', '"www.example.net." is outside the zone example.com'],
    ['example.com.au.', 'is outside the zone'],
    ['com.', 'is outside the zone'],
  ])('name %j outside the zone', (name, fragment) => {
    const error = onlyError(zone(`- { name: ${name}, type: A, value: 192.0.2.1 }`), fragment);
    expect(error.code).toBe('name');
  });

  it('label and name lengths', () => {
    onlyError(
      zone(`- { name: ${'a'.repeat(64)}, type: A, value: 192.0.2.1 }`),
      'is 64 octets long (at most 63)',
    );
    validZone(zone(`- { name: ${'a'.repeat(63)}, type: A, value: 192.0.2.1 }`));
    const long = `${'a'.repeat(62)}.${'b'.repeat(62)}.${'c'.repeat(62)}.${'d'.repeat(52)}`;
    expect(long.length + '.example.com'.length).toBe(253);
    validZone(zone(`- { name: ${long}, type: A, value: 192.0.2.1 }`));
    onlyError(
      zone(`- { name: ${long}x, type: A, value: 192.0.2.1 }`),
      '254 octets long as a full name',
    );
  });

  it.each(['A', 'AAAA', 'CNAME', 'TXT', 'NS', 'CAA'])('priority is rejected for %s', (type) => {
    onlyError(
      zone(`- { name: x, type: ${type}, value: whatever, priority: 10 }`),
      `records[0].priority: ${type} records take no priority (only MX and SRV do)`,
    );
  });

  it.each([
    ['MX', 'mx.example.net'],
    ['SRV', '1 5060 sip.example.net'],
  ])('priority is required for %s', (type, value) => {
    const name = type === 'SRV' ? '_sip._tcp' : '"@"';
    onlyError(
      zone(`- { name: ${name}, type: ${type}, value: ${value} }`),
      `records[0].priority: ${type} records need a priority (0-65535)`,
    );
  });

  it('priority range 0-65535', () => {
    validZone(zone('- { name: "@", type: MX, value: mx.example.net, priority: 65535 }'));
    onlyError(
      zone('- { name: "@", type: MX, value: mx.example.net, priority: 65536 }'),
      'records[0].priority: must be between 0 and 65535',
    );
    onlyError(
      zone('- { name: "@", type: MX, value: mx.example.net, priority: -1 }'),
      'records[0].priority: must be between 0 and 65535',
    );
  });

  it('null MX: priority 0 and no other MX at the name', () => {
    validZone(zone('- { name: "@", type: MX, value: ".", priority: 0 }'));
    onlyError(
      zone('- { name: "@", type: MX, value: ".", priority: 10 }'),
      'a null MX (".") must have priority 0, not 10',
    );
    onlyError(
      zone(
        '- { name: "@", type: MX, value: ".", priority: 0 }',
        '- { name: "@", type: MX, value: mx.example.net, priority: 10 }',
      ),
      'a null MX (".") must be the only MX record at @ (also MX mx.example.net at line 3)',
    );
  });

  it.each([
    ['sip', 'SRV name "sip" must start with _service._proto'],
    ['_sip', 'SRV name "_sip" must start with _service._proto'],
    ['sip._tcp', 'SRV name "sip._tcp" must start with _service._proto'],
  ])('SRV name %j without _service._proto', (name, fragment) => {
    onlyError(
      zone(`- { name: ${name}, type: SRV, value: 1 5060 sip.example.com, priority: 1 }`),
      fragment,
    );
  });

  it('SRV names may sit below a subdomain, and target "." means no service', () => {
    validZone(
      zone(
        '- { name: _sip._tcp.eu, type: SRV, value: 1 5060 sip.example.com, priority: 1 }',
        '- { name: _imaps._tcp, type: SRV, value: 0 0 ., priority: 0 }',
      ),
    );
  });

  it('reports every problem of a file at once', () => {
    const errors = errorsOf(
      zone(
        '- { name: "@", type: CNAME, value: other.example.net }',
        '- { name: a, type: A, value: 192.0.2.01 }',
        '- { name: b, type: MX, value: mx.example.net }',
        '- { name: c.example.net., type: A, value: 192.0.2.1 }',
        '- { name: d, type: CNAME, value: www }',
      ),
    );
    expect(errors.map((e) => e.line).sort()).toEqual([2, 3, 4, 5, 6]);
  });

  it('checks the values of a record whose name is wrong, too', () => {
    const errors = errorsOf(zone('- { name: a..b, type: A, values: [192.0.2.1, 192.0.2.01] }'));
    expect(errors.map((e) => e.message)).toEqual([
      'records[0].name: "a..b" has an empty label',
      'records[0].values[1]: "192.0.2.01" is not an IPv4 address (four numbers 0-255, no leading zeros)',
    ]);
  });
});

describe('the file and its domain', () => {
  it('domain: must match the file name', () => {
    const error = onlyError(
      'domain: example.org\nrecords: []\n',
      'domain: "example.org" does not match the file name (example.com); name the file example.org.yaml',
    );
    expect(error.code).toBe('domain-mismatch');
  });

  it('domain: may differ from the file name in case, trailing dot and IDN spelling', () => {
    validZone('domain: Example.COM.\nrecords: []\n');
  });

  it('a file name that is not a domain is an error, with or without domain:', () => {
    onlyError('records: []\n', 'the file name does not name a domain', 'zones/notes.yaml');
    onlyError(
      'domain: example.com\nrecords: []\n',
      'the file name does not name a domain',
      'zones/notes.yaml',
    );
    onlyError('records: []\n', 'not a valid label', 'zones/my zone.com.yaml');
  });

  it('domain: itself must be a domain', () => {
    onlyError('domain: localhost\nrecords: []\n', 'domain: "localhost" is not a domain');
  });

  it('a zone domain has no underscore, as import already said (VPS.org zones are letters, digits and hyphens)', () => {
    onlyError('records: []\n', '"my_zone.example" has an underscore', 'zones/my_zone.example.yaml');
    onlyError('domain: _dmarc.example.com\nrecords: []\n', 'has an underscore');
  });
});

describe('YAML and schema problems', () => {
  it.each([
    ['', 'the file is empty'],
    ['# only a comment\n', 'the file is empty'],
    ['- a\n- b\n', 'the file is a list; a zone file is a mapping with a records: list'],
    ['just text\n', 'the file is a single value'],
    ['domain: example.com\n', 'the file needs a records: list (it may be empty: records: [])'],
    ['records:\n', 'records: must be a list'],
    ['records: {}\n', 'records: must be a list'],
    ['records: []\nrecods: []\n', 'unknown key "recods" (did you mean "records"?)'],
    ['records:\n  - www\n', 'records[0]: must be a mapping of keys to values'],
    ['records:\n  -\n', 'records[0]: must be a mapping of keys to values'],
    [zone('- { name: www, type: A }'), 'records[0]: a record needs a value (or a values: list)'],
    [
      zone('- { name: www, type: A, value: 192.0.2.1, values: [192.0.2.2] }'),
      'use either value or values, not both',
    ],
    [
      zone('- { name: www, type: A, values: [] }'),
      'records[0].values: must list at least one entry',
    ],
    [zone('- { name: www, type: A, value: "" }'), 'records[0].value: must not be empty'],
    [zone('- { name: "", type: A, value: 192.0.2.1 }'), 'records[0].name: must not be empty'],
    [zone('- { type: A, value: 192.0.2.1 }'), 'records[0]: missing required key "name"'],
    [zone('- { name: www, value: 192.0.2.1 }'), 'records[0]: missing required key "type"'],
    [
      zone('- { name: www, value: 192.0.2.1, priority: 5 }'),
      'records[0]: missing required key "type"',
    ],
    [
      zone('- { name: www, type: PTR, value: x.example.com }'),
      '"PTR" is not a record type dnssync manages (A, AAAA, CNAME, MX, TXT, NS, SRV, CAA)',
    ],
    [
      zone('- { name: www, type: mx, value: x.example.com, priority: 1 }'),
      '"mx" is not a record type; types are written in capitals: MX',
    ],
    [
      zone('- { name: www, type: TXT, value: 1234 }'),
      'records[0].value: must be text (put it in quotes if YAML read it as a number or boolean)',
    ],
    [
      zone('- { name: www, type: TXT, value: yes, tll: 60 }'),
      'unknown key "tll" (did you mean "ttl"?)',
    ],
    [
      zone('- { name: www, type: A, value: 192.0.2.1, ttl: "300" }'),
      'records[0].ttl: must be a whole number',
    ],
    [
      zone('- { name: www, type: A, value: 192.0.2.1, ttl: 1.5 }'),
      'records[0].ttl: must be a whole number',
    ],
    [
      zone('- { name: www, type: A, value: 192.0.2.1, ttl: -1 }'),
      'records[0].ttl: must be between 1 and 2147483647 seconds',
    ],
    [
      zone('- { name: www, type: A, value: 192.0.2.1, comment: 5 }'),
      'records[0].comment: must be text',
    ],
    ['ttl: 1h\nrecords: []\n', 'ttl: must be a whole number'],
    [
      'records:\n  - name: www\n    type: A\n    name: web\n    value: 192.0.2.1\n',
      'duplicate key: each key may appear only once',
    ],
    ['records: [\n', 'YAML syntax error'],
    ['records:\n\t- name: x\n', 'YAML syntax error: Tabs are not allowed as indentation'],
    [
      zone('- { name: @, type: A, value: 192.0.2.1 }'),
      'YAML does not allow @ at the start of a plain value; to write the apex name @, quote it: "@"',
    ],
    [
      zone('- { name: *.dev, type: A, value: 192.0.2.1 }'),
      'YAML reads *.dev as an alias to an anchor &.dev that is not defined above; to write the text *.dev (e.g. a wildcard name), put it in quotes: "*.dev"',
    ],
    [
      zone('- name: *', '  type: A', '  value: 192.0.2.1'),
      'to write the wildcard name *, put it in quotes: "*"',
    ],
    ['records: []\n---\nrecords: []\n', 'YAML syntax error: Source contains multiple documents'],
  ])('%j → one error: %s', (text, fragment) => {
    const result = parse(text);
    const errors = result.issues.filter((issue) => issue.severity === 'error');
    expect(errors.map((e) => e.message)).toHaveLength(1);
    expect(errors[0]?.message).toContain(fragment);
    // No raw ajv output ever reaches the user.
    expect(errors[0]?.message).not.toMatch(
      /must have required property|must match exactly one schema|instancePath/,
    );
  });

  it('resolves aliases that do have an anchor', () => {
    const z = validZone(
      'records:\n  - { name: a, type: A, value: &ip 192.0.2.1 }\n  - { name: b, type: A, value: *ip }\n',
    );
    expect(records(z).map((r) => r[2])).toEqual(['192.0.2.1', '192.0.2.1']);
  });

  it('refuses alias bombs with a message instead of hanging or crashing', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('records: []');
    const errors = errorsOf(lines.join('\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('YAML aliases could not be expanded');
  });
});

describe('parsing leaves the process alone', () => {
  it('process.env is the real one again after a parse, also after a broken file', () => {
    const env = process.env;
    parse(zone('- { name: www, type: A, value: 192.0.2.1 }'));
    parse('records: [\n');
    expect(process.env).toBe(env);
    expect(process.env['PATH']).toBeDefined();
  });
});

describe('warnings', () => {
  it('are reported but do not make the zone invalid', () => {
    // An unknown CAA tag is the caa-unknown-tag DNS check's to report, not the parser's.
    const result = parse(
      zone(
        '- { name: "@", type: CAA, value: 0 tbs "x" }',
        `- { name: "@", type: TXT, value: '"quoted"' }`,
      ),
    );
    expect(result.issues.map((i) => [i.severity, i.line])).toEqual([['warning', 3]]);
    expect(result.zone?.records).toHaveLength(2);
  });
});
