/** Offline SPF checks (RFC 7208): what makes receivers fail SPF, and likely mistakes. */
import type { DesiredRecord } from '../model.js';
import { groupBy } from '../model.js';
import { hasMacro, isSpf, LOOKUP_TERMS, parseSpf } from './spf-record.js';
import type { CheckContext, Finding, OfflineCheck } from './types.js';
import { lineOf } from './util.js';

/** SPF records of the zone, parsed once per run. */
type Spf = ReturnType<typeof parseSpf>;

function spfRecords({
  view,
}: Pick<CheckContext, 'view'>): Array<{ record: DesiredRecord; spf: Spf }> {
  return view.zone.records
    .filter((record) => record.type === 'TXT' && isSpf(record.value))
    .map((record) => ({ record, spf: parseSpf(record.value) }));
}

/** A finding for each SPF record that `matches`. */
function spfWith(
  context: CheckContext,
  matches: (spf: Spf) => boolean,
  message: string,
): Finding[] {
  return spfRecords(context)
    .filter(({ spf }) => matches(spf))
    .map(({ record }) => ({ record, message }));
}

function has(spf: Spf, kind: 'mechanism' | 'modifier', name: string): boolean {
  return spf.terms.some((term) => term.name === name && term.kind === kind);
}

/** A finding for each of the problems `of` each SPF record has. */
function spfProblems(
  context: CheckContext,
  of: (spf: Spf) => readonly string[],
  message: (problem: string) => string,
): Finding[] {
  return spfRecords(context).flatMap(({ record, spf }) =>
    of(spf).map((problem) => ({ record, message: message(problem) })),
  );
}

export const SPF_CHECKS: OfflineCheck[] = [
  {
    id: 'spf-multiple',
    severity: 'error',
    description:
      'More than one `v=spf1` TXT record at one name: receivers return permerror (RFC 7208 §4.5), so SPF fails for all mail.',
    run(context) {
      const findings: Finding[] = [];
      for (const group of groupBy(spfRecords(context), (entry) => entry.record.name).values()) {
        const [first, ...others] = group;
        for (const other of others) {
          findings.push({
            record: other.record,
            message: `${other.record.name} has more than one SPF record (also at ${lineOf(first?.record as DesiredRecord)}); receivers fail SPF (permerror): merge them into one`,
          });
        }
      }
      return findings;
    },
  },
  {
    id: 'spf-syntax',
    severity: 'error',
    description:
      'An SPF record with an unknown mechanism, a bad qualifier, a malformed domain, address or prefix, or a repeated `redirect=`/`exp=`: receivers return permerror.',
    run: (context) =>
      spfProblems(
        context,
        (spf) => spf.errors,
        (error) => `SPF: ${error}; receivers fail SPF for this record (permerror): fix the term`,
      ),
  },
  {
    id: 'spf-unknown-modifier',
    severity: 'warning',
    description:
      'An SPF modifier other than `redirect=` and `exp=`: receivers ignore it, so it is usually a typo.',
    run: (context) =>
      spfProblems(
        context,
        (spf) => spf.unknownModifiers,
        (problem) => `SPF: ${problem}; receivers ignore it: correct or remove it`,
      ),
  },
  {
    id: 'spf-all-not-last',
    severity: 'warning',
    description:
      'Mechanisms after `all` in an SPF record: they are never evaluated (RFC 7208 §5.1).',
    run(context) {
      const findings: Finding[] = [];
      for (const { record, spf } of spfRecords(context)) {
        const mechanisms = spf.terms.filter((term) => term.kind === 'mechanism');
        const all = mechanisms.findIndex((term) => term.name === 'all');
        const after = all < 0 ? [] : mechanisms.slice(all + 1);
        if (after.length > 0) {
          findings.push({
            record,
            message: `SPF: ${after.map((term) => `"${term.text}"`).join(', ')} after "${mechanisms[all]?.text}" ${after.length === 1 ? 'is' : 'are'} never evaluated: move "all" to the end`,
          });
        }
      }
      return findings;
    },
  },
  {
    id: 'spf-redirect-with-all',
    severity: 'warning',
    description:
      'An SPF record with both `all` and `redirect=`: the redirect is ignored (RFC 7208 §6.1).',
    run: (context) =>
      spfWith(
        context,
        (spf) => has(spf, 'mechanism', 'all') && has(spf, 'modifier', 'redirect'),
        'SPF: "redirect=" is ignored because the record has "all": remove one of them',
      ),
  },
  {
    id: 'spf-ptr',
    severity: 'warning',
    description:
      'The `ptr` mechanism: deprecated (RFC 7208 §5.5), slow, and ignored by some receivers.',
    run: (context) =>
      spfWith(
        context,
        (spf) => has(spf, 'mechanism', 'ptr'),
        'SPF: "ptr" is deprecated (RFC 7208 §5.5): list the senders with ip4:, ip6: or a: instead',
      ),
  },
  {
    id: 'spf-lookups',
    severity: 'error',
    description:
      'More than 10 DNS-lookup terms (`include`, `a`, `mx`, `ptr`, `exists`, `redirect`) in one SPF record: permerror before any of them is followed (RFC 7208 §4.6.4).',
    run: (context) =>
      spfRecords(context).flatMap(({ record, spf }) => {
        const count = spf.terms.filter((term) => LOOKUP_TERMS.has(term.name)).length;
        const message = `SPF: ${count} terms that need DNS lookups (at most 10); receivers fail SPF (permerror): flatten some into ip4:/ip6:`;
        return count > 10 ? [{ record, message }] : [];
      }),
  },
  {
    id: 'spf-include-no-spf',
    severity: 'error',
    description:
      '`include:` or `redirect=` naming a name in the same zone that has no SPF record: permerror (RFC 7208 §5.2, §6.1). Skipped where ignore rules or `purge: false` leave that name to others.',
    run({ view }) {
      const findings: Finding[] = [];
      for (const { record, spf } of spfRecords({ view })) {
        for (const term of spf.terms) {
          if (term.name !== 'include' && term.name !== 'redirect') continue;
          if (term.domain === null || hasMacro(term.domain)) continue;
          const name = view.relative(term.domain);
          if (name === null || view.delegationOf(name) !== null || !view.knowsAll(name, 'TXT'))
            continue;
          const answer = view.answer(name) ?? [];
          if (answer.some((other) => other.type === 'TXT' && isSpf(other.value))) continue;
          findings.push({
            record,
            message: `SPF: "${term.text}" names ${view.absolute(name)}, which has no SPF record in this zone; receivers fail SPF (permerror): add one there or remove the ${term.name}`,
          });
        }
      }
      return findings;
    },
  },
];
