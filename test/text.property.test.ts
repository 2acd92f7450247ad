/**
 * src/text, the one way out for untrusted text, for any string: full Unicode, lone
 * surrogates, CR, LF, NUL, ESC, C1, bidi controls, characters that render as nothing and
 * the characters each destination treats as syntax. Markdown is checked by rendering it with micromark (CommonMark with
 * GitHub's extensions), not by looking at the source.
 */
import fc from 'fast-check';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { printableJson } from '../src/render/json.js';
import { codeBlock, markdownCode, markdownText } from '../src/text/markdown.js';
import { forTerminal, isTerminalSafe } from '../src/text/terminal.js';
import {
  forWorkflowData,
  forWorkflowProperty,
  WorkflowLogFilter,
  workflowCommand,
} from '../src/text/workflow.js';

/** Pieces an attacker would use, mixed with arbitrary text. */
const HOSTILE = [
  '\r',
  '\n',
  '\r\n',
  '\0',
  '\x1b',
  '\x1b[2J',
  '\x9b',
  '\x7f',
  '\t',
  '\u202e',
  '\u2066',
  '\u200f',
  '\u2028',
  '\ud800',
  '\udfff',
  '\u200b',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\ufe0f',
  '\u3164',
  '\u{e0041}',
  '\u{e007f}',
  '\u00a0',
  '\u3000',
  ' ',
  ':',
  '::',
  '::error::',
  '##[',
  '#',
  '[',
  '%',
  '%0A',
  '%25',
  ',',
  '|',
  '`',
  '```',
  '~~~',
  '*',
  '_',
  '\\',
  '<',
  '>',
  '&',
  '&amp;',
  '"',
  '@team',
  '#1',
  '$x$',
  ':+1:',
  'www.',
  'http://',
  'a@b.co',
  '[x](y)',
  '<b>',
  '# ',
  '- ',
  '> ',
  '1. ',
  '---',
  '😀',
];

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const codePoint = fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code));
const piece = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: codeUnit, maxLength: 4 }),
  fc.string({ unit: codePoint, maxLength: 4 }),
  fc.string({ maxLength: 6 }),
);
const text = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));
const RUNS = { numRuns: 1000 };

/**
 * Characters that render as nothing (format characters and the other default-ignorable
 * code points, as of Unicode 17), listed independently of forTerminal's regex.
 */
const INVISIBLE_RANGES: readonly [number, number][] = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x600, 0x605],
  [0x6dd, 0x6dd],
  [0x70f, 0x70f],
  [0x890, 0x891],
  [0x8e2, 0x8e2],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200d],
  [0x2060, 0x2065],
  [0x206a, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfffb],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe0fff],
];

/**
 * Every character forTerminal must escape, listed independently of its regex. A Node
 * whose Unicode tables are newer may know a few more format characters: those count too.
 */
function isUnsafe(code: number, lone: boolean): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x2028 ||
    code === 0x2029 ||
    lone ||
    INVISIBLE_RANGES.some(([first, last]) => code >= first && code <= last) ||
    /^[\p{Cf}\p{Default_Ignorable_Code_Point}]$/u.test(String.fromCodePoint(code))
  );
}

function unsafeCharacters(value: string): string[] {
  const found: string[] = [];
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    const lone = char.length === 1 && code >= 0xd800 && code <= 0xdfff;
    if (isUnsafe(code, lone)) found.push(char);
  }
  return found;
}

describe('forTerminal', () => {
  it('leaves no control, bidi control, separator, lone surrogate or invisible character', () => {
    fc.assert(
      fc.property(text, (value) => {
        const shown = forTerminal(value);
        expect(unsafeCharacters(shown)).toEqual([]);
        expect(isTerminalSafe(shown)).toBe(true);
      }),
      RUNS,
    );
  });

  it('changes nothing in safe text, so applying it twice is applying it once', () => {
    fc.assert(
      fc.property(text, (value) => {
        const shown = forTerminal(value);
        expect(forTerminal(shown)).toBe(shown);
        if (unsafeCharacters(value).length === 0) expect(shown).toBe(value);
      }),
      RUNS,
    );
  });

  it('shows what was there', () => {
    expect(forTerminal('a\x1b[2Jb\r\n\t\0\x9b\u202e\ud800\u2028')).toBe(
      'a\\x1b[2Jb\\r\\n\\t\\x00\\x9b\\u202e\\ud800\\u2028',
    );
    expect(forTerminal('ünïcödé 😀 \\x1b')).toBe('ünïcödé 😀 \\x1b');
  });

  it('shows what renders as nothing, so a changed value never reads as the old one', () => {
    expect(forTerminal('v=verify-abc\u200b\u2060\ufeff\u00ad\u{e0041}\u{e007f}')).toBe(
      'v=verify-abc\\u200b\\u2060\\ufeff\\xad\\u{e0041}\\u{e007f}',
    );
    expect(forTerminal('\u3164\ufe0f\u200d\u061c')).toBe('\\u3164\\ufe0f\\u200d\\u061c');
    // White space that shows as a gap is left as it is.
    expect(forTerminal('a\u00a0b\u3000c')).toBe('a\u00a0b\u3000c');
  });
});

/** The runner's unescaping (actions/runner ActionCommand.cs), in its order. */
function runnerUnescape(value: string, property: boolean): string {
  const pairs: [string, string][] = property
    ? [
        ['%0D', '\r'],
        ['%0A', '\n'],
        ['%3A', ':'],
        ['%2C', ','],
        ['%25', '%'],
      ]
    : [
        ['%0D', '\r'],
        ['%0A', '\n'],
        ['%25', '%'],
      ];
  let out = value;
  for (const [escaped, plain] of pairs) out = out.split(escaped).join(plain);
  return out;
}

/** How the runner reads a `::command props::data` line (TryParseV2), or null. */
function runnerParse(
  line: string,
): { command: string; props: Map<string, string>; data: string } | null {
  const message = dotnetTrimStart(line);
  if (!message.startsWith('::')) return null;
  const end = message.indexOf('::', 2);
  if (end < 0) return null;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  const props = new Map<string, string>();
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')
      .filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1) {
        props.set(pair.slice(0, eq), runnerUnescape(pair.slice(eq + 1), true));
      }
    }
  }
  return { command, props, data: runnerUnescape(message.slice(end + 2), false) };
}

/** .NET's TrimStart(): every char.IsWhiteSpace character. */
function dotnetTrimStart(line: string): string {
  return line.replace(
    /^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u,
    '',
  );
}

/** The lines of a log as the runner splits them (CR, LF, CRLF). */
function logLines(log: string): string[] {
  return log.split(/\r\n|\r|\n/);
}

describe('printableJson (plan and validate --format json)', () => {
  it('reads back as the same value, and every line is as forTerminal would show it', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), (values) => {
        const json = printableJson({ values });
        expect(JSON.parse(json)).toEqual({ values });
        for (const line of json.split('\n')) {
          expect(unsafeCharacters(line)).toEqual([]);
          expect(line).not.toContain('##[');
        }
      }),
      RUNS,
    );
  });
});

describe('workflow commands', () => {
  it('data is one line and reads back as it was', () => {
    fc.assert(
      fc.property(text, (value) => {
        const data = forWorkflowData(value);
        expect(data).not.toMatch(/[\r\n]/);
        expect(runnerUnescape(data, false)).toBe(value);
      }),
      RUNS,
    );
  });

  it('a property is one line without : or , and reads back as it was', () => {
    fc.assert(
      fc.property(text, (value) => {
        const property = forWorkflowProperty(value);
        expect(property).not.toMatch(/[\r\n:,]/);
        expect(runnerUnescape(property, true)).toBe(value);
      }),
      RUNS,
    );
  });

  it('an annotation is one command whose message and file read back in terminal form', () => {
    fc.assert(
      fc.property(text, text, fc.nat(), (message, file, line) => {
        const command = workflowCommand('error', { file, line }, message);
        expect(logLines(command)).toHaveLength(1);
        const parsed = runnerParse(command);
        expect(parsed?.command).toBe('error');
        expect(parsed?.data).toBe(forTerminal(message));
        // (The runner drops an empty property.)
        expect(parsed?.props.get('file')).toBe(file === '' ? undefined : forTerminal(file));
        expect(parsed?.props.get('line')).toBe(String(line));
      }),
      RUNS,
    );
  });
});

describe('the job log filter', () => {
  it('lets no line start a command and no ##[ through, however the text is cut into writes', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 8 }), (writes) => {
        const filter = new WorkflowLogFilter();
        const log = writes.map((chunk) => filter.filter(chunk)).join('');
        for (const line of logLines(log)) {
          expect(dotnetTrimStart(line).startsWith(':')).toBe(false);
          expect(line).not.toContain('##[');
        }
        // Cut anywhere, the same text comes out the same.
        expect(log).toBe(new WorkflowLogFilter().filter(writes.join('')));
      }),
      RUNS,
    );
  });

  it('changes nothing else', () => {
    fc.assert(
      fc.property(text, (value) => {
        const filtered = new WorkflowLogFilter().filter(value);
        const restored = filtered.replace(/\\u003a/g, ':').replace(/\\u005b/g, '[');
        if (!value.includes('\\u003a') && !value.includes('\\u005b')) {
          expect(restored).toBe(value);
        }
      }),
      RUNS,
    );
  });

  it('reads JSON back as the same data', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = JSON.stringify(value, null, 2);
        expect(JSON.parse(new WorkflowLogFilter().filter(json))).toEqual(JSON.parse(json));
      }),
      RUNS,
    );
  });
});

const render = (markdown: string) =>
  micromark(markdown, {
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
    allowDangerousHtml: true,
  });

/** How micromark writes text in HTML. */
function html(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

describe('Markdown', () => {
  it('a table cell renders as exactly the terminal form, as code, and the table stays whole', () => {
    fc.assert(
      fc.property(text, (value) => {
        const table = `| a | b |\n|:--|:--|\n| ${markdownCode(value)} | x |\n`;
        const expected = [
          '<table>',
          '<thead>',
          '<tr>',
          '<th align="left">a</th>',
          '<th align="left">b</th>',
          '</tr>',
          '</thead>',
          '<tbody>',
          '<tr>',
          `<td align="left"><code>${html(forTerminal(value))}</code></td>`,
          '<td align="left">x</td>',
          '</tr>',
          '</tbody>',
          '</table>',
          '',
        ].join('\n');
        expect(render(table)).toBe(expected);
      }),
      RUNS,
    );
  });

  it('in a heading or a sentence, it opens no block and adds nothing', () => {
    fc.assert(
      fc.property(text, (value) => {
        const shown = html(forTerminal(value));
        expect(render(`#### ${markdownCode(value)}`)).toBe(`<h4><code>${shown}</code></h4>`);
        expect(render(`Unmanaged: ${markdownCode(value)}.`)).toBe(
          `<p>Unmanaged: <code>${shown}</code>.</p>`,
        );
        expect(render(`x${markdownText(value)}x`)).toBe(`<p>x${shown}x</p>`);
        expect(render(`x ${markdownText(value)} x`)).toBe(`<p>x ${shown} x</p>`);
      }),
      RUNS,
    );
  });

  it('a code block encloses any text, line by line in terminal form', () => {
    fc.assert(
      fc.property(text, (value) => {
        const lines = value
          .replace(/\r?\n$/, '')
          .split(/\r?\n/)
          .map(forTerminal);
        const rendered = render(`${codeBlock(value)}\nafter`);
        expect(rendered).toBe(
          `<pre><code class="language-text">${html(lines.join('\n'))}\n</code></pre>\n<p>after</p>`,
        );
      }),
      RUNS,
    );
  });
});
