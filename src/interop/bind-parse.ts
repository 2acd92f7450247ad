/**
 * RFC 1035 zone file → canonical records (`dnssync import --from-bind`).
 * $ORIGIN and $TTL are honoured, $INCLUDE and $GENERATE are refused; SOA is read
 * for its minimum TTL and left out, apex NS are the provider's and left out, types
 * outside the eight are left out; each left-out record is noted with its line.
 * Anything malformed is an error naming file and line; nothing is guessed.
 */
import { basename } from 'node:path';
import { isRecordType, type RecordType } from '../model.js';
import {
  canonicalDomain,
  canonicalHostname,
  canonicalName,
  canonicalValue,
} from '../records/index.js';
import {
  type BindEntry,
  type BindToken,
  lexBindZone,
  octetsToText,
  unescapeOctets,
} from './bind-lexer.js';
import { normaliseRecords } from './normalise.js';
import type { ImportError, ImportResult, ZoneRecord } from './types.js';

export interface BindParseOptions {
  /** The zone's domain when the file does not say (or to override it). */
  domain?: string;
}

type Step<T> = { ok: true; value: T } | { ok: false; reason: string };

const CLASSES = new Set(['IN', 'CS', 'CH', 'HS', 'ANY']);
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
function resolveName(token: BindToken, origin: string | null): Step<string> {
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

/** The domain of the zone: --domain, else the SOA owner, else the first $ORIGIN, else the file name. */
function findDomain(
  file: string,
  entries: BindEntry[],
  explicit: string | undefined,
): Step<string> {
  if (explicit !== undefined) {
    const domain = canonicalDomain(explicit);
    return domain.ok ? domain : { ok: false, reason: `--domain: ${domain.reason}` };
  }
  const fromFile = domainFromBindFileName(file);
  let origin: string | null = fromFile;
  let firstOrigin: string | null = null;
  for (const entry of entries) {
    const [first, second] = entry.tokens;
    if (!first) continue;
    if (!first.quoted && first.raw.toUpperCase() === '$ORIGIN' && second) {
      const resolved = resolveName(second, origin);
      if (!resolved.ok) break;
      origin = resolved.value;
      firstOrigin ??= resolved.value;
      continue;
    }
    if (first.raw.startsWith('$')) continue;
    const isSoa = entry.tokens.slice(0, 4).some((token) => token.raw.toUpperCase() === 'SOA');
    if (isSoa && !entry.ownerOmitted) {
      const owner = resolveName(first, origin);
      if (owner.ok) return checkedDomain(owner.value, 'the SOA owner');
    }
    break;
  }
  if (firstOrigin !== null) return checkedDomain(firstOrigin, '$ORIGIN');
  if (fromFile !== null) return { ok: true, value: fromFile };
  return {
    ok: false,
    reason:
      "cannot tell the zone's domain (no SOA, no $ORIGIN, and the file name is not a domain): give --domain",
  };
}

function checkedDomain(name: string, what: string): Step<string> {
  const domain = canonicalDomain(name);
  return domain.ok ? domain : { ok: false, reason: `${what} is not a domain: ${domain.reason}` };
}

/** `db.example.com`, `example.com.zone`, `example.com.db`, `example.com` → example.com. */
export function domainFromBindFileName(file: string): string | null {
  const base = basename(file)
    .replace(/^db\./i, '')
    .replace(/\.(zone|db|bind|txt|hosts)$/i, '');
  const domain = canonicalDomain(base);
  return domain.ok ? domain.value : null;
}

export function parseBindZone(
  file: string,
  text: string,
  options: BindParseOptions = {},
): ImportResult {
  const lexed = lexBindZone(text);
  const errors: ImportError[] = lexed.problems.map((p) => ({
    file,
    line: p.line,
    message: p.message,
  }));
  const found = findDomain(file, lexed.entries, options.domain);
  if (!found.ok)
    return { ok: false, errors: [...errors, { file, line: 0, message: found.reason }] };
  const domain = found.value;

  const state = new ZoneReader(file, domain);
  for (const entry of lexed.entries) state.read(entry);
  errors.push(...state.errors);
  errors.sort((a, b) => a.line - b.line);
  if (errors.length > 0) return { ok: false, errors };
  const normalised = normaliseRecords(state.records);
  return {
    ok: true,
    zone: {
      domain,
      records: normalised.records,
      leftOut: state.leftOut,
      adjusted: normalised.notes,
      source: `the BIND zone file ${basename(file)}`,
    },
  };
}

/** Walks the entries in order, keeping $ORIGIN, $TTL, the last owner and the last TTL. */
class ZoneReader {
  readonly records: ZoneRecord[] = [];
  readonly leftOut: string[] = [];
  readonly errors: ImportError[] = [];
  private origin: string;
  private defaultTtl: number | null = null;
  private lastTtl: number | null = null;
  private soaMinimum: number | null = null;
  private lastOwner: string | null = null;

  constructor(
    private readonly file: string,
    private readonly domain: string,
  ) {
    this.origin = domain;
  }

  read(entry: BindEntry): void {
    const [first] = entry.tokens;
    if (!first) return;
    if (!first.quoted && first.raw.startsWith('$')) {
      this.directive(entry);
      return;
    }
    const result = this.record(entry);
    if (!result.ok) this.fail(entry.line, result.reason);
  }

  private fail(line: number, message: string): void {
    this.errors.push({ file: this.file, line, message });
  }

  private directive(entry: BindEntry): void {
    const [first, arg, ...rest] = entry.tokens;
    const name = first?.raw.toUpperCase() ?? '';
    if (name === '$INCLUDE') {
      this.fail(entry.line, '$INCLUDE is not supported: paste the included file in its place');
    } else if (name === '$GENERATE') {
      this.fail(entry.line, '$GENERATE is not supported: write the generated records out');
    } else if (name !== '$ORIGIN' && name !== '$TTL') {
      this.fail(entry.line, `unknown directive ${first?.raw}`);
    } else if (!arg || rest.length > 0) {
      this.fail(entry.line, `${name} takes exactly one argument`);
    } else if (name === '$ORIGIN') {
      const origin = resolveName(arg, this.origin);
      if (origin.ok) this.origin = origin.value;
      else this.fail(entry.line, `$ORIGIN: ${origin.reason}`);
    } else {
      const ttl = parseTtl(arg.raw);
      if (ttl.ok) this.defaultTtl = ttl.value;
      else this.fail(entry.line, `$TTL: ${ttl.reason}`);
    }
  }

  private record(entry: BindEntry): Step<null> {
    const tokens = [...entry.tokens];
    let owner: string;
    if (entry.ownerOmitted) {
      if (this.lastOwner === null)
        return {
          ok: false,
          reason: 'the line starts with a blank but there is no previous owner name',
        };
      owner = this.lastOwner;
    } else {
      const token = tokens.shift();
      if (!token) return { ok: true, value: null };
      const resolved = resolveName(token, this.origin);
      if (!resolved.ok) return resolved;
      owner = resolved.value;
      this.lastOwner = owner;
    }

    let ttl: number | null = null;
    for (let taken = 0; taken < 2; taken++) {
      const token = tokens[0];
      if (!token || token.quoted) break;
      if (/^\d/.test(token.raw)) {
        if (ttl !== null) return { ok: false, reason: `two TTLs ("${token.raw}")` };
        const parsed = parseTtl(token.raw);
        if (!parsed.ok) return parsed;
        ttl = parsed.value;
      } else if (CLASSES.has(token.raw.toUpperCase())) {
        if (token.raw.toUpperCase() !== 'IN') {
          return { ok: false, reason: `class ${token.raw} is not supported (only IN)` };
        }
      } else break;
      tokens.shift();
    }
    const typeToken = tokens.shift();
    if (!typeToken) return { ok: false, reason: `no record type after the owner ${owner || '.'}` };
    const type = typeToken.raw.toUpperCase();
    if (!/^[A-Z][A-Z0-9-]*$/.test(type))
      return { ok: false, reason: `"${typeToken.raw}" is not a record type` };
    if (ttl !== null) this.lastTtl = ttl;

    if (type === 'SOA') return this.soa(tokens, entry.line);
    const effectiveTtl = ttl ?? this.defaultTtl ?? this.lastTtl ?? this.soaMinimum;
    if (effectiveTtl === null) {
      return { ok: false, reason: 'the record has no TTL and the file sets none: add $TTL' };
    }
    const name = canonicalName(`${owner}.`, this.domain);
    const shown = `${owner || '.'} ${type}`;
    if (!name.ok) {
      this.leftOut.push(`line ${entry.line}: ${shown}: ${name.reason}`);
      return { ok: true, value: null };
    }
    if (!isRecordType(type)) {
      this.leftOut.push(
        `line ${entry.line}: ${shown}: ${type} is not one of the eight types dnssync manages`,
      );
      return { ok: true, value: null };
    }
    const rdata = readRdata(type, tokens, this.origin);
    if (!rdata.ok) return { ok: false, reason: `${shown}: ${rdata.reason}` };
    if (rdata.value === null) {
      this.leftOut.push(`line ${entry.line}: ${shown}: an empty TXT value (dnssync needs text)`);
      return { ok: true, value: null };
    }
    const value = canonicalValue(type, rdata.value.value);
    if (!value.ok) return { ok: false, reason: `${shown}: ${value.reason}` };
    if (type === 'NS' && name.value === '@') {
      this.leftOut.push(
        `line ${entry.line}: @ NS ${value.value}: the apex nameservers are the provider's (ns1.vps.org, ns2.vps.org)`,
      );
      return { ok: true, value: null };
    }
    this.records.push({
      name: name.value,
      type,
      value: value.value,
      ttl: effectiveTtl,
      priority: rdata.value.priority,
    });
    return { ok: true, value: null };
  }

  private soa(tokens: BindToken[], line: number): Step<null> {
    if (tokens.length !== 7) {
      return {
        ok: false,
        reason: `SOA needs 7 fields (mname rname serial refresh retry expire minimum), found ${tokens.length}`,
      };
    }
    for (const token of tokens.slice(3)) {
      const timer = parseTtl(token.raw);
      if (!timer.ok) return { ok: false, reason: `SOA: ${timer.reason}` };
      this.soaMinimum = timer.value;
    }
    if (!/^\d+$/.test(tokens[2]?.raw ?? ''))
      return { ok: false, reason: `SOA serial "${tokens[2]?.raw}" is not a number` };
    this.leftOut.push(`line ${line}: SOA: the provider writes its own`);
    return { ok: true, value: null };
  }
}

interface Rdata {
  /** The value as canonicalValue takes it. */
  value: string;
  priority: number | null;
}

/** The RDATA of one of the eight types; null for an empty TXT (left out, not an error). */
function readRdata(type: RecordType, tokens: BindToken[], origin: string): Step<Rdata | null> {
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
