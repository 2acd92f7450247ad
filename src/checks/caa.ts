/** Offline CAA checks (RFC 8659): flags, tags and values a CA would not read as meant. */
import type { DesiredRecord } from '../model.js';
import { CAA_TAGS } from '../records/index.js';
import { closest } from '../text/suggest.js';
import type { CheckContext, OfflineCheck } from './types.js';

interface Caa {
  record: DesiredRecord;
  flags: number;
  tag: string;
  value: string;
}

/** CAA records of the zone, read from their canonical form `flags tag "value"`. */
function caaRecords(context: CheckContext): Caa[] {
  const found: Caa[] = [];
  for (const record of context.view.zone.records) {
    if (record.type !== 'CAA') continue;
    const match = /^(\d+) (\S+) "(.*)"$/s.exec(record.value);
    if (match)
      found.push({ record, flags: Number(match[1]), tag: match[2] ?? '', value: match[3] ?? '' });
  }
  return found;
}

const LABEL = /^[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*$/;
const PARAMETER = /^[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*[ \t]*=[ \t]*[\x21-\x3a\x3c-\x7e]*$/;

/** Why an issue/issuewild value is not `[domain] [; key=value; ...]` (RFC 8659 §4.2), or null. */
export function issueValueProblem(value: string): string | null {
  const semicolon = value.indexOf(';');
  const domain = (semicolon < 0 ? value : value.slice(0, semicolon)).trim();
  if (domain !== '' && !domain.split('.').every((label) => LABEL.test(label))) {
    return `"${domain}" is not a CA's domain name (e.g. letsencrypt.org; ";" alone forbids issuance)`;
  }
  if (semicolon < 0) return null;
  const parameters = value.slice(semicolon + 1).trim();
  if (parameters === '') return null;
  const bad = parameters
    .split(';')
    .map((p) => p.trim())
    .find((p) => !PARAMETER.test(p));
  return bad === undefined ? null : `"${bad}" is not a key=value parameter`;
}

export const CAA_CHECKS: OfflineCheck[] = [
  {
    id: 'caa-flags',
    severity: 'warning',
    description: 'CAA flags other than 0 or 128 (issuer critical): the other bits are reserved.',
    run(context) {
      return caaRecords(context)
        .filter((caa) => caa.flags !== 0 && caa.flags !== 128)
        .map(({ record, flags }) => ({
          record,
          message: `CAA flags ${flags}: only 0 and 128 (critical) are defined: use 0`,
        }));
    },
  },
  {
    id: 'caa-unknown-tag',
    severity: 'warning',
    description: `A CAA tag other than ${CAA_TAGS.join(', ')}: CAs ignore it (unless flagged critical, when they refuse to issue).`,
    run(context) {
      return caaRecords(context)
        .filter((caa) => !CAA_TAGS.includes(caa.tag))
        .map(({ record, tag }) => {
          const hint = closest(tag, CAA_TAGS);
          return {
            record,
            message: `CAA tag "${tag}" is not one CAs know${hint ? ` (did you mean "${hint}"?)` : ''}; they ignore it: fix the tag`,
          };
        });
    },
  },
  {
    id: 'caa-issue-value',
    severity: 'error',
    description:
      'A CAA `issue`/`issuewild` value that is not a CA domain (or `;`) with optional `key=value` parameters: CAs treat it as forbidding issuance (RFC 8659 §4.2).',
    run(context) {
      const findings = [];
      for (const { record, tag, value } of caaRecords(context)) {
        if (tag !== 'issue' && tag !== 'issuewild') continue;
        const problem = issueValueProblem(value);
        if (problem)
          findings.push({
            record,
            message: `CAA ${tag}: ${problem}; no CA can issue under it: fix the value`,
          });
      }
      return findings;
    },
  },
  {
    id: 'caa-iodef',
    severity: 'warning',
    description:
      'A CAA `iodef` value that is not a `mailto:`, `http:` or `https:` URL: CAs cannot report to it.',
    run(context) {
      return caaRecords(context)
        .filter(
          ({ tag, value }) =>
            tag === 'iodef' && !/^(mailto:[^@\s]+@[^@\s]+|https?:\/\/\S+)$/i.test(value),
        )
        .map(({ record, value }) => ({
          record,
          message: `CAA iodef "${value}" is not a mailto: or http(s): URL: write e.g. mailto:security@example.com`,
        }));
    },
  },
];
