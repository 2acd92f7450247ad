/** Offline DMARC checks (RFC 7489): records receivers would discard, and misplaced ones. */
import type { DesiredRecord } from '../model.js';
import { groupBy } from '../model.js';
import { closest } from '../text/suggest.js';
import type { CheckContext, Finding, OfflineCheck } from './types.js';
import { lineOf } from './util.js';

/** A TXT value that is a DMARC record: exactly `v=DMARC1` first, then `;` or the end. */
function isDmarc(value: string): boolean {
  return /^v=DMARC1[ \t]*(;|$)/.test(value);
}

/** Text at `_dmarc` that is clearly meant as DMARC but would not be read as such. */
function looksLikeDmarc(value: string): boolean {
  return /\bv\s*=\s*dmarc/i.test(value) || /(^|;)\s*p\s*=/i.test(value);
}

function atDmarcName(record: DesiredRecord): boolean {
  return record.name === '_dmarc' || record.name.startsWith('_dmarc.');
}

const POLICIES = ['none', 'quarantine', 'reject'];
/** RFC 7489 tags, and those DMARCbis adds (np, psd, t). */
const KNOWN_TAGS = [
  'v',
  'p',
  'sp',
  'np',
  'pct',
  'adkim',
  'aspf',
  'rua',
  'ruf',
  'fo',
  'rf',
  'ri',
  'psd',
  't',
];

/** Why a tag's value is not valid, or null. */
function tagProblem(tag: string, value: string): string | null {
  const oneOf = (allowed: string[]) =>
    allowed.includes(value.toLowerCase()) ? null : `must be one of ${allowed.join(', ')}`;
  switch (tag) {
    case 'p':
    case 'sp':
    case 'np':
      return oneOf(POLICIES);
    case 'adkim':
    case 'aspf':
      return oneOf(['r', 's']);
    case 'pct':
      return /^\d{1,3}$/.test(value) && Number(value) <= 100
        ? null
        : 'must be a whole number 0-100';
    case 'ri':
      return /^\d{1,10}$/.test(value) && Number(value) <= 0xffffffff
        ? null
        : 'must be a number of seconds';
    case 'fo':
      return value
        .split(':')
        .every((option) => ['0', '1', 'd', 's'].includes(option.trim().toLowerCase()))
        ? null
        : 'must be 0, 1, d or s, separated by colons';
    case 'rf':
      return /^[A-Za-z0-9-]+(\s*:\s*[A-Za-z0-9-]+)*$/.test(value)
        ? null
        : 'must be report format names separated by colons';
    case 'rua':
    case 'ruf': {
      const bad = value
        .split(',')
        .map((uri) => uri.trim())
        .find((uri) => !isMailtoUri(uri));
      return bad === undefined
        ? null
        : `"${bad}" is not a mailto: address (mailto:reports@example.com)`;
    }
    case 'psd':
      return oneOf(['y', 'n', 'u']);
    case 't':
      return oneOf(['y', 'n']);
    default:
      return null;
  }
}

/** `mailto:addr@domain`, optionally with a size limit `!10m` (RFC 7489 §6.2). */
function isMailtoUri(uri: string): boolean {
  return /^mailto:[^@\s,;!]+@[^@\s,;!]+\.[^@\s,;!]+(![0-9]+[kmgt]?)?$/i.test(uri);
}

interface ParsedDmarc {
  errors: string[];
  unknownTags: string[];
}

export function parseDmarc(value: string): ParsedDmarc {
  const result: ParsedDmarc = { errors: [], unknownTags: [] };
  const parts = value.split(';').map((part) => part.trim());
  if (parts[parts.length - 1] === '') parts.pop();
  const seen = new Set<string>();
  parts.forEach((part, index) => {
    const match = /^([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*)$/s.exec(part);
    if (!match) {
      result.errors.push(part === '' ? 'an empty tag (";;")' : `"${part}" is not tag=value`);
      return;
    }
    const tag = (match[1] ?? '').toLowerCase();
    const tagValue = (match[2] ?? '').trim();
    if (index === 0) return; // v=DMARC1, checked by the caller
    if (tag === 'v') {
      result.errors.push('"v=" must come first, once');
      return;
    }
    if (seen.has(tag)) result.errors.push(`"${tag}=" appears more than once`);
    seen.add(tag);
    if (!KNOWN_TAGS.includes(tag)) {
      const hint = closest(tag, KNOWN_TAGS);
      result.unknownTags.push(`unknown tag "${tag}="${hint ? ` (did you mean "${hint}="?)` : ''}`);
      return;
    }
    const problem = tagProblem(tag, tagValue);
    if (problem) result.errors.push(`${tag}=${tagValue}: ${problem}`);
  });
  // RFC 7489 wants p= right after v=; receivers accept it anywhere, so only its absence counts.
  if (!seen.has('p'))
    result.errors.push('the required "p=" tag is missing (p=none, quarantine or reject)');
  return result;
}

function dmarcTxt(context: CheckContext): DesiredRecord[] {
  return context.view.zone.records.filter((record) => record.type === 'TXT' && atDmarcName(record));
}

export const DMARC_CHECKS: OfflineCheck[] = [
  {
    id: 'dmarc-syntax',
    severity: 'error',
    description:
      'A `_dmarc` TXT record that is meant as DMARC but is not valid: not starting `v=DMARC1;`, no valid `p=`, bad `sp`/`np`/`pct`/`adkim`/`aspf`/`fo`/`ri`, `rua`/`ruf` not `mailto:` URIs, repeated tags.',
    run(context) {
      const findings: Finding[] = [];
      for (const record of dmarcTxt(context)) {
        if (!isDmarc(record.value)) {
          if (looksLikeDmarc(record.value)) {
            findings.push({
              record,
              message: `DMARC: the record must start exactly "v=DMARC1;" (receivers ignore it otherwise): fix the start`,
            });
          }
          continue;
        }
        for (const error of parseDmarc(record.value).errors) {
          findings.push({ record, message: `DMARC: ${error}; fix the record` });
        }
      }
      return findings;
    },
  },
  {
    id: 'dmarc-unknown-tag',
    severity: 'warning',
    description: 'A DMARC tag receivers do not know: they ignore it, so it is usually a typo.',
    run(context) {
      return dmarcTxt(context)
        .filter((record) => isDmarc(record.value))
        .flatMap((record) =>
          parseDmarc(record.value).unknownTags.map((problem) => ({
            record,
            message: `DMARC: ${problem}; receivers ignore it: correct or remove it`,
          })),
        );
    },
  },
  {
    id: 'dmarc-multiple',
    severity: 'error',
    description:
      'More than one DMARC record at one `_dmarc` name: receivers apply no DMARC policy at all (RFC 7489 §6.6.3).',
    run(context) {
      const findings: Finding[] = [];
      const records = dmarcTxt(context).filter((record) => isDmarc(record.value));
      for (const group of groupBy(records, (record) => record.name).values()) {
        const [first, ...others] = group;
        for (const other of others) {
          findings.push({
            record: other,
            message: `${other.name} has more than one DMARC record (also at ${lineOf(first as DesiredRecord)}); receivers apply none: keep one`,
          });
        }
      }
      return findings;
    },
  },
  {
    id: 'dmarc-misplaced',
    severity: 'warning',
    description:
      'A `v=DMARC1` record at a name without a `_dmarc` label: receivers never look there.',
    run(context) {
      return (
        context.view.zone.records
          // Any name with a _dmarc label is DMARC's own: `example.net._report._dmarc` holds
          // an external reporting authorisation (RFC 7489 §7.1), which is a bare v=DMARC1.
          .filter((record) => record.type === 'TXT' && !record.name.split('.').includes('_dmarc'))
          .filter((record) => isDmarc(record.value))
          .map((record) => ({
            record,
            message: `DMARC: a DMARC record at ${record.name} is never read: put it at ${record.name === '@' ? '_dmarc' : `_dmarc.${record.name}`}`,
          }))
      );
    },
  },
];
