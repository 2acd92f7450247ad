/**
 * The pieces of an RFC 1035 record line: TTLs, names relative to $ORIGIN, and the
 * RDATA of the types dnssync manages, turned into what their `parse` takes.
 */
import dnsPacket from 'dns-packet';
import { fail, ok, type Result } from '../model.js';
import { fieldMax, quoted, type Rdata, type RecordTypeDef } from '../records/index.js';
import { listed } from '../text/terminal.js';
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

/** RDATA as read: the value and priority, or why dnssync cannot hold it (left out, noted). */
export type ReadRdata =
  | (Rdata & {
      /** For a text field: the character-strings as the file split them (octets each). */
      strings?: Uint8Array[];
    })
  | { leaveOut: string };

/**
 * The RDATA of a record of a managed type, field by field (the type table's `rdata`), or
 * in RFC 3597's generic form (`\# 4 c0000201`). A failure is what BIND itself refuses
 * (a missing field, a number out of range, a string over 255 octets, bad hex); what BIND
 * accepts but dnssync cannot hold (text that is not UTF-8, an empty TXT) is `leaveOut`.
 */
export function readRdata(
  def: RecordTypeDef,
  tokens: BindToken[],
  origin: string,
): Result<ReadRdata> {
  const generic = genericOctets(tokens);
  if (generic !== null) return generic.ok ? decodeGeneric(def, generic.value) : generic;
  const names = def.rdata.map((field) => field.name);
  const open = def.rdata.at(-1)?.kind === 'text';
  if (open ? tokens.length < names.length : tokens.length !== names.length) {
    const what = names.length === 1 ? `one ${names[0]}` : listed(names);
    return fail(`expected ${what}, found ${tokens.length} field${tokens.length === 1 ? '' : 's'}`);
  }
  let priority: number | null = null;
  let strings: Uint8Array[] | undefined;
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
        const octets = unescapeOctets(token.raw);
        if (!octets.ok) return fail(`"${token.raw}": ${octets.reason}`);
        const resolved = resolveName(token, origin);
        if (!resolved.ok) return ok({ leaveOut: `its ${field.name}: ${resolved.reason}` });
        parts.push(resolved.value === '' ? '.' : resolved.value);
        break;
      }
      case 'string': {
        const octets = characterStrings([token]);
        if (!octets.ok) return octets;
        const text = octetsToText(octets.value.joined);
        if (text === null) return ok({ leaveOut: `its ${field.name} is not UTF-8 text` });
        parts.push(quoted(text));
        break;
      }
      case 'text': {
        const octets = characterStrings(tokens.slice(index));
        if (!octets.ok) return octets;
        const text = textOf(octets.value.joined);
        if (typeof text !== 'string') return ok(text);
        strings = octets.value.strings;
        parts.push(text);
        break;
      }
    }
  }
  return ok({ value: parts.join(' '), priority, ...(strings ? { strings } : {}) });
}

/** Joined character-strings as a TXT value, or why dnssync cannot hold them. */
function textOf(octets: Uint8Array): string | { leaveOut: string } {
  if (octets.length === 0) return { leaveOut: 'an empty TXT value (dnssync needs text)' };
  const text = octetsToText(octets);
  return text ?? { leaveOut: 'the text is not UTF-8 (binary TXT data cannot be kept)' };
}

/**
 * `\# LENGTH HEX...` (RFC 3597) as octets; null when the RDATA is not in the generic form
 * (`\#` followed by something other than a length is text, as BIND reads it).
 * Checked for any type, as BIND checks it, so bad hex is refused even where the type is
 * one dnssync leaves out.
 */
export function genericOctets(tokens: BindToken[]): Result<Buffer> | null {
  const [marker, length, ...hex] = tokens;
  if (marker?.raw !== '\\#' || marker.quoted || !/^\d+$/.test(length?.raw ?? '')) return null;
  const octets = hex.map((token) => token.raw).join('');
  if (!/^(?:[0-9a-f]{2})*$/i.test(octets)) {
    return fail('generic RDATA is "\\# length hex" with whole octets of hex, e.g. \\# 4 c0000201');
  }
  if (octets.length / 2 !== Number(length?.raw)) {
    return fail(`generic RDATA says ${length?.raw} octets but holds ${octets.length / 2}`);
  }
  return ok(Buffer.from(octets, 'hex'));
}

/** Generic RDATA of a managed type, read as a DNS answer's would be. */
function decodeGeneric(def: RecordTypeDef, octets: Buffer): Result<ReadRdata> {
  // dns-packet's decoders read RDATA behind its two-octet length.
  const wire = Buffer.concat([Buffer.from([0, 0]), octets]);
  wire.writeUInt16BE(octets.length);
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
  if (def.rdata.at(-1)?.kind === 'text' && Array.isArray(data)) {
    const strings = data.filter((chunk): chunk is Buffer => Buffer.isBuffer(chunk));
    const text = textOf(Buffer.concat(strings));
    if (typeof text !== 'string') return ok(text);
    return ok({ value: text, priority: null, strings });
  }
  const read = def.fromAnswer(data);
  return read.ok ? read : ok({ leaveOut: `generic RDATA: ${read.reason}` });
}

/** One or more character-strings, escapes undone: each, and all joined without separator. */
function characterStrings(
  tokens: BindToken[],
): Result<{ strings: Uint8Array[]; joined: Uint8Array }> {
  const strings: Uint8Array[] = [];
  for (const token of tokens) {
    const octets = unescapeOctets(token.raw);
    if (!octets.ok) return fail(octets.reason);
    if (octets.value.length > 255) {
      return fail(
        `a character-string is ${octets.value.length} octets long (at most 255; split it into several quoted strings)`,
      );
    }
    strings.push(octets.value);
  }
  return ok({ strings, joined: Buffer.concat(strings) });
}
