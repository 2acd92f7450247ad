/**
 * Apply results are values: every change ends applied, failed, skipped (something it
 * needs was not made) or not started (the run stopped before it).
 */
import type { Change } from '../plan/types.js';

export type ChangeStatus = 'applied' | 'failed' | 'skipped' | 'not-started';

/**
 * Why changes were not made. The report groups results by cause: a failure has its own,
 * a skipped change inherits the cause of the failure it waited for, and a change not
 * started has the cause that stopped the run (or its zone).
 */
export interface Cause {
  /** Results with equal keys share one cause. */
  key: string;
  /** One line for people, e.g. `403 dns:create missing`, `502 Bad Gateway`. */
  title: string;
  kind: 'interrupted' | 'token' | 'network' | 'refused' | 'other';
}

export type ChangeResult = Applied | NotMade;

interface Outcome {
  zone: string;
  /** Null for the creation of the zone itself. */
  change: Change | null;
}

interface Applied extends Outcome {
  status: 'applied';
  /** A note such as "already gone" for a delete that found nothing. */
  note?: string;
  message?: never;
  cause?: never;
}

export interface NotMade extends Outcome {
  status: Exclude<ChangeStatus, 'applied'>;
  /** failed: the API's message; skipped and not-started: why it did not run. */
  message: string;
  cause: Cause;
  note?: never;
}

/**
 * What stops changes from starting: the user (Ctrl-C, SIGTERM), or a failure that every
 * later request would meet too (stop.ts says which). `zone` is set when only that zone
 * stops.
 */
export interface Stop {
  cause: Cause;
  /** A sentence: what was seen, and that nothing new starts. */
  why: string;
  zone?: string;
}

export interface ApplyCounts {
  applied: number;
  failed: number;
  skipped: number;
  notStarted: number;
}

export interface ApplyResult extends ApplyCounts {
  results: ChangeResult[];
  /** Changes in the plan, zone creations included (the plan's own count). */
  total: number;
  /** True when a signal stopped the run before every change had started. */
  interrupted: boolean;
  /** Stops other than the user's, in the order they happened. */
  stops: Stop[];
  /** Zones whose records were (or may have been) touched: verify re-reads these. */
  touchedZones: string[];
  elapsedMs: number;
}

export type ApplyEvent =
  /** `zones`: each zone's changes, its creation included. */
  | { kind: 'start'; total: number; zones: { domain: string; changes: number }[] }
  /** A change is handed to the client (it may still wait there for a free slot). */
  | { kind: 'begin'; zone: string }
  | { kind: 'done'; result: ChangeResult; counts: ApplyCounts; total: number }
  | { kind: 'stop'; stop: Stop };

/** Changes not made, whatever the reason. */
export function unmade(counts: ApplyCounts): number {
  return counts.failed + counts.skipped + counts.notStarted;
}
