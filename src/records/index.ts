/**
 * The table of the record types dnssync manages: the one home of what dnssync knows about
 * each type (docs/design.md, "Canonical forms"). RECORD_TYPES, the schemas' type lists
 * (scripts/gen-schemas.mjs) and every message that lists the types follow from it.
 */
import { A, AAAA } from './address.js';
import { CAA } from './caa.js';
import { CNAME, MX, NS } from './hostname.js';
import { SRV } from './srv.js';
import { TXT } from './txt.js';
import type { RecordTypeDef, ValueResult } from './type.js';

/** In the order zone files and messages list them. */
export const RECORD_TYPE_DEFS = {
  A,
  AAAA,
  CNAME,
  MX,
  TXT,
  NS,
  SRV,
  CAA,
} as const satisfies Record<string, RecordTypeDef>;

export type RecordType = keyof typeof RECORD_TYPE_DEFS;

export const RECORD_TYPES = Object.keys(RECORD_TYPE_DEFS) as readonly RecordType[];

export function isRecordType(value: string): value is RecordType {
  return Object.hasOwn(RECORD_TYPE_DEFS, value);
}

export function typeDef(type: string): RecordTypeDef | undefined {
  return isRecordType(type) ? RECORD_TYPE_DEFS[type] : undefined;
}

/** The canonical value of `raw` for a managed type. */
export function canonicalValue(type: RecordType, raw: string): ValueResult {
  return RECORD_TYPE_DEFS[type].parse(raw);
}

/** Why a record of `type` is left alone: `PTR is not one of the 8 types dnssync manages`. */
export function notManaged(type: string): string {
  return `${type} is not one of the ${RECORD_TYPES.length} types dnssync manages`;
}

export { CAA_TAGS } from './caa.js';
export { canonicalDomain, canonicalHostname, canonicalName, globToRegExp } from './names.js';
export type {
  FieldKind,
  NameProblem,
  Rdata,
  RecordTypeDef,
  ValueResult,
} from './type.js';
export { fieldMax, quoted } from './type.js';
