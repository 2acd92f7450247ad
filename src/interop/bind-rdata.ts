/**
 * The pieces of an RFC 1035 record line: TTLs, names relative to $ORIGIN, and the
 * RDATA of the eight types dnssync manages, turned into what canonicalValue takes.
 */
import type { RecordType } from '../model.js';
import { canonicalHostname } from '../records/index.js';
import { type BindToken, octetsToText, unescapeOctets } from './bind-lexer.js';

export type Step<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAX_TTL = 2147483647;
const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `3600`, `1h`, `1h30m`, `2D`, `1w` → seconds. */
export function parseTtl(raw: string): Step<number> {
  let seconds: number;
  if (/^\d+$/.test(raw)) seconds = Number(raw);
  else if (/^(?:\d+[smhdw])+$/i.test(raw)) {
    seconds = 0;
    for (const [, amount = '0', unit = 's'] of raw.matchAll(/(\d+)([smhdw])/gi)) {
      seconds += Number(amount) * (TTL_UNITS[unit.toLowerCase()] ?? 1);
    }
  } else return { ok: false, reason: `"${raw}" is not a TTL (seconds, or units such as 1h30m)` };
  if (seconds > MAX_TTL) return { ok: false, reason: `TTL ${raw} is above ${MAX_TTL} seconds` };
  return { ok: true, value: seconds };
}

/**
 * A name in the file as an absolute name (lowercase, no trailing dot, '' for the
 * root): `@` is the origin, a trailing dot makes it absolute, else origin is appended.
 */
export function resolveName(token: BindToken, origin: string | null): Step<string> {
  const raw = token.raw;
  if (raw.includes('\\.'))
    return { ok: false, reason: `"${raw}": escaped dots in names are not supported` };
  const octets = unescapeOctets(raw);
  if (!octets.ok) return { ok: false, reason: `"${raw}": ${octets.reason}` };
  const text = octetsToText(octets.octets);
  if (text === null) return { ok: false, reason: `"${raw}" is not UTF-8 text` };
  if (text === '@') {
    if (origin === null)
      return { ok: false, reason: '"@" needs an origin: add $ORIGIN or give --domain' };
    return { ok: true, value: origin };
  }
  if (text === '.') return { ok: true, value: '' };
  if (text.endsWith('.')) return { ok: true, value: text.slice(0, -1).toLowerCase() };
  if (origin === null) {
    return {
      ok: false,
      reason: `relative name "${raw}" needs an origin: add $ORIGIN or give --domain`,
    };
  }
  return { ok: true, value: (origin === '' ? text : `${text}.${origin}`).toLowerCase() };
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
): Step<Rdata | null> {
  const count = (n: number, what: string): Step<null> =>
    tokens.length === n
      ? { ok: true, value: null }
      : {
          ok: false,
          reason: `expected ${what}, found ${tokens.length} field${tokens.length === 1 ? '' : 's'}`,
        };
  const host = (token: BindToken | undefined): Step<string> => {
    if (!token) return { ok: false, reason: 'missing hostname' };
    const resolved = resolveName(token, origin);
    if (!resolved.ok) return resolved;
    return { ok: true, value: resolved.value === '' ? '.' : resolved.value };
  };
  const uint16 = (token: BindToken | undefined, what: string): Step<number> => {
    const raw = token?.raw ?? '';
    if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535)
      return { ok: false, reason: `${what} "${raw}" must be 0-65535` };
    return { ok: true, value: Number(raw) };
  };

  switch (type) {
    case 'A':
    case 'AAAA': {
      const counted = count(1, 'one address');
      if (!counted.ok) return counted;
      return { ok: true, value: { value: tokens[0]?.raw ?? '', priority: null } };
    }
    case 'CNAME':
    case 'NS': {
      const counted = count(1, 'one hostname');
      if (!counted.ok) return counted;
      const target = host(tokens[0]);
      if (!target.ok) return target;
      const checked = canonicalHostname(target.value, false);
      return checked.ok ? { ok: true, value: { value: checked.value, priority: null } } : checked;
    }
    case 'MX': {
      const counted = count(2, 'preference and exchange');
      if (!counted.ok) return counted;
      const preference = uint16(tokens[0], 'MX preference');
      if (!preference.ok) return preference;
      const exchange = host(tokens[1]);
      if (!exchange.ok) return exchange;
      return { ok: true, value: { value: exchange.value, priority: preference.value } };
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
      return {
        ok: true,
        value: { value: `${weight.value} ${port.value} ${target.value}`, priority: priority.value },
      };
    }
    case 'TXT': {
      if (tokens.length === 0) return { ok: false, reason: 'TXT needs at least one string' };
      const text = characterStrings(tokens);
      if (!text.ok) return text;
      return { ok: true, value: text.value === '' ? null : { value: text.value, priority: null } };
    }
    case 'CAA': {
      const counted = count(3, 'flags, tag and value');
      if (!counted.ok) return counted;
      const [flags, tag, value] = tokens;
      const inner = characterStrings(value ? [value] : []);
      if (!inner.ok) return inner;
      const escaped = inner.value.replace(/["\\]/g, (c) => `\\${c}`);
      return {
        ok: true,
        value: { value: `${flags?.raw} ${tag?.raw} "${escaped}"`, priority: null },
      };
    }
  }
}

/** One or more character-strings, escapes undone, joined without separator. */
function characterStrings(tokens: BindToken[]): Step<string> {
  const parts: Uint8Array[] = [];
  for (const token of tokens) {
    const octets = unescapeOctets(token.raw);
    if (!octets.ok) return { ok: false, reason: octets.reason };
    if (octets.octets.length > 255) {
      return {
        ok: false,
        reason: `a character-string is ${octets.octets.length} octets long (at most 255; split it into several quoted strings)`,
      };
    }
    parts.push(octets.octets);
  }
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  const text = octetsToText(joined);
  return text === null
    ? { ok: false, reason: 'the text is not UTF-8 (binary TXT data is not supported)' }
    : { ok: true, value: text };
}
