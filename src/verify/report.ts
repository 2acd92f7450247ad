/**
 * Text output of `dnssync verify`: per zone and nameserver, what matches and what does not.
 * DNS answers are anyone's text: every name, value and message is shown with forTerminal.
 */
import { forTerminal, type Paint, plural } from '../text/terminal.js';
import { type SetResult, showValue } from './compare.js';
import { allMatch, type ZoneReport } from './run.js';

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
  let sets = 0;
  let bad = 0;
  for (const zone of reports) {
    for (const server of zone.servers) {
      const results = [...server.results].sort(
        (a, b) => RANK[a.verdict.kind] - RANK[b.verdict.kind],
      );
      const matching = results.filter((r) => r.verdict.kind === 'match').length;
      sets += results.length;
      bad += results.length - matching;
      out.push(
        `${paint('bold', forTerminal(zone.domain))} at ${forTerminal(server.server)}: ${matching} of ${plural(results.length, 'record set')} match`,
      );
      for (const result of results) out.push(line(result, paint));
    }
  }
  if (allMatch(reports)) {
    out.push(paint('green', `✓ every record set matches (${plural(sets, 'check')})`));
  } else {
    out.push(paint('red', `✗ ${bad} of ${plural(sets, 'check')} do not match`));
  }
  return `${out.join('\n')}\n`;
}

/** One line for stderr between --wait rounds. */
export function retryLine(reports: readonly ZoneReport[], remainingMs: number): string {
  let bad = 0;
  for (const zone of reports) {
    for (const server of zone.servers) {
      bad += server.results.filter((r) => r.verdict.kind !== 'match').length;
    }
  }
  return `dnssync: ${plural(bad, 'check')} not matching yet; trying again (${Math.ceil(remainingMs / 1000)} s left)\n`;
}
