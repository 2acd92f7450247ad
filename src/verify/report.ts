/**
 * Text output of `dnssync verify`: per zone and nameserver, what matches and what does not.
 * DNS answers are anyone's text: every name, value and message is shown with forTerminal.
 */
import { forTerminal, type Paint, plural } from '../text/terminal.js';
import { type SetResult, showValue } from './compare.js';
import { allResults, type Tally, tally, type ZoneReport } from './run.js';

function setLabel(result: SetResult): string {
  return forTerminal(`${result.set.name} ${result.set.type}`);
}

function values(list: readonly string[]): string {
  return list.map(forTerminal).join(', ');
}

function line(result: SetResult, paint: Paint): string {
  const label = setLabel(result);
  const verdict = result.verdict;
  switch (verdict.kind) {
    case 'match': {
      const ttl = verdict.ttlChecked ? `, TTL ${result.set.ttl}` : '';
      return `  ${paint('green', '✓')} ${label}: ${values(result.set.values.map(showValue))}${ttl}`;
    }
    case 'missing':
      return `  ${paint('red', '✗')} ${label}: missing (${forTerminal(verdict.why)}); expected ${values(result.set.values.map(showValue))}`;
    case 'differs': {
      const parts: string[] = [];
      if (verdict.missingValues.length > 0) parts.push(`missing ${values(verdict.missingValues)}`);
      if (verdict.extraValues.length > 0) parts.push(`unexpected ${values(verdict.extraValues)}`);
      if (verdict.ttl) parts.push(`TTL ${verdict.ttl.actual}, expected ${verdict.ttl.expected}`);
      return `  ${paint('red', '✗')} ${label}: differs: ${parts.join('; ')}`;
    }
    case 'error':
      return `  ${paint('yellow', '?')} ${label}: could not check: ${forTerminal(verdict.message)}`;
    case 'not-served':
      return `  ${paint('dim', '-')} ${label}: not served: ${result.set.fqdn === verdict.cut ? 'at' : 'below'} the delegation of ${forTerminal(verdict.cut)}, where servers answer with a referral carrying only its NS records and glue (not asked; not a failure)`;
  }
}

const RANK = { error: 0, missing: 1, differs: 2, 'not-served': 3, match: 4 } as const;

export function renderReports(reports: readonly ZoneReport[], paint: Paint): string {
  const out: string[] = [];
  for (const zone of reports) {
    for (const server of zone.servers) {
      const results = [...server.results].sort(
        (a, b) => RANK[a.verdict.kind] - RANK[b.verdict.kind],
      );
      const where = `${paint('bold', forTerminal(zone.domain))} at ${forTerminal(server.server)}`;
      out.push(`${where}: ${serverCounts(tally(results))}`);
      for (const result of results) out.push(line(result, paint));
    }
  }
  out.push(summary(reports, paint));
  return `${out.join('\n')}\n`;
}

function serverCounts(counts: Tally): string {
  const sets = plural(counts.checks, 'record set');
  const hidden = counts.notServed > 0 ? `; ${counts.notServed} not served` : '';
  if (counts.unchecked === 0) return `${counts.matched} of ${sets} match${hidden}`;
  if (counts.unchecked === counts.checks) return `none of ${sets} could be checked${hidden}`;
  return `${counts.matched} of ${sets} match, ${counts.unchecked} could not be checked${hidden}`;
}

/** Why checks could not be made, each with the nameserver it was asked of: `(a; b; c; 2 more reasons)`. */
function reasons(reports: readonly ZoneReport[]): string {
  const all = new Set<string>();
  for (const zone of reports) {
    for (const server of zone.servers) {
      for (const { verdict } of server.results) {
        if (verdict.kind === 'error') all.add(`${server.server}: ${verdict.message}`);
      }
    }
  }
  const list = [...all];
  const more = list.length > 3 ? `; ${list.length - 3} more reasons` : '';
  return ` (${list.slice(0, 3).map(forTerminal).join('; ')}${more})`;
}

/**
 * The last line: whether everything matches, what does not, and what was never compared;
 * record sets below a delegation that no server serves are counted apart (README, "verify").
 */
function summary(reports: readonly ZoneReport[], paint: Paint): string {
  const counts = tally(allResults(reports));
  const checks = plural(counts.checks, 'check');
  const notServed =
    counts.notServed > 0
      ? `; ${plural(counts.notServed, 'record set')} below a delegation ${counts.notServed === 1 ? 'is' : 'are'} not served and not asked`
      : '';
  if (counts.matched === counts.checks) {
    return paint('green', `✓ every record set matches (${checks})${notServed}`);
  }
  if (counts.matched + counts.mismatched === 0) {
    return paint(
      'red',
      `✗ nothing was compared: none of ${checks} could be made${reasons(reports)}${notServed}`,
    );
  }
  if (counts.mismatched === 0) {
    return paint(
      'red',
      `✗ ${counts.unchecked} of ${checks} could not be made${reasons(reports)}; the other ${counts.matched} match${notServed}`,
    );
  }
  const unchecked =
    counts.unchecked > 0 ? `, ${counts.unchecked} could not be made${reasons(reports)}` : '';
  return paint('red', `✗ ${counts.mismatched} of ${checks} do not match${unchecked}${notServed}`);
}

/** One line for stderr between --wait rounds. */
export function retryLine(reports: readonly ZoneReport[], remainingMs: number): string {
  const counts = tally(allResults(reports));
  const parts: string[] = [];
  if (counts.mismatched > 0) parts.push(`${plural(counts.mismatched, 'check')} not matching yet`);
  if (counts.unchecked > 0) {
    parts.push(`${plural(counts.unchecked, 'check')} could not be made`);
  }
  return `dnssync: ${parts.join(', ')}; trying again (${Math.ceil(remainingMs / 1000)} s left)\n`;
}
