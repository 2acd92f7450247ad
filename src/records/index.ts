/** The table of the eight record types dnssync manages (SPEC §2). */
import { isRecordType, type RecordType } from '../model.js';
import { A } from './a.js';
import { AAAA } from './aaaa.js';
import { CAA } from './caa.js';
import { CNAME } from './cname.js';
import { MX } from './mx.js';
import { NS } from './ns.js';
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

export type { Parsed } from './names.js';
export { canonicalDomain, canonicalHostname, canonicalName, globToRegExp } from './names.js';
export type { RecordTypeDef, ValueResult } from './type.js';

/** The canonical value of `raw` for a managed type (SPEC §2). */
export function canonicalValue(type: RecordType, raw: string): ValueResult {
  return RECORD_TYPE_DEFS[type].parse(raw);
}

export function typeDef(type: string): RecordTypeDef | undefined {
  return isRecordType(type) ? RECORD_TYPE_DEFS[type] : undefined;
}
