/**
 * What apply says when it is done: one headline with the counts, then each cause of the
 * changes not made once, with its count, the zones it hit and an example (every change
 * with --verbose), what stopped the run early, what to do, and what verification found.
 * Zone names, record names and values, and the API's messages are shown with forTerminal.
 */

import { groupBy } from '../model.js';
import { type Change, hasChanges, type Plan } from '../plan/types.js';
import { displayValue, SIGN, updateParts } from '../render/words.js';
import { forTerminal, type Paint } from '../text/terminal.js';
import { INTERRUPTED } from './causes.js';
import {
  type ApplyCounts,
  type ApplyResult,
  type Cause,
  type ChangeResult,
  type NotMade,
  unmade,
} from './types.js';
import type { Verification } from './verify-zones.js';

/** `1,286` */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 change`, `1,286 changes` */
export function count(n: number, word: string, many = `${word}s`): string {
  return `${thousands(n)} ${n === 1 ? word : many}`;
}

/** `0.4s`, `12.3s`, `2m05s` */
export function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** `2 failed, 1 not started`: the counts of changes not made, those above 0. */
export function notMadeCounts(counts: ApplyCounts): string[] {
  const parts = [
    [counts.failed, 'failed'],
    [counts.skipped, 'skipped'],
    [counts.notStarted, 'not started'],
  ] as const;
  return parts.filter(([n]) => n > 0).map(([n, word]) => `${thousands(n)} ${word}`);
}

/** `example.com  + www A 192.0.2.1`, or `example.com  create zone example.com`. */
export function describeResult(result: ChangeResult): string {
  return forTerminal(
    `${result.zone}  ${result.change ? describe(result.change) : `create zone ${result.zone}`}`,
  );
}

function describe(change: Change): string {
  const priority = change.priority !== null ? `${change.priority} ` : '';
  const parts = updateParts(change);
  const before = change.action === 'update' ? change.before : undefined;
  const attributes: string[] = [];
  if (before && before.ttl !== change.ttl) attributes.push(`ttl ${parts.ttl}`);
  if (before && before.priority !== change.priority) attributes.push(`priority ${parts.priority}`);
  const what = attributes.length > 0 ? ` (${attributes.join(', ')})` : '';
  const value = (change.action === 'update' && parts.value) || displayValue(change);
  return `${SIGN[change.action]} ${change.name} ${change.type} ${priority}${shorten(forTerminal(value))}${what}`;
}

/** Report lines stay one line: long TXT values are cut (the plan above shows them whole). */
function shorten(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The API's message (or dnssync's reason) for a change not made. */
export function why(result: NotMade): string {
  return forTerminal(result.message);
}

/** Changes listed under a cause without --verbose: all of them when this few. */
const LISTED_PER_CAUSE = 3;
/** Zones named in a cause's line; more are counted. */
const NAMED_ZONES = 3;

/**
 * True when the run's job is done: every change was applied, or verification re-read
 * every zone with a change not made and found it matching its zone file (the change took
 * effect all the same, or another run made it).
 */
export function settled(result: ApplyResult, verification: Verification | null): boolean {
  if (result.interrupted) return false;
  if (verification !== null && hasChanges(verification.remaining)) return false;
  if (unmade(result) === 0) return true;
  return (
    verification !== null &&
    result.results.every((r) => r.status === 'applied' || verification.zones.includes(r.zone))
  );
}

/** 0 done, 1 changes not made or still differing, 130 interrupted. */
export function applyExitCode(result: ApplyResult, verification: Verification | null): number {
  if (result.interrupted) return 130;
  return settled(result, verification) ? 0 : 1;
}

export interface SummaryOptions {
  paint: Paint;
  /** List every change not made, not just a few per cause. */
  verbose: boolean;
}

export function renderSummary(
  result: ApplyResult,
  verification: Verification | null,
  options: SummaryOptions,
): string {
  const { paint } = options;
  const lines = [headline(result, paint)];
  const notMade = result.results.filter((r) => r.status !== 'applied');
  const groups = groupByCause(notMade);
  for (const group of groups) {
    if (group.cause === INTERRUPTED && !options.verbose) continue;
    lines.push(...causeLines(group, options));
  }
  for (const stop of result.stops) {
    const prevented = notMade.filter(
      (r) =>
        r.status === 'not-started' &&
        r.cause.key === stop.cause.key &&
        (stop.zone === undefined || r.zone === stop.zone),
    ).length;
    if (stop.zone !== undefined && prevented === 0) continue;
    const scope =
      stop.zone !== undefined
        ? `the zone's other ${count(prevented, 'change')} were not started`
        : prevented > 0
          ? `no new request was started (${count(prevented, 'change')} not started)`
          : stop.cause.kind === 'network'
            ? 'no new request was started, and those sent were not tried again'
            : 'no new request was started';
    lines.push(paint('red', `Stopped early: ${forTerminal(stop.why)}; ${scope}.`));
  }
  const done = settled(result, verification);
  if (!done) lines.push(...advice(result, notMade));
  if (verification !== null) lines.push(...verificationLines(result, verification, done, paint));
  return `${lines.join('\n')}\n`;
}

function headline(result: ApplyResult, paint: Paint): string {
  // Always in seconds: scripts read this line.
  const seconds = `${(result.elapsedMs / 1000).toFixed(1)}s`;
  if (unmade(result) === 0 && !result.interrupted) {
    return paint(
      'green',
      `Apply complete: ${count(result.applied, 'change')} applied in ${seconds}.`,
    );
  }
  const applied = `${thousands(result.applied)} of ${count(result.total, 'change')} applied`;
  const counts = [applied, ...notMadeCounts(result)].join(', ');
  if (result.interrupted) return paint('yellow', `Apply interrupted: ${counts} (${seconds}).`);
  const stopped = result.stops.some((stop) => stop.zone === undefined);
  return paint('red', `Apply ${stopped ? 'stopped' : 'incomplete'}: ${counts} (${seconds}).`);
}

interface CauseGroup {
  cause: Cause;
  results: NotMade[];
}

/** Results by cause, the largest group first (then in the order they happened). */
function groupByCause(results: readonly NotMade[]): CauseGroup[] {
  return [...groupBy(results, (r) => r.cause.key).values()]
    .map((group) => ({ cause: group[0]!.cause, results: group }))
    .sort((a, b) => b.results.length - a.results.length);
}

function causeLines(group: CauseGroup, options: SummaryOptions): string[] {
  const { results, cause } = group;
  const zones = [...new Set(results.map((r) => r.zone))];
  const where =
    zones.length <= NAMED_ZONES
      ? `in ${zones.join(', ')}`
      : `in ${zones.length} zones (${zones.slice(0, NAMED_ZONES).join(', ')}, …)`;
  const counts: ApplyCounts = { applied: 0, failed: 0, skipped: 0, notStarted: 0 };
  for (const r of results) counts[r.status === 'not-started' ? 'notStarted' : r.status]++;
  const lines = [
    `  ${options.paint('red', forTerminal(cause.title))}: ${count(results.length, 'change')} not made ${forTerminal(where)} (${notMadeCounts(counts).join(', ')})`,
  ];
  if (options.verbose || results.length <= LISTED_PER_CAUSE) {
    for (const r of results) lines.push(`    ${describeResult(r)}: ${why(r)}`);
  } else {
    const example = results.find((r) => r.status === 'failed') ?? results[0]!;
    lines.push(`    e.g. ${describeResult(example)}: ${why(example)}`);
    lines.push(
      `    and ${count(results.length - 1, 'more change')} (dnssync apply --verbose lists them)`,
    );
  }
  return lines;
}

/** What to do next: fix what the API refused; run again for what may work next time. */
function advice(result: ApplyResult, notMade: readonly NotMade[]): string[] {
  const lines: string[] = [];
  const needsFix = (r: NotMade) => r.cause.kind === 'refused' || r.cause.kind === 'token';
  const refused = notMade.filter((r) => r.status === 'failed' && needsFix(r)).length;
  if (refused > 0) {
    lines.push(
      `${count(refused, 'change was', 'changes were')} refused by the API (see above): fix the zone files or the token's permissions, then run dnssync apply again.`,
    );
  }
  const transient = notMade.some((r) => !needsFix(r));
  if (result.interrupted || transient) {
    lines.push('Run dnssync apply again to finish: it plans from what is live now.');
  }
  return lines;
}

/** Differences after apply, at most this many listed when changes failed (plan lists all). */
const LISTED_DIFFERENCES = 10;

function verificationLines(
  result: ApplyResult,
  verification: Verification,
  done: boolean,
  paint: Paint,
): string[] {
  const lines: string[] = [];
  if (verification.removedDuplicates > 0) {
    lines.push(
      `Removed ${count(verification.removedDuplicates, 'exact duplicate record')} (as another apply of the same zone files at the same time leaves).`,
    );
  }
  const n = verification.zones.length;
  const matching =
    n === 1
      ? '1 zone now matches its zone file'
      : `${thousands(n)} zones now match their zone files`;
  if (!hasChanges(verification.remaining)) {
    const notMade = unmade(result);
    let tail = '.';
    if (notMade > 0 && done) {
      tail = `, so ${notMade === 1 ? 'the change not made here is' : `the ${thousands(notMade)} changes not made here are`} not needed any more (it took effect all the same, or someone else made it).`;
    } else if (notMade > 0) {
      tail = `; the changes not made elsewhere are listed above.`;
    }
    lines.push(`${paint('green', '✓')} Verified: ${matching}${tail}`);
    return lines;
  }
  const expected = expectedDifferences(result);
  const differences = verification.remaining.zones.flatMap((zone) =>
    zone.changes.map((change) => ({ zone: zone.domain, change })),
  );
  const unexpected = differences.filter((d) => !expected.has(keyOf(d.zone, d.change)));
  if (expected.size === 0) {
    lines.push(
      '',
      paint('red', 'Verification failed: live DNS still differs from the zone files:'),
    );
    return lines;
  }
  if (unexpected.length === 0) {
    lines.push(
      paint(
        'red',
        `Verification failed: live DNS still differs from the zone files, by the ${count(differences.length, 'change')} not made above and nothing else.`,
      ),
    );
    return lines;
  }
  lines.push(
    paint(
      'red',
      `Verification failed: besides the changes not made above, live DNS differs from the zone files by ${count(unexpected.length, 'change')} apply did not expect:`,
    ),
  );
  for (const { zone, change } of unexpected.slice(0, LISTED_DIFFERENCES)) {
    lines.push(`  ${describeResult({ zone, change, status: 'applied' })}`);
  }
  if (unexpected.length > LISTED_DIFFERENCES) {
    lines.push(
      `  and ${count(unexpected.length - LISTED_DIFFERENCES, 'more')} (dnssync plan lists them all)`,
    );
  }
  return lines;
}

/**
 * The record changes apply did not make, as keys: a fresh plan plans each of them again,
 * with the same zone, action, name, type and value.
 */
function expectedDifferences(result: ApplyResult): Set<string> {
  return new Set(
    result.results.flatMap((r) =>
      r.status !== 'applied' && r.change ? [keyOf(r.zone, r.change)] : [],
    ),
  );
}

function keyOf(zone: string, change: Change): string {
  return JSON.stringify([zone, change.action, change.name, change.type, change.value]);
}

/**
 * What verification found still differing, to print in full after the summary: only when
 * every change was made (otherwise the summary counts what differs and lists the rest).
 */
export function remainingPlan(result: ApplyResult, verification: Verification | null): Plan | null {
  if (verification === null || !hasChanges(verification.remaining)) return null;
  return expectedDifferences(result).size === 0 ? verification.remaining : null;
}
