/**
 * BIND zone file rendering (RFC 1035 master file format) from canonical records.
 * Shared by the sandbox (serving a zone as VPS.org's nameservers would) and
 * `export --format bind`. Input names are relative (`@` for the apex) and values are
 * canonical (for SRV `weight port target`, the priority apart); hostnames gain their
 * trailing dot here. Types dnssync does not manage pass through as written.
 */
import { compareNames, compareText, type DnsRecord, RECORD_TYPES } from '../model.js';
import { type FieldKind, typeDef } from '../records/index.js';
import { isTerminalSafe } from '../text/terminal.js';

export interface BindZoneOptions {
  /** The zone's nameservers, hostnames without trailing dot (default: VPS.org's). */
  nameservers?: readonly string[] | undefined;
  serial: number;
  /** `$TTL` and the TTL of the generated SOA and NS lines (default 3600). */
  defaultTtl?: number;
  /** SOA RNAME, as `hostmaster.example.com` or `hostmaster@example.com`. */
  hostmaster?: string;
}

export const VPS_NAMESERVERS = ['ns1.vps.org', 'ns2.vps.org'] as const;
const VPS_HOSTMASTER = 'hostmaster.vps.org';

/** SOA timers (seconds): refresh, retry, expire, negative-caching TTL. */
const SOA_TIMERS = { refresh: 3600, retry: 900, expire: 1209600, minimum: 300 } as const;
const TXT_CHUNK_OCTETS = 255;
/** The SOA and the apex NS lead a zone file by custom; then the table's order. */
const TYPE_ORDER: readonly string[] = ['SOA', 'NS', ...RECORD_TYPES];

export function renderBindZone(
  domain: string,
  records: readonly DnsRecord<string>[],
  options: BindZoneOptions,
): string {
  const nameservers = options.nameservers ?? VPS_NAMESERVERS;
  const defaultTtl = options.defaultTtl ?? 3600;
  const ownRecords = records.filter((r) => r.type !== 'SOA');
  const declaresApexNs = ownRecords.some((r) => r.name === '@' && r.type === 'NS');
  const apexNs: DnsRecord<string>[] = declaresApexNs
    ? []
    : nameservers.map((ns) => ({
        name: '@',
        type: 'NS',
        value: ns,
        ttl: defaultTtl,
        priority: null,
      }));
  const body = sortRecords([...apexNs, ...ownRecords]);

  const nameWidth = Math.min(32, Math.max(1, ...body.map((r) => r.name.length)));
  const line = (name: string, ttl: number, type: string, rdata: string) =>
    `${name.padEnd(nameWidth)} ${String(ttl).padEnd(6)} IN ${type.padEnd(5)} ${rdata}`;

  const mname = absoluteHost(nameservers[0] ?? VPS_NAMESERVERS[0]);
  const rname = mailboxName(options.hostmaster ?? VPS_HOSTMASTER);
  const indent = ' '.repeat(nameWidth + 8);
  const soa = [
    line('@', defaultTtl, 'SOA', `${mname} ${rname} (`),
    ...Object.entries({ serial: options.serial, ...SOA_TIMERS }).map(
      ([field, seconds]) => `${indent}${seconds} ; ${field}`,
    ),
    `${indent})`,
  ];
  return [
    `$ORIGIN ${absoluteHost(domain)}`,
    `$TTL ${defaultTtl}`,
    ...soa,
    ...body.map((r) => line(r.name, r.ttl, r.type, rdata(r))),
    '',
  ].join('\n');
}

/**
 * The RDATA of one record in presentation format, field by field (the type table's
 * `rdata`); a type dnssync does not manage passes through as written.
 */
export function rdata(record: DnsRecord<string>): string {
  const def = typeDef(record.type);
  if (!def) return record.value;
  const values = def.fields(record.value);
  let next = 0;
  const fields = def.rdata.map((field) =>
    field.kind === 'priority'
      ? String(record.priority ?? 0)
      : presentField(field.kind, values[next++] ?? ''),
  );
  return withoutLogCommand(fields.join(' '));
}

function presentField(kind: Exclude<FieldKind, 'priority'>, value: string): string {
  switch (kind) {
    case 'host':
      return absoluteHost(value);
    case 'string':
      return presentationString(value);
    case 'text':
      return txtChunks(value).map(quoteCharacterString).join(' ');
    case 'uint8':
    case 'uint16':
    case 'word':
      return value;
  }
}

/**
 * The `[` of `##[` as `\091`: the GitHub Actions runner reads `##[` anywhere in a line of
 * a job log as a command, and `dnssync export` may print a zone there. Same RDATA.
 */
function withoutLogCommand(rdata: string): string {
  return rdata.replace(/(?<=##)\[/g, '\\091');
}

/** A hostname with its trailing dot; the root stays `.`. */
function absoluteHost(host: string): string {
  return host.endsWith('.') ? host : `${host}.`;
}

/**
 * Splits text into pieces of at most 255 UTF-8 octets (one DNS character-string
 * each), cutting only between code points so no character is torn in two.
 */
export function txtChunks(text: string): string[] {
  const chunks: string[] = [];
  let current = '';
  let currentOctets = 0;
  for (const char of text) {
    const octets = Buffer.byteLength(char);
    if (currentOctets + octets > TXT_CHUNK_OCTETS) {
      chunks.push(current);
      current = '';
      currentOctets = 0;
    }
    current += char;
    currentOctets += octets;
  }
  if (current !== '' || chunks.length === 0) chunks.push(current);
  return chunks;
}

/**
 * A quoted character-string: `"` and `\` escaped, and every character that would act on a
 * terminal or a job log (controls, bidi controls, line separators, invisible characters)
 * written as the `\DDD` escapes of its UTF-8 octets: the same RDATA, shown safely.
 */
export function quoteCharacterString(text: string): string {
  let out = '"';
  for (const char of text) {
    if (char === '"' || char === '\\') out += `\\${char}`;
    else out += safeChar(char);
  }
  return `${out}"`;
}

/** The character itself, or its UTF-8 octets as `\DDD` escapes when it is not safe to show. */
function safeChar(char: string): string {
  if (isTerminalSafe(char)) return char;
  let out = '';
  for (const octet of Buffer.from(char, 'utf8')) out += `\\${String(octet).padStart(3, '0')}`;
  return out;
}

/**
 * A quoted `string` field of a canonical value, which may already hold presentation
 * escapes (`\"`): valid escapes are kept, what would break the line is escaped.
 */
function presentationString(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  const inner = value.slice(1, -1);
  let out = '';
  const chars = [...inner];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] ?? '';
    if (char === '\\') {
      const next = chars[i + 1];
      if (next === undefined) out += '\\\\';
      else out += isTerminalSafe(next) ? `\\${next}` : safeChar(next);
      i++;
    } else if (char === '"') out += '\\"';
    else out += safeChar(char);
  }
  return `"${out}"`;
}

/** SOA RNAME: `hostmaster@example.com` becomes `hostmaster.example.com.`. */
function mailboxName(hostmaster: string): string {
  const at = hostmaster.indexOf('@');
  if (at < 0) return absoluteHost(hostmaster);
  const local = hostmaster.slice(0, at).replace(/\./g, '\\.');
  return absoluteHost(`${local}.${hostmaster.slice(at + 1)}`);
}

/** Apex first, then names alphabetically; within a name, a fixed type order, then value. */
function sortRecords(records: DnsRecord<string>[]): DnsRecord<string>[] {
  const typeRank = (type: string) => {
    const rank = TYPE_ORDER.indexOf(type);
    return rank < 0 ? TYPE_ORDER.length : rank;
  };
  return records.toSorted(
    (a, b) =>
      compareNames(a.name, b.name) ||
      typeRank(a.type) - typeRank(b.type) ||
      compareText(a.type, b.type) ||
      (a.priority ?? 0) - (b.priority ?? 0) ||
      compareText(a.value, b.value),
  );
}
