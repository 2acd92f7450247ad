/** The table of the eight record types dnssync manages (docs/design.md, "Canonical forms"). */
import { isRecordType, type RecordType } from '../model.js';
import { A } from './a.js';
import { AAAA } from './aaaa.js';
import { CAA } from './caa.js';
import { CNAME, MX, NS } from './hostname.js';
import { SRV } from './srv.js';
import { TXT } from './txt.js';
import type { RecordTypeDef, ValueResult } from './type.js';

export const RECORD_TYPE_DEFS = {
  A,
  AAAA,
  CNAME,
  MX,
  TXT,
  NS,
  SRV,
  CAA,
} as const satisfies Record<RecordType, RecordTypeDef>;

export { canonicalDomain, canonicalHostname, canonicalName, globToRegExp } from './names.js';
export type { RecordTypeDef, ValueResult } from './type.js';

/** The canonical value of `raw` for a managed type. */
export function canonicalValue(type: RecordType, raw: string): ValueResult {
  return RECORD_TYPE_DEFS[type].parse(raw);
}

export function typeDef(type: string): RecordTypeDef | undefined {
  return isRecordType(type) ? RECORD_TYPE_DEFS[type] : undefined;
}
