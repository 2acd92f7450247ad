/**
 * The fast reader (js-yaml's events, read-yaml.ts) must read exactly what the `yaml`
 * package reads whenever it reads a file at all: same data, same node positions, and no
 * file that yaml calls an error. Checked on every fixture and example, on generated zone
 * sets, on a table of YAML 1.1/1.2 quirks and tricky shapes, and on fuzzed zone-like
 * files. It must also read the common shapes itself, or the speed it exists for goes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { zoneText } from '../bench/gen-zones.mjs';
import { fastRead, type PosNode } from '../src/zonefile/read-yaml.js';

const ROOT = join(import.meta.dirname, '..');

function yamlRead(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  return { doc, lineCounter };
}

/** Where the fast reader and yaml differ on `text`, or null when they agree (or it declines). */
function disagreement(text: string): string | null {
  const fast = fastRead(text);
  if (!fast) return null;
  const { doc, lineCounter } = yamlRead(text);
  if (doc.errors.length > 0) return `yaml reports ${doc.errors[0]?.code}, js-yaml accepted`;
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    return `yaml toJS throws ${(error as Error).message}`;
  }
  if (!isDeepStrictEqual(data, fast.data)) {
    return `data differs: yaml ${JSON.stringify(data)} js-yaml ${JSON.stringify(fast.data)}`;
  }
  const starts = (list: number[]) => list.filter((offset) => offset <= text.length);
  if (!isDeepStrictEqual(starts(lineCounter.lineStarts), starts(fast.lineStarts))) {
    return 'line starts differ';
  }
  return sameNodes(fast.contents, doc.contents, '$');
}

function sameNodes(fast: PosNode, node: unknown, where: string): string | null {
  const start = (node as Node | null)?.range?.[0];
  const fastStart = typeof fast === 'number' ? fast : fast.start;
  if (start !== fastStart) return `${where}: starts at ${start} in yaml, ${fastStart} in js-yaml`;
  if (typeof fast === 'number') return isScalar(node) ? null : `${where}: not a scalar in yaml`;
  if (fast.kind === 'seq') {
    if (!isSeq(node) || node.items.length !== fast.items.length) return `${where}: list differs`;
    for (const [index, item] of fast.items.entries()) {
      const problem = sameNodes(item, node.items[index], `${where}[${index}]`);
      if (problem) return problem;
    }
    return null;
  }
  if (!isMap(node) || node.items.length !== fast.keys.length) return `${where}: mapping differs`;
  for (const [index, text] of fast.keys.entries()) {
    const other = node.items[index];
    const key = other?.key;
    if (!isScalar(key) || String(key.value) !== text) return `${where}: key ${text} differs`;
    const keyProblem = sameNodes(fast.keyStarts[index] as number, key, `${where}.${text}(key)`);
    if (keyProblem) return keyProblem;
    const problem = sameNodes(fast.values[index] as PosNode, other?.value, `${where}.${text}`);
    if (problem) return problem;
  }
  return null;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}

describe('js-yaml reads what yaml reads', () => {
  const corpus = [
    ...filesUnder(join(ROOT, 'zones')),
    ...filesUnder(join(ROOT, 'test', 'fixtures', 'valid')),
    ...filesUnder(join(ROOT, 'test', 'fixtures', 'invalid')),
  ];

  it('on every example zone and fixture', () => {
    for (const text of corpus) expect(disagreement(text)).toBeNull();
  });

  it('reads the example zones and generated zones itself (the fast path is used)', () => {
    for (const text of filesUnder(join(ROOT, 'zones'))) expect(fastRead(text)).not.toBeNull();
    for (let index = 0; index < 200; index++) {
      const { text } = zoneText(index, 80, 3);
      expect(fastRead(text), text).not.toBeNull();
      expect(disagreement(text)).toBeNull();
    }
  });

  const lines = (...l: string[]) => `${l.join('\n')}\n`;
  it.each([
    // Accepted shapes: assert agreement (and acceptance where it matters).
    ['simple', lines('ttl: 300', 'records:', '  - { name: www, type: A, value: 192.0.2.1 }'), true],
    [
      'list at column 0',
      lines('records:', '- { name: www, type: A, value: 192.0.2.1 }', 'ttl: 5'),
      true,
    ],
    [
      'block items',
      lines(
        'records:',
        '  - name: "@"',
        '    type: MX',
        '    priority: 10',
        '    values:',
        '      - mx1.example.net',
        '      - mx2.example.net # two',
      ),
      true,
    ],
    [
      'compact nested list',
      lines('records:', '  - name: "@"', '    values:', '    - a.example.net', '    type: NS'),
      true,
    ],
    [
      'comments and blanks anywhere',
      lines(
        '# head',
        '',
        'records: # the records',
        '',
        '  # one',
        '  - { name: a, type: A, value: 1.2.3.4 }   # trailing',
        '',
        '    # odd indent comment',
        '  - name: b',
        '',
        '    # inside',
        '    type: TXT',
        '    value: "x # not a comment"',
      ),
      true,
    ],
    [
      'quotes and escapes',
      lines('records:', `  - { name: "a\\"b", value: 'it''s', x: "c:\\\\d" }`),
      true,
    ],
    ['flow map inside a flow list', lines('records: [{ name: a }]'), undefined],
    [
      'plain with quotes inside',
      lines('records:', '  - { name: "@", type: CAA, value: 0 issue "letsencrypt.org" }'),
      true,
    ],
    ['booleans and numbers', lines('purge: false', 'ttl: 0', 'records: []', 'x: True'), true],
    ['empty collections', lines('ignore: []', 'records: []', 'extra: {}'), true],
    ['hash without space', lines('records: [{ value: abc#def }]', 'x: a#b'), undefined],
    ['colon without space', lines('x: a:b', 'y: http://example.com/a?b=c'), true],
    [
      'spaces around',
      lines('records:', '  - {   name:   www ,  type: A  , value:  1.2.3.4   }'),
      true,
    ],
    // Shapes it must decline or read exactly like yaml.
    [
      'anchor and alias',
      lines('records:', '  - { name: a, value: &ip 1.2.3.4 }', '  - { name: b, value: *ip }'),
      undefined,
    ],
    [
      'unquoted wildcard',
      lines('records:', '  - { name: *.dev, type: A, value: 1.2.3.4 }'),
      undefined,
    ],
    ['tag', lines('ttl: !!str 300', 'records: []'), undefined],
    ['block scalar', lines('records:', '  - name: a', '    value: |', '      text'), undefined],
    [
      'folded multi-line plain',
      lines('records:', '  - name: a', '    value: one', '      two'),
      undefined,
    ],
    ['multi-line flow', lines('records: [', '  a, b ]'), undefined],
    ['duplicate key', lines('ttl: 1', 'ttl: 2', 'records: []'), false],
    ['duplicate flow key', lines('records: [{ a: 1, a: 2 }]'), false],
    ['null values', lines('ttl:', 'records: []', 'domain: ~'), undefined],
    [
      'floats and octals',
      lines('ttl: 1.5', 'a: 0o17', 'b: 0x1F', 'c: 1e3', 'd: .inf', 'e: 0300', 'f: -1'),
      undefined,
    ],
    ['yes/no stay strings in YAML 1.2', lines('a: yes', 'b: no', 'c: on'), true],
    ['tab', 'records:\n\t- x\n', false],
    ['CRLF', 'ttl: 1\r\nrecords:\r\n  - { name: a, value: "x" }\r\n', true],
    ['document marker', lines('---', 'records: []'), true],
    ['two documents', lines('records: []', '---', 'records: []'), false],
    ['byte order mark', '\ufeffttl: 5\nrecords: []\n', undefined],
    ['bad indentation', lines('records:', '  - name: a', '     type: A'), undefined],
    ['item under a scalar', lines('records:', '  - name: a', '    - b'), false],
    ['trailing comma', lines('records: [a, b, ]'), undefined],
    ['unclosed quote', lines('records:', '  - { name: "a, type: A }'), false],
    ['escapes', lines('a: "tab\\there \\u00e9 \\x41"'), true],
    ['nested mapping on one line', lines('a: b: c'), false],
    ['key with no space after colon', lines('a:b', 'records: []'), undefined],
    ['__proto__ key', lines('__proto__: x', 'records: []'), undefined],
    // YAML 1.1 habits that YAML 1.2 (both readers) no longer has, and keys that are not text.
    [
      'YAML 1.1 words, octals, underscores, timestamps, binary',
      lines(
        'a: [yes, no, on, off, y, n, Yes, NO]',
        'b: [010, 0o17, 0x1F, 0b101, 1_000, 08, 0777]',
        'c: [2001-12-14, 2001-12-14t21:59:43.10-05:00, 12:30:00, 1:20]',
        'd: [.inf, -.inf, .NaN, 1., .5, +1, -0, 1e3, 12345678901234567890]',
      ),
      true,
    ],
    ['merge key is an ordinary key', lines('records:', '  - { <<: x, name: a }'), true],
    [
      'merge with anchors is left to yaml',
      lines('base: &b { type: A, ttl: 60 }', 'records:', '  - { <<: *b, name: a }'),
      false,
    ],
    ['null key', lines('null: x', 'records: []'), false],
    ['boolean and number keys', lines('true: x', 'on: y', '1: z', 'records: []'), undefined],
    ['quoted keys', lines('"name": x', "'ttl': 5", 'records: []'), true],
    ['empty value', lines('ttl:', 'records: []'), false],
    ['complex key', lines('? [a, b]', ': c', 'records: []'), false],
    ['empty file', '', false],
    ['only comments', '# nothing\n', false],
    ['top-level list', lines('- a', '- b'), false],
    ['indented top level', lines('  ttl: 5', '  records: []'), undefined],
    ['unicode', lines('records:', '  - { name: bücher, value: "ünï ✓" }'), true],
    [
      'no-break spaces are not indentation',
      lines('records:', '\u00a0 - { name: a }', 'x: b\u00a0', 'y: c\u2028'),
      undefined,
    ],
  ])('%s', (_what, text, accepted) => {
    expect(disagreement(text)).toBeNull();
    if (accepted === true) expect(fastRead(text)).not.toBeNull();
    if (accepted === false) expect(fastRead(text)).toBeNull();
  });
});

describe('js-yaml and yaml under fuzzing', () => {
  const goodScalar = fc.constantFrom(
    'www',
    '"@"',
    '192.0.2.1',
    '"2001:db8::1"',
    '300',
    '0',
    'true',
    'v=spf1 -all',
    'a #comment',
    'a#b',
    'a:b',
    'mailto:x@example.com',
    '0 issue "letsencrypt.org"',
    "'it''s'",
    '"a\\"b"',
    '"a\\\\b"',
    '"*.dev"',
    '[a, b]',
    '[a, "b, c"]',
    '[]',
    'ünï',
    'x ',
  );
  const trickyScalar = fc.constantFrom(
    'on',
    'no',
    '010',
    '1_000',
    '0b101',
    '2001-12-14',
    '<<',
    '-.inf',
    '1.',
    '0o7',
    '&a x',
    '*a',
    '!!str 5',
    '@',
    '2001:db8::1',
    '0300',
    '-1',
    '+1',
    '1.5',
    '1e3',
    '0x1F',
    '.inf',
    'True',
    'yes',
    'null',
    '~',
    '',
    'a: b',
    'a:',
    'a :b',
    '"tab\\t"',
    '*.dev',
    '&a x',
    '!tag x',
    '|',
    '>-',
    '`x`',
    '%x',
    '- x',
    '? x',
    '{}',
    '{ a: b }',
    '[a, [b]]',
    '[a,]',
    ' spaced ',
  );
  const scalar = fc.oneof(
    { arbitrary: goodScalar, weight: 6 },
    { arbitrary: trickyScalar, weight: 1 },
  );
  const key = fc.oneof(
    {
      arbitrary: fc.constantFrom('name', 'type', 'value', 'ttl', 'priority', 'comment', 'x'),
      weight: 8,
    },
    {
      arbitrary: fc.constantFrom(
        'values',
        'true',
        'null',
        'a b',
        '"q"',
        'on',
        '<<',
        '1',
        '~',
        "'x'",
      ),
      weight: 1,
    },
  );
  const indent = fc.oneof(
    { arbitrary: fc.constant(''), weight: 6 },
    { arbitrary: fc.constantFrom(' ', '  ', '   ', '    '), weight: 1 },
  );
  const separator = fc.oneof(
    { arbitrary: fc.constant(': '), weight: 8 },
    { arbitrary: fc.constantFrom(':', ':  ', ' : '), weight: 1 },
  );
  const pairParts = fc.tuple(key, separator, scalar);
  const pair = pairParts.map(([k, sep, v]) => `${k}${sep}${v}`);
  /** Pairs with distinct keys, as most real mappings have. */
  const pairs = (minLength: number) =>
    fc
      .uniqueArray(pairParts, { minLength, maxLength: 4, selector: ([k]) => k })
      .map((list) => list.map(([k, sep, v]) => `${k}${sep}${v}`));
  const flowItem = pairs(0).map((list) => `{ ${list.join(', ')} }`);
  const blockItem = fc
    .tuple(pairs(1), indent, fc.boolean(), fc.array(scalar, { maxLength: 3 }), indent)
    .map(([list, pad, withList, items, listPad]) => {
      const [head, ...rest] = list;
      let out = `  - ${head}\n${rest.map((p) => `  ${pad || '  '}${p}\n`).join('')}`;
      if (withList) out += `    values:\n${items.map((i) => `    ${listPad}- ${i}\n`).join('')}`;
      return out;
    });
  const item = fc.oneof(
    flowItem.map((f) => `  - ${f}\n`),
    blockItem,
    scalar.map((s) => `  - ${s}\n`),
    fc.constantFrom('  # comment\n', '\n', '    # deeper comment\n'),
  );
  const file = fc
    .tuple(
      pairs(0).map((list) => list.map((p) => `${p}\n`)),
      fc.constantFrom('records:\n', 'records: # c\n', 'ignore:\n', 'records:'),
      fc.array(item, { maxLength: 6 }),
      fc.array(
        pair.map((p) => `${p}\n`),
        { maxLength: 2 },
      ),
    )
    .map((parts) => parts.flat().join(''));
  const goodKey = fc.constantFrom('name', 'type', 'value', 'ttl', 'priority', 'comment', 'x');
  const goodPairs = (minLength: number) =>
    fc
      .uniqueArray(fc.tuple(goodKey, goodScalar), { minLength, maxLength: 4, selector: ([k]) => k })
      .map((list) => list.map(([k, v]) => `${k}: ${v}`));
  const goodItem = fc.oneof(
    goodPairs(0).map((list) => `  - { ${list.join(', ')} }\n`),
    fc
      .tuple(goodPairs(1), fc.constantFrom('', '  '), fc.array(goodScalar, { maxLength: 3 }))
      .map(([list, listPad, items]) => {
        const [head, ...rest] = list;
        let out = `  - ${head}\n${rest.map((p) => `    ${p}\n`).join('')}`;
        if (items.length > 0 && !list.some((p) => p.startsWith('values:'))) {
          out += `    values:\n${items.map((i) => `    ${listPad}- ${i}\n`).join('')}`;
        }
        return out;
      }),
  );
  /** Well-formed files of the shapes the fast reader is for. */
  const wellFormed = fc
    .tuple(
      goodPairs(0).map((list) => list.map((p) => `${p}\n`)),
      fc.array(goodItem, { minLength: 1, maxLength: 6 }),
    )
    .map(([top, items]) =>
      [...top.filter((p) => !p.startsWith('records')), 'records:\n', ...items].join(''),
    );

  /** A file with one random edit: the shapes near valid input are where readers drift. */
  const mutated = fc
    .tuple(
      file,
      fc.nat(),
      fc.constantFrom(
        '',
        ' ',
        '#',
        ':',
        '-',
        '"',
        "'",
        '\n',
        '  ',
        ',',
        '}',
        ']',
        '{',
        '[',
        '\u00a0',
        '\u2028',
        '\\',
        '*',
        '&',
        '\r\n',
        '\ufeff',
        '&a ',
        '*a',
        '<<: ',
        '---\n',
        '? ',
        '|\n',
      ),
    )
    .map(([text, at, insert]) => {
      const position = text.length === 0 ? 0 : at % text.length;
      return text.slice(0, position) + insert + text.slice(position + (insert === '' ? 1 : 0));
    });

  it('never disagrees on zone-like files', () => {
    fc.assert(
      fc.property(file, (text) => {
        expect(disagreement(text)).toBeNull();
      }),
      { numRuns: 3000 },
    );
  });

  it('never disagrees on files with a random edit', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        expect(disagreement(text)).toBeNull();
      }),
      { numRuns: 3000 },
    );
  });

  it('never disagrees on well-formed files, and reads nearly all of them itself', () => {
    let accepted = 0;
    fc.assert(
      fc.property(wellFormed, (text) => {
        expect(disagreement(text)).toBeNull();
        if (fastRead(text)) accepted++;
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(1600);
  });
});
