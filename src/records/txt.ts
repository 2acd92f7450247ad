import { fail, ok } from '../model.js';
import type { RecordTypeDef } from './type.js';

/** TXT values are kept verbatim: no quoting, no chunking (export splits into 255-octet strings). */
export const TXT = {
  type: 'TXT',
  hasPriority: false,
  example: 'v=spf1 -all',
  parse(raw) {
    if (raw === '') return fail('a TXT value must not be empty');
    if (raw.trim() === '') return fail('a TXT value must hold more than spaces');
    if (raw.length > 1 && raw.startsWith('"') && raw.endsWith('"')) {
      const warning =
        'the surrounding quotes become part of the TXT value; dnssync needs no quotes';
      return { ...ok(raw), warnings: [warning] };
    }
    return ok(raw);
  },
} as const satisfies RecordTypeDef;
