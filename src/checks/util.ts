/** Small helpers the checks share. */
import type { DesiredRecord } from '../model.js';

/** `line 12`, for messages that point at a second record. */
export function lineOf(record: DesiredRecord): string {
  return record.pos ? `line ${record.pos.line}` : 'another record';
}

/**
 * The hostname a record points at: CNAME, MX and NS values, the target of an SRV value
 * (`weight port target`); null for other types and for `.` (no service, null MX).
 */
export function targetOf(record: DesiredRecord): string | null {
  let target: string | undefined;
  if (record.type === 'CNAME' || record.type === 'MX' || record.type === 'NS')
    target = record.value;
  else if (record.type === 'SRV') target = record.value.split(' ')[2];
  return target === undefined || target === '.' ? null : target;
}
