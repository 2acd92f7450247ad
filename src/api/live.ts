/**
 * Reading the live side for plan, apply and import (docs/design.md, "Reading live zones"): one list
 * request (all its pages), then one zone-detail request per zone wanted, never
 * anything per record. Zones not wanted are listed as unmanaged, not read.
 *
 * The answers are cross-checked before anything acts on them: every later PATCH and
 * DELETE is addressed by the uuids read here, so a list that names one domain twice, a
 * detail that is not the zone asked for, or one record uuid in two places would send
 * writes to the wrong zone. Each is an InconsistentAnswerError, thrown before any write.
 */
import { UserError } from '../errors.js';
import type { LiveZone } from '../model.js';
import { forTerminal, quoted as quote } from '../text/terminal.js';
import { VpsClient, type VpsClientOptions } from './client.js';
import { configFromEnv } from './config.js';
import { isUsableUuid, toLiveZone, zoneDomain } from './convert.js';
import type { ApiZoneDetail, ApiZoneSummary, CallOptions, DnsApi } from './types.js';

export interface ReadOptions {
  /** Ends the reading: requests in flight are aborted, the rest never sent. */
  cancel?: AbortSignal;
  /** Called with each zone as it is read and checked, while others are still on the wire. */
  onZone?: (zone: LiveZone) => void;
}

export interface LiveState {
  /** Live zones that were read, by canonical domain. */
  live: Map<string, LiveZone>;
  /** Domains of live zones not read (no zone file), sorted. */
  unmanaged: string[];
}

/** The API contradicted itself; nothing it said can be relied on to address a write. */
export class InconsistentAnswerError extends UserError {
  constructor(problem: string) {
    super(`the VPS.org API answer is inconsistent: ${problem}; dnssync does not act on it`);
    this.name = 'InconsistentAnswerError';
  }
}

/** The API gave an identifier no request can be addressed to (see isUsableUuid). */
export class UnusableUuidError extends UserError {
  constructor(what: string, uuid: string) {
    super(
      `the VPS.org API answer is unusable: ${what} has the uuid ${quote(uuid)}, which cannot address a request (it is empty, "." or "..", or holds /, \\, ?, #, %, white space or a control character); dnssync does not act on it`,
    );
    this.name = 'UnusableUuidError';
  }
}

/**
 * `wanted` are the domains to read (any spelling; canonicalised here), or 'all'. A
 * wanted domain with no live zone is simply absent from `live` (the planner creates it).
 *
 * Every zone read is asked of `api` at once: the client keeps its `concurrency` of them
 * on the wire and the rest queued, so a finished read is replaced by the next one before
 * its answer is parsed and converted, and the connections never wait for this thread.
 */
export async function readLiveZones(
  api: DnsApi,
  wanted: readonly string[] | 'all',
  /** The zone list when the caller has already asked for it (import screens it first). */
  listing?: readonly ApiZoneSummary[],
  options: ReadOptions = {},
): Promise<LiveState> {
  const wantedSet = wanted === 'all' ? null : new Set(wanted.map(zoneDomain));
  const call: CallOptions = options.cancel ? { cancel: options.cancel } : {};
  const unmanaged: string[] = [];
  const reads: Promise<LiveZone>[] = [];
  // Record uuid → its zone's domain, filled as each zone arrives (while others are still
  // on the wire, so the check costs no time at the end).
  const recordZones = new Map<string, string>();
  for (const [domain, summary] of zonesByDomain(listing ?? (await api.listZones({}, call)))) {
    if (wantedSet !== null && !wantedSet.has(domain)) {
      unmanaged.push(domain);
      continue;
    }
    if (!isUsableUuid(summary.uuid)) {
      throw new UnusableUuidError(`zone ${quote(domain)}`, summary.uuid);
    }
    reads.push(
      api.getZone(summary.uuid, call).then((detail) => {
        const zone = checkedZone(detail, summary, domain);
        claimRecordUuids(zone, recordZones);
        options.onZone?.(zone);
        return zone;
      }),
    );
  }
  const zones = (await Promise.all(reads)).sort((a, b) => a.domain.localeCompare(b.domain));
  return { live: new Map(zones.map((zone) => [zone.domain, zone])), unmanaged: unmanaged.sort() };
}

/**
 * The zone list by canonical domain. A provider hosts a domain once: two entries with
 * one domain and different uuids leave no way to tell which zone is meant. The same
 * entry twice (a page boundary that moved while paging) is read once.
 */
function zonesByDomain(summaries: readonly ApiZoneSummary[]): Map<string, ApiZoneSummary> {
  const byDomain = new Map<string, ApiZoneSummary>();
  for (const summary of summaries) {
    const domain = zoneDomain(summary.domain);
    const other = byDomain.get(domain);
    if (other === undefined) byDomain.set(domain, summary);
    else if (other.uuid !== summary.uuid) {
      throw new InconsistentAnswerError(
        `the zone list names ${quote(domain)} twice, as zones ${quote(other.uuid)} and ${quote(summary.uuid)}`,
      );
    }
  }
  return byDomain;
}

/** The detail must be the zone asked for, under the domain the list gave it. */
function checkedZone(detail: ApiZoneDetail, asked: ApiZoneSummary, domain: string): LiveZone {
  if (detail.uuid !== asked.uuid) {
    throw new InconsistentAnswerError(
      `asked for zone ${quote(asked.uuid)} (${quote(domain)}), the answer is zone ${quote(detail.uuid)}`,
    );
  }
  const zone = toLiveZone(detail);
  if (zone.domain !== domain) {
    throw new InconsistentAnswerError(
      `zone ${quote(asked.uuid)} is ${quote(domain)} in the zone list but ${quote(zone.domain)} in its own answer`,
    );
  }
  // Every update and delete is addressed by these: refused now, not at the write.
  for (const record of zone.records) {
    if (!isUsableUuid(record.uuid)) {
      throw new UnusableUuidError(
        `record ${quote(record.name)} ${quote(record.type)} of zone ${quote(domain)}`,
        record.uuid,
      );
    }
  }
  return zone;
}

/** A record uuid names one record: a second one (in the same zone or another) is an error. */
function claimRecordUuids(zone: LiveZone, recordZones: Map<string, string>): void {
  for (const record of zone.records) {
    const other = recordZones.get(record.uuid);
    if (other !== undefined) {
      const where =
        other === zone.domain
          ? `twice in zone ${quote(zone.domain)}`
          : `in both ${[other, zone.domain].sort().map(quote).join(' and ')}`;
      throw new InconsistentAnswerError(`record ${quote(record.uuid)} is listed ${where}`);
    }
    recordZones.set(record.uuid, zone.domain);
  }
}

export interface ClientFromEnvOptions
  extends Omit<VpsClientOptions, 'baseUrl' | 'token' | 'concurrency'> {
  concurrency: number;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Where debug lines go (one per request, response and retry; never the token).
   * Defaults to stderr when DNSSYNC_DEBUG is set in `env`, else nowhere.
   */
  debug?: ((line: string) => void) | null;
}

/**
 * The client plan, apply and import use: token from VPS_API_TOKEN, base URL from
 * VPS_API_URL, both checked before any request (a UserError otherwise).
 */
export function createClientFromEnv(options: ClientFromEnvOptions): VpsClient {
  const { env = process.env, debug, ...rest } = options;
  const config = configFromEnv(env);
  const log =
    debug === undefined
      ? env.DNSSYNC_DEBUG
        ? (line: string) => process.stderr.write(`dnssync: debug: ${forTerminal(line)}\n`)
        : null
      : debug;
  const hooks: Hooks = {};
  if (log !== null) {
    hooks.onResponse = (event) => {
      const result = event.status === null ? (event.code ?? 'no response') : String(event.status);
      const again = event.attempt > 1 ? ` (attempt ${event.attempt})` : '';
      log(
        `${event.method} ${event.path}${again} -> ${result} in ${Math.round(event.durationMs)} ms`,
      );
    };
    hooks.onRetry = (event) => {
      const check = event.recheck ? '; re-reading the zone first, the outcome is unknown' : '';
      log(
        `${event.method} ${event.path}: ${event.reason}, retrying in ${event.delayMs} ms${check}`,
      );
    };
  }
  return new VpsClient({
    ...rest,
    ...chain(rest, hooks),
    baseUrl: config.baseUrl,
    token: config.token,
  });
}

type Hooks = Pick<VpsClientOptions, 'onResponse' | 'onRetry'>;

/** The caller's hooks and the debug log's, both called. */
function chain(given: Hooks, extra: Hooks): Hooks {
  const result: Hooks = {};
  for (const key of ['onResponse', 'onRetry'] as const) {
    const a = given[key] as ((event: never) => void) | undefined;
    const b = extra[key] as ((event: never) => void) | undefined;
    if (a && b) {
      Object.assign(result, {
        [key]: (event: never) => {
          a(event);
          b(event);
        },
      });
    } else if (a ?? b) Object.assign(result, { [key]: a ?? b });
  }
  return result;
}
