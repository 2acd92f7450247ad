/**
 * Text for a terminal or a job log. Anything dnssync did not write itself (live names and
 * values, zone names, API error text, zone-file content inside a message, file names, DNS
 * answers) is passed through `forTerminal` before it is printed, so it cannot move the
 * cursor, clear the screen, start a new line or reorder what is shown. Colour codes are
 * added after that, by a painter.
 */
import type { Issue } from '../model.js';

/**
 * What never reaches a terminal as itself: C0 and C1 controls and DEL (`\p{Cc}`: escape
 * sequences, CR, LF, tab, NUL), the Unicode bidirectional controls (they reorder the text
 * around them), line and paragraph separators, lone surrogates (which cannot be written
 * as UTF-8 and would arrive as U+FFFD, hiding what was there), and the characters that
 * render as nothing: format characters (`\p{Cf}`: zero-width space and joiners, word
 * joiner, byte order mark, soft hyphen, tag characters) and the other default-ignorable
 * ones (variation selectors, Hangul fillers). Shown as themselves, those would let a
 * changed value read exactly like the old one.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\p{Cs}\u2028\u2029]/gu;
/** The same characters, for a test that keeps no state between calls. */
const ANY_UNSAFE = new RegExp(UNSAFE.source, 'u');

const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * The text with every unsafe character shown as a visible escape: `\n`, `\t`, `\r`,
 * `\x1b` (other C0, DEL, C1), `\u202e` (the rest of the first 65,536 code points),
 * `\u{e0041}` (beyond them). Safe text comes back as it was, so applying this twice
 * changes nothing. Backslashes are left alone: a literal `\x1b` in the input shows as
 * the same four characters, which is what it is.
 */
export function forTerminal(text: string): string {
  return ANY_UNSAFE.test(text) ? text.replace(UNSAFE, visibleEscape) : text;
}

/** True when `text` holds nothing `forTerminal` would escape. */
export function isTerminalSafe(text: string): boolean {
  return !ANY_UNSAFE.test(text);
}

function visibleEscape(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0) ?? 0;
  const hex = code.toString(16);
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
}

/** Longer names and values are cut where a person reads them; a domain name always fits. */
const MAX_QUOTED = 256;

/** At most MAX_QUOTED characters of `text`, saying how long it was when cut. */
export function clipped(text: string): string {
  const chars = [...text];
  if (chars.length <= MAX_QUOTED) return text;
  return `${chars.slice(0, MAX_QUOTED).join('')}… (${chars.length} characters in all)`;
}

/** `text` clipped, in double quotes, `"` and `\` escaped, safe for a terminal: for names that may be hostile. */
export function quoted(text: string): string {
  return `"${forTerminal(clipped(text).replace(/[\\"]/g, (char) => `\\${char}`))}"`;
}

const CODES = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
} as const;
type Style = keyof typeof CODES;

export type Paint = (style: Style, text: string) => string;

/** Colours for a terminal; `painter(false)` paints nothing. */
export function painter(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m`;
}

const SEVERITY_STYLE = { error: 'red', warning: 'yellow', notice: 'cyan' } as const;

/**
 * `zones/example.com.yaml:14:12: error: message`. The file name and the message are shown
 * as untrusted text: a message may quote the zone file, a file name is anyone's.
 */
export function formatIssue(issue: Issue, paint: Paint = painter(false)): string {
  const label = paint(SEVERITY_STYLE[issue.severity], issue.severity);
  return `${forTerminal(issue.file)}:${issue.line}:${issue.col}: ${label}: ${forTerminal(issue.message)}`;
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listed(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
