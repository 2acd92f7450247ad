/**
 * Carries out a Plan against the API: every change is handed to the client as soon as it
 * may run, and the client's one limit decides how many requests are in flight across all
 * zones. Within a zone a change starts only when everything in its `depends_on` has been
 * applied; zones are independent. A failure skips its dependants and nothing else, unless
 * it is systemic (stop.ts): then no new request starts, in the run or in that zone. An
 * aborted signal stops new requests too (the client sends none it has not started); those
 * in flight finish. What never started is counted as not started, under the cause that
 * stopped it.
 */
import { setMaxListeners } from 'node:events';
import { isUsableUuid, toApiRecordInput, zoneDomain } from '../api/convert.js';
import { ApiError } from '../api/errors.js';
import { InconsistentAnswerError, UnusableUuidError } from '../api/live.js';
import type { ApiRecordInput, ApiZoneSummary, CallOptions, DnsApi } from '../api/types.js';
import type { Change, Plan, ZonePlan } from '../plan/types.js';
import { quoted } from '../text/terminal.js';
import { causeOf, INTERRUPTED } from './causes.js';
import { StopRules } from './stop.js';
import type { ApplyCounts, ApplyEvent, ApplyResult, ChangeResult, NotMade, Stop } from './types.js';

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
  const sizes = zones.map((zone) => ({
    domain: zone.domain,
    changes: zone.changes.length + (zone.create_zone ? 1 : 0),
  }));
  const total = sizes.reduce((sum, zone) => sum + zone.changes, 0);
  const emit = (event: ApplyEvent) => options.onEvent?.(event);
  const results: ChangeResult[] = [];
  const counts: ApplyCounts = { applied: 0, failed: 0, skipped: 0, notStarted: 0 };
  const stops: Stop[] = [];
  // `run` stops new requests (any stop); `systemic` also ends the retries of requests
  // already sent (a failure every request meets), which an interruption lets finish.
  const run = new AbortController();
  const systemic = new AbortController();
  const zoneStops = new Map(zones.map((zone) => [zone.domain, new AbortController()]));
  // Every zone and every waiting request listens to these: many listeners are expected.
  setMaxListeners(0, run.signal, systemic.signal, ...[...zoneStops.values()].map((c) => c.signal));
  const halt = (controller: AbortController | undefined, stop: Stop) => {
    if (controller === undefined || controller.signal.aborted || run.signal.aborted) return;
    const reason = new Stopped(stop);
    controller.abort(reason);
    if (controller === run && stop.cause !== INTERRUPTED) systemic.abort(reason);
    if (stop.cause !== INTERRUPTED) stops.push(stop);
    emit({ kind: 'stop', stop });
  };
  const rules = new StopRules();
  const report = (result: ChangeResult) => {
    results.push(result);
    counts[result.status === 'not-started' ? 'notStarted' : result.status]++;
    emit({ kind: 'done', result, counts: { ...counts }, total });
    const stop = rules.observe(result);
    if (stop !== null) halt(stop.zone === undefined ? run : zoneStops.get(stop.zone), stop);
  };
  const interrupt = () =>
    halt(run, { cause: INTERRUPTED, why: 'interrupted: no new request is started' });
  if (options.signal?.aborted) interrupt();
  options.signal?.addEventListener('abort', interrupt, { once: true });
  emit({ kind: 'start', total, zones: sizes });

  const touched = new Set<string>();
  try {
    await Promise.all(
      zones.map((zone) => {
        const zoneStop = zoneStops.get(zone.domain)!.signal;
        const calls = {
          signal: AbortSignal.any([run.signal, zoneStop]),
          stopRetries: AbortSignal.any([systemic.signal, zoneStop]),
        };
        setMaxListeners(0, calls.signal, calls.stopRetries);
        return applyZone(zone, { api, calls, report, emit, touched });
      }),
    );
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
  }

  return {
    results,
    total,
    ...counts,
    interrupted: options.signal?.aborted === true,
    stops,
    touchedZones: [...touched].sort(),
    elapsedMs: performance.now() - started,
  };
}

/** The reason a signal of the run carries once aborted: the client rejects with it. */
class Stopped extends Error {
  constructor(readonly stop: Stop) {
    super(stop.why);
    this.name = 'Stopped';
  }
}

interface ZoneContext {
  api: DnsApi;
  /** Passed to every call: the signal that stops requests not yet started. */
  calls: CallOptions & { signal: AbortSignal };
  report: (result: ChangeResult) => void;
  emit: (event: ApplyEvent) => void;
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
    if (created.status !== 'applied') {
      for (const change of zone.changes) {
        ctx.report(blockedBy(created, change, `the zone ${domain} could not be created`));
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
          const why = blocker.status === 'failed' ? 'failed' : 'was skipped';
          const result = blockedBy(
            blocker,
            change,
            `depends on ${describeChange(blocker.change)}, which ${why}`,
          );
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

/**
 * What becomes of a change that waited for `blocker`, which was not applied: not started
 * for the same reason when it was not started, else skipped (`message` says why).
 */
function blockedBy(blocker: NotMade, change: Change, message: string): ChangeResult {
  if (blocker.status === 'not-started') return { ...blocker, change };
  return { zone: blocker.zone, change, status: 'skipped', message, cause: blocker.cause };
}

/** Runs one change, unless the run was stopped before it could start, and reports it. */
async function runStep(
  ctx: ZoneContext,
  domain: string,
  change: Change | null,
  work: () => Promise<string | undefined>,
): Promise<ChangeResult> {
  let result: ChangeResult;
  if (ctx.calls.signal.aborted) result = notStarted(domain, change, ctx.calls.signal.reason);
  else {
    ctx.emit({ kind: 'begin', zone: domain });
    try {
      const note = await work();
      result = { zone: domain, change, status: 'applied', ...(note ? { note } : {}) };
    } catch (error) {
      // The client did not start it after a stop: the signal's reason is the error.
      result =
        error instanceof Stopped
          ? notStarted(domain, change, error)
          : {
              zone: domain,
              change,
              status: 'failed',
              message: errorMessage(error),
              cause: causeOf(error),
            };
    }
  }
  ctx.report(result);
  return result;
}

function notStarted(domain: string, change: Change | null, reason: unknown): ChangeResult {
  const stop: Stop =
    reason instanceof Stopped ? reason.stop : { cause: INTERRUPTED, why: 'interrupted' };
  return {
    zone: domain,
    change,
    status: 'not-started',
    message:
      stop.cause === INTERRUPTED
        ? 'not started: apply was interrupted'
        : `not started: ${stop.why}`,
    cause: stop.cause,
  };
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

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
