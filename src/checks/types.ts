/**
 * What a DNS check is: a stable id, a default severity, a one-line description, and a
 * pure function from one zone to findings. The catalog (catalog.ts) lists them all.
 */
import type { DesiredRecord, Severity } from '../model.js';
import type { ZoneView } from './zone-view.js';

/** A severity, or `off` to skip the check. */
export type CheckLevel = Severity | 'off';

/** One thing a check found, about one record (its position is where the finding points). */
export interface Finding {
  record: DesiredRecord;
  message: string;
}

/** Numbers some checks compare against; set in the repository's dnssync.yaml. */
export interface CheckLimits {
  /** TTLs below this many seconds are reported (ttl-low). */
  ttlMin: number;
  /** TTLs above this many seconds are reported (ttl-high). */
  ttlMax: number;
  /** Apex NS and MX TTLs below this are reported (ttl-apex-low). */
  apexTtlMin: number;
}

export const DEFAULT_LIMITS: CheckLimits = { ttlMin: 60, ttlMax: 604_800, apexTtlMin: 300 };

export interface CheckContext {
  view: ZoneView;
  limits: CheckLimits;
  /** The domains the repository has zone files for → their file. */
  zoneFiles: ReadonlyMap<string, string>;
}

interface CheckInfo {
  id: string;
  /** Used when no configuration says otherwise. */
  severity: Severity;
  /** What it reports, and why this severity; one line (it becomes the README table). */
  description: string;
}

export interface OfflineCheck extends CheckInfo {
  online?: undefined;
  run(context: CheckContext): Finding[];
}

/** Online checks are run together by online/run.ts; the catalog only describes them. */
export interface OnlineCheck extends CheckInfo {
  online: true;
}

export type Check = OfflineCheck | OnlineCheck;
