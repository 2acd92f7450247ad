import { fail, ok } from '../result.js';
import { defineType } from './type.js';

/** TXT values are kept verbatim: no quoting, no chunking (export splits into 255-octet strings). */
export const TXT = defineType({
  type: 'TXT',
  value: 'any non-empty text, no quotes needed, long values allowed',
  canonical: 'verbatim (quotes you write are part of the text, with a warning)',
  example: 'v=spf1 -all',
  rdata: [{ name: 'text', kind: 'text' }],
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
});
