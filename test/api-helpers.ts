/**
 * Shared setup for the API client tests: an in-process sandbox on a random loopback
 * port and a client bound to it, both closed after each test.
 */
import { afterEach } from 'vitest';
import { VpsClient, type VpsClientOptions } from '../src/api/client.js';
import type { RetryPolicy } from '../src/api/retry.js';
import type { ApiRecord } from '../src/api/types.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../src/sandbox/server.js';

/** Short backoff so fault tests run quickly; Retry-After stays honoured (but capped). */
const FAST_RETRY: Partial<RetryPolicy> = {
  baseDelayMs: 2,
  maxDelayMs: 20,
  maxAttempts: 8,
  retryAfterJitterMs: 50,
  minRateLimitDelayMs: 10,
};

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** Registers something to close after the current test. */
export function onCleanup(close: () => Promise<void>): void {
  cleanups.push(close);
}

export async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const started = await startSandbox(options);
  onCleanup(() => started.close());
  return started;
}

export function client(
  target: { url: string; token: string },
  options: Partial<VpsClientOptions> = {},
): VpsClient {
  const created = new VpsClient({
    baseUrl: target.url,
    token: target.token,
    ...options,
    retry: { ...FAST_RETRY, ...options.retry },
  });
  onCleanup(() => created.close());
  return created;
}

/** How many records of a zone share each identity as the sandbox stores it. */
export function identityCounts(records: ApiRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) {
    const key = `${record.name}|${record.record_type}|${record.value}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
