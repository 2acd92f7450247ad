/**
 * `apply --format json`: the run's result for automation, one JSON document on stdout
 * (schemas/apply-result.schema.json). Every change of the plan is there with its outcome
 * and error; the human text goes to stderr.
 */
import { hasChanges } from '../plan/types.js';
import { printableJson } from '../render/json.js';
import { applyExitCode, settled } from './report.js';
import type { ApplyResult, ChangeResult, ChangeStatus } from './types.js';
import type { Verification } from './verify-zones.js';

const APPLY_RESULT_FORMAT_VERSION = 1;

/**
 * - `applied`: every change applied (or verification found the zones matching anyway);
 * - `incomplete`: changes failed or were skipped; `stopped`: a systemic failure stopped
 *   the run before some changes started; `interrupted`: Ctrl-C or SIGTERM;
 * - `no-changes`: live DNS already matched; `refused`: nothing was sent (an unsafe or stale
 *   plan, invalid zone files), `message` says why.
 */
type RunResult = 'applied' | 'incomplete' | 'stopped' | 'interrupted' | 'no-changes' | 'refused';

interface ChangeJson {
  /** The plan's change id; `<domain>#zone` for creating the zone. */
  id: string;
  zone: string;
  action: 'create_zone' | 'create' | 'update' | 'delete';
  name: string | null;
  type: string | null;
  value: string | null;
  ttl: number | null;
  priority: number | null;
  outcome: ChangeStatus;
  /** Why it was not applied: the API's message, or dnssync's reason. */
  error: string | null;
  /** The cause it is counted under in the report (`403 dns:create missing`). */
  cause: string | null;
  /** A note on an applied change (`already gone`). */
  note: string | null;
}

interface ApplyJson {
  format_version: typeof APPLY_RESULT_FORMAT_VERSION;
  result: RunResult;
  exit_code: number;
  message: string | null;
  summary: { total: number; applied: number; failed: number; skipped: number; not_started: number };
  /** Stops of the run (or of one zone) after a systemic failure. */
  stops: { zone: string | null; reason: string }[];
  /** null: not verified (--no-verify, interrupted, stopped, or nothing touched). */
  verified: boolean | null;
  elapsed_ms: number;
  changes: ChangeJson[];
}

export function applyResultJson(result: ApplyResult, verification: Verification | null): string {
  const exitCode = applyExitCode(result, verification);
  let outcome: RunResult = 'incomplete';
  if (result.interrupted) outcome = 'interrupted';
  else if (settled(result, verification)) outcome = 'applied';
  else if (result.stops.some((stop) => stop.zone === undefined)) outcome = 'stopped';
  const json: ApplyJson = {
    format_version: APPLY_RESULT_FORMAT_VERSION,
    result: outcome,
    exit_code: exitCode,
    message: null,
    summary: {
      total: result.total,
      applied: result.applied,
      failed: result.failed,
      skipped: result.skipped,
      not_started: result.notStarted,
    },
    stops: result.stops.map((stop) => ({ zone: stop.zone ?? null, reason: stop.why })),
    verified: verification === null ? null : !hasChanges(verification.remaining),
    elapsed_ms: Math.round(result.elapsedMs),
    changes: [...result.results].sort(planOrder).map(changeJson),
  };
  return printableJson(json);
}

/** The result when nothing was sent: no changes to make, or a refusal (`message`). */
export function nothingSentJson(outcome: 'no-changes' | 'refused', message: string | null): string {
  const json: ApplyJson = {
    format_version: APPLY_RESULT_FORMAT_VERSION,
    result: outcome,
    exit_code: outcome === 'no-changes' ? 0 : 1,
    message,
    summary: { total: 0, applied: 0, failed: 0, skipped: 0, not_started: 0 },
    stops: [],
    verified: null,
    elapsed_ms: 0,
    changes: [],
  };
  return printableJson(json);
}

/** Zone by zone; in each, the zone's creation first, then its changes in the plan's order. */
function planOrder(a: ChangeResult, b: ChangeResult): number {
  const index = (r: ChangeResult) =>
    r.change ? Number(/#(\d+)$/.exec(r.change.id)?.[1] ?? 0) : -1;
  return a.zone === b.zone ? index(a) - index(b) : a.zone < b.zone ? -1 : 1;
}

function changeJson(result: ChangeResult): ChangeJson {
  const change = result.change;
  return {
    id: change?.id ?? `${result.zone}#zone`,
    zone: result.zone,
    action: change?.action ?? 'create_zone',
    name: change?.name ?? null,
    type: change?.type ?? null,
    value: change?.value ?? null,
    ttl: change?.ttl ?? null,
    priority: change?.priority ?? null,
    outcome: result.status,
    error: result.message ?? null,
    cause: result.cause?.title ?? null,
    note: result.note ?? null,
  };
}
