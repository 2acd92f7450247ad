/**
 * Every issue points at the exact YAML node it concerns: line and column
 * are asserted, and so is the text found there, so a reader sees what is pointed at.
 */
import { describe, expect, it } from 'vitest';
import { parseZoneFile } from '../src/zonefile/parse.js';

const FILE = 'zones/example.com.yaml';

/** Text of `source` at 1-based line:col, up to the end of that line. */
function textAt(source: string, line: number, col: number): string {
  return (source.split(/\r?\n/)[line - 1] ?? '').slice(col - 1);
}

interface Case {
  what: string;
  lines: string[];
  /** line, col, the text found there (its start), a fragment of the message */
  expect: [number, number, string, string];
}

const CASES: Case[] = [
  {
    what: 'a bad value (block style) points at the value',
    lines: ['records:', '  - name: www', '    type: A', '    value: 192.0.2.300'],
    expect: [4, 12, '192.0.2.300', 'records[0].value: "192.0.2.300" is not an IPv4 address'],
  },
  {
    what: 'a bad value (flow style) points at the value',
    lines: ['records:', '  - { name: www, type: AAAA, value: "2001:db8::g" }'],
    expect: [2, 37, '"2001:db8::g"', 'is not an IPv6 address'],
  },
  {
    what: 'an item of a block values: list',
    lines: [
      'records:',
      '  - name: "@"',
      '    type: A',
      '    values:',
      '      - 192.0.2.1',
      '      - 192.0.2.01',
    ],
    expect: [6, 9, '192.0.2.01', 'records[0].values[1]:'],
  },
  {
    what: 'an item of a flow values: list spread over lines',
    lines: [
      'records:',
      '  - name: "@"',
      '    type: MX',
      '    priority: 10',
      '    values: [mx1.example.net,',
      '             mail]',
    ],
    expect: [6, 14, 'mail]', 'records[0].values[1]: "mail" is a single label'],
  },
  {
    what: 'an unknown key points at the key',
    lines: ['records:', '  - name: www', '    type: A', '    value: 192.0.2.1', '    tll: 300'],
    expect: [5, 5, 'tll: 300', 'records[0].tll: unknown key "tll" (did you mean "ttl"?)'],
  },
  {
    what: 'an unknown key in a flow mapping',
    lines: ['records:', '  - { name: www, type: A, value: 192.0.2.1, coment: web }'],
    expect: [2, 45, 'coment: web', 'unknown key "coment" (did you mean "comment"?)'],
  },
  {
    what: 'an unknown top-level key',
    lines: ['domain: example.com', 'default_ttl: 300', 'records: []'],
    expect: [2, 1, 'default_ttl', 'default_ttl: unknown key'],
  },
  {
    what: 'a missing key points at the record',
    lines: [
      'records:',
      '  - name: www',
      '    type: A',
      '    value: 192.0.2.1',
      '  - name: api',
      '    value: 192.0.2.2',
    ],
    expect: [5, 5, 'name: api', 'records[1]: missing required key "type"'],
  },
  {
    what: 'a missing value points at the record (flow)',
    lines: [
      'records:',
      '  - { name: www, type: A, value: 192.0.2.1 }',
      '  - { name: api, type: A }',
    ],
    expect: [3, 5, '{ name: api', 'records[1]: a record needs a value'],
  },
  {
    what: 'a missing priority points at the record',
    lines: ['ttl: 300', 'records:', '  - name: "@"', '    type: MX', '    value: mx.example.net'],
    expect: [3, 5, 'name: "@"', 'records[0].priority: MX records need a priority (0-65535)'],
  },
  {
    what: 'a priority where none belongs points at its key',
    lines: ['records:', '  - name: www', '    type: A', '    priority: 10', '    value: 192.0.2.1'],
    expect: [4, 5, 'priority: 10', 'records[0].priority: A records take no priority'],
  },
  {
    what: 'value and values together point at values:',
    lines: [
      'records:',
      '  - name: www',
      '    type: A',
      '    value: 192.0.2.1',
      '    values: [192.0.2.2]',
    ],
    expect: [5, 5, 'values:', 'use either value or values, not both'],
  },
  {
    what: 'a wrong type points at the type',
    lines: ['records:', '  - { name: www,   type: ALIAS, value: example.net }'],
    expect: [2, 26, 'ALIAS', '"ALIAS" is not a record type'],
  },
  {
    what: 'a TTL out of range points at the TTL',
    lines: [
      'ttl: 3600',
      'records:',
      '  - { name: www, type: A, value: 192.0.2.1, ttl: 99999999999 }',
    ],
    expect: [3, 50, '99999999999', 'records[0].ttl: must be between 1 and 2147483647 seconds'],
  },
  {
    what: 'a bad name points at the name',
    lines: ['records:', '  - name: www.example.org.', '    type: A', '    value: 192.0.2.1'],
    expect: [2, 11, 'www.example.org.', 'is outside the zone example.com'],
  },
  {
    what: 'domain: mismatch points at the domain value',
    lines: [
      '# yaml-language-server: $schema=../schemas/zone.schema.json',
      'domain:   example.org',
      'records: []',
    ],
    expect: [2, 11, 'example.org', 'does not match the file name'],
  },
  {
    what: 'a duplicate points at the second record',
    lines: [
      'records:',
      '  - { name: www, type: A, value: 192.0.2.1 }',
      '  # the same again',
      '  - { name: WWW.example.com., type: A, value: 192.0.2.1 }',
    ],
    expect: [
      4,
      47,
      '192.0.2.1 }',
      'duplicate record: www A 192.0.2.1 is already defined at line 2',
    ],
  },
  {
    what: 'a TTL mismatch points at the later record',
    lines: [
      'records:',
      '  - { name: www, type: A, value: 192.0.2.1 }',
      '  - { name: www, type: A, value: 192.0.2.2, ttl: 60 }',
    ],
    expect: [3, 34, '192.0.2.2', 'must share one TTL (60 here, 3600 at line 2)'],
  },
  {
    what: 'a CNAME beside other data points at the CNAME',
    lines: [
      'records:',
      '  - { name: www, type: A, value: 192.0.2.1 }',
      '  - { name: www, type: CNAME, value: example.com. }',
    ],
    expect: [
      3,
      38,
      'example.com.',
      'www has a CNAME, so it can have no other record (also A 192.0.2.1 at line 2)',
    ],
  },
  {
    what: 'a duplicate key points at the second key',
    lines: ['records:', '  - name: www', '    type: A', '    value: 192.0.2.1', '    name: web'],
    expect: [5, 5, 'name: web', 'duplicate key: each key may appear only once'],
  },
  {
    what: 'a duplicate top-level key',
    lines: ['ttl: 300', 'records: []', 'ttl: 600'],
    expect: [3, 1, 'ttl: 600', 'duplicate key'],
  },
  {
    what: 'a YAML syntax error: a key without its colon',
    lines: ['records:', '  - name: www', '    type A', '    value: 192.0.2.1'],
    expect: [3, 5, 'type A', 'YAML syntax error: Implicit keys need to be on a single line'],
  },
  {
    what: 'a YAML syntax error: an item without its dash',
    lines: ['records:', '- name: www', '  type: A', ' value: 192.0.2.1'],
    expect: [4, 1, ' value', 'YAML syntax error: Sequence item without - indicator'],
  },
  {
    what: 'an unquoted @: reserved in YAML, the message says to quote it',
    lines: ['records:', '  - name: @', '    type: A', '    value: 192.0.2.1'],
    expect: [
      2,
      11,
      '@',
      'YAML does not allow @ at the start of a plain value; to write the apex name @, quote it: "@"',
    ],
  },
  {
    what: 'an unquoted @ inside a flow mapping, and text after it',
    lines: [
      'records:',
      '  - { name: "@", type: A, value: 192.0.2.1 }',
      '  - { name: @mail, type: A }',
    ],
    expect: [
      3,
      13,
      '@',
      'YAML does not allow @ at the start of a plain value; to write @mail, quote it: "@mail"',
    ],
  },
  {
    what: 'a YAML syntax error: bad indentation',
    lines: ['records:', '  - name: www', '     type: A', '    value: 192.0.2.1'],
    expect: [
      2,
      11,
      'www',
      'YAML syntax error: Nested mappings are not allowed in compact mappings',
    ],
  },
  {
    what: 'an unquoted wildcard points at the alias',
    lines: [
      'records:',
      '  - name: www',
      '    type: A',
      '    value: 192.0.2.1',
      '  - name: *.dev',
      '    type: A',
      '    value: 192.0.2.2',
    ],
    expect: [5, 11, '*.dev', 'put it in quotes: "*.dev"'],
  },
  {
    what: 'a list where a mapping belongs points at the list',
    lines: ['# a comment first', '', '- name: www'],
    expect: [3, 1, '- name', 'the file is a list'],
  },
];

describe('error positions', () => {
  it.each(CASES)('$what', ({ lines, expect: [line, col, snippet, fragment] }) => {
    const text = `${lines.join('\n')}\n`;
    const errors = parseZoneFile(FILE, text).issues.filter((i) => i.severity === 'error');
    expect(errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toHaveLength(1);
    const [error] = errors;
    expect(error?.message).toContain(fragment);
    expect([error?.line, error?.col]).toEqual([line, col]);
    expect(textAt(text, line, col).startsWith(snippet)).toBe(true);
    expect(error?.file).toBe(FILE);
  });

  it('counts lines the same with Windows line endings and a byte-order mark', () => {
    const lines = ['records:', '  - name: www', '    type: A', '    value: 192.0.2.300'];
    for (const text of [`${lines.join('\r\n')}\r\n`, `\uFEFF${lines.join('\n')}\n`]) {
      const [error] = parseZoneFile(FILE, text).issues;
      expect([error?.line, error?.col]).toEqual([4, 12]);
    }
  });

  it('records keep the position of their value for later stages', () => {
    const text =
      'records:\n  - name: "@"\n    type: A\n    values:\n      - 192.0.2.1\n      - 192.0.2.2\n';
    const zone = parseZoneFile(FILE, text).zone;
    expect(zone?.records.map((r) => r.pos)).toEqual([
      { file: FILE, line: 5, col: 9 },
      { file: FILE, line: 6, col: 9 },
    ]);
  });
});
