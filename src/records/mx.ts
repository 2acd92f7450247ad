import { canonicalHostname } from './names.js';
import { invalid, type RecordTypeDef, valid } from './type.js';

/** A mail exchanger hostname, or `.` for a null MX (RFC 7505). */
export const MX = {
  type: 'MX',
  hasPriority: true,
  example: 'mail.example.com',
  parse(raw) {
    const host = canonicalHostname(raw, true);
    return host.ok ? valid(host.value) : invalid(host.reason);
  },
} as const satisfies RecordTypeDef;
