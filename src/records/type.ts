import type { RecordType } from '../model.js';

export type ValueResult =
  | { ok: true; value: string; warnings: string[] }
  | { ok: false; reason: string };

/** Everything dnssync knows about one record type; one module per type, one table in index.ts. */
export interface RecordTypeDef {
  type: RecordType;
  /** MX and SRV carry a priority (0-65535); every other type must not. */
  hasPriority: boolean;
  /** What a value looks like, for messages. */
  example: string;
  /** The canonical value of SPEC §2, or why `raw` is not a valid value. */
  parse(raw: string): ValueResult;
}

export function valid(value: string, warnings: string[] = []): ValueResult {
  return { ok: true, value, warnings };
}

export function invalid(reason: string): ValueResult {
  return { ok: false, reason };
}

/** An unsigned integer in [0, max], written in plain decimal. */
export function parseUint(raw: string, max: number): number | null {
  if (!/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= max ? n : null;
}
