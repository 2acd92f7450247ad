/**
 * BIND's `$GENERATE range lhs [ttl] [class] type rhs`: one record per number of the
 * range (`start-stop[/step]`), `$` in lhs and rhs replaced by the number, and
 * `${offset,width,base}` by the number plus offset, zero-padded to width, in base d
 * (decimal), o (octal), x/X (hex) or n/N (nibbles, reversed and dot-separated, as in
 * ip6.arpa names). `\$` is a literal `$`.
 */
import { fail, ok, type Result } from '../model.js';
import type { BindEntry, BindToken } from './bind-lexer.js';

/** More records than this from one file's $GENERATE lines is refused (no zone needs it). */
const MAX_GENERATED = 100_000;

export function expandGenerate(entry: BindEntry): Result<BindEntry[]> {
  const [, range, lhs, ...rest] = entry.tokens;
  const rhs = rest.pop();
  if (!range || !lhs || !rhs || rest.length === 0) {
    return fail('takes a range, a name, the type (after any TTL and class) and the data');
  }
  const match = /^(\d+)-(\d+)(?:\/(\d+))?$/.exec(range.raw);
  const start = Number(match?.[1]);
  const stop = Number(match?.[2]);
  const step = Number(match?.[3] ?? 1);
  if (!match || start > stop || step < 1) {
    return fail(`"${range.raw}" is not a range start-stop[/step] with start <= stop`);
  }
  if ((stop - start) / step + 1 > MAX_GENERATED) {
    return fail(`the range ${range.raw} makes more than ${MAX_GENERATED} records`);
  }
  const entries: BindEntry[] = [];
  for (let n = start; n <= stop; n += step) {
    const owner = substitute(lhs, n);
    const data = substitute(rhs, n);
    if (!owner.ok) return owner;
    if (!data.ok) return data;
    entries.push({ ...entry, ownerOmitted: false, tokens: [owner.value, ...rest, data.value] });
  }
  return ok(entries);
}

function substitute(token: BindToken, n: number): Result<BindToken> {
  let out = '';
  const raw = token.raw;
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i];
    if (char === '\\' && i + 1 < raw.length) {
      out += raw.slice(i, i + 2);
      i++;
    } else if (char !== '$') {
      out += char;
    } else if (raw[i + 1] === '{') {
      const end = raw.indexOf('}', i);
      const modifier = /^\{(-?\d+)(?:,(\d+)(?:,([doxXnN]))?)?\}$/.exec(raw.slice(i + 1, end + 1));
      if (end < 0 || !modifier) return fail(`"${raw}": a modifier is \${offset,width,base}`);
      const [, offset = '0', width = '0', base = 'd'] = modifier;
      out += formatted(n + Number(offset), Number(width), base);
      i = end;
    } else out += String(n);
  }
  return ok({ ...token, raw: out });
}

function formatted(value: number, width: number, base: string): string {
  if (base === 'n' || base === 'N') return nibbles(value >>> 0, width, base === 'N');
  const radix = base === 'o' ? 8 : base === 'd' ? 10 : 16;
  const text = value.toString(radix).padStart(width, '0');
  return base === 'X' ? text.toUpperCase() : text;
}

/** Nibbles, lowest first, dot-separated; width counts the characters, dots included (as BIND). */
function nibbles(value: number, width: number, upper: boolean): string {
  let out = '';
  let left = width;
  let rest = value;
  do {
    const digit = (rest & 0xf).toString(16);
    out += upper ? digit.toUpperCase() : digit;
    rest >>>= 4;
    if (left > 0) left--;
    if (left > 0 || rest !== 0) {
      out += '.';
      if (left > 0) left--;
    }
  } while (rest !== 0 || left > 0);
  return out;
}
