import { canonicalHostname } from './names.js';
import type { RecordTypeDef } from './type.js';

/** A type whose value is one hostname; `allowRoot` also takes `.` (a null MX, RFC 7505). */
function hostnameType<T extends 'CNAME' | 'MX' | 'NS'>(
  type: T,
  hasPriority: boolean,
  example: string,
  allowRoot: boolean,
) {
  return {
    type,
    hasPriority,
    example,
    parse: (raw: string) => canonicalHostname(raw, allowRoot),
  } satisfies RecordTypeDef;
}

export const CNAME = hostnameType('CNAME', false, 'target.example.com', false);
/** A mail exchanger hostname, or `.` for a null MX. */
export const MX = hostnameType('MX', true, 'mail.example.com', true);
export const NS = hostnameType('NS', false, 'ns1.example.net', false);
