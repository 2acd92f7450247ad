/**
 * The pieces of an RFC 1035 record line: TTLs, names relative to $ORIGIN, and the
 * RDATA of the types dnssync manages, turned into what their `parse` takes.
 */
import dnsPacket from 'dns-packet';
import { fail, ok, type Result } from '../model.js';
import { fieldMax, quoted, type Rdata, type RecordTypeDef } from '../records/index.js';
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

/**
 * The RDATA of a record of a managed type, field by field (the type table's `rdata`), or
 * in RFC 3597's generic form (`\# 4 c0000201`); null for an empty TXT (left out, not an
 * error).
 */
export function readRdata(
  def: RecordTypeDef,
  tokens: BindToken[],
  origin: string,
): Result<Rdata | null> {
  if (tokens[0]?.raw === '\\#' && !tokens[0].quoted) return genericRdata(def, tokens.slice(1));
  const names = def.rdata.map((field) => field.name);
  const open = def.rdata.at(-1)?.kind === 'text';
  if (open ? tokens.length < names.length : tokens.length !== names.length) {
    const what = names.length === 1 ? `one ${names[0]}` : listed(names);
    return fail(`expected ${what}, found ${tokens.length} field${tokens.length === 1 ? '' : 's'}`);
  }
  let priority: number | null = null;
  const parts: string[] = [];
  for (const [index, field] of def.rdata.entries()) {
    const token = tokens[index] as BindToken;
    switch (field.kind) {
      case 'priority':
      case 'uint8':
      case 'uint16': {
        const max = fieldMax(field.kind);
        if (!/^\d{1,5}$/.test(token.raw) || Number(token.raw) > max) {
          return fail(`${def.type} ${field.name} "${token.raw}" must be 0-${max}`);
        }
        if (field.kind === 'priority') priority = Number(token.raw);
        else parts.push(token.raw);
        break;
      }
      case 'word':
        parts.push(token.raw);
        break;
      case 'host': {
        const resolved = resolveName(token, origin);
        if (!resolved.ok) return resolved;
        parts.push(resolved.value === '' ? '.' : resolved.value);
        break;
      }
      case 'string': {
        const text = characterStrings([token]);
        if (!text.ok) return text;
        parts.push(quoted(text.value));
        break;
      }
      case 'text': {
        const text = characterStrings(tokens.slice(index));
        if (!text.ok) return text;
        if (text.value === '') return ok(null);
        parts.push(text.value);
        break;
      }
    }
  }
  return ok({ value: parts.join(' '), priority });
}

/** `\# LENGTH HEX...` (RFC 3597): the wire RDATA, read as a DNS answer's would be. */
function genericRdata(def: RecordTypeDef, tokens: BindToken[]): Result<Rdata | null> {
  const [length, ...hex] = tokens.map((token) => token.raw);
  const octets = hex.join('');
  if (!/^\d{1,5}$/.test(length ?? '') || !/^(?:[0-9a-f]{2})*$/i.test(octets)) {
    return fail('generic RDATA is "\\# length hex", e.g. \\# 4 c0000201');
  }
  if (octets.length / 2 !== Number(length)) {
    return fail(`generic RDATA says ${length} octets but holds ${octets.length / 2}`);
  }
  // dns-packet's decoders read RDATA behind its two-octet length.
  const wire = Buffer.concat([Buffer.from([0, 0]), Buffer.from(octets, 'hex')]);
  wire.writeUInt16BE(wire.length - 2);
  const codec = dnsPacket.record(def.type);
  let data: unknown;
  try {
    data = codec.decode(wire);
  } catch {
    data = undefined;
  }
  if (data === undefined || codec.decode.bytes !== wire.length) {
    return fail(`generic RDATA is not valid ${def.type} RDATA`);
  }
  const read = def.fromAnswer(data);
  return read.ok ? read : fail(`generic RDATA: ${read.reason}`);
}

/** `a`, `a and b`, `a, b and c`. */
export function listed(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
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
