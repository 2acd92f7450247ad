/**
 * The I/O around the pure planner, shared by `plan` and `apply`: validate the zone
 * files, read the live zones (one list + one detail per managed zone), computePlan.
 * It lives here, not in plan/, because plan/ does no I/O.
 * Validation comes first: with any error nothing is sent to the API, not even the list.
 */
import { readdir } from 'node:fs/promises';
import { createClientFromEnv, type LiveState, readLiveZones } from '../api/live.js';
import type { DnsApi } from '../api/types.js';
import { zoneChecks } from '../checks/index.js';
import type { DesiredZone, Issue } from '../model.js';
import { computePlan } from '../plan/index.js';
import type { Plan, SafetyOptions } from '../plan/types.js';
import { canonicalDomain } from '../records/index.js';
import { loadZones } from '../zonefile/load.js';
import { domainFromFileName } from '../zonefile/parse.js';

export interface PrepareOptions {
  zonesDir: string;
  /** Only these domains; empty for every zone file. */
  domains: readonly string[];
  concurrency: number;
  /** Time limit of one API request with its retries (default: the client's). */
  timeoutMs?: number;
  safety?: Partial<SafetyOptions>;
  /** The API to read from; by default a client from VPS_API_TOKEN / VPS_API_URL, closed afterwards. */
  api?: DnsApi;
}

export type Prepared =
  | { ok: false; issues: Issue[] }
  | {
      ok: true;
      plan: Plan;
      /** Warnings only (errors end preparation). */
      issues: Issue[];
      desired: DesiredZone[];
      live: LiveState;
    };

export async function preparePlan(options: PrepareOptions): Promise<Prepared> {
  const { zones: desired, issues } = await loadZones(options.zonesDir, [...options.domains]);
  // The offline DNS checks, as validate runs them: an error among them stops the plan too.
  issues.push(...(await zoneChecks(desired, options.zonesDir)));
  if (issues.some((issue) => issue.severity === 'error')) return { ok: false, issues };

  const ownClient = options.api
    ? null
    : createClientFromEnv({
        concurrency: options.concurrency,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
  const api = options.api ?? ownClient!;
  let live: LiveState;
  try {
    live = await readLiveZones(
      api,
      desired.map((zone) => zone.domain),
    );
  } finally {
    await ownClient?.close();
  }

  let unmanaged = live.unmanaged;
  if (options.domains.length > 0) {
    // Only some zone files were read: the others' zones are managed, just not planned now.
    const withFile = await zoneFileDomains(options.zonesDir);
    unmanaged = unmanaged.filter((domain) => !withFile.has(domain));
  }
  const plan = computePlan(desired, live.live, {
    ...(options.safety ? { safety: options.safety } : {}),
    unmanagedZones: unmanaged,
  });
  return { ok: true, plan, issues, desired, live: { live: live.live, unmanaged } };
}

async function zoneFileDomains(dir: string): Promise<Set<string>> {
  const domains = new Set<string>();
  for (const entry of await readdir(dir)) {
    if (!/\.ya?ml$/i.test(entry)) continue;
    const domain = canonicalDomain(domainFromFileName(entry));
    if (domain.ok) domains.add(domain.value);
  }
  return domains;
}
