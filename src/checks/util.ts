/** Small helpers the checks share. */
import type { DesiredRecord } from '../model.js';
import { RECORD_TYPE_DEFS } from '../records/index.js';

/** `line 12`, for messages that point at a second record. */
export function lineOf(record: DesiredRecord): string {
  return record.pos ? `line ${record.pos.line}` : 'another record';
}

/** The hostname a record points at (CNAME, MX, NS, SRV targets), or null (none, or `.`). */
export function targetOf(record: DesiredRecord): string | null {
  return RECORD_TYPE_DEFS[record.type].target(record.value);
}
