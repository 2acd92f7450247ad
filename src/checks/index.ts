/**
 * The DNS checks as the commands use them: the repository's settings beside the zones
 * directory, the offline checks always, the online ones when asked for.
 */
import type { DesiredZone, Issue } from '../model.js';
import { zoneFileDomains } from '../zonefile/load.js';
import { loadChecksConfig } from './config.js';
import { runOfflineChecks } from './engine.js';
import { DEFAULT_DNS, dnsLookup, localFirst } from './online/lookup.js';
import { runOnlineChecks } from './online/run.js';

export interface ZoneChecksOptions {
  /** Run the online checks too, asking these servers (`host:port`; empty: the system's). */
  online?: { servers: string[] };
}

/** Issues of the checks for `zones` (and of dnssync.yaml, if it is broken). */
export async function zoneChecks(
  zones: readonly DesiredZone[],
  zonesDir: string,
  options: ZoneChecksOptions = {},
): Promise<Issue[]> {
  const { config, issues } = loadChecksConfig(zonesDir);
  if (issues.length > 0) return issues;
  // Every zone the repository has a file for, so a name can be told it belongs in another.
  const zoneFiles = await zoneFileDomains(zonesDir);
  for (const zone of zones) if (!zoneFiles.has(zone.domain)) zoneFiles.set(zone.domain, zone.file);
  const found = runOfflineChecks(zones, config, zoneFiles);
  if (options.online) {
    const lookup = localFirst(
      zones,
      dnsLookup({ ...DEFAULT_DNS, servers: options.online.servers }),
    );
    found.push(...(await runOnlineChecks(zones, config, lookup)));
  }
  return found;
}
