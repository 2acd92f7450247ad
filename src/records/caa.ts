import { fail, ok } from '../result.js';
import { closest } from '../text/suggest.js';
import { defineType, parseUint } from './type.js';

/**
 * Property tags CAs act on: RFC 8659 (issue, issuewild, iodef), RFC 9495 (issuemail),
 * and the CA/Browser Forum's (issuevmc, contactemail, contactphone). Other tags are
 * valid values; the caa-unknown-tag check (src/checks/caa.ts) reports them.
 */
export const CAA_TAGS = [
  'issue',
  'issuewild',
  'iodef',
  'issuemail',
  'issuevmc',
  'contactemail',
  'contactphone',
];

/** `flags tag "value"` (RFC 8659); the value may be written with or without quotes. */
export const CAA = defineType({
  type: 'CAA',
  value: '`flags tag "value"` (quotes optional; the DNS checks warn of tags CAs do not know)',
  canonical: '`0 issue "letsencrypt.org"`',
  example: '0 issue "letsencrypt.org"',
  rdata: [
    { name: 'flags', kind: 'uint8', octodnsDefault: 0 },
    { name: 'tag', kind: 'word' },
    { name: 'value', kind: 'string' },
  ],
  parse(raw) {
    const match = /^\s*(\S+)\s+(\S+)\s+(.*?)\s*$/s.exec(raw) ?? /^\s*(\S+)\s+(\S+)()\s*$/.exec(raw);
    if (!match) return fail(`"${raw}" is not "flags tag value" (e.g. 0 issue "letsencrypt.org")`);
    const [, flagsText = '', tagText = '', valueText = ''] = match;
    const flags = parseUint(flagsText, 255);
    if (flags === null) {
      const missing = closest(flagsText, CAA_TAGS)
        ? ` (a CAA value starts with its flags: 0 ${raw.trim()})`
        : '';
      return fail(`CAA flags "${flagsText}" must be 0-255${missing}`);
    }
    if (!/^[A-Za-z0-9]{1,15}$/.test(tagText)) {
      const hint = closest(tagText.replace(/[^A-Za-z0-9]/g, ''), CAA_TAGS);
      return fail(
        `CAA tag "${tagText}" must be 1-15 letters or digits${hint ? ` (did you mean "${hint}"?)` : ''}`,
      );
    }
    const tag = tagText.toLowerCase();
    let inner = valueText;
    if (inner.length >= 2 && inner.startsWith('"') && inner.endsWith('"'))
      inner = inner.slice(1, -1);
    else if (inner.startsWith('"') || inner.endsWith('"')) {
      return fail(`CAA value ${valueText} has a quote at one end only`);
    }
    if (/(^|[^\\])"/.test(inner)) {
      return fail(`CAA value ${valueText} has an unescaped quote inside it`);
    }
    return ok(`${flags} ${tag} "${inner}"`);
  },
});
