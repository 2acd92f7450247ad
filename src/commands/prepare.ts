/**
 * The I/O around the pure planner, shared by `plan` and `apply`: validate the zone
 * files, read the live zones (one list + one detail per managed zone), computePlan.
 * It lives here, not in plan/, because plan/ does no I/O.
 *
 * `apply` validates first: with any error nothing is sent to the API, not even the list.
 * `plan` (`readEarly`) starts reading beside the validation, since the domains are known
 * from the zone files' names; when validation fails, the reads in flight are aborted and
 * the rest never sent (docs/design.md, "Reading while validating").
 */
import { setMaxListeners } from 'node:events';
import {
  createClientFromEnv,
  type LiveState,
  type ReadOptions,
  readLiveZones,
} from '../api/live.js';
import type { DnsApi } from '../api/types.js';
import { type DesiredZone, fail, type Issue, type LiveZone, ok, type Result } from '../model.js';
import { computePlan, planZone } from '../plan/index.js';
import type { Plan, SafetyOptions, ZonePlan } from '../plan/types.js';
import { canonicalDomain } from '../records/index.js';
import { ZONE_FILE, zoneFilesIn } from '../zonefile/files.js';
import { clientOptions, type PlanFlags, safetyFromFlags } from './common.js';
import { type CheckedZones, checkZoneFiles, checkZoneFilesAside } from './zone-check.js';

export interface PreparedPlan {
  plan: Plan;
  /** The zone files' warnings (an error ends preparation). */
  warnings: Issue[];
  desired: DesiredZone[];
  live: LiveState;
}

export interface PrepareOptions {
  /** The client to read with; by default one from VPS_API_TOKEN and VPS_API_URL, closed afterwards. */
  api?: DnsApi;
  /** Read the live zones while the zone files are validated (see the top of this file). */
  readEarly?: boolean;
}

/**
 * The plan of the zone files in `flags.zones` (of `domains` only, when given), or every
 * issue when one of them is an error.
 */
export async function preparePlan(
  flags: PlanFlags,
  domains: readonly string[],
  options: PrepareOptions = {},
): Promise<Result<PreparedPlan, Issue[]>> {
  const safety = safetyFromFlags(flags);
  const withFile = await zoneFileDomains(flags.zones);
  const early = options.readEarly
    ? startReading(flags, domains, withFile, options.api, safety)
    : null;
  let validated: CheckedZones;
  try {
    // With reads in flight, the files are checked on a thread of their own.
    validated = await (early === null ? checkZoneFiles : checkZoneFilesAside)(flags.zones, domains);
  } catch (error) {
    await early?.cancel();
    throw error;
  }
  const { desired, issues } = validated;
  if (issues.some((issue) => issue.severity === 'error')) {
    await early?.cancel();
    return fail(issues);
  }
  early?.validated(desired);

  const live = await (early?.live ??
    readZones(
      flags,
      options.api,
      desired.map((zone) => zone.domain),
    ));
  let unmanaged = live.unmanaged;
  if (domains.length > 0) {
    // Only some zone files were read: the others' zones are managed, just not planned now.
    unmanaged = unmanaged.filter((domain) => !withFile?.domains.has(domain));
  }
  const plan = computePlan(desired, live.live, {
    safety,
    unmanagedZones: unmanaged,
    ...(early ? { planned: early.planned } : {}),
  });
  return ok({ plan, warnings: issues, desired, live: { live: live.live, unmanaged } });
}

interface EarlyReading {
  live: Promise<LiveState>;
  /** Aborts the reads in flight (the rest are never sent) and waits until they end. */
  cancel(): Promise<void>;
  /** The zone files are valid: each zone read is planned from now on, as it arrives. */
  validated(desired: readonly DesiredZone[]): void;
  /** The zones planned so far, by domain. */
  planned: Map<string, ZonePlan>;
}

/**
 * Starts reading the live zones of the zone files, or returns null when that has to wait
 * for validation: a zones directory that cannot be listed, a file name that is not a
 * domain or two files of one domain (all errors validation reports), a domain asked for
 * without a file (loadZones says so), or no usable token (the error comes after
 * validation, as without early reading).
 */
function startReading(
  flags: PlanFlags,
  domains: readonly string[],
  withFile: ZoneFiles | null,
  api: DnsApi | undefined,
  safety: SafetyOptions,
): EarlyReading | null {
  if (withFile === null || !withFile.clean) return null;
  const asked = new Set<string>();
  for (const raw of domains) {
    const domain = canonicalDomain(raw);
    if (!domain.ok || !withFile.domains.has(domain.value)) return null;
    asked.add(domain.value);
  }
  const reading = [...withFile.domains].filter((d) => domains.length === 0 || asked.has(d));
  // Each zone is planned as it arrives, while later reads are on the wire: the planner's
  // work is then done by the time the last answer comes. Zones read before the files
  // are valid wait for that.
  const planned = new Map<string, ZonePlan>();
  let valid: Map<string, DesiredZone> | null = null;
  const waiting: LiveZone[] = [];
  const plan = (zone: LiveZone) => {
    const desired = valid?.get(zone.domain);
    if (desired !== undefined) planned.set(zone.domain, planZone(desired, zone, safety));
  };
  const controller = new AbortController();
  // The client listens on it once per request in flight: --concurrency of them, not a leak.
  setMaxListeners(0, controller.signal);
  let live: Promise<LiveState>;
  try {
    live = readZones(flags, api, reading, {
      cancel: controller.signal,
      onZone: (zone) => (valid === null ? waiting.push(zone) : plan(zone)),
    });
  } catch {
    return null;
  }
  // Awaited only after validation; until then a failure must not count as unhandled.
  live.catch(() => {});
  return {
    live,
    async cancel() {
      controller.abort(new Error('the zone files have errors'));
      await live.catch(() => {});
    },
    validated(desired) {
      valid = new Map(desired.map((zone) => [zone.domain, zone]));
      for (const zone of waiting.splice(0)) plan(zone);
    },
    planned,
  };
}

/**
 * The live zones of `domains`, read with `api`, or with a client of its own from the
 * environment, closed afterwards (creating it throws at once when the token is unusable).
 */
function readZones(
  flags: PlanFlags,
  api: DnsApi | undefined,
  domains: readonly string[],
  options?: ReadOptions,
): Promise<LiveState> {
  const own = api === undefined ? createClientFromEnv(clientOptions(flags)) : undefined;
  return readLiveZones(own ?? api!, domains, undefined, options).finally(() => own?.close());
}

interface ZoneFiles {
  /** The canonical domain of each zone file whose name is one, in file-name order. */
  domains: Set<string>;
  /** Every file's name is a domain, and no two files name the same one. */
  clean: boolean;
}

/** The zone files of `dir` (as loadZones finds them) and their domains; null if there are none. */
async function zoneFileDomains(dir: string): Promise<ZoneFiles | null> {
  let names: string[];
  try {
    names = await zoneFilesIn(dir);
  } catch {
    return null;
  }
  const domains = new Set<string>();
  let clean = true;
  for (const name of names) {
    const domain = canonicalDomain(name.replace(ZONE_FILE, ''));
    if (!domain.ok || domains.has(domain.value)) clean = false;
    if (domain.ok) domains.add(domain.value);
  }
  return { domains, clean };
}
