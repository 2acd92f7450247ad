import { canonicalHostname } from './names.js';
import { invalid, type RecordTypeDef, valid } from './type.js';

export const NS = {
  type: 'NS',
  hasPriority: false,
  example: 'ns1.example.net',
  parse(raw) {
    const host = canonicalHostname(raw, false);
    return host.ok ? valid(host.value) : invalid(host.reason);
  },
} as const satisfies RecordTypeDef;
