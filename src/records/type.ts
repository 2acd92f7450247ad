import { fail, ok, type Result } from '../result.js';

/** The canonical value, or why there is none; a valid value may come with warnings. */
export type ValueResult = Result<string> & { warnings?: string[] };

/**
 * The kinds of RDATA field. Each format dnssync reads or writes (BIND zone files, octoDNS
 * files, DNS answers) handles every kind in one place, so a type made of these kinds
 * needs nothing outside its table entry (CONTRIBUTING.md, "Adding a record type").
 */
export type FieldKind =
  /** 0-65535, kept as the record's `priority`, not in its value (MX preference, SRV priority). */
  | 'priority'
  | 'uint8'
  | 'uint16'
  /** One token as written: an address, a CAA tag. */
  | 'word'
  /** A hostname: absolute without the trailing dot in the value, `.` for the root. */
  | 'host'
  /** One character-string, in double quotes in the value (`\"` and `\\` escaped). */
  | 'string'
  /** The whole value as text, of any length: the only field of its type. */
  | 'text';

interface RdataField {
  /** Its name in RFCs and in DNS answers as dns-packet decodes them. */
  name: string;
  kind: FieldKind;
  /** The keys octoDNS files use for it, the first preferred (default: `name`). */
  octodns?: readonly string[];
  /** Its value when an octoDNS file leaves it out. */
  octodnsDefault?: number;
}

/** A value as `parse` takes it, and the priority, read from a file or a DNS answer. */
export interface Rdata {
  value: string;
  priority: number | null;
}

/** What one record type says about itself; `defineType` adds what follows from it. */
export interface RecordTypeSpec<T extends string = string> {
  type: T;
  /** What a zone file's value holds, for the zone file schema and the README. */
  value: string;
  /** The canonical form in words, for the README. */
  canonical: string;
  /** A valid, canonical value, for messages. */
  example: string;
  /**
   * The RDATA fields in wire order. The canonical value is the fields other than the
   * priority, joined by single spaces; BIND, octoDNS and DNS answers are read and
   * written field by field.
   */
  rdata: readonly RdataField[];
  /** The canonical value (docs/design.md, "Canonical forms"), or why `raw` is not a valid value. */
  parse(raw: string): ValueResult;
  /** A rule about the name of a record of this type (`name` relative and canonical), or null. */
  nameRule?(name: string, domain: string): NameProblem | null;
}

export interface NameProblem {
  code: string;
  message: string;
}

/** Everything dnssync knows about one record type; one module per type, one table in index.ts. */
export interface RecordTypeDef<T extends string = string> extends RecordTypeSpec<T> {
  /** Whether records of the type carry a priority (0-65535); others must not. */
  hasPriority: boolean;
  /** What the priority is called (`preference` for MX), or null. */
  priorityName: string | null;
  /** The canonical value split into its fields, the priority apart. */
  fields(value: string): string[];
  /** The hostname a canonical value points at (its `host` field), or null (none, or `.`). */
  target(value: string): string | null;
  /**
   * A DNS answer's RDATA as dns-packet decodes it (the value itself for a type of one
   * field, else an object by field name) → the value as `parse` takes it, and the priority.
   */
  fromAnswer(data: unknown): Result<Rdata>;
}

export function defineType<T extends string>(spec: RecordTypeSpec<T>): RecordTypeDef<T> {
  const priority = spec.rdata.find((field) => field.kind === 'priority');
  const valueFields = spec.rdata.filter((field) => field.kind !== 'priority');
  const hostAt = valueFields.findIndex((field) => field.kind === 'host');
  const fields = (value: string) => splitFields(valueFields, value);
  return {
    ...spec,
    hasPriority: priority !== undefined,
    priorityName: priority?.name ?? null,
    fields,
    target(value) {
      const host = hostAt < 0 ? undefined : fields(value)[hostAt];
      return host === undefined || host === '.' ? null : host;
    },
    fromAnswer: (data) => fromAnswer(spec.rdata, data),
  };
}

/** The largest value of an unsigned field. */
export function fieldMax(kind: 'priority' | 'uint8' | 'uint16'): number {
  return kind === 'uint8' ? 255 : 65535;
}

/** `"text"` with `"` and `\` escaped: a `string` field in a canonical value. */
export function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, (char) => `\\${char}`)}"`;
}

/**
 * A canonical value's fields: a `string` field is one quoted run (escapes kept), the
 * last field takes the rest of the value, every other field is one word.
 */
function splitFields(fields: readonly RdataField[], value: string): string[] {
  const parts: string[] = [];
  let rest = value;
  for (const [index, field] of fields.entries()) {
    if (index === fields.length - 1) {
      parts.push(rest);
      break;
    }
    const match =
      (field.kind === 'string' ? /^"(?:[^"\\]|\\.)*"/s.exec(rest) : null) ?? /^\S*/.exec(rest);
    const part = match?.[0] ?? '';
    parts.push(part);
    rest = rest.slice(part.length).trimStart();
  }
  return parts;
}

const decoder = new TextDecoder();

/** Text of a dns-packet string field: a string, or octets read as UTF-8. */
function answerText(data: unknown): string | null {
  if (typeof data === 'string') return data;
  return data instanceof Uint8Array ? decoder.decode(data) : null;
}

function fromAnswer(rdata: readonly RdataField[], data: unknown): Result<Rdata> {
  const [only] = rdata;
  const byName =
    rdata.length === 1 && only ? { [only.name]: data } : (data as Record<string, unknown>);
  if (typeof byName !== 'object' || byName === null) return fail('the answer has no fields');
  let priority: number | null = null;
  const parts: string[] = [];
  for (const field of rdata) {
    const raw = byName[field.name];
    switch (field.kind) {
      case 'priority':
      case 'uint8':
      case 'uint16': {
        const max = fieldMax(field.kind);
        if (!Number.isInteger(raw) || (raw as number) < 0 || (raw as number) > max) {
          return fail(`${field.name} is not a number from 0 to ${max}`);
        }
        if (field.kind === 'priority') priority = raw as number;
        else parts.push(String(raw));
        break;
      }
      case 'word':
      case 'host':
      case 'string': {
        const text = answerText(raw);
        if (text === null) return fail(`${field.name} is not text`);
        if (field.kind === 'string') parts.push(quoted(text));
        else parts.push(field.kind === 'host' && text === '' ? '.' : text);
        break;
      }
      case 'text': {
        // Character-strings, joined without separator; their octets together are UTF-8.
        const chunks = (Array.isArray(raw) ? raw : [raw]).map((chunk: unknown) =>
          typeof chunk === 'string' ? Buffer.from(chunk) : chunk,
        );
        if (!chunks.every((chunk) => chunk instanceof Uint8Array)) {
          return fail(`${field.name} is not text`);
        }
        parts.push(decoder.decode(Buffer.concat(chunks)));
        break;
      }
    }
  }
  return ok({ value: parts.join(' '), priority });
}

/** An unsigned integer in [0, max], written in plain decimal. */
export function parseUint(raw: string, max: number): number | null {
  if (!/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= max ? n : null;
}
