import { fail, ok, type RecordType, type Result } from '../model.js';

/** The canonical value, or why there is none; a valid value may come with warnings. */
export type ValueResult = Result<string> & { warnings?: string[] };

/** Everything dnssync knows about one record type; one module per type, one table in index.ts. */
export interface RecordTypeDef {
  type: RecordType;
  /** MX and SRV carry a priority (0-65535); every other type must not. */
  hasPriority: boolean;
  /** What a value looks like, for messages. */
  example: string;
  /** The canonical value (docs/design.md, "Canonical forms"), or why `raw` is not a valid value. */
  parse(raw: string): ValueResult;
}

/** An unsigned integer in [0, max], written in plain decimal. */
export function parseUint(raw: string, max: number): number | null {
  if (!/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= max ? n : null;
}

/** A type whose value is an address: `canonical` gives its canonical form, or null. */
export function addressType<T extends 'A' | 'AAAA'>(
  type: T,
  example: string,
  canonical: (raw: string) => string | null,
  what: string,
) {
  return {
    type,
    hasPriority: false,
    example,
    parse(raw: string) {
      const ip = canonical(raw);
      return ip === null ? fail(`"${raw}" is not ${what}`) : ok(ip);
    },
  } satisfies RecordTypeDef;
}
