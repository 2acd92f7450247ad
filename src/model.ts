/**
 * The canonical model every stage shares: zone files are loaded into DesiredZone,
 * API responses are converted into LiveZone, and the planner compares the two.
 * All names and values here are already in canonical form (docs/design.md, "Canonical
 * forms").
 */

import type { RecordType } from './records/index.js';

// The record types are the table's (src/records/); the result type is shared by every layer.
export { isRecordType, RECORD_TYPES, type RecordType } from './records/index.js';
export { fail, ok, type Result } from './result.js';

/** A place in a zone file; line and col are 1-based. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** `notice`: worth knowing, nothing to fix (only DNS checks use it). */
export type Severity = 'error' | 'warning' | 'notice';

/**
 * Per-check severities set in a zone file (`checks:` at the top, or on one record):
 * check id → a severity, or `off`. See src/checks/.
 */
export type CheckSettings = Readonly<Record<string, Severity | 'off'>>;

/** One problem found in a zone file. Validators return these; they never throw. */
export interface Issue {
  code: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  col: number;
}

/**
 * One DNS record: the shape every stage shares (zone files, live zones, the plan, the
 * API's bodies, BIND and zone-file writers). `name` is relative to the zone (`@` for the
 * apex), lowercase, ASCII (punycode); `value` is the canonical value for its type. `Type`
 * is wider only for live records of types dnssync does not manage (SOA, PTR, ...).
 */
export interface DnsRecord<Type extends string = RecordType> {
  name: string;
  type: Type;
  value: string;
  ttl: number;
  /** For the types that carry one (MX, SRV); null for every other type. */
  priority: number | null;
}

/** A record as the user wants it, with where it was written. */
export interface DesiredRecord extends DnsRecord {
  /** recordKey(name, type, value, priority): its identity. */
  key: string;
  comment?: string;
  pos?: SourcePos;
  /** The record's own `checks:` settings (they win over the file's and the repository's). */
  checks?: CheckSettings;
}

/** `ignore:` rule. `types` null means every type. */
export interface IgnoreRule {
  /** Glob on the relative name (`*` any run of characters, `?` one character). */
  name: string;
  types: RecordType[] | null;
}

export interface DesiredZone {
  /** Canonical domain: lowercase ASCII, no trailing dot. */
  domain: string;
  /** The zone file it came from, as given on the command line (e.g. zones/example.com.yaml). */
  file: string;
  /** Default TTL of the file (3600 unless set). */
  ttl: number;
  purge: boolean;
  ignore: IgnoreRule[];
  records: DesiredRecord[];
  /** The file's `checks:` settings. */
  checks?: CheckSettings;
}

/**
 * A record as it is live at the provider. Records of the managed types with a name
 * inside the zone are canonical and `manageable`; others (SOA, PTR, a name dnssync cannot
 * read) keep the API's spelling, and the planner never touches them. Its identity is
 * recordKey(name, type, value, priority); the planner works it out when it compares, so that
 * reading thousands of zones keeps no key strings alive.
 */
export interface LiveRecord extends DnsRecord<string> {
  uuid: string;
  /**
   * Of a managed type, with a name dnssync can read: the planner may manage it
   * (unless an ignore rule or the provider's apex NS keep it out of the plan).
   */
  manageable: boolean;
  /**
   * When the API says it was created (ISO 8601), if it says. Of exact duplicates the
   * oldest stays, so two runs cleaning up at once agree on which one that is.
   */
  createdAt?: string | undefined;
}

export interface LiveZone {
  uuid: string;
  domain: string;
  records: LiveRecord[];
}

/**
 * The identity of a record: name, type, canonical value and priority (MX and SRV
 * records that differ only in priority are distinct records); the TTL is an attribute.
 */
export function recordKey(
  name: string,
  type: string,
  value: string,
  priority: number | null,
): string {
  return `${name}\u0000${type}\u0000${value}\u0000${priority ?? ''}`;
}

/** Absolute name (no trailing dot) of a relative canonical name. */
export function absoluteName(name: string, domain: string): string {
  return name === '@' ? domain : `${name}.${domain}`;
}

/*
 * Orderings shared by the planner, the renderers and the writers. Plain code-unit
 * comparison, never localeCompare: a plan or a written file must not depend on the
 * machine's locale.
 */

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The apex (`@`) first, then names in code-unit order. */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '@') return -1;
  if (b === '@') return 1;
  return compareText(a, b);
}

/** By name, type, value, TTL, then priority. */
export function compareRecords(a: DnsRecord<string>, b: DnsRecord<string>): number {
  return (
    compareNames(a.name, b.name) ||
    compareText(a.type, b.type) ||
    compareText(a.value, b.value) ||
    a.ttl - b.ttl ||
    (a.priority ?? -1) - (b.priority ?? -1)
  );
}

/** Items grouped by a key, each group in the items' order. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** A plain object (not null, not an array), as JSON and YAML data are read. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
