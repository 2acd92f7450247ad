/**
 * RFC 1035 zone file → canonical records (`dnssync import --from-bind`).
 * $ORIGIN and $TTL are honoured, $INCLUDE and $GENERATE are refused; SOA is read
 * for its minimum TTL and left out, apex NS are the provider's and left out, types
 * dnssync does not manage are left out; each left-out record is noted with its line.
 * Anything malformed is an error naming file and line; nothing is guessed.
 */
import { basename } from 'node:path';
import { type DnsRecord, fail, isRecordType, ok, type Result } from '../model.js';
import {
  canonicalDomain,
  canonicalName,
  canonicalValue,
  notManaged,
  RECORD_TYPE_DEFS,
} from '../records/index.js';
import { type BindEntry, type BindToken, lexBindZone } from './bind-lexer.js';
import { parseTtl, readRdata, resolveName } from './bind-rdata.js';
import { fitRecords, leftOutNote } from './fit-records.js';
import type { ImportError, ImportResult } from './types.js';

export interface BindParseOptions {
  /** The zone's domain when the file does not say (or to override it). */
  domain?: string;
}

const CLASSES = new Set(['IN', 'CS', 'CH', 'HS', 'ANY']);

/** The domain of the zone: --domain, else the SOA owner, else the first $ORIGIN, else the file name. */
function findDomain(
  file: string,
  entries: BindEntry[],
  explicit: string | undefined,
): Result<string> {
  if (explicit !== undefined) {
    const domain = canonicalDomain(explicit);
    return domain.ok ? domain : fail(`--domain: ${domain.reason}`);
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
  if (fromFile !== null) return ok(fromFile);
  return fail(
    "cannot tell the zone's domain (no SOA, no $ORIGIN, and the file name is not a domain): give --domain",
  );
}

function checkedDomain(name: string, what: string): Result<string> {
  const domain = canonicalDomain(name);
  return domain.ok ? domain : fail(`${what} is not a domain: ${domain.reason}`);
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
  if (!found.ok) return fail([...errors, { file, line: 0, message: found.reason }]);
  const domain = found.value;

  const state = new ZoneReader(file, domain);
  for (const entry of lexed.entries) state.read(entry);
  errors.push(...state.errors);
  errors.sort((a, b) => a.line - b.line);
  if (errors.length > 0) return fail(errors);
  const fitted = fitRecords(state.records, domain);
  return ok({
    domain,
    records: fitted.records,
    leftOut: state.leftOut,
    unwritable: fitted.leftOut.map(leftOutNote),
    adjusted: fitted.adjusted,
    source: `the BIND zone file ${basename(file)}`,
  });
}

/** Walks the entries in order, keeping $ORIGIN, $TTL, the last owner and the last TTL. */
class ZoneReader {
  readonly records: DnsRecord[] = [];
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

  private record(entry: BindEntry): Result<null> {
    const tokens = [...entry.tokens];
    let owner: string;
    if (entry.ownerOmitted) {
      if (this.lastOwner === null)
        return fail('the line starts with a blank but there is no previous owner name');
      owner = this.lastOwner;
    } else {
      const token = tokens.shift();
      if (!token) return ok(null);
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
        if (ttl !== null) return fail(`two TTLs ("${token.raw}")`);
        const parsed = parseTtl(token.raw);
        if (!parsed.ok) return parsed;
        ttl = parsed.value;
      } else if (CLASSES.has(token.raw.toUpperCase())) {
        if (token.raw.toUpperCase() !== 'IN') {
          return fail(`class ${token.raw} is not supported (only IN)`);
        }
      } else break;
      tokens.shift();
    }
    const typeToken = tokens.shift();
    if (!typeToken) return fail(`no record type after the owner ${owner || '.'}`);
    const type = typeToken.raw.toUpperCase();
    if (!/^[A-Z][A-Z0-9-]*$/.test(type)) return fail(`"${typeToken.raw}" is not a record type`);
    if (ttl !== null) this.lastTtl = ttl;

    if (type === 'SOA') return this.soa(tokens, entry.line);
    const effectiveTtl = ttl ?? this.defaultTtl ?? this.lastTtl ?? this.soaMinimum;
    if (effectiveTtl === null) {
      return fail('the record has no TTL and the file sets none: add $TTL');
    }
    const name = canonicalName(`${owner}.`, this.domain);
    const shown = `${owner || '.'} ${type}`;
    if (!name.ok) {
      this.leftOut.push(`line ${entry.line}: ${shown}: ${name.reason}`);
      return ok(null);
    }
    if (!isRecordType(type)) {
      this.leftOut.push(`line ${entry.line}: ${shown}: ${notManaged(type)}`);
      return ok(null);
    }
    const rdata = readRdata(RECORD_TYPE_DEFS[type], tokens, this.origin);
    if (!rdata.ok) return fail(`${shown}: ${rdata.reason}`);
    if (rdata.value === null) {
      this.leftOut.push(`line ${entry.line}: ${shown}: an empty TXT value (dnssync needs text)`);
      return ok(null);
    }
    const value = canonicalValue(type, rdata.value.value);
    if (!value.ok) return fail(`${shown}: ${value.reason}`);
    // The apex NS are the provider's (a rule about NS itself).
    if (type === 'NS' && name.value === '@') {
      this.leftOut.push(
        `line ${entry.line}: @ NS ${value.value}: the apex nameservers are the provider's (ns1.vps.org, ns2.vps.org)`,
      );
      return ok(null);
    }
    this.records.push({
      name: name.value,
      type,
      value: value.value,
      ttl: effectiveTtl,
      priority: rdata.value.priority,
    });
    return ok(null);
  }

  private soa(tokens: BindToken[], line: number): Result<null> {
    if (tokens.length !== 7) {
      return fail(
        `SOA needs 7 fields (mname rname serial refresh retry expire minimum), found ${tokens.length}`,
      );
    }
    for (const token of tokens.slice(3)) {
      const timer = parseTtl(token.raw);
      if (!timer.ok) return fail(`SOA: ${timer.reason}`);
      this.soaMinimum = timer.value;
    }
    if (!/^\d+$/.test(tokens[2]?.raw ?? ''))
      return fail(`SOA serial "${tokens[2]?.raw}" is not a number`);
    this.leftOut.push(`line ${line}: SOA: the provider writes its own`);
    return ok(null);
  }
}
