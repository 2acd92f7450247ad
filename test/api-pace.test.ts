/** The pacer alone, on fake timers: when requests may start after a 429, and how the pace adapts. */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Pacer, type PaceTicket, PaceWaitExceeded } from '../src/api/pace.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Asks for `count` turns at once; resolves to their start times as they come. */
function ask(pacer: Pacer, count: number, signal?: AbortSignal) {
  const starts: number[] = [];
  const tickets = Array.from({ length: count }, () =>
    pacer.turn(signal).then((ticket) => {
      starts.push(ticket.at);
      return ticket;
    }),
  );
  return { starts, tickets };
}

const noJitter = () => 0;

describe('Pacer', () => {
  test('lets everything start at once until a 429', async () => {
    const pacer = new Pacer(noJitter);
    const { starts } = ask(pacer, 20);
    await vi.advanceTimersByTimeAsync(0);
    expect(starts).toHaveLength(20);
    expect(new Set(starts).size).toBe(1);
    expect(pacer.intervalMs).toBe(0);
  });

  test('after a 429, nothing starts before Retry-After, then one interval apart', async () => {
    const pacer = new Pacer(noJitter);
    const first = await pacer.turn();
    pacer.succeeded();
    const refused = await pacer.turn();
    // One success within the Retry-After of a second: one request a second to begin with.
    pacer.throttled(refused, 1000);
    expect(pacer.intervalMs).toBe(1000);
    const { starts } = ask(pacer, 3);
    await vi.advanceTimersByTimeAsync(999);
    expect(starts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([first.at + 1000]);
    await vi.advanceTimersByTimeAsync(999);
    expect(starts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([first.at + 1000, first.at + 2000]);
  });

  test('429s of requests sent before the slow-down slow it once', async () => {
    const pacer = new Pacer(noJitter);
    const burst = await Promise.all(Array.from({ length: 8 }, () => pacer.turn()));
    pacer.succeeded();
    for (const ticket of burst.slice(1)) pacer.throttled(ticket, 1000);
    expect(pacer.intervalMs).toBe(1000);
  });

  test('searches up fast, then backs off by 25 %, then by 10 %, and creeps up slowly', async () => {
    const pacer = new Pacer(noJitter);
    pacer.succeeded();
    pacer.throttled(await pacer.turn(), 1000);
    await vi.advanceTimersByTimeAsync(1000);
    // Searching: a success after waiting 1 s shortens the interval fourfold (its most).
    pacer.succeeded();
    expect(pacer.intervalMs).toBe(250);
    pacer.succeeded();
    expect(pacer.intervalMs).toBeCloseTo(250 / Math.SQRT2, 6);
    const ticket: PaceTicket = await pacer.turn();
    expect(ticket.interval).toBeCloseTo(176.78, 1);
    pacer.throttled(ticket, 1000);
    expect(pacer.intervalMs).toBeCloseTo(176.78 * 1.25, 1);
    const settled = pacer.intervalMs;
    pacer.succeeded();
    expect(pacer.intervalMs).toBeCloseTo(settled * 0.999, 6);
    await vi.advanceTimersByTimeAsync(2000);
    pacer.throttled(await pacer.turn(), 1000);
    expect(pacer.intervalMs).toBeCloseTo(settled * 0.999 * 1.1, 6);
  });

  test('a long Retry-After starts slow but does not fall back to no pacing on one success', async () => {
    const pacer = new Pacer(noJitter);
    pacer.succeeded();
    pacer.throttled(await pacer.turn(), 30_000);
    expect(pacer.intervalMs).toBe(30_000);
    pacer.succeeded();
    expect(pacer.intervalMs).toBe(7500);
  });

  test('the gaps are stretched by up to 10 % at random', async () => {
    const pacer = new Pacer(() => 0.999);
    pacer.succeeded();
    const refused = await pacer.turn();
    pacer.throttled(refused, 1000);
    const { starts } = ask(pacer, 2);
    await vi.advanceTimersByTimeAsync(1099);
    expect(starts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1100);
    expect(starts).toHaveLength(2);
    // 1,000 ms stretched by 9.99 %; timers fire on whole milliseconds.
    for (const gap of [
      (starts[0] as number) - refused.at,
      (starts[1] as number) - (starts[0] as number),
    ]) {
      expect(gap).toBeGreaterThanOrEqual(1099.9);
      expect(gap).toBeLessThan(1101);
    }
  });

  test('a waiting turn rejects when its signal aborts, and leaves the queue', async () => {
    const pacer = new Pacer(noJitter);
    pacer.succeeded();
    pacer.throttled(await pacer.turn(), 1000);
    const controller = new AbortController();
    const { tickets } = ask(pacer, 2, controller.signal);
    const other = pacer.turn();
    controller.abort();
    await expect(tickets[0]).rejects.toBe(controller.signal.reason);
    await expect(tickets[1]).rejects.toBe(controller.signal.reason);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await other).at).toBeGreaterThanOrEqual(1000);
    await expect(pacer.turn(controller.signal)).rejects.toBe(controller.signal.reason);
  });

  test('a turn that does not come within its maxWaitMs rejects, and leaves the queue', async () => {
    const pacer = new Pacer(noJitter);
    pacer.succeeded();
    const refused = await pacer.turn();
    pacer.throttled(refused, 1000);
    const impatient = pacer.turn(undefined, 400);
    const patient = pacer.turn();
    let gaveUp: unknown = null;
    impatient.catch((error: unknown) => {
      gaveUp = error;
    });
    await vi.advanceTimersByTimeAsync(399);
    expect(gaveUp).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(gaveUp).toBeInstanceOf(PaceWaitExceeded);
    // The turn it gave up is the next one's: it starts when the Retry-After ends.
    await vi.advanceTimersByTimeAsync(600);
    expect((await patient).at).toBe(refused.at + 1000);
    // A turn due at once is given at once, whatever the limit.
    const free = new Pacer(noJitter);
    await expect(free.turn(undefined, 0)).resolves.toMatchObject({ interval: 0 });
  });
});
