/** Apply results are values: every change ends applied, failed or skipped. */
import type { Change } from '../plan/types.js';

type ChangeStatus = 'applied' | 'failed' | 'skipped';

export interface ChangeResult {
  zone: string;
  /** Null for the creation of the zone itself. */
  change: Change | null;
  status: ChangeStatus;
  /** failed: the API's message; skipped: why it did not run. */
  message?: string;
  /** applied: a note such as "already gone" for a delete that found nothing. */
  note?: string;
  /** failed: whether running apply again may succeed (false when the API refused it, 4xx). */
  retryable?: boolean;
}

export interface ApplyResult {
  results: ChangeResult[];
  applied: number;
  failed: number;
  skipped: number;
  /** True when a signal stopped the run before every change had started. */
  interrupted: boolean;
  /** Zones whose records were (or may have been) touched: verify re-reads these. */
  touchedZones: string[];
  elapsedMs: number;
}

export type ApplyEvent =
  | { kind: 'start'; total: number }
  | { kind: 'done'; result: ChangeResult; done: number; total: number; failed: number };
