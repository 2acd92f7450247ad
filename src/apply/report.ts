/**
 * What apply prints: progress while it runs and the summary at the end. Zone
 * names, record names and values, and the API's messages are shown with forTerminal.
 */

import type { Change } from '../plan/types.js';
import { displayValue, SIGN, updateParts } from '../render/words.js';
import { forTerminal, type Paint, plural } from '../text/terminal.js';
import type { ApplyEvent, ApplyResult, ChangeResult } from './types.js';

function describeResult(result: ChangeResult): string {
  return forTerminal(
    `${result.zone}  ${result.change ? describe(result.change) : `create zone ${result.zone}`}`,
  );
}

/** The API's message (or dnssync's reason) for a failed or skipped change. */
function why(result: ChangeResult): string {
  return forTerminal(result.message ?? '');
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

/** Progress lines stay one line: long TXT values are cut (the plan above shows them whole). */
function shorten(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export type ProgressMode = 'live' | 'lines' | 'quiet';

/** Lines held back at most this long, or this many, before one write (see below). */
const LINE_BATCH_MS = 50;
const LINE_BATCH_SIZE = 256;

/**
 * Progress reporter: on a terminal one line rewritten in place (done/total, failures,
 * elapsed); elsewhere one line per finished change; nothing when quiet. The lines are
 * written in batches: stdout to a pipe or file is synchronous, and one write per change
 * cost a large apply about a twentieth of its time (bench/apply.mjs).
 */
export function progressReporter(
  mode: ProgressMode,
  stream: NodeJS.WriteStream,
  paint: Paint,
): { onEvent: (event: ApplyEvent) => void; finish: () => void } {
  const started = performance.now();
  let lastDraw = 0;
  let lastLine = '';
  const pending: string[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (flushTimer !== null) clearTimeout(flushTimer);
    flushTimer = null;
    if (pending.length === 0) return;
    stream.write(pending.join(''));
    pending.length = 0;
  };
  const draw = (done: number, total: number, failed: number, force: boolean) => {
    const now = performance.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const seconds = ((now - started) / 1000).toFixed(1);
    const failures = failed > 0 ? paint('red', `, ${failed} failed`) : '';
    lastLine = `Applying: ${done}/${total}${failures}, ${seconds}s`;
    stream.write(`\r\u001b[2K${lastLine}`);
  };
  return {
    onEvent(event) {
      if (mode === 'quiet') return;
      if (event.kind === 'start') {
        if (mode === 'live') draw(0, event.total, 0, true);
        return;
      }
      if (mode === 'live') {
        draw(event.done, event.total, event.failed, event.done === event.total);
        return;
      }
      pending.push(`${statusLine(event.result, paint)}\n`);
      if (pending.length >= LINE_BATCH_SIZE) flush();
      else flushTimer ??= setTimeout(flush, LINE_BATCH_MS);
    },
    finish() {
      flush();
      if (mode === 'live' && lastLine !== '') stream.write('\n');
    },
  };
}

function statusLine(result: ChangeResult, paint: Paint): string {
  const what = describeResult(result);
  switch (result.status) {
    case 'applied':
      return `${paint('green', 'ok     ')} ${what}${result.note ? paint('dim', ` (${forTerminal(result.note)})`) : ''}`;
    case 'failed':
      return `${paint('red', 'FAILED ')} ${what}: ${why(result)}`;
    case 'skipped':
      return `${paint('yellow', 'skipped')} ${what}: ${why(result)}`;
  }
}

export function renderSummary(result: ApplyResult, paint: Paint): string {
  const lines: string[] = [];
  const failures = result.results.filter((r) => r.status === 'failed');
  const skipped = result.results.filter((r) => r.status === 'skipped');
  if (failures.length > 0) {
    lines.push(paint('red', 'Failed:'));
    for (const r of failures) lines.push(`  ${describeResult(r)}: ${why(r)}`);
  }
  if (skipped.length > 0) {
    lines.push(paint('yellow', 'Skipped:'));
    for (const r of skipped) lines.push(`  ${describeResult(r)}: ${why(r)}`);
  }
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  const counts = `${result.applied} applied, ${result.failed} failed, ${result.skipped} skipped in ${seconds}s`;
  let headline: string;
  if (result.interrupted) headline = paint('yellow', `Apply interrupted: ${counts}.`);
  else if (result.failed > 0 || result.skipped > 0)
    headline = paint('red', `Apply incomplete: ${counts}.`);
  else
    headline = paint(
      'green',
      `Apply complete: ${plural(result.applied, 'change')} applied in ${seconds}s.`,
    );
  lines.push(headline);
  const refused = failures.filter((r) => r.retryable === false).length;
  if (refused > 0) {
    lines.push(
      `${plural(refused, 'change was', 'changes were')} refused by the API (see above): fix the zone files or the token's permissions, then run dnssync apply again.`,
    );
  }
  if (result.interrupted || failures.length > refused) {
    lines.push('Run dnssync apply again to finish: it plans from what is live now.');
  }
  return `${lines.join('\n')}\n`;
}
