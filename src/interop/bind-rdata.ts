/**
 * The pieces of an RFC 1035 record line: TTLs, names relative to $ORIGIN, and the
 * RDATA of the eight types dnssync manages, turned into what canonicalValue takes.
 */
import { fail, ok, type RecordType, type Result } from '../model.js';
import { canonicalHostname } from '../records/index.js';
import { type BindToken, octetsToText, unescapeOctets } from './bind-lexer.js';

const MAX_TTL = 2147483647;
const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `3600`, `1h`, `1h30m`, `2D`, `1w` → seconds. */
export function parseTtl(raw: string): Result<number> {
  let seconds: number;
  if (/^\d+$/.test(raw)) seconds = Number(raw);
  else if (/^(?:\d+[smhdw])+$/i.test(raw)) {
    seconds = 0;
    for (const [, amount = '0', unit = 's'] of raw.matchAll(/(\d+)([smhdw])/gi)) {
      seconds += Number(amount) * (TTL_UNITS[unit.toLowerCase()] ?? 1);
    }
  } else return fail(`"${raw}" is not a TTL (seconds, or units such as 1h30m)`);
  if (seconds > MAX_TTL) return fail(`TTL ${raw} is above ${MAX_TTL} seconds`);
  return ok(seconds);
}

/**
 * A name in the file as an absolute name (lowercase, no trailing dot, '' for the
 * root): `@` is the origin, a trailing dot makes it absolute, else origin is appended.
 */
export function resolveName(token: BindToken, origin: string | null): Result<string> {
  const raw = token.raw;
  if (raw.includes('\\.')) return fail(`"${raw}": escaped dots in names are not supported`);
  const octets = unescapeOctets(raw);
  if (!octets.ok) return fail(`"${raw}": ${octets.reason}`);
  const text = octetsToText(octets.value);
  if (text === null) return fail(`"${raw}" is not UTF-8 text`);
  if (text === '@') {
    if (origin === null) return fail('"@" needs an origin: add $ORIGIN or give --domain');
    return ok(origin);
  }
  if (text === '.') return ok('');
  if (text.endsWith('.')) return ok(text.slice(0, -1).toLowerCase());
  if (origin === null) {
    return fail(`relative name "${raw}" needs an origin: add $ORIGIN or give --domain`);
  }
  return ok((origin === '' ? text : `${text}.${origin}`).toLowerCase());
}

export interface Rdata {
  /** The value as canonicalValue takes it. */
  value: string;
  priority: number | null;
}

/** The RDATA of one of the eight types; null for an empty TXT (left out, not an error). */
export function readRdata(
  type: RecordType,
  tokens: BindToken[],
  origin: string,
): Result<Rdata | null> {
  const count = (n: number, what: string): Result<null> =>
    tokens.length === n
      ? ok(null)
      : fail(`expected ${what}, found ${tokens.length} field${tokens.length === 1 ? '' : 's'}`);
  const host = (token: BindToken | undefined): Result<string> => {
    if (!token) return fail('missing hostname');
    const resolved = resolveName(token, origin);
    if (!resolved.ok) return resolved;
    return ok(resolved.value === '' ? '.' : resolved.value);
  };
  const uint16 = (token: BindToken | undefined, what: string): Result<number> => {
    const raw = token?.raw ?? '';
    if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535)
      return fail(`${what} "${raw}" must be 0-65535`);
    return ok(Number(raw));
  };

  switch (type) {
    case 'A':
    case 'AAAA': {
      const counted = count(1, 'one address');
      if (!counted.ok) return counted;
      return ok({ value: tokens[0]?.raw ?? '', priority: null });
    }
    case 'CNAME':
    case 'NS': {
      const counted = count(1, 'one hostname');
      if (!counted.ok) return counted;
      const target = host(tokens[0]);
      if (!target.ok) return target;
      const checked = canonicalHostname(target.value, false);
      return checked.ok ? ok({ value: checked.value, priority: null }) : checked;
    }
    case 'MX': {
      const counted = count(2, 'preference and exchange');
      if (!counted.ok) return counted;
      const preference = uint16(tokens[0], 'MX preference');
      if (!preference.ok) return preference;
      const exchange = host(tokens[1]);
      if (!exchange.ok) return exchange;
      return ok({ value: exchange.value, priority: preference.value });
    }
    case 'SRV': {
      const counted = count(4, 'priority, weight, port and target');
      if (!counted.ok) return counted;
      const priority = uint16(tokens[0], 'SRV priority');
      if (!priority.ok) return priority;
      const weight = uint16(tokens[1], 'SRV weight');
      if (!weight.ok) return weight;
      const port = uint16(tokens[2], 'SRV port');
      if (!port.ok) return port;
      const target = host(tokens[3]);
      if (!target.ok) return target;
      return ok({
        value: `${weight.value} ${port.value} ${target.value}`,
        priority: priority.value,
      });
    }
    case 'TXT': {
      if (tokens.length === 0) return fail('TXT needs at least one string');
      const text = characterStrings(tokens);
      if (!text.ok) return text;
      return ok(text.value === '' ? null : { value: text.value, priority: null });
    }
    case 'CAA': {
      const counted = count(3, 'flags, tag and value');
      if (!counted.ok) return counted;
      const [flags, tag, value] = tokens;
      const inner = characterStrings(value ? [value] : []);
      if (!inner.ok) return inner;
      const escaped = inner.value.replace(/["\\]/g, (c) => `\\${c}`);
      return ok({ value: `${flags?.raw} ${tag?.raw} "${escaped}"`, priority: null });
    }
  }
}

/** One or more character-strings, escapes undone, joined without separator. */
function characterStrings(tokens: BindToken[]): Result<string> {
  const parts: Uint8Array[] = [];
  for (const token of tokens) {
    const octets = unescapeOctets(token.raw);
    if (!octets.ok) return fail(octets.reason);
    if (octets.value.length > 255) {
      return fail(
        `a character-string is ${octets.value.length} octets long (at most 255; split it into several quoted strings)`,
      );
    }
    parts.push(octets.value);
  }
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  const text = octetsToText(joined);
  return text === null
    ? fail('the text is not UTF-8 (binary TXT data is not supported)')
    : ok(text);
}
