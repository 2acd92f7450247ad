/**
 * RFC 1035 zone file → canonical records (`dnssync import --from-bind`).
 * $ORIGIN, $TTL, $INCLUDE (bind-include.ts) and $GENERATE (bind-generate.ts) are
 * honoured, and RFC 3597's generic forms (TYPEnn, CLASSnn, `\# length hex`). Every
 * record BIND accepts either arrives exactly, or is left out with one note naming its
 * source line and the reason (the SOA, the apex NS, types dnssync does not manage, names
 * and values dnssync cannot hold); a lossy change (strings joined, a TTL lowered) is
 * noted the same way. Only what BIND itself refuses, or a file whose domain cannot be
 * told, is an error naming file and line; nothing is guessed.
 */
import { basename, dirname, relative } from 'node:path';
import dnsTypes from 'dns-packet/types.js';
import { fail, isRecordType, ok, type Result } from '../model.js';
import {
  canonicalDomain,
  canonicalName,
  canonicalValue,
  notManaged,
  RECORD_TYPE_DEFS,
} from '../records/index.js';
import { txtChunks } from '../render/bind.js';
import { expandGenerate } from './bind-generate.js';
import { type IncludeReader, readIncludeFile } from './bind-include.js';
import { type BindEntry, type BindToken, lexBindZone, unescapeOctets } from './bind-lexer.js';
import { genericOctets, parseTtl, readRdata, resolveName } from './bind-rdata.js';
import { fitRecords, leftOutNote } from './fit-records.js';
import type { ImportError, ImportedRecord, ImportResult } from './types.js';

export interface BindParseOptions {
  /** The zone's domain when the file does not say (or to override it). */
  domain?: string;
  /** Reads the file an $INCLUDE names (default: from disk, inside the zone file's directory). */
  include?: IncludeReader;
}

/** How deep $INCLUDE may nest (a file including itself stops here, with an error). */
const MAX_INCLUDE_DEPTH = 8;
/** A class, in RFC 3597's spelling (CLASS1) too; the zone's own is IN. */
const CLASS = /^(?:IN|CS|CH|HS|ANY|NONE|CLASS\d+)$/i;
const CLASS_IN = /^(?:IN|CLASS1)$/i;

/** A type as written, with RFC 3597's TYPEnn turned into its mnemonic when it has one. */
function typeOf(raw: string): string {
  const upper = raw.toUpperCase();
  const number = /^TYPE(\d{1,5})$/.exec(upper)?.[1];
  if (number === undefined) return upper;
  const name = dnsTypes.toString(Number(number));
  return name.startsWith('UNKNOWN_') ? upper : name;
}

/** The tokens of a record after its owner: TTL and class (either order), type, RDATA. */
function splitRecord(tokens: BindToken[]): Result<{
  ttl: number | null;
  type: string;
  rdata: BindToken[];
}> {
  let ttl: number | null = null;
  let at = 0;
  for (; at < 2; at++) {
    const token = tokens[at];
    if (!token || token.quoted) break;
    if (/^\d/.test(token.raw)) {
      if (ttl !== null) return fail(`two TTLs ("${token.raw}")`);
      const parsed = parseTtl(token.raw);
      if (!parsed.ok) return parsed;
      ttl = parsed.value;
      continue;
    }
    if (!CLASS.test(token.raw)) break;
    if (!CLASS_IN.test(token.raw)) return fail(`class ${token.raw} is not the zone's class IN`);
  }
  const typeToken = tokens[at];
  if (!typeToken) return fail('no record type');
  const type = typeOf(typeToken.raw);
  if (typeToken.quoted || !/^[A-Z][A-Z0-9-]*$/.test(type)) {
    return fail(`"${typeToken.raw}" is not a record type`);
  }
  return ok({ ttl, type, rdata: tokens.slice(at + 1) });
}

/** The domain of the zone: --domain, else the SOA owner, else the first $ORIGIN, else the file name. */
function findDomain(
  file: string,
  entries: BindEntry[],
  explicit: string | undefined,
): Result<string, ImportError> {
  if (explicit !== undefined) {
    const domain = canonicalDomain(explicit);
    return domain.ok ? domain : fail({ file, line: 0, message: `--domain: ${domain.reason}` });
  }
  const fromFile = domainFromBindFileName(file);
  let origin: string | null = fromFile;
  let firstOrigin: string | null = null;
  let owner: string | null = null;
  // The SOA may be anywhere (zone dumps put it last): look at every record's type.
  for (const entry of entries) {
    const [first, second] = entry.tokens;
    if (!first) continue;
    if (!first.quoted && first.raw.startsWith('$')) {
      if (first.raw.toUpperCase() === '$ORIGIN' && second) {
        const resolved = resolveName(second, origin);
        if (!resolved.ok) break;
        origin = resolved.value;
        firstOrigin ??= resolved.value;
      }
      continue;
    }
    if (!entry.ownerOmitted) {
      const resolved = resolveName(first, origin);
      owner = resolved.ok ? resolved.value : null;
    }
    const rest = entry.ownerOmitted ? entry.tokens : entry.tokens.slice(1);
    const split = splitRecord(rest);
    if (!split.ok || split.value.type !== 'SOA' || owner === null) continue;
    const domain = canonicalDomain(owner || '.');
    if (domain.ok) return domain;
    return fail({
      file,
      line: entry.line,
      message: `the SOA's owner "${owner || '.'}" cannot be a dnssync zone: ${domain.reason}; give --domain`,
    });
  }
  if (firstOrigin !== null) {
    const domain = canonicalDomain(firstOrigin);
    if (domain.ok) return domain;
    return fail({ file, line: 0, message: `$ORIGIN is not a domain: ${domain.reason}` });
  }
  if (fromFile !== null) return ok(fromFile);
  return fail({
    file,
    line: 0,
    message:
      "cannot tell the zone's domain (no SOA, no $ORIGIN, and the file name is not a domain): give --domain",
  });
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
  if (!found.ok) return fail([...errors, found.reason]);
  const domain = found.value;

  const reader = new ZoneReader(file, domain, options.include ?? readIncludeFile);
  reader.readFile({ file, shown: null, depth: 0 }, lexed.entries);
  errors.push(...reader.errors);
  errors.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file === file ? -1 : 1));
  if (errors.length > 0) return fail(errors);
  const fitted = fitRecords(reader.records, domain);
  return ok({
    domain,
    records: fitted.records,
    leftOut: reader.leftOut,
    unwritable: fitted.leftOut.map(leftOutNote),
    adjusted: [...reader.adjusted, ...fitted.adjusted],
    source: `the BIND zone file ${basename(file)}`,
  });
}

/** The file being read: its path (for errors), how notes name it (null: the zone file), depth. */
interface Place {
  file: string;
  shown: string | null;
  depth: number;
}

/** Walks the entries in order, keeping $ORIGIN, $TTL, the last owner and the last TTL. */
class ZoneReader {
  readonly records: ImportedRecord[] = [];
  readonly leftOut: string[] = [];
  readonly adjusted: string[] = [];
  readonly errors: ImportError[] = [];
  private origin: string;
  private defaultTtl: number | null = null;
  private lastTtl: number | null = null;
  private soaMinimum: number | null = null;
  private lastOwner: string | null = null;
  /** Why the last owner cannot be held (its records are left out), or null. */
  private ownerProblem: string | null = null;

  constructor(
    private readonly zoneFile: string,
    private readonly domain: string,
    private readonly include: IncludeReader,
  ) {
    this.origin = domain;
  }

  readFile(place: Place, entries: readonly BindEntry[]): void {
    for (const entry of entries) this.read(place, entry);
  }

  private read(place: Place, entry: BindEntry): void {
    const [first] = entry.tokens;
    if (!first) return;
    if (!first.quoted && first.raw.startsWith('$')) {
      this.directive(place, entry);
      return;
    }
    const result = this.record(place, entry);
    if (!result.ok) this.fail(place, entry.line, result.reason);
  }

  private fail(place: Place, line: number, message: string): void {
    this.errors.push({ file: place.file, line, message });
  }

  /** The record is not imported, with a note saying why (no error). */
  private leaveOut(note: string): Result<null> {
    this.leftOut.push(note);
    return ok(null);
  }

  /** `line 12`, or `sub.db line 3` for a line of an included file. */
  private where(place: Place, line: number): string {
    return place.shown === null ? `line ${line}` : `${place.shown} line ${line}`;
  }

  private directive(place: Place, entry: BindEntry): void {
    const [first, arg, ...rest] = entry.tokens;
    const name = first?.raw.toUpperCase() ?? '';
    if (name === '$INCLUDE') {
      this.includeFile(place, entry);
    } else if (name === '$GENERATE') {
      const generated = expandGenerate(entry);
      if (!generated.ok) this.fail(place, entry.line, `$GENERATE: ${generated.reason}`);
      else for (const one of generated.value) this.read(place, one);
    } else if (name !== '$ORIGIN' && name !== '$TTL') {
      this.fail(place, entry.line, `unknown directive ${first?.raw}`);
    } else if (!arg || rest.length > 0) {
      this.fail(place, entry.line, `${name} takes exactly one argument`);
    } else if (name === '$ORIGIN') {
      const origin = resolveName(arg, this.origin);
      if (origin.ok) this.origin = origin.value;
      else this.fail(place, entry.line, `$ORIGIN: ${origin.reason}`);
    } else {
      const ttl = parseTtl(arg.raw);
      if (ttl.ok) this.defaultTtl = ttl.value;
      else this.fail(place, entry.line, `$TTL: ${ttl.reason}`);
    }
  }

  /**
   * `$INCLUDE file [origin]`: the file is read relative to the including file, with the
   * origin given (or the current one); afterwards the origin and the last owner are what
   * they were before it (RFC 1035 §5.1).
   */
  private includeFile(place: Place, entry: BindEntry): void {
    const [, path, originToken, ...rest] = entry.tokens;
    if (!path || rest.length > 0) {
      this.fail(place, entry.line, '$INCLUDE takes a file name and an optional origin');
      return;
    }
    if (place.depth >= MAX_INCLUDE_DEPTH) {
      this.fail(place, entry.line, `$INCLUDE nested more than ${MAX_INCLUDE_DEPTH} deep`);
      return;
    }
    let origin = this.origin;
    if (originToken) {
      const resolved = resolveName(originToken, this.origin);
      if (!resolved.ok) {
        this.fail(place, entry.line, `$INCLUDE origin: ${resolved.reason}`);
        return;
      }
      origin = resolved.value;
    }
    const read = this.include(this.zoneFile, place.file, path.raw);
    if (!read.ok) {
      this.fail(place, entry.line, `$INCLUDE ${path.raw}: ${read.reason}`);
      return;
    }
    const lexed = lexBindZone(read.value.text);
    const inner: Place = {
      file: read.value.file,
      shown: relative(dirname(this.zoneFile), read.value.file),
      depth: place.depth + 1,
    };
    for (const problem of lexed.problems) this.fail(inner, problem.line, problem.message);
    const saved = { origin: this.origin, owner: this.lastOwner };
    this.origin = origin;
    this.readFile(inner, lexed.entries);
    this.origin = saved.origin;
    this.lastOwner = saved.owner;
  }

  private record(place: Place, entry: BindEntry): Result<null> {
    const tokens = [...entry.tokens];
    if (!entry.ownerOmitted) {
      const token = tokens.shift() as BindToken;
      const octets = unescapeOctets(token.raw);
      if (!octets.ok) return fail(`"${token.raw}": ${octets.reason}`);
      const resolved = resolveName(token, this.origin);
      // BIND reads any octets as a name; dnssync cannot hold every one (not UTF-8, `\.`).
      this.ownerProblem = resolved.ok ? null : resolved.reason;
      this.lastOwner = resolved.ok ? resolved.value : null;
    } else if (this.lastOwner === null && this.ownerProblem === null) {
      return fail('the line starts with a blank but there is no previous owner name');
    }
    if (this.ownerProblem !== null || this.lastOwner === null) {
      return this.leaveOut(`${this.where(place, entry.line)}: ${this.ownerProblem}`);
    }
    const owner = this.lastOwner;

    const split = splitRecord(tokens);
    if (!split.ok) return fail(`${owner || '.'}: ${split.reason}`);
    const { ttl, type, rdata: rdataTokens } = split.value;
    if (ttl !== null) this.lastTtl = ttl;
    const where = this.where(place, entry.line);
    const shown = `${owner || '.'} ${type}`;

    if (type === 'SOA') return this.soa(rdataTokens, where);
    const effectiveTtl = ttl ?? this.defaultTtl ?? this.lastTtl ?? this.soaMinimum;
    if (effectiveTtl === null) {
      return fail('the record has no TTL and the file sets none: add $TTL');
    }
    if (!isRecordType(type)) {
      // BIND checks generic RDATA of every type; so does dnssync, before leaving it out.
      const generic = genericOctets(rdataTokens);
      if (generic && !generic.ok) return fail(`${shown}: ${generic.reason}`);
    }
    const name = canonicalName(`${owner}.`, this.domain);
    if (!name.ok) return this.leaveOut(`${where}: ${shown}: ${name.reason}`);
    if (!isRecordType(type)) return this.leaveOut(`${where}: ${shown}: ${notManaged(type)}`);
    const rdata = readRdata(RECORD_TYPE_DEFS[type], rdataTokens, this.origin);
    if (!rdata.ok) return fail(`${shown}: ${rdata.reason}`);
    const read = rdata.value;
    // The apex NS are the provider's (a rule about NS itself), whatever they hold.
    if (type === 'NS' && name.value === '@') {
      const value = 'leaveOut' in read ? rdataTokens.map((t) => t.raw).join(' ') : read.value;
      return this.leaveOut(
        `${where}: @ NS ${value}: the apex nameservers are the provider's (ns1.vps.org, ns2.vps.org)`,
      );
    }
    if ('leaveOut' in read) return this.leaveOut(`${where}: ${shown}: ${read.leaveOut}`);
    const value = canonicalValue(type, read.value);
    if (!value.ok) {
      // BIND checks what a `word` field holds (an address, a CAA tag) as dnssync does:
      // refused. A hostname or text BIND accepts but dnssync cannot hold is left out.
      const checkedByBind = RECORD_TYPE_DEFS[type].rdata.some((field) => field.kind === 'word');
      if (checkedByBind) return fail(`${shown}: ${value.reason}`);
      return this.leaveOut(`${where}: ${shown}: ${value.reason}`);
    }
    if (read.strings && read.strings.length > 1 && !sameChunks(read.strings, value.value)) {
      const lengths = read.strings.map((s) => s.length).join(' + ');
      this.adjusted.push(
        `${where}: ${shown}: its ${read.strings.length} character-strings (${lengths} octets) are joined into one text, which export splits every 255 octets`,
      );
    }
    this.records.push({
      name: name.value,
      type,
      value: value.value,
      ttl: effectiveTtl,
      priority: read.priority,
      from: where,
    });
    return ok(null);
  }

  private soa(tokens: BindToken[], where: string): Result<null> {
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
    return this.leaveOut(`${where}: SOA: the provider writes its own`);
  }
}

/** Whether the file split the text exactly as export will (every 255 octets): nothing changes. */
function sameChunks(strings: readonly Uint8Array[], text: string): boolean {
  const exported = txtChunks(text).map((chunk) => Buffer.byteLength(chunk));
  return exported.length === strings.length && exported.every((n, i) => n === strings[i]?.length);
}
