/**
 * The canonical model every stage shares: zone files are loaded into DesiredZone,
 * API responses are converted into LiveZone, and the planner compares the two.
 * All names and values here are already in canonical form (SPEC §2).
 */

export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export function isRecordType(value: string): value is RecordType {
  return (RECORD_TYPES as readonly string[]).includes(value);
}

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
 * A record as the user wants it, canonical. `name` is relative to the zone
 * (`@` for the apex), lowercase, ASCII (punycode); `value` is the canonical value
 * of §2 for its type.
 */
export interface DesiredRecord {
  name: string;
  type: RecordType;
  value: string;
  ttl: number;
  /** MX and SRV only; null for every other type. */
  priority: number | null;
  /** recordKey(name, type, value): the identity of §3. */
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
 * A record as it is live at the provider. Records of the eight managed types are
 * canonical; others (SOA, PTR, ...) keep the API's spelling and `managed: false`.
 */
export interface LiveRecord {
  uuid: string;
  name: string;
  type: string;
  value: string;
  ttl: number;
  priority: number | null;
  /**
   * Its identity is recordKey(name, type, value); the planner works it out when it
   * compares, so that reading thousands of zones keeps no key strings alive.
   */
  managed: boolean;
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

/** The identity of a record (§3): name, type and canonical value. */
export function recordKey(name: string, type: string, value: string): string {
  return `${name}\u0000${type}\u0000${value}`;
}

/** Absolute name (no trailing dot) of a relative canonical name. */
export function absoluteName(name: string, domain: string): string {
  return name === '@' ? domain : `${name}.${domain}`;
}
