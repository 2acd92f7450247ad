/**
 * The Plan: plain, versioned, JSON-serialisable data (docs/design.md, "The plan"). No
 * closures, no colours: renderers and apply read it; `plan --out` saves it and
 * `apply FILE` loads it. Field names are snake_case because this is also the public JSON
 * format (schemas/plan.schema.json).
 */
import type { DnsRecord } from '../model.js';

export const PLAN_FORMAT_VERSION = 1;

export type ChangeAction = 'create' | 'update' | 'delete';

/**
 * When a change runs within its zone: deletes that make room for a
 * CNAME (or remove a CNAME that other data replaces) first, then creates and updates,
 * then the remaining deletes.
 */
export type ChangePhase = 'clear' | 'upsert' | 'delete';

/** Its record fields are the record after the change (create, update) or the one removed (delete). */
export interface Change extends DnsRecord {
  /** Unique within the plan, stable for the same inputs: `<domain>#<n>`. */
  id: string;
  action: ChangeAction;
  /** The live record changed or removed (update, delete); null for create. */
  record_uuid: string | null;
  /** Update only: the live state before (its value differs when a delete and a create were paired). */
  before?: DnsRecord;
  phase: ChangePhase;
  /** Ids of changes in the same zone that must succeed before this one starts. */
  depends_on: string[];
  /** Why, when it is not obvious: e.g. "duplicate of another live record". */
  reason?: string;
}

export interface ZoneSafety {
  unsafe: boolean;
  /** Plain sentences, e.g. "would delete 4 of 10 records (40% > 30%)". */
  reasons: string[];
  /** Live managed records the percentages are taken of. */
  managed_records: number;
  update_percent: number;
  delete_percent: number;
}

export interface ZonePlan {
  domain: string;
  /** The zone file the desired state came from. */
  file: string;
  /** Null when the zone does not exist yet and apply must create it first. */
  zone_uuid: string | null;
  create_zone: boolean;
  changes: Change[];
  /** Live records not in the file but kept because of `purge: false`. */
  kept: DnsRecord[];
  /** Live records left alone because an `ignore` rule matches them. */
  ignored: number;
  /** Live records of types dnssync does not manage (SOA, PTR, ...). */
  unmanaged_types: number;
  /** Live apex NS records left alone because the file declares no apex NS. */
  provider_ns: number;
  safety: ZoneSafety;
  /**
   * sha256 of the live zone as read (null for a zone to create). apply FILE decides by
   * comparing changes with a fresh plan; the fingerprints only say why they differ.
   */
  live_fingerprint: string | null;
  /** sha256 of the desired records, purge and ignore rules (see live_fingerprint). */
  desired_fingerprint: string;
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  /** Zones with at least one change (zone creation included). */
  zones_changed: number;
  zones_to_create: number;
  unsafe_zones: number;
}

export interface SafetyOptions {
  /** A zone is unsafe when it would update more than this fraction of its managed records. */
  update_threshold: number;
  delete_threshold: number;
  /** Thresholds apply to zones with at least this many live managed records. */
  min_records: number;
}

export const DEFAULT_SAFETY: SafetyOptions = {
  update_threshold: 0.3,
  delete_threshold: 0.3,
  min_records: 10,
};

export interface Plan {
  format_version: typeof PLAN_FORMAT_VERSION;
  zones: ZonePlan[];
  /** Live zones with no zone file: listed, never touched. */
  unmanaged_zones: string[];
  summary: PlanSummary;
  safety_options: SafetyOptions;
}

export function hasChanges(plan: Plan): boolean {
  return (
    plan.summary.create + plan.summary.update + plan.summary.delete + plan.summary.zones_to_create >
    0
  );
}
