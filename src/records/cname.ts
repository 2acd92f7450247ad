import { canonicalHostname } from './names.js';
import { invalid, type RecordTypeDef, valid } from './type.js';

export const CNAME = {
  type: 'CNAME',
  hasPriority: false,
  example: 'target.example.com',
  parse(raw) {
    const host = canonicalHostname(raw, false);
    return host.ok ? valid(host.value) : invalid(host.reason);
  },
} as const satisfies RecordTypeDef;
