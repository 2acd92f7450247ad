import { invalid, type RecordTypeDef, valid } from './type.js';

/** TXT values are kept verbatim: no quoting, no chunking (export splits into 255-octet strings). */
export const TXT = {
  type: 'TXT',
  hasPriority: false,
  example: 'v=spf1 -all',
  parse(raw) {
    if (raw === '') return invalid('a TXT value must not be empty');
    if (raw.trim() === '') return invalid('a TXT value must hold more than spaces');
    const warnings =
      raw.length > 1 && raw.startsWith('"') && raw.endsWith('"')
        ? ['the surrounding quotes become part of the TXT value; dnssync needs no quotes']
        : [];
    return valid(raw, warnings);
  },
} as const satisfies RecordTypeDef;
