/**
 * What apply shows while it works. On a terminal one line, redrawn ten times a second so
 * the time moves even while every request waits: a spinner while live zones are read,
 * then applied/total, failures, an estimate of the time left once the rate is known, and
 * what the API is making it wait for (a rate limit, retries). Elsewhere (a pipe, a job
 * log) one line per applied change, the first few failures of each cause, and a status
 * line after 10 s without output. `--quiet` shows nothing, but on a terminal a status line
 * every 10 s. Skipped and not-started changes are counted, not listed, unless --verbose.
 *
 * Escape sequences are written only in the terminal mode; nothing here prints text from
 * outside without forTerminal (report.ts describes the changes).
 */

import type { VpsClientOptions } from '../api/client.js';
import { forTerminal, type Paint } from '../text/terminal.js';
import { count, describeResult, duration, notMadeCounts, thousands, why } from './report.js';
import type { ApplyCounts, ApplyEvent, ChangeResult } from './types.js';

export type ProgressMode = 'live' | 'lines' | 'quiet' | 'off';

export interface ProgressOptions {
  mode: ProgressMode;
  /** Where progress goes. */
  out: NodeJS.WriteStream;
  paint: Paint;
  /** List skipped and not-started changes, and every failure. */
  verbose: boolean;
}

const TICK_MS = 100;
/** Quiet on a terminal, or lines that have said nothing for this long: a status line. */
const STATUS_EVERY_MS = 10_000;
const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
/** A retry is mentioned on the status line for at least this long. */
const RETRY_SHOWN_MS = 1000;
/** Failures of one cause printed as lines (the summary counts the rest). */
const FAILED_LINES_PER_CAUSE = 3;
/** The rate, and so the time left, is known after this many answers and this long. */
const ETA_AFTER_ANSWERS = 5;
const ETA_AFTER_MS = 2000;
/** Answers the rate is taken over. */
const RATE_WINDOW = 50;
/** Lines held back at most this long, or this many, before one write (see `line`). */
const LINE_BATCH_MS = 50;
const LINE_BATCH_SIZE = 256;

/** A moment of the run, as the status line shows it. */
export interface Snapshot {
  /** `Reading live zones`, `Applying`, `Verifying 3 zones`. */
  label: string;
  elapsedMs: number;
  /** Zones read so far, while reading. */
  zonesRead?: number;
  /** While applying. */
  counts?: ApplyCounts;
  total?: number;
  /** Estimated time left, once known. */
  leftMs?: number | null;
  /** What the API makes the run wait for. */
  rateLimitedMs?: number;
  retryingAfter?: string | null;
  retries?: number;
}

/** `Applying 138/300 · 2 failed · 12.3s · about 8s left · rate limited, waiting 1.4s · 14 retries` */
export function statusText(s: Snapshot): string {
  const parts: string[] = [];
  if (s.counts !== undefined && s.total !== undefined) {
    parts.push(`${s.label} ${thousands(s.counts.applied)}/${thousands(s.total)}`);
    parts.push(...notMadeCounts(s.counts));
  } else {
    parts.push(s.label);
    if (s.zonesRead !== undefined && s.zonesRead > 0) parts.push(`${thousands(s.zonesRead)} read`);
  }
  parts.push(duration(s.elapsedMs));
  if (s.leftMs !== undefined && s.leftMs !== null) parts.push(`about ${duration(s.leftMs)} left`);
  if (s.rateLimitedMs !== undefined && s.rateLimitedMs > 0) {
    parts.push(`rate limited, waiting ${duration(s.rateLimitedMs)}`);
  } else if (s.retryingAfter) {
    parts.push(`retrying after ${s.retryingAfter}`);
  }
  if (s.retries !== undefined && s.retries > 0) parts.push(count(s.retries, 'retry', 'retries'));
  return parts.join(' · ');
}

/** Time left at the rate of the last answers, measured up to now (so a stall shows). */
export function timeLeft(
  answeredAt: readonly number[],
  remaining: number,
  now: number,
): number | null {
  const first = answeredAt[0];
  if (first === undefined || answeredAt.length < ETA_AFTER_ANSWERS || remaining <= 0) return null;
  const perMs = (answeredAt.length - 1) / Math.max(1, now - first);
  return perMs > 0 ? remaining / perMs : null;
}

export class Progress {
  readonly #options: ProgressOptions;
  #label: string | null = null;
  #since = 0;
  #zonesRead = 0;
  #counts: ApplyCounts | null = null;
  #total = 0;
  #zoneTotals = new Map<string, number>();
  #zoneApplied = new Map<string, number>();
  #zoneBegun = new Set<string>();
  #answeredAt: number[] = [];
  #sent = 0;
  #answered = 0;
  #retries = 0;
  #holdUntil = 0;
  #retryUntil = 0;
  #retryWhy: string | null = null;
  #failuresShown = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  /** A live line is on the screen, without its newline. */
  #drawn = false;
  #lastOutput = performance.now();
  #pending: string[] = [];
  #flushTimer: NodeJS.Timeout | null = null;

  constructor(options: ProgressOptions) {
    this.#options = options;
  }

  /** Hooks for the API client: requests sent, answered, retried. */
  readonly api: Pick<VpsClientOptions, 'onSend' | 'onResponse' | 'onRetry'> = {
    onSend: () => {
      this.#sent++;
    },
    onResponse: (event) => {
      this.#answered++;
      if (
        event.method === 'GET' &&
        event.status === 200 &&
        /\/dns-zones\/[^/?]+\/$/.test(event.path)
      ) {
        this.#zonesRead++;
      }
    },
    onRetry: (event) => {
      this.#retries++;
      const until = performance.now() + event.delayMs;
      if (event.reason === 'rate-limited') this.#holdUntil = Math.max(this.#holdUntil, until);
      else {
        // Shown for a moment at least: a retry a few milliseconds later would flash unseen.
        this.#retryUntil = Math.max(this.#retryUntil, until, performance.now() + RETRY_SHOWN_MS);
        this.#retryWhy =
          event.status !== null ? String(event.status) : (event.code ?? event.reason);
      }
    },
  };

  /** Starts a phase shown with a spinner (`Reading live zones`); null ends it. */
  phase(label: string | null): void {
    this.#label = label;
    this.#since = performance.now();
    this.#zonesRead = 0;
    if (label === null) {
      this.#stopTimer();
      this.#clear();
    } else this.#startTimer();
  }

  readonly onEvent = (event: ApplyEvent): void => {
    switch (event.kind) {
      case 'start':
        // A blank line between the plan (or the prompt) and the progress.
        if (this.#options.mode === 'live' || this.#options.mode === 'lines') {
          this.#options.out.write('\n');
        }
        this.#label = 'Applying';
        this.#since = performance.now();
        this.#counts = { applied: 0, failed: 0, skipped: 0, notStarted: 0 };
        this.#total = event.total;
        this.#zoneTotals = new Map(event.zones.map((zone) => [zone.domain, zone.changes]));
        this.#startTimer();
        return;
      case 'begin':
        this.#zoneBegun.add(event.zone);
        return;
      case 'done':
        this.#counts = event.counts;
        if (event.result.status === 'applied') {
          const zone = event.result.zone;
          this.#zoneApplied.set(zone, (this.#zoneApplied.get(zone) ?? 0) + 1);
        }
        if (event.result.status === 'applied' || event.result.status === 'failed') {
          this.#answeredAt.push(performance.now());
          if (this.#answeredAt.length > RATE_WINDOW) this.#answeredAt.shift();
        }
        if (this.#options.mode === 'lines') this.#resultLine(event.result);
        return;
      case 'stop':
        if (event.stop.cause.kind === 'interrupted') return;
        this.note(
          this.#options.paint(
            'red',
            `Stopping: ${forTerminal(event.stop.why)}; no new request is started.`,
          ),
          this.#options.out,
        );
        return;
    }
  };

  /** Prints a line of its own (to `stream`), keeping the live line below it. */
  note(text: string, stream: NodeJS.WritableStream): void {
    if (
      this.#options.mode === 'off' ||
      (this.#options.mode === 'quiet' && stream === this.#options.out)
    ) {
      return;
    }
    this.#flush();
    this.#clear();
    stream.write(`${text}\n`);
    this.#lastOutput = performance.now();
    if (this.#options.mode === 'live' && this.#label !== null) this.#draw();
  }

  /** The last state of the live line, kept on the screen; stops the clock. */
  finish(): void {
    this.#stopTimer();
    this.#flush();
    if (this.#options.mode === 'live' && this.#label === 'Applying') {
      this.#draw(true);
      this.#options.out.write('\n');
      this.#drawn = false;
    } else this.#clear();
    this.#label = null;
  }

  /** Requests sent and not yet answered. */
  inFlight(): number {
    return this.#sent - this.#answered;
  }

  /** What a second Ctrl-C leaves behind, said before quitting at once. */
  halfDone(): string {
    const lines: string[] = [];
    const counts = this.#counts;
    const onTheirWay = this.inFlight();
    const applied =
      counts === null
        ? 'No change was applied'
        : `${thousands(counts.applied)} of ${count(this.#total, 'change')} were applied`;
    lines.push(
      `Quit at once. ${applied}; ${
        onTheirWay > 0
          ? `${count(onTheirWay, 'request was', 'requests were')} still on ${onTheirWay === 1 ? 'its' : 'their'} way, and whether ${onTheirWay === 1 ? 'it' : 'they'} took effect is unknown.`
          : 'no request was on its way.'
      }`,
    );
    const partly = [...this.#zoneTotals]
      .filter(([zone, total]) => {
        const applied = this.#zoneApplied.get(zone) ?? 0;
        return (applied > 0 || this.#zoneBegun.has(zone)) && applied < total;
      })
      .map(([zone]) => zone);
    if (partly.length > 0) {
      const named =
        partly.slice(0, 5).join(', ') +
        (partly.length > 5 ? `, and ${partly.length - 5} more` : '');
      lines.push(
        `${partly.length === 1 ? 'This zone may be' : 'These zones may be'} left partly changed (a name may lack records it is meant to have until the rest is applied): ${forTerminal(named)}.`,
      );
    }
    lines.push('Run dnssync apply again to finish the job: it plans from what is live now.');
    return `${lines.join('\n')}\n`;
  }

  #snapshot(final = false): Snapshot {
    const now = performance.now();
    const snapshot: Snapshot = { label: this.#label ?? '', elapsedMs: now - this.#since };
    if (this.#counts !== null && this.#label === 'Applying') {
      const c = this.#counts;
      snapshot.counts = c;
      snapshot.total = this.#total;
      if (final) {
        snapshot.label = 'Applied';
        return snapshot;
      }
      const remaining = this.#total - c.applied - c.failed - c.skipped - c.notStarted;
      snapshot.leftMs =
        now - this.#since >= ETA_AFTER_MS ? timeLeft(this.#answeredAt, remaining, now) : null;
    } else snapshot.zonesRead = this.#zonesRead;
    snapshot.rateLimitedMs = Math.max(0, this.#holdUntil - now);
    snapshot.retryingAfter = now < this.#retryUntil ? this.#retryWhy : null;
    snapshot.retries = this.#retries;
    return snapshot;
  }

  #startTimer(): void {
    const { mode } = this.#options;
    const terminal = this.#options.out.isTTY === true;
    if (this.#timer !== null || mode === 'off' || (mode === 'quiet' && !terminal)) return;
    if (mode === 'live') this.#draw();
    else this.#lastOutput = performance.now();
    this.#timer = setInterval(() => this.#tick(), mode === 'live' ? TICK_MS : 1000);
    // The clock never keeps the process alive on its own.
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #tick(): void {
    if (this.#label === null) return;
    if (this.#options.mode === 'live') {
      this.#draw();
      return;
    }
    if (performance.now() - this.#lastOutput < STATUS_EVERY_MS) return;
    this.#flush();
    this.#options.out.write(`${statusText(this.#snapshot())}\n`);
    this.#lastOutput = performance.now();
  }

  #draw(final = false): void {
    const out = this.#options.out;
    const text = statusText(this.#snapshot(final));
    const frame = final
      ? ''
      : `${SPINNER[Math.floor(performance.now() / TICK_MS) % SPINNER.length]} `;
    // A line wider than the terminal wraps, and \r would then redraw only its last row.
    const width = (out.columns || 80) - 1;
    const line = `${frame}${text}`;
    const clipped = line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
    out.write(`\r\u001b[2K${clipped}`);
    this.#drawn = true;
  }

  #clear(): void {
    if (!this.#drawn) return;
    this.#options.out.write('\r\u001b[2K');
    this.#drawn = false;
  }

  /** One line per applied change; failures up to a few per cause; the rest with --verbose. */
  #resultLine(result: ChangeResult): void {
    const { paint, verbose } = this.#options;
    const what = describeResult(result);
    switch (result.status) {
      case 'applied':
        this.#line(
          `${paint('green', 'ok     ')} ${what}${result.note ? paint('dim', ` (${forTerminal(result.note)})`) : ''}`,
        );
        return;
      case 'failed': {
        const key = result.cause.key;
        const shown = this.#failuresShown.get(key) ?? 0;
        this.#failuresShown.set(key, shown + 1);
        if (verbose || shown < FAILED_LINES_PER_CAUSE) {
          this.#line(`${paint('red', 'FAILED ')} ${what}: ${why(result)}`);
        } else if (shown === FAILED_LINES_PER_CAUSE) {
          this.#line(
            `${paint('red', 'FAILED ')} … more changes fail alike; the summary counts them`,
          );
        }
        return;
      }
      default: {
        const label = result.status === 'skipped' ? 'skipped' : 'not run';
        if (verbose) this.#line(`${paint('yellow', label)} ${what}: ${why(result)}`);
      }
    }
  }

  /**
   * Lines are written in batches: stdout to a pipe or file is synchronous, and one write
   * per change cost a large apply about a twentieth of its time (bench/apply.mjs).
   */
  #line(text: string): void {
    this.#pending.push(`${text}\n`);
    this.#lastOutput = performance.now();
    if (this.#pending.length >= LINE_BATCH_SIZE) this.#flush();
    else this.#flushTimer ??= setTimeout(() => this.#flush(), LINE_BATCH_MS);
  }

  #flush(): void {
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    if (this.#pending.length === 0) return;
    this.#options.out.write(this.#pending.join(''));
    this.#pending.length = 0;
  }
}
