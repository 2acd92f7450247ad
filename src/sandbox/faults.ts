/**
 * Fault injection: fixed latency, a per-token token-bucket rate limit, and seeded
 * random faults (dropped connections, 502 before or after a write takes effect), so a
 * failing test can be replayed with the same seed.
 */

export interface FaultKnobs {
  /** Delay (ms) before answering every API request. */
  latencyMs: number;
  /** Requests per second per token (a token bucket); null = unlimited. */
  rateLimit: number | null;
  /** Requests a token may send at once, the bucket's size; null = max(1, rateLimit). */
  rateBurst: number | null;
  /** Fraction of writes answering 502 without taking effect. */
  failBefore: number;
  /** Fraction of successful writes answering 502 after taking effect (the ambiguous case). */
  failAfter: number;
  /** Fraction of API requests whose connection is destroyed without a response, before any effect. */
  dropConnections: number;
}

export const NO_FAULTS: FaultKnobs = {
  latencyMs: 0,
  rateLimit: null,
  rateBurst: null,
  failBefore: 0,
  failAfter: 0,
  dropConnections: 0,
};

export const DEFAULT_SEED = 0x5eed;

/** Why `knobs` are out of range, or null when they are fine. */
export function knobsProblem(knobs: Partial<FaultKnobs>): string | null {
  const { latencyMs, rateLimit, rateBurst, failBefore, failAfter, dropConnections } = knobs;
  if (latencyMs !== undefined && !(Number.isFinite(latencyMs) && latencyMs >= 0)) {
    return `latencyMs must be a number >= 0 (got ${latencyMs})`;
  }
  if (
    rateLimit !== undefined &&
    rateLimit !== null &&
    !(Number.isFinite(rateLimit) && rateLimit > 0)
  ) {
    return `rateLimit must be a number > 0 (got ${rateLimit})`;
  }
  if (
    rateBurst !== undefined &&
    rateBurst !== null &&
    !(Number.isInteger(rateBurst) && rateBurst >= 1)
  ) {
    return `rateBurst must be a whole number >= 1 or null (got ${rateBurst})`;
  }
  for (const [name, value] of Object.entries({ failBefore, failAfter, dropConnections })) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 1)) {
      return `${name} must be a fraction between 0 and 1 (got ${value})`;
    }
  }
  return null;
}

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One bucket per token: `rate` tokens per second, holding at most `burst` (default max(1, rate)). */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly capacity: number;

  constructor(
    private readonly rate: number,
    burst: number | null = null,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = burst ?? Math.max(1, rate);
  }

  /** Null when `key` may make a request now, else the seconds until it may. */
  take(key: string): number | null {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate));
  }
}

export class FaultInjector {
  private knobs: FaultKnobs;
  private random: () => number;
  private buckets: TokenBuckets | null;

  constructor(knobs: FaultKnobs, seed: number) {
    this.knobs = { ...knobs };
    this.random = seededRandom(seed);
    this.buckets = bucketsFor(this.knobs);
  }

  get current(): FaultKnobs {
    return { ...this.knobs };
  }

  /** Changes some knobs; a new rate limit or burst starts with full buckets, a new seed restarts the PRNG. */
  update(knobs: Partial<FaultKnobs>, seed?: number): void {
    const next = { ...this.knobs };
    for (const [key, value] of Object.entries(knobs)) {
      if (value !== undefined) Object.assign(next, { [key]: value });
    }
    this.knobs = next;
    if (knobs.rateLimit !== undefined || knobs.rateBurst !== undefined) {
      this.buckets = bucketsFor(next);
    }
    if (seed !== undefined) this.random = seededRandom(seed);
  }

  get latencyMs(): number {
    return this.knobs.latencyMs;
  }

  shouldDrop(): boolean {
    return this.roll(this.knobs.dropConnections);
  }

  shouldFailBefore(): boolean {
    return this.roll(this.knobs.failBefore);
  }

  shouldFailAfter(): boolean {
    return this.roll(this.knobs.failAfter);
  }

  /** Null when the token's request may go now, else the seconds of its Retry-After. */
  takeToken(token: string): number | null {
    return this.buckets === null ? null : this.buckets.take(token);
  }

  /** Draws from the PRNG only when the fault is enabled, so unrelated knobs keep sequences stable. */
  private roll(fraction: number): boolean {
    if (fraction <= 0) return false;
    if (fraction >= 1) return true;
    return this.random() < fraction;
  }
}

function bucketsFor(knobs: FaultKnobs): TokenBuckets | null {
  return knobs.rateLimit === null ? null : new TokenBuckets(knobs.rateLimit, knobs.rateBurst);
}
