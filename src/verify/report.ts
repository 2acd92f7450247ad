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
  }
}

const RANK = { error: 0, missing: 1, differs: 2, match: 3 } as const;

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
  const results = allResults(reports);
  out.push(summary(tally(results), results, paint));
  return `${out.join('\n')}\n`;
}

function serverCounts(counts: Tally): string {
  const sets = plural(counts.checks, 'record set');
  if (counts.unchecked === 0) return `${counts.matched} of ${sets} match`;
  if (counts.unchecked === counts.checks) return `none of ${sets} could be checked`;
  return `${counts.matched} of ${sets} match, ${counts.unchecked} could not be checked`;
}

/** The last line: whether everything matches, what does not, and what was never compared. */
function summary(counts: Tally, results: readonly SetResult[], paint: Paint): string {
  const checks = plural(counts.checks, 'check');
  if (counts.matched === counts.checks) {
    return paint('green', `✓ every record set matches (${checks})`);
  }
  if (counts.matched + counts.mismatched === 0) {
    const reasons = [
      ...new Set(results.flatMap((r) => (r.verdict.kind === 'error' ? [r.verdict.message] : []))),
    ];
    const shown = reasons.slice(0, 3).map(forTerminal).join('; ');
    const more = reasons.length > 3 ? `; ${reasons.length - 3} more reasons` : '';
    return paint(
      'red',
      `✗ nothing was compared: none of ${checks} could be made (${shown}${more})`,
    );
  }
  if (counts.mismatched === 0) {
    return paint(
      'red',
      `✗ ${counts.unchecked} of ${checks} could not be made; the other ${counts.matched} match`,
    );
  }
  const unchecked = counts.unchecked > 0 ? `, ${counts.unchecked} could not be made` : '';
  return paint('red', `✗ ${counts.mismatched} of ${checks} do not match${unchecked}`);
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
