/**
 * readLiveZones: one list (all pages), one detail read per zone that has a file, within
 * the concurrency; zones without a file listed as unmanaged, never read.
 */
import { describe, expect, test } from 'vitest';
import { createClientFromEnv, readLiveZones } from '../src/api/live.js';
import type { DnsApi } from '../src/api/types.js';
import { client, onCleanup, sandbox } from './api-helpers.js';

async function seed(api: ReturnType<typeof client>, domains: string[]): Promise<void> {
  for (const [i, domain] of domains.entries()) {
    const zone = await api.createZone(domain);
    await api.createRecord(zone.uuid, { record_type: 'A', name: '@', value: `192.0.2.${i + 1}` });
    await api.createRecord(zone.uuid, {
      record_type: 'MX',
      name: '@',
      value: `MX.${domain}.`,
      priority: 10,
    });
  }
}

describe('readLiveZones', () => {
  test('reads the zones with a file, lists the others, nothing per record', async () => {
    const sb = await sandbox({ pageSize: 2, latencyMs: 20 });
    const api = client(sb, { concurrency: 2 });
    await seed(api, ['a.com', 'b.com', 'c.com', 'd.com', 'e.com']);
    const zones = new Map(sb.zones().map((zone) => [zone.domain, zone.uuid]));
    sb.resetStats();

    const state = await readLiveZones(api, ['c.com', 'A.com.', 'new.org', 'e.com']);

    expect([...state.live.keys()]).toEqual(['a.com', 'c.com', 'e.com']);
    expect(state.unmanaged).toEqual(['b.com', 'd.com']);
    const c = state.live.get('c.com');
    expect(c?.uuid).toBe(zones.get('c.com'));
    expect(c?.records.map((r) => `${r.name} ${r.type} ${r.value} ${r.priority}`)).toEqual([
      '@ A 192.0.2.3 null',
      '@ MX mx.c.com 10',
    ]);
    // 3 list pages (5 zones, 2 per page) and 3 zone reads; no record endpoint.
    expect(sb.stats.byMethod).toEqual({ GET: 6 });
    expect(sb.stats.peakInFlight).toBeLessThanOrEqual(2);
  });

  test('the zone reads run concurrently, up to the limit', async () => {
    const sb = await sandbox({ latencyMs: 20 });
    const api = client(sb, { concurrency: 4 });
    const domains = Array.from({ length: 12 }, (_, i) => `zone${i}.com`);
    for (const domain of domains) await api.createZone(domain);
    sb.resetStats();
    const state = await readLiveZones(api, domains);
    expect(state.live.size).toBe(12);
    expect(state.unmanaged).toEqual([]);
    expect(sb.stats.peakInFlight).toBe(4);
  });

  test('with no live zones, nothing is read beyond the list', async () => {
    const sb = await sandbox();
    const state = await readLiveZones(client(sb), ['example.com']);
    expect(state.live.size).toBe(0);
    expect(state.unmanaged).toEqual([]);
    expect(sb.stats.requests).toBe(1);
  });

  test('the same list entry twice (a page boundary that moved) is read once, not an error', async () => {
    const summary = { uuid: 'z1', domain: 'example.com', created_at: '', record_count: 0 };
    const reads: string[] = [];
    const api = {
      listZones: async () => [summary, { ...summary, domain: 'Example.COM.' }],
      getZone: async (uuid: string) => {
        reads.push(uuid);
        return { ...summary, records: [] };
      },
    } as unknown as DnsApi;
    const state = await readLiveZones(api, ['example.com']);
    expect([...state.live.keys()]).toEqual(['example.com']);
    expect(reads).toEqual(['z1']);
  });
});

describe('createClientFromEnv', () => {
  test('uses VPS_API_URL and VPS_API_TOKEN, and writes debug lines without the token', async () => {
    const sb = await sandbox();
    const lines: string[] = [];
    const api = createClientFromEnv({
      concurrency: 3,
      env: { VPS_API_URL: sb.url, VPS_API_TOKEN: sb.token },
      debug: (line) => lines.push(line),
    });
    onCleanup(() => api.close());
    expect(api.concurrency).toBe(3);
    await api.createZone('example.com');
    await api.listZones({ domain: 'example.com' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^POST \/api\/v1\/dns-zones\/ -> 201 in \d+ ms$/);
    expect(lines[1]).toMatch(/^GET \/api\/v1\/dns-zones\/\?domain=example\.com -> 200 in \d+ ms$/);
    expect(lines.join('\n')).not.toContain(sb.token.slice(4));
  });

  test('logs retries with their reason and wait', async () => {
    const sb = await sandbox();
    const lines: string[] = [];
    const api = createClientFromEnv({
      concurrency: 1,
      env: { VPS_API_URL: sb.url, VPS_API_TOKEN: sb.token },
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
      debug: (line) => lines.push(line),
      // The caller's hook runs beside the debug log's: it heals the sandbox.
      onRetry: () => sb.setFaults({ failAfter: 0 }),
    });
    onCleanup(() => api.close());
    const zone = await api.createZone('example.com');
    const record = await api.createRecord(zone.uuid, {
      record_type: 'A',
      name: 'www',
      value: '192.0.2.1',
    });
    sb.setFaults({ failAfter: 1 });
    await api.deleteRecord(record.uuid);
    expect(sb.zone('example.com')?.records).toEqual([]);
    expect(lines.some((line) => /^DELETE .*: server-error, retrying in \d+ ms$/.test(line))).toBe(
      true,
    );
    expect(lines.some((line) => /^DELETE .*\(attempt 2\) -> 404/.test(line))).toBe(true);
  });
});
