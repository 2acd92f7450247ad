/**
 * One verification round: every declared record set of every zone, asked of every
 * nameserver (bounded concurrency). `verifyUntil` repeats rounds until all match or
 * the time is up (`--wait`), since nameservers pick up a change some time after apply.
 */
import pLimit from 'p-limit';
import type { DesiredZone } from '../model.js';
import { compareSet, expectedSets, type SetResult } from './compare.js';
import type { NameserverClient } from './query.js';

interface ServerReport {
  server: string;
  results: SetResult[];
}

export interface ZoneReport {
  domain: string;
  file: string;
  servers: ServerReport[];
}

/**
 * How the checks came out; a check is one record set asked of one nameserver. A check
 * that got no usable answer (a timeout, a refused query or connection, an unreadable
 * answer) compared nothing: it is `unchecked`, never `mismatched`. A record set below a
 * delegation that no server serves (not glue) is never asked: `notServed`, apart from
 * the checks.
 */
export interface Tally {
  checks: number;
  matched: number;
  mismatched: number;
  unchecked: number;
  notServed: number;
}

export function tally(results: readonly SetResult[]): Tally {
  const count = (kinds: readonly string[]) =>
    results.filter((r) => kinds.includes(r.verdict.kind)).length;
  const notServed = count(['not-served']);
  return {
    checks: results.length - notServed,
    matched: count(['match']),
    mismatched: count(['missing', 'differs']),
    unchecked: count(['error']),
    notServed,
  };
}

/** Every result of every zone at every nameserver. */
export function allResults(reports: readonly ZoneReport[]): SetResult[] {
  return reports.flatMap((zone) => zone.servers.flatMap((server) => server.results));
}

export function allMatch(reports: readonly ZoneReport[]): boolean {
  return reports.every((zone) =>
    zone.servers.every((server) =>
      server.results.every((r) => r.verdict.kind === 'match' || r.verdict.kind === 'not-served'),
    ),
  );
}

async function verifyRound(
  zones: readonly DesiredZone[],
  clients: readonly NameserverClient[],
  concurrency: number,
): Promise<ZoneReport[]> {
  const limit = pLimit(concurrency);
  return Promise.all(
    zones.map(async (zone) => {
      const sets = expectedSets(zone);
      const servers = await Promise.all(
        clients.map(async (client) => ({
          server: client.server.label,
          results: await Promise.all(
            sets.map((set) =>
              limit(async (): Promise<SetResult> => {
                if (set.served.kind === 'occluded') {
                  return { set, verdict: { kind: 'not-served', cut: set.cut ?? set.fqdn } };
                }
                return { set, verdict: compareSet(set, await client.observe(set)) };
              }),
            ),
          ),
        })),
      );
      return { domain: zone.domain, file: zone.file, servers };
    }),
  );
}

export interface VerifyUntilOptions {
  concurrency: number;
  /** Seconds to keep trying; 0 = one round. */
  waitSeconds: number;
  /** Pause between rounds. */
  intervalMs: number;
  /** Told after each round that does not match yet, when another will follow. */
  onRetry?: (reports: ZoneReport[], remainingMs: number) => void;
  now?: () => number;
}

export async function verifyUntil(
  zones: readonly DesiredZone[],
  clients: readonly NameserverClient[],
  options: VerifyUntilOptions,
): Promise<{ reports: ZoneReport[]; rounds: number }> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.waitSeconds * 1000;
  let rounds = 0;
  for (;;) {
    const reports = await verifyRound(zones, clients, options.concurrency);
    rounds++;
    const remaining = deadline - now();
    if (allMatch(reports) || remaining <= 0) return { reports, rounds };
    options.onRetry?.(reports, remaining);
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs, remaining)));
  }
}
