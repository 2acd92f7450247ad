/**
 * Carries out a Plan against the API: every change is handed to the client as soon as it
 * may run, and the client's one limit decides how many requests are in flight across all
 * zones. Within a zone a change starts only when everything in its `depends_on` has been
 * applied; zones are independent. A failure skips its dependants and nothing else. An
 * aborted signal stops new requests (the client sends none it has not started); those in
 * flight finish.
 */
import { isUsableUuid, toApiRecordInput, zoneDomain } from '../api/convert.js';
import { ApiError } from '../api/errors.js';
import { InconsistentAnswerError, UnusableUuidError } from '../api/live.js';
import type { ApiRecordInput, ApiZoneSummary, CallOptions, DnsApi } from '../api/types.js';
import type { Change, Plan, ZonePlan } from '../plan/types.js';
import { quoted } from '../text/terminal.js';
import type { ApplyEvent, ApplyResult, ChangeResult } from './types.js';

export interface ExecuteOptions {
  signal?: AbortSignal;
  onEvent?: (event: ApplyEvent) => void;
}

export async function executePlan(
  plan: Plan,
  api: DnsApi,
  options: ExecuteOptions,
): Promise<ApplyResult> {
  const started = performance.now();
  const zones = plan.zones.filter((zone) => zone.create_zone || zone.changes.length > 0);
  const total = zones.reduce(
    (sum, zone) => sum + zone.changes.length + (zone.create_zone ? 1 : 0),
    0,
  );
  const results: ChangeResult[] = [];
  let failed = 0;
  const report = (result: ChangeResult) => {
    results.push(result);
    if (result.status === 'failed') failed++;
    options.onEvent?.({ kind: 'done', result, done: results.length, total, failed });
  };
  const signal = options.signal;
  const stopped = () => signal?.aborted === true;
  options.onEvent?.({ kind: 'start', total });

  const touched = new Set<string>();
  const calls = signal === undefined ? {} : { signal };
  await Promise.all(zones.map((zone) => applyZone(zone, { api, calls, report, stopped, touched })));

  const count = (status: ChangeResult['status']) =>
    results.filter((r) => r.status === status).length;
  return {
    results,
    applied: count('applied'),
    failed: count('failed'),
    skipped: count('skipped'),
    interrupted: stopped(),
    touchedZones: [...touched].sort(),
    elapsedMs: performance.now() - started,
  };
}

const INTERRUPTED = 'not started: apply was interrupted';

interface ZoneContext {
  api: DnsApi;
  /** Passed to every call: the signal that stops requests not yet started. */
  calls: CallOptions;
  report: (result: ChangeResult) => void;
  stopped: () => boolean;
  touched: Set<string>;
}

async function applyZone(zone: ZonePlan, ctx: ZoneContext): Promise<void> {
  const domain = zone.domain;
  let zoneUuid = zone.zone_uuid;
  if (zone.create_zone) {
    const created = await runStep(ctx, domain, null, async () => {
      const zone = await createZone(ctx.api, domain, ctx.calls);
      zoneUuid = zone.uuid;
      return zone.note;
    });
    if (created.status !== 'applied' || zoneUuid === null) {
      const why =
        created.status === 'skipped' ? created.message : `the zone ${domain} could not be created`;
      for (const change of zone.changes) {
        ctx.report({ zone: domain, change, status: 'skipped', message: why ?? INTERRUPTED });
      }
      return;
    }
  }
  if (zoneUuid === null) return;
  const uuid = zoneUuid;
  ctx.touched.add(domain);

  // Each change waits for the outcome of its dependencies; a failed or skipped one skips it.
  const outcomes = new Map<string, Promise<ChangeResult>>();
  const byId = new Map(zone.changes.map((change) => [change.id, change]));
  const outcomeOf = (change: Change): Promise<ChangeResult> => {
    let outcome = outcomes.get(change.id);
    if (!outcome) {
      outcome = (async () => {
        const deps = await Promise.all(
          change.depends_on.flatMap((id) => {
            const dep = byId.get(id);
            return dep ? [outcomeOf(dep)] : [];
          }),
        );
        const blocker = deps.find((dep) => dep.status !== 'applied');
        if (blocker?.change) {
          const result: ChangeResult = {
            zone: domain,
            change,
            status: 'skipped',
            message:
              blocker.message === INTERRUPTED
                ? INTERRUPTED
                : `depends on ${describeChange(blocker.change)}, which ${blocker.status === 'failed' ? 'failed' : 'was skipped'}`,
          };
          ctx.report(result);
          return result;
        }
        return runStep(ctx, domain, change, () => applyChange(ctx, uuid, domain, change));
      })();
      outcomes.set(change.id, outcome);
    }
    return outcome;
  };
  await Promise.all(zone.changes.map(outcomeOf));
}

/**
 * Creates the zone. When the API answers 400 because the zone exists (another apply,
 * started at the same time, created it first), the zone is looked up and filled all the
 * same: what the two runs both create becomes exact duplicates, which verification
 * removes. A 400 for any other reason finds no zone and stays an error.
 */
async function createZone(
  api: DnsApi,
  domain: string,
  calls: CallOptions,
): Promise<{ uuid: string; note: string | undefined }> {
  let created: ApiZoneSummary;
  try {
    created = await api.createZone(domain, calls);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 400)) throw error;
    const found = new Set(
      (await api.listZones({ domain }, calls))
        .filter((zone) => zoneDomain(zone.domain) === domain)
        .map((zone) => zone.uuid),
    );
    const [uuid, other] = found;
    if (uuid === undefined) throw error;
    if (other !== undefined) {
      throw new InconsistentAnswerError(
        `the zone list names ${quoted(domain)} twice, as zones ${quoted(uuid)} and ${quoted(other)}`,
      );
    }
    if (!isUsableUuid(uuid)) throw new UnusableUuidError(`zone ${quoted(domain)}`, uuid);
    return { uuid, note: 'it exists already (created meanwhile); filling it' };
  }
  // The zone's records go wherever this uuid points: it must be the zone asked for.
  if (zoneDomain(created.domain) !== domain) {
    throw new InconsistentAnswerError(
      `asked to create zone ${quoted(domain)}, the answer is zone ${quoted(created.uuid)} (${quoted(created.domain)})`,
    );
  }
  if (!isUsableUuid(created.uuid)) {
    throw new UnusableUuidError(`the new zone ${quoted(domain)}`, created.uuid);
  }
  return { uuid: created.uuid, note: undefined };
}

/** Runs one change, unless the run was stopped before it could start, and reports it. */
async function runStep(
  ctx: ZoneContext,
  domain: string,
  change: Change | null,
  work: () => Promise<string | undefined>,
): Promise<ChangeResult> {
  const result = ctx.stopped()
    ? interrupted(domain, change)
    : await attemptChange(ctx, domain, change, work);
  ctx.report(result);
  return result;
}

async function attemptChange(
  ctx: ZoneContext,
  domain: string,
  change: Change | null,
  work: () => Promise<string | undefined>,
): Promise<ChangeResult> {
  try {
    const note = await work();
    return note
      ? { zone: domain, change, status: 'applied', note }
      : { zone: domain, change, status: 'applied' };
  } catch (error) {
    // The client did not start it after the signal: the signal's reason is the error.
    if (ctx.stopped() && error === ctx.calls.signal?.reason) return interrupted(domain, change);
    return {
      zone: domain,
      change,
      status: 'failed',
      message: errorMessage(error),
      retryable: !refusedByApi(error),
    };
  }
}

function interrupted(domain: string, change: Change | null): ChangeResult {
  return { zone: domain, change, status: 'skipped', message: INTERRUPTED };
}

async function applyChange(
  ctx: ZoneContext,
  zoneUuid: string,
  domain: string,
  change: Change,
): Promise<string | undefined> {
  const { api, calls } = ctx;
  switch (change.action) {
    case 'create':
      await api.createRecord(zoneUuid, toApiRecordInput(change, domain), calls);
      return undefined;
    case 'update': {
      const patch: Partial<ApiRecordInput> = {};
      const before = change.before;
      if (!before || before.value !== change.value) patch.value = change.value;
      if (!before || before.ttl !== change.ttl) patch.ttl = change.ttl;
      if (!before || before.priority !== change.priority) patch.priority = change.priority;
      await api.updateRecord(requireUuid(change), patch, calls);
      return undefined;
    }
    case 'delete':
      try {
        await api.deleteRecord(requireUuid(change), calls);
        return undefined;
      } catch (error) {
        // Someone (or an earlier, interrupted run) removed it already: the goal is met.
        if (error instanceof ApiError && error.status === 404) return 'already gone';
        throw error;
      }
  }
}

function requireUuid(change: Change): string {
  if (!change.record_uuid)
    throw new Error(`${describeChange(change)} has no record_uuid in the plan`);
  return change.record_uuid;
}

function describeChange(change: Change): string {
  return `${change.action} ${change.name} ${change.type} ${change.value}`;
}

/** A 4xx other than 429: the API understood and refused; sending it again changes nothing. */
function refusedByApi(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status !== null &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 429
  );
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
