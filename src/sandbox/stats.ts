/** Counters the tests read: how many API requests, of which methods, how many at once. */

export interface SandboxStats {
  requests: number;
  byMethod: Record<string, number>;
  byStatus: Record<string, number>;
  inFlight: number;
  /** The most API requests in progress at the same time since the last reset. */
  peakInFlight: number;
  faults: { dropped: number; failBefore: number; failAfter: number; rateLimited: number };
}

export type FaultKind = keyof SandboxStats['faults'];

export class StatsCounter {
  private stats: SandboxStats = emptyStats(0);

  begin(method: string): void {
    this.stats.requests++;
    this.stats.byMethod[method] = (this.stats.byMethod[method] ?? 0) + 1;
    this.stats.inFlight++;
    this.stats.peakInFlight = Math.max(this.stats.peakInFlight, this.stats.inFlight);
  }

  end(): void {
    this.stats.inFlight--;
  }

  status(code: number): void {
    this.stats.byStatus[code] = (this.stats.byStatus[code] ?? 0) + 1;
  }

  fault(kind: FaultKind): void {
    this.stats.faults[kind]++;
  }

  /** Zeroes every counter; requests still in progress stay counted as in flight. */
  reset(): void {
    this.stats = emptyStats(this.stats.inFlight);
  }

  snapshot(): SandboxStats {
    return structuredClone(this.stats);
  }
}

function emptyStats(inFlight: number): SandboxStats {
  return {
    requests: 0,
    byMethod: {},
    byStatus: {},
    inFlight,
    peakInFlight: inFlight,
    faults: { dropped: 0, failBefore: 0, failAfter: 0, rateLimited: 0 },
  };
}
