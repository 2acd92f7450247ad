/**
 * Counts what evaluating an SPF record costs a receiver (RFC 7208 §4.6.4): every term
 * that needs a DNS lookup, through every `include:` and `redirect=`, and the lookups
 * that find nothing ("void" lookups). Counted for all terms, as if each were reached:
 * a receiver that stops early counts fewer, but the record must work for every sender.
 */
import { hasMacro, isSpf, LOOKUP_TERMS, parseSpf } from '../spf-record.js';
import type { Lookup } from './lookup.js';

export const LOOKUP_LIMIT = 10;
export const VOID_LIMIT = 2;
/** Stop following once this many lookups were counted: far past the limit, and bounded. */
const FOLLOW_CAP = 30;

export interface SpfCost {
  lookups: number;
  /** Lookups that found nothing, as `name (what)`. */
  voids: string[];
  /** Includes or redirects whose target has no usable SPF record. */
  unresolved: Array<{ target: string; message: string }>;
  /** Lookups that got no answer at all (the counts may then be too low). */
  failed: string[];
}

/** The cost of evaluating `record`, the SPF record published at `domain`. */
export async function spfCost(domain: string, record: string, lookup: Lookup): Promise<SpfCost> {
  const cost: SpfCost = { lookups: 0, voids: [], unresolved: [], failed: [] };
  await walk(domain, record, lookup, cost, 0);
  return cost;
}

async function walk(
  domain: string,
  record: string,
  lookup: Lookup,
  cost: SpfCost,
  depth: number,
): Promise<void> {
  const spf = parseSpf(record);
  const hasAll = spf.terms.some((term) => term.kind === 'mechanism' && term.name === 'all');
  for (const term of spf.terms) {
    if (!LOOKUP_TERMS.has(term.name)) continue;
    if (term.kind === 'modifier' && (term.name !== 'redirect' || hasAll)) continue;
    cost.lookups++;
    if (cost.lookups > FOLLOW_CAP) return;
    const target = (term.domain ?? domain).toLowerCase().replace(/\.$/, '');
    if (hasMacro(target) || term.name === 'ptr') continue;
    switch (term.name) {
      case 'include':
      case 'redirect':
        await follow(target, term.text, lookup, cost, depth);
        break;
      case 'a': {
        const [v4, v6] = await Promise.all([
          lookup.query(target, 'A'),
          lookup.query(target, 'AAAA'),
        ]);
        if (v4.status === 'error' || v6.status === 'error') cost.failed.push(`${target} A/AAAA`);
        else if (v4.status !== 'ok' && v6.status !== 'ok')
          cost.voids.push(`${target} (${term.text})`);
        break;
      }
      case 'mx':
      case 'exists': {
        const answer = await lookup.query(target, term.name === 'mx' ? 'MX' : 'A');
        if (answer.status === 'error')
          cost.failed.push(`${target} ${term.name === 'mx' ? 'MX' : 'A'}`);
        else if (answer.status !== 'ok') cost.voids.push(`${target} (${term.text})`);
        break;
      }
    }
  }
}

async function follow(
  target: string,
  text: string,
  lookup: Lookup,
  cost: SpfCost,
  depth: number,
): Promise<void> {
  const answer = await lookup.query(target, 'TXT');
  if (answer.status === 'error') {
    cost.failed.push(`${target} TXT`);
    return;
  }
  if (answer.status !== 'ok') {
    cost.voids.push(`${target} (${text})`);
    const why = answer.status === 'nxdomain' ? 'does not exist' : 'has no TXT record';
    cost.unresolved.push({ target, message: `"${text}": ${target} ${why}` });
    return;
  }
  const records = answer.values.filter(isSpf);
  if (records.length !== 1) {
    const what = records.length === 0 ? 'no SPF record' : `${records.length} SPF records`;
    cost.unresolved.push({ target, message: `"${text}": ${target} has ${what}` });
    return;
  }
  // An include loop would go on forever; the cap ends it well past the limit.
  if (depth < 20) await walk(target, records[0] as string, lookup, cost, depth + 1);
}
