/** Offline SPF checks (RFC 7208): what makes receivers fail SPF, and likely mistakes. */
import type { DesiredRecord } from '../model.js';
import { hasMacro, isSpf, LOOKUP_TERMS, parseSpf } from './spf-record.js';
import type { CheckContext, Finding, OfflineCheck } from './types.js';
import { groupBy, lineOf } from './util.js';

/** SPF records of the zone, parsed once per run. */
function spfRecords(
  context: CheckContext,
): Array<{ record: DesiredRecord; spf: ReturnType<typeof parseSpf> }> {
  return context.view.zone.records
    .filter((record) => record.type === 'TXT' && isSpf(record.value))
    .map((record) => ({ record, spf: parseSpf(record.value) }));
}

export const SPF_CHECKS: OfflineCheck[] = [
  {
    id: 'spf-multiple',
    severity: 'error',
    online: false,
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
    online: false,
    description:
      'An SPF record with an unknown mechanism, a bad qualifier, a malformed domain, address or prefix, or a repeated `redirect=`/`exp=`: receivers return permerror.',
    run(context) {
      return spfRecords(context).flatMap(({ record, spf }) =>
        spf.errors.map((error) => ({
          record,
          message: `SPF: ${error}; receivers fail SPF for this record (permerror): fix the term`,
        })),
      );
    },
  },
  {
    id: 'spf-unknown-modifier',
    severity: 'warning',
    online: false,
    description:
      'An SPF modifier other than `redirect=` and `exp=`: receivers ignore it, so it is usually a typo.',
    run(context) {
      return spfRecords(context).flatMap(({ record, spf }) =>
        spf.unknownModifiers.map((problem) => ({
          record,
          message: `SPF: ${problem}; receivers ignore it: correct or remove it`,
        })),
      );
    },
  },
  {
    id: 'spf-all-not-last',
    severity: 'warning',
    online: false,
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
    online: false,
    description:
      'An SPF record with both `all` and `redirect=`: the redirect is ignored (RFC 7208 §6.1).',
    run(context) {
      return spfRecords(context)
        .filter(({ spf }) =>
          spf.terms.some((term) => term.name === 'all' && term.kind === 'mechanism'),
        )
        .filter(({ spf }) =>
          spf.terms.some((term) => term.name === 'redirect' && term.kind === 'modifier'),
        )
        .map(({ record }) => ({
          record,
          message: 'SPF: "redirect=" is ignored because the record has "all": remove one of them',
        }));
    },
  },
  {
    id: 'spf-ptr',
    severity: 'warning',
    online: false,
    description:
      'The `ptr` mechanism: deprecated (RFC 7208 §5.5), slow, and ignored by some receivers.',
    run(context) {
      return spfRecords(context)
        .filter(({ spf }) =>
          spf.terms.some((term) => term.name === 'ptr' && term.kind === 'mechanism'),
        )
        .map(({ record }) => ({
          record,
          message:
            'SPF: "ptr" is deprecated (RFC 7208 §5.5): list the senders with ip4:, ip6: or a: instead',
        }));
    },
  },
  {
    id: 'spf-lookups',
    severity: 'error',
    online: false,
    description:
      'More than 10 DNS-lookup terms (`include`, `a`, `mx`, `ptr`, `exists`, `redirect`) in one SPF record: permerror before any of them is followed (RFC 7208 §4.6.4).',
    run(context) {
      const findings: Finding[] = [];
      for (const { record, spf } of spfRecords(context)) {
        const count = spf.terms.filter((term) => LOOKUP_TERMS.has(term.name)).length;
        if (count > 10) {
          findings.push({
            record,
            message: `SPF: ${count} terms that need DNS lookups (at most 10); receivers fail SPF (permerror): flatten some into ip4:/ip6:`,
          });
        }
      }
      return findings;
    },
  },
  {
    id: 'spf-include-no-spf',
    severity: 'error',
    online: false,
    description:
      '`include:` or `redirect=` naming a name in the same zone that has no SPF record: permerror (RFC 7208 §5.2, §6.1). Skipped where ignore rules or `purge: false` leave that name to others.',
    run(context) {
      const { view } = context;
      const findings: Finding[] = [];
      for (const { record, spf } of spfRecords(context)) {
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
