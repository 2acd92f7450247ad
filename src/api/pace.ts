/**
 * Pacing under a server's rate limit. Until the first 429 nothing is paced. After it,
 * request starts are spaced `interval` apart, each gap stretched by up to 10 % at random
 * so clients sharing a limit do not fall into step, and the interval adapts:
 *
 * - The first 429 sets the interval from what the server just accepted: its
 *   `Retry-After` (1 s without one) divided by the requests it answered within that time.
 * - Until a request is refused again, each success shortens the interval so the rate
 *   doubles every half second (at most fourfold per success, for a long `Retry-After`):
 *   a quick search for the server's rate from below.
 * - A 429 for a paced request sets the interval to the one that request was sent at,
 *   plus 25 % when it ends the search (the search's last step may have overshot by
 *   about that much), plus 10 % later. After the search each success shortens the
 *   interval by 0.1 %, so the rate creeps back up and finds a limit that was raised.
 * - 429s for requests sent before the last slow-down are the same burst: they do not
 *   slow it down again.
 * - While a `Retry-After` runs, nothing starts; afterwards requests leave one interval
 *   apart, not all at once.
 *
 * Waiters are few: requests wait here while holding one of the client's connection slots.
 */

/** What the pacer knows about one request it let start. */
export interface PaceTicket {
  /** When it started (performance.now(), a monotonic clock). */
  at: number;
  /** The interval in force when it started (0: unpaced). */
  interval: number;
}

interface Waiter {
  resolve(ticket: PaceTicket): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  /** Ends a wait longer than the caller allowed. */
  timer: NodeJS.Timeout | undefined;
}

/** A turn did not come within the wait its caller allowed. */
export class PaceWaitExceeded extends Error {
  constructor(readonly waitedMs: number) {
    super(`no turn within ${Math.round(waitedMs)} ms`);
    this.name = 'PaceWaitExceeded';
  }
}

const JITTER = 0.1;
const SLOWER_AFTER_SEARCH = 1.25;
const SLOWER_AFTER_429 = 1.1;
const FASTER_PER_SUCCESS = 0.999;
/** While searching, the interval halves after this many milliseconds of sending... */
const SEARCH_HALVING_MS = 500;
/** ...but one success shortens it at most this much. */
const SEARCH_MAX_STEP = 0.25;
/** A pace this fast no longer needs pacing: back to unpaced, searching again after a 429. */
const MIN_INTERVAL_MS = 1;
/** Successes remembered for the first estimate. */
const RECENT = 256;

export class Pacer {
  #interval = 0;
  #searching = true;
  /** This gap's random stretch, drawn when the previous request started. */
  #stretch = 1;
  #lastStart = Number.NEGATIVE_INFINITY;
  #holdUntil = 0;
  #slowedAt = Number.NEGATIVE_INFINITY;
  readonly #successes: number[] = [];
  readonly #waiting: Waiter[] = [];
  #timer: NodeJS.Timeout | null = null;
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  /** Milliseconds between request starts now; 0 while unpaced. */
  get intervalMs(): number {
    return this.#interval;
  }

  /**
   * Resolves when a request may start. With `signal`, a wait still queued when it aborts
   * rejects with the signal's reason (as does an aborted signal on entry); a wait longer
   * than `maxWaitMs` rejects with PaceWaitExceeded.
   */
  turn(signal?: AbortSignal, maxWaitMs = Number.POSITIVE_INFINITY): Promise<PaceTicket> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = performance.now();
    if (this.#waiting.length === 0 && now >= this.#due()) return Promise.resolve(this.#start(now));
    return new Promise((resolve, reject) => {
      const leave = (reason: unknown) => {
        const index = this.#waiting.indexOf(waiter);
        if (index >= 0) this.#waiting.splice(index, 1);
        clearTimeout(waiter.timer);
        signal?.removeEventListener('abort', waiter.onAbort);
        reject(reason);
      };
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => leave(signal?.reason),
        timer: Number.isFinite(maxWaitMs)
          ? setTimeout(() => leave(new PaceWaitExceeded(maxWaitMs)), Math.max(0, maxWaitMs))
          : undefined,
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiting.push(waiter);
      this.#schedule(now);
    });
  }

  /** The server answered without refusing (any status but 429). */
  succeeded(): void {
    const now = performance.now();
    if (this.#interval === 0) {
      this.#successes.push(now);
      if (this.#successes.length > RECENT) this.#successes.shift();
      return;
    }
    this.#interval *= this.#searching
      ? Math.max(SEARCH_MAX_STEP, 2 ** (-this.#interval / SEARCH_HALVING_MS))
      : FASTER_PER_SUCCESS;
    if (this.#interval < MIN_INTERVAL_MS) {
      this.#interval = 0;
      this.#searching = true;
      this.#successes.length = 0;
    }
    // The next start may now come sooner than the timer was set for.
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
      this.#schedule(now);
    }
  }

  /** The request of `ticket` was answered 429, with `retryAfterMs` when the server said. */
  throttled(ticket: PaceTicket, retryAfterMs: number | null): void {
    const now = performance.now();
    if (retryAfterMs !== null) this.#holdUntil = Math.max(this.#holdUntil, now + retryAfterMs);
    if (ticket.at <= this.#slowedAt) return;
    this.#slowedAt = now;
    if (this.#interval === 0) {
      const window = retryAfterMs ?? 1000;
      const accepted = this.#successes.filter((at) => at > now - window).length;
      this.#interval = Math.max(window, MIN_INTERVAL_MS) / Math.max(1, accepted);
    } else {
      const slower = this.#searching ? SLOWER_AFTER_SEARCH : SLOWER_AFTER_429;
      this.#interval = Math.max(this.#interval, ticket.interval) * slower;
      this.#searching = false;
    }
  }

  #due(): number {
    return Math.max(this.#holdUntil, this.#lastStart + this.#interval * this.#stretch);
  }

  #start(now: number): PaceTicket {
    this.#lastStart = now;
    this.#stretch = 1 + JITTER * this.#random();
    return { at: now, interval: this.#interval };
  }

  #schedule(now: number): void {
    if (this.#timer !== null || this.#waiting.length === 0) return;
    this.#timer = setTimeout(this.#release, Math.max(0, this.#due() - now));
  }

  /** Starts the waiters whose turn has come (one per interval), then waits for the next. */
  readonly #release = (): void => {
    this.#timer = null;
    const now = performance.now();
    while (this.#waiting.length > 0 && now >= this.#due()) {
      const waiter = this.#waiting.shift() as Waiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      clearTimeout(waiter.timer);
      waiter.resolve(this.#start(now));
    }
    this.#schedule(now);
  };
}
