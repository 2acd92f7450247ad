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

const BLANK = new Set([' ', '\t', '\r']);
const TOKEN_END = new Set([' ', '\t', '\r', '\n', ';', '(', ')', '"']);

export function lexBindZone(text: string): LexResult {
  const entries: BindEntry[] = [];
  const problems: LexProblem[] = [];
  let tokens: BindToken[] = [];
  let entryLine = 1;
  let ownerOmitted = false;
  let depth = 0;
  let openedAt = 0;
  let line = 1;
  let lineStart = true;
  let i = 0;

  const endEntry = () => {
    if (tokens.length > 0) entries.push({ tokens, line: entryLine, ownerOmitted });
    tokens = [];
  };
  const push = (token: BindToken, startsLine: boolean) => {
    if (tokens.length === 0) {
      entryLine = token.line;
      ownerOmitted = !startsLine;
    }
    tokens.push(token);
  };

  while (i < text.length) {
    const char = text[i] ?? '';
    const atLineStart = lineStart;
    lineStart = false;
    if (char === '\n') {
      line++;
      lineStart = true;
      i++;
      if (depth === 0) endEntry();
      continue;
    }
    if (BLANK.has(char)) {
      i++;
      continue;
    }
    if (char === ';') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (char === '(') {
      if (depth === 0) openedAt = line;
      depth++;
      i++;
      continue;
    }
    if (char === ')') {
      if (depth === 0) problems.push({ line, message: '")" without a matching "("' });
      else depth--;
      i++;
      continue;
    }
    if (char === '"') {
      const start = line;
      let raw = '';
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i] ?? '';
        if (c === '\\' && i + 1 < text.length && text[i + 1] !== '\n') {
          raw += c + (text[i + 1] ?? '');
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\n') break;
        raw += c;
        i++;
      }
      if (!closed) {
        problems.push({
          line: start,
          message: 'quoted string not closed before the end of the line',
        });
      }
      push({ raw, quoted: true, line: start }, atLineStart);
      continue;
    }
    let raw = '';
    while (i < text.length && !TOKEN_END.has(text[i] ?? '')) {
      const c = text[i] ?? '';
      if (c === '\\' && i + 1 < text.length && text[i + 1] !== '\n') {
        raw += c + (text[i + 1] ?? '');
        i += 2;
        continue;
      }
      raw += c;
      i++;
    }
    push({ raw, quoted: false, line }, atLineStart);
  }
  if (depth > 0) {
    problems.push({ line: openedAt, message: '"(" is never closed (missing ")")' });
  }
  endEntry();
  return { entries, problems };
}

/**
 * The octets a character-string stands for: `\DDD` is one octet (decimal), `\X` is X,
 * anything else its UTF-8 encoding. Returns why not when an escape is broken.
 */
export function unescapeOctets(raw: string): Result<Uint8Array> {
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i] ?? '';
    if (char !== '\\') {
      const code = raw.codePointAt(i) ?? 0;
      const text = String.fromCodePoint(code);
      out.push(...encoder.encode(text));
      if (code > 0xffff) i++;
      continue;
    }
    const digits = raw.slice(i + 1, i + 4);
    if (/^\d{3}$/.test(digits)) {
      const octet = Number(digits);
      if (octet > 255) return fail(`escape \\${digits} is above \\255`);
      out.push(octet);
      i += 3;
      continue;
    }
    if (/^\d/.test(digits)) {
      return fail(`escape \\${digits} needs exactly three decimal digits`);
    }
    const next = raw.codePointAt(i + 1);
    if (next === undefined) return fail('a lone "\\" at the end');
    out.push(...encoder.encode(String.fromCodePoint(next)));
    i += next > 0xffff ? 2 : 1;
  }
  return ok(Uint8Array.from(out));
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
