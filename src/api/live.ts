/**
 * Reading the live side for plan, apply and import (SPEC §5 "Reading"): one list
 * request (all its pages), then one zone-detail request per zone that has a zone file,
 * never anything per record. Zones without a file are listed as unmanaged, not read.
 */
import type { LiveZone } from '../model.js';
import { VpsClient, type VpsClientOptions } from './client.js';
import { configFromEnv } from './config.js';
import { toLiveZone, zoneDomain } from './convert.js';
import type { DnsApi } from './types.js';

export interface LiveState {
  /** Live zones that have a zone file, by canonical domain. */
  live: Map<string, LiveZone>;
  /** Domains of live zones without a zone file, sorted. */
  unmanaged: string[];
}

/**
 * `desiredDomains` are the canonical domains of the zone files in play. A desired domain
 * with no live zone is simply absent from `live` (the planner creates it).
 *
 * Every zone read is asked of `api` at once: the client keeps its `concurrency` of them
 * on the wire and the rest queued, so a finished read is replaced by the next one before
 * its answer is parsed and converted, and the connections never wait for this thread.
 */
export async function readLiveZones(
  api: DnsApi,
  desiredDomains: readonly string[],
): Promise<LiveState> {
  const wanted = new Set(desiredDomains.map(zoneDomain));
  const summaries = await api.listZones();
  const unmanaged = new Set<string>();
  const reads: Promise<LiveZone>[] = [];
  const seen = new Set<string>();
  for (const summary of summaries) {
    const domain = zoneDomain(summary.domain);
    if (!wanted.has(domain)) {
      unmanaged.add(domain);
      continue;
    }
    // A provider never hosts one domain twice; if a list repeats it, read it once.
    if (seen.has(domain)) continue;
    seen.add(domain);
    reads.push(api.getZone(summary.uuid).then(toLiveZone));
  }
  const zones = await Promise.all(reads);
  const live = new Map<string, LiveZone>();
  for (const zone of zones.sort((a, b) => a.domain.localeCompare(b.domain)))
    live.set(zone.domain, zone);
  return { live, unmanaged: [...unmanaged].sort() };
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
        ? (line: string) => process.stderr.write(`dnssync: debug: ${line}\n`)
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
