/**
 * RFC 1035 master-file lexing: comments, quoted strings, backslash escapes and
 * parentheses that continue an entry across lines. The result is one entry per
 * logical line; what the tokens mean is bind-parse.ts's business.
 */

import { fail, ok, type Result } from '../model.js';

export interface BindToken {
  /** The token as written: escapes kept, surrounding quotes removed. */
  raw: string;
  quoted: boolean;
  line: number;
}

export interface BindEntry {
  tokens: BindToken[];
  /** Line of the first token. */
  line: number;
  /** The line began with a blank: the owner is the previous entry's (RFC 1035 §5.1). */
  ownerOmitted: boolean;
}

interface LexProblem {
  line: number;
  message: string;
}

export interface LexResult {
  entries: BindEntry[];
  problems: LexProblem[];
}

/**
 * One lexeme at a time, every character of the text in exactly one: a line break, blanks,
 * a comment, a parenthesis, a quoted string (closed or not: it ends at the line) or a
 * word. A backslash takes the character after it along (not a line break), so `\"` and
 * `\;` stay inside a string or word.
 */
const LEXEME =
  /(\n)|[ \t\r]+|;[^\n]*|([()])|"((?:\\[^\n]|\\(?=\n|$)|[^"\\\n])*)(")?|((?:\\[^\n]|\\(?=\n|$)|[^ \t\r\n;()"\\])+)/g;

export function lexBindZone(text: string): LexResult {
  const entries: BindEntry[] = [];
  const problems: LexProblem[] = [];
  let entry: BindEntry | null = null;
  let depth = 0;
  let openedAt = 0;
  let line = 1;
  let lineStart = 0;
  for (const match of text.matchAll(LEXEME)) {
    const [, newline, paren, quoted, closed, word] = match;
    if (newline !== undefined) {
      line++;
      lineStart = match.index + 1;
      if (depth === 0) entry = null;
    } else if (paren === '(') {
      if (depth++ === 0) openedAt = line;
    } else if (paren === ')') {
      if (depth === 0) problems.push({ line, message: '")" without a matching "("' });
      else depth--;
    } else if (quoted !== undefined || word !== undefined) {
      if (quoted !== undefined && closed === undefined) {
        problems.push({ line, message: 'quoted string not closed before the end of the line' });
      }
      if (entry === null) {
        entry = { tokens: [], line, ownerOmitted: match.index !== lineStart };
        entries.push(entry);
      }
      entry.tokens.push({ raw: quoted ?? word ?? '', quoted: quoted !== undefined, line });
    }
  }
  if (depth > 0) {
    problems.push({ line: openedAt, message: '"(" is never closed (missing ")")' });
  }
  return { entries, problems };
}

/**
 * The octets a character-string stands for: `\DDD` is one octet (decimal), `\X` is X,
 * anything else its UTF-8 encoding. Returns why not when an escape is broken: a digit
 * not followed by two more, a number above 255, a backslash that ends the text.
 */
const ESCAPE = /\\(?:(\d{3})|(\d)|(.)|$)/gsu;

export function unescapeOctets(raw: string): Result<Uint8Array> {
  const parts: Buffer[] = [];
  let done = 0;
  for (const match of raw.matchAll(ESCAPE)) {
    const [sequence, decimal, broken, char] = match;
    parts.push(Buffer.from(raw.slice(done, match.index)));
    done = match.index + sequence.length;
    if (broken !== undefined) {
      const digits = raw.slice(match.index + 1, match.index + 4);
      return fail(`escape \\${digits} needs exactly three decimal digits`);
    }
    if (char !== undefined) parts.push(Buffer.from(char));
    else if (decimal === undefined) return fail('a lone "\\" at the end');
    else if (Number(decimal) > 255) return fail(`escape \\${decimal} is above \\255`);
    else parts.push(Buffer.of(Number(decimal)));
  }
  parts.push(Buffer.from(raw.slice(done)));
  return ok(Buffer.concat(parts));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A character-string (or several, joined) as text; null when the octets are not UTF-8. */
export function octetsToText(octets: Uint8Array): string | null {
  try {
    return utf8.decode(octets);
  } catch {
    return null;
  }
}
