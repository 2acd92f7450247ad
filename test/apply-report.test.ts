/**
 * Apply on a bad day, the pure parts and the executor against a stand-in API: causes
 * group alike failures, the stop rules tell systemic failures from others, the counts of
 * events and results agree, and the report stays a few lines however many changes failed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { VpsClient } from '../src/api/client.js';
import {
  AuthenticationError,
  HttpError,
  NetworkError,
  PermissionError,
  TimeoutError,
} from '../src/api/errors.js';
import type { ApiRecord, ApiZoneDetail, CallOptions, DnsApi } from '../src/api/types.js';
import { causeOf } from '../src/apply/causes.js';
import { executePlan } from '../src/apply/execute.js';
import { applyResultJson } from '../src/apply/json.js';
import { statusText, timeLeft } from '../src/apply/progress.js';
import { applyExitCode, renderSummary } from '../src/apply/report.js';
import { StopRules } from '../src/apply/stop.js';
import type { ApplyEvent, ApplyResult, ChangeResult } from '../src/apply/types.js';
import type { Verification } from '../src/apply/verify-zones.js';
import { computePlan } from '../src/plan/index.js';
import type { Plan } from '../src/plan/types.js';
import { planSentence } from '../src/render/words.js';
import { painter } from '../src/text/terminal.js';
import { desiredZone, have, liveZone, want } from './plan-fixtures.js';

const paint = painter(false);
const forbidden = (path: string, permission = 'dns:create') =>
  new PermissionError({
    method: 'POST',
    path,
    status: 403,
    detail: `Token lacks ${permission} permission`,
  });
const refusedWith = (path: string, detail: string) =>
  new HttpError({ method: 'POST', path, status: 400, statusText: 'Bad Request', detail });
const unreachable = (path: string) =>
  new NetworkError({
    method: 'PATCH',
    path,
    origin: 'http://127.0.0.1:9',
    reason: 'connection refused',
    code: 'ECONNREFUSED',
    attempts: 5,
  });

describe('causes', () => {
  it('one cause for the same answer about different requests', () => {
    const a = causeOf(forbidden('/api/v1/dns-zones/z1/records/'));
    const b = causeOf(forbidden('/api/v1/dns-zones/z2/records/'));
    expect(a).toEqual(b);
    expect(a).toMatchObject({ title: '403 dns:create missing', kind: 'token' });
    expect(causeOf(forbidden('/x/', 'dns:delete')).key).not.toBe(a.key);

    const quota = causeOf(refusedWith('/api/v1/dns-zones/z1/records/', 'record quota reached'));
    expect(quota).toEqual(
      causeOf(refusedWith('/api/v1/dns-zones/z9/records/', 'record quota reached')),
    );
    expect(quota).toMatchObject({ title: '400 record quota reached', kind: 'refused' });

    const gateway = new HttpError({
      method: 'PATCH',
      path: '/api/v1/dns-records/r1/',
      status: 502,
      statusText: 'Bad Gateway',
      attempts: 5,
    });
    expect(causeOf(gateway)).toMatchObject({ title: '502 Bad Gateway', kind: 'other' });

    const network = causeOf(unreachable('/api/v1/dns-records/r1/'));
    expect(network).toEqual(causeOf(unreachable('/api/v1/dns-records/r2/')));
    expect(network).toMatchObject({
      title: 'cannot reach VPS.org API at http://127.0.0.1:9: connection refused',
      kind: 'network',
    });
    const timeout = new TimeoutError({
      method: 'GET',
      path: '/x/',
      origin: 'http://127.0.0.1:9',
      code: 'DNSSYNC_REQUEST_TIMEOUT',
      timeoutMs: 30_000,
    });
    expect(causeOf(timeout).kind).toBe('network');
    expect(causeOf(new AuthenticationError({ method: 'GET', path: '/x/', status: 401 })).kind).toBe(
      'token',
    );
  });
});

function failed(
  zone: string,
  error: unknown,
  action: 'create' | 'update' = 'create',
): ChangeResult {
  return {
    zone,
    change: { action } as ChangeResult['change'],
    status: 'failed',
    message: String(error),
    cause: causeOf(error),
  };
}
const applied = (zone: string): ChangeResult => ({ zone, change: null, status: 'applied' });

describe('stop rules', () => {
  it('a 401 or 403 stops the run at once', () => {
    const rules = new StopRules();
    expect(rules.observe(failed('a.example', forbidden('/p/')))).toMatchObject({
      why: expect.stringContaining('403 dns:create missing'),
    });
    expect(rules.observe(failed('a.example', forbidden('/p/')))?.zone).toBeUndefined();
  });

  it('3 changes in a row without an answer stop the run; any answer resets the count', () => {
    const rules = new StopRules();
    expect(rules.observe(failed('a.example', unreachable('/1/'), 'update'))).toBeNull();
    expect(rules.observe(failed('a.example', unreachable('/2/'), 'update'))).toBeNull();
    expect(rules.observe(applied('b.example'))).toBeNull();
    expect(rules.observe(failed('a.example', unreachable('/3/'), 'update'))).toBeNull();
    expect(rules.observe(failed('a.example', unreachable('/4/'), 'update'))).toBeNull();
    const stop = rules.observe(failed('b.example', unreachable('/5/'), 'update'));
    expect(stop?.why).toContain('3 changes in a row got no answer from the API');
    expect(stop?.zone).toBeUndefined();
  });

  it('5 creates of one zone refused alike stop that zone; other causes or an applied change reset it', () => {
    const rules = new StopRules();
    const quota = (zone: string) => failed(zone, refusedWith(`/${zone}/`, 'record quota reached'));
    for (let i = 0; i < 4; i++) expect(rules.observe(quota('a.example'))).toBeNull();
    expect(rules.observe(applied('a.example'))).toBeNull();
    for (let i = 0; i < 4; i++) expect(rules.observe(quota('a.example'))).toBeNull();
    expect(rules.observe(failed('a.example', refusedWith('/x/', 'other reason')))).toBeNull();
    for (let i = 0; i < 4; i++) expect(rules.observe(quota('a.example'))).toBeNull();
    // Another zone's refusals count for that zone only.
    for (let i = 0; i < 4; i++) expect(rules.observe(quota('b.example'))).toBeNull();
    expect(rules.observe(quota('a.example'))).toMatchObject({
      zone: 'a.example',
      why: '5 creates in a row in a.example were refused alike (400 record quota reached)',
    });
  });
});

/**
 * A stand-in for the API with the client's contract: `concurrency` requests at a time, a
 * call not yet started when its signal aborts rejects with the signal's reason.
 */
function standIn(answer: (zone: string, input: { name: string }) => Error | null, concurrency = 2) {
  const limit = pLimit(concurrency);
  let sent = 0;
  const api: DnsApi = {
    listZones: async () => [],
    getZone: async () => {
      throw new Error('not used');
    },
    createZone: async (domain) =>
      ({
        uuid: `zone-${domain}`,
        domain,
        created_at: '',
        record_count: 0,
        records: [],
      }) as ApiZoneDetail,
    createRecord: (zoneUuid, input, options: CallOptions = {}) =>
      limit(async () => {
        if (options.signal?.aborted) throw options.signal.reason;
        sent++;
        await new Promise((resolve) => setTimeout(resolve, 1));
        const error = answer(zoneUuid.replace(/^zone-/, ''), input);
        if (error) throw error;
        return { uuid: `r${sent}`, ...input } as unknown as ApiRecord;
      }),
    updateRecord: async () => ({}) as ApiRecord,
    deleteRecord: async () => {},
  };
  return { api, sent: () => sent };
}

/** A plan creating `count` TXT records in each of `domains` (zones that exist). */
function createsIn(domains: string[], count: number): Plan {
  return computePlan(
    domains.map((domain) =>
      desiredZone(
        domain,
        Array.from({ length: count }, (_, i) =>
          want(`n${String(i).padStart(3, '0')}`, 'TXT', `v${i}`),
        ),
      ),
    ),
    new Map(domains.map((domain) => [domain, liveZone(domain, [])])),
  );
}

async function execute(plan: Plan, api: DnsApi) {
  const events: ApplyEvent[] = [];
  const result = await executePlan(plan, api, { onEvent: (event) => events.push(event) });
  const last = events.filter((e) => e.kind === 'done').at(-1);
  return { result, events, lastCounts: last?.kind === 'done' ? last.counts : null };
}

describe('executePlan on a bad day', () => {
  it('a 403 stops the run: what never started is counted as not started, and the counts add up', async () => {
    const { api, sent } = standIn((_zone, input) => forbidden(`/records/${input.name}`));
    const plan = createsIn(['a.example', 'b.example', 'c.example'], 100);
    const { result, events, lastCounts } = await execute(plan, api);
    expect(result.total).toBe(300);
    expect(result.applied).toBe(0);
    expect(result.failed).toBe(sent());
    expect(sent()).toBeLessThanOrEqual(3);
    expect(result.notStarted).toBe(300 - result.failed);
    expect(result.failed + result.skipped + result.notStarted).toBe(300);
    expect(lastCounts).toEqual({
      applied: result.applied,
      failed: result.failed,
      skipped: result.skipped,
      notStarted: result.notStarted,
    });
    expect(events.filter((e) => e.kind === 'stop')).toHaveLength(1);
    expect(result.stops).toHaveLength(1);
    expect(result.interrupted).toBe(false);
    // All 300 share the 403's cause.
    expect(new Set(result.results.map((r) => r.cause?.title))).toEqual(
      new Set(['403 dns:create missing']),
    );
  });

  it('5 creates refused alike stop that zone only; the others go on', async () => {
    const { api } = standIn((zone) =>
      zone === 'full.example' ? refusedWith('/x/', 'record quota reached') : null,
    );
    const plan = createsIn(['full.example', 'other.example'], 40);
    const { result } = await execute(plan, api);
    const inZone = (zone: string, status: string) =>
      result.results.filter((r) => r.zone === zone && r.status === status).length;
    expect(inZone('other.example', 'applied')).toBe(40);
    expect(inZone('full.example', 'failed')).toBeGreaterThanOrEqual(5);
    expect(inZone('full.example', 'failed')).toBeLessThanOrEqual(8);
    expect(inZone('full.example', 'not-started')).toBe(40 - inZone('full.example', 'failed'));
    expect(result.stops).toEqual([expect.objectContaining({ zone: 'full.example' })]);
  });

  it('a change waiting for one not started is not started either, for the same reason', async () => {
    // host A → CNAME: the create waits for the delete that clears the name.
    const plan = computePlan(
      [desiredZone('a.example', [want('host', 'CNAME', 'target.example.net')])],
      new Map([['a.example', liveZone('a.example', [have('r1', 'host', 'A', '192.0.2.1')])]]),
    );
    const controller = new AbortController();
    controller.abort();
    const { api } = standIn(() => null);
    const result = await executePlan(plan, api, { signal: controller.signal });
    expect(result.results.map((r) => r.status)).toEqual(['not-started', 'not-started']);
    expect(result.results.map((r) => r.message)).toEqual([
      'not started: apply was interrupted',
      'not started: apply was interrupted',
    ]);
    expect(result.interrupted).toBe(true);
  });
});

/** A result of `n` changes in three zones, all refused for one reason, most never started. */
function manyRefused(n: number, started = 8): ApplyResult {
  const error = forbidden('/api/v1/dns-zones/z1/records/');
  const results: ChangeResult[] = Array.from({ length: n }, (_, i) => ({
    zone: ['a.example', 'b.example', 'c.example'][i % 3]!,
    change: {
      id: `x#${i + 1}`,
      action: 'create',
      name: `h${i}`,
      type: 'A',
      value: `192.0.2.${i % 250}`,
      ttl: 3600,
      priority: null,
      record_uuid: null,
      phase: 'upsert',
      depends_on: [],
    },
    status: i < started ? 'failed' : 'not-started',
    message: i < started ? error.message : 'not started: the API refused the token',
    cause: causeOf(error),
  }));
  return {
    results,
    total: n,
    applied: 0,
    failed: started,
    skipped: 0,
    notStarted: n - started,
    interrupted: false,
    stops: [{ cause: causeOf(error), why: 'the API refused the token (403 dns:create missing)' }],
    touchedZones: ['a.example', 'b.example', 'c.example'],
    elapsedMs: 1234,
  };
}

describe('the summary', () => {
  it('counts 1,286 changes refused alike in a few lines, every one with --verbose', () => {
    const result = manyRefused(1286);
    const text = renderSummary(result, null, { paint, verbose: false });
    expect(text.trimEnd().split('\n')).toEqual([
      'Apply stopped: 0 of 1,286 changes applied, 8 failed, 1,278 not started (1.2s).',
      '  403 dns:create missing: 1,286 changes not made in a.example, b.example, c.example (8 failed, 1,278 not started)',
      expect.stringMatching(
        /^ {4}e\.g\. a\.example {2}\+ h0 A 192\.0\.2\.0: the API token lacks dns:create/,
      ),
      '    and 1,285 more changes (dnssync apply --verbose lists them)',
      'Stopped early: the API refused the token (403 dns:create missing); no new request was started (1,278 changes not started).',
      "8 changes were refused by the API (see above): fix the zone files or the token's permissions, then run dnssync apply again.",
    ]);
    const verbose = renderSummary(result, null, { paint, verbose: true });
    expect(
      verbose.split('\n').filter((line) => line.startsWith('    a.example  + h')),
    ).toHaveLength(429);
    expect(verbose.split('\n').length).toBeGreaterThan(1286);
  });

  it('exit status and message agree with verification', () => {
    const oneFailed = manyRefused(3, 1);
    // What verification finds still differing: nothing, or the change that failed.
    const verified = (zones: string[], remaining = 0): Verification => ({
      zones,
      remaining: {
        zones: [
          {
            domain: 'a.example',
            create_zone: false,
            changes: remaining > 0 ? [oneFailed.results[0]!.change] : [],
          },
        ],
        summary: { create: remaining, update: 0, delete: 0, zones_to_create: 0 },
      } as unknown as Plan,
      removedDuplicates: 0,
    });
    Object.assign(oneFailed, { stops: [], notStarted: 0, failed: 1, applied: 2 });
    oneFailed.results = [
      oneFailed.results[0]!,
      { ...oneFailed.results[1]!, status: 'applied' },
      { ...oneFailed.results[2]!, status: 'applied' },
    ];
    // The failed change's zone was re-read and matches: the job is done.
    expect(applyExitCode(oneFailed, verified(['a.example']))).toBe(0);
    const text = renderSummary(oneFailed, verified(['a.example']), { paint, verbose: false });
    expect(text).toContain(
      '✓ Verified: 1 zone now matches its zone file, so the change not made here is not needed any more',
    );
    expect(text).not.toContain('run dnssync apply again');
    // Not re-read (--no-verify), or still different: not done.
    expect(applyExitCode(oneFailed, null)).toBe(1);
    expect(applyExitCode(oneFailed, verified(['a.example'], 1))).toBe(1);
    const differs = renderSummary(oneFailed, verified(['a.example'], 1), { paint, verbose: false });
    expect(differs).not.toContain('✓');
    expect(differs).toContain(
      'Verification failed: live DNS still differs from the zone files, by the 1 change not made above and nothing else.',
    );
    // Its zone not among those re-read: not done either.
    expect(applyExitCode(oneFailed, verified(['b.example']))).toBe(1);
    expect(applyExitCode({ ...oneFailed, interrupted: true }, verified(['a.example']))).toBe(130);
  });

  it('--format json: every change with its outcome and error, zone by zone in plan order', () => {
    const json = JSON.parse(applyResultJson(manyRefused(5, 2), null));
    expect(json).toMatchObject({
      format_version: 1,
      result: 'stopped',
      exit_code: 1,
      summary: { total: 5, applied: 0, failed: 2, skipped: 0, not_started: 3 },
      verified: null,
    });
    expect(json.changes.map((c: { zone: string; id: string }) => `${c.zone} ${c.id}`)).toEqual([
      'a.example x#1',
      'a.example x#4',
      'b.example x#2',
      'b.example x#5',
      'c.example x#3',
    ]);
    expect(json.changes[0]).toEqual({
      id: 'x#1',
      zone: 'a.example',
      action: 'create',
      name: 'h0',
      type: 'A',
      value: '192.0.2.0',
      ttl: 3600,
      priority: null,
      outcome: 'failed',
      error: expect.stringContaining('the API token lacks dns:create'),
      cause: '403 dns:create missing',
      note: null,
    });
  });
});

describe('the status line', () => {
  it('shows counts, a moving clock, the time left and what the API makes it wait for', () => {
    expect(
      statusText({
        label: 'Applying',
        elapsedMs: 12_345,
        counts: { applied: 1138, failed: 2, skipped: 0, notStarted: 0 },
        total: 3000,
        leftMs: 8_000,
        rateLimitedMs: 1_400,
        retryingAfter: '502',
        retries: 14,
      }),
    ).toBe(
      'Applying 1,138/3,000 · 2 failed · 12.3s · about 8.0s left · rate limited, waiting 1.4s · 14 retries',
    );
    expect(statusText({ label: 'Reading live zones', elapsedMs: 400, zonesRead: 3 })).toBe(
      'Reading live zones · 3 read · 0.4s',
    );
    expect(
      statusText({
        label: 'Applying',
        elapsedMs: 125_000,
        counts: { applied: 1, failed: 0, skipped: 0, notStarted: 0 },
        total: 2,
        retryingAfter: 'ECONNRESET',
      }),
    ).toBe('Applying 1/2 · 2m05s · retrying after ECONNRESET');
  });

  it('estimates the time left from the recent rate, and not before it is known', () => {
    expect(timeLeft([0, 100, 200, 300], 10, 400)).toBeNull();
    // 5 answers over 400 ms: 100 ms each; 10 left.
    expect(timeLeft([0, 100, 200, 300, 400], 10, 400)).toBe(1000);
    // Nothing answered for a while: the estimate grows.
    expect(timeLeft([0, 100, 200, 300, 400], 10, 800)!).toBeGreaterThan(1000);
    expect(timeLeft([0, 100, 200, 300, 400], 0, 400)).toBeNull();
  });
});

describe('the plan counts what apply counts', () => {
  it('zone creations are changes in the plan sentence too', () => {
    const plan = computePlan(
      [
        desiredZone('new.example', [want('@', 'A', '192.0.2.1'), want('www', 'A', '192.0.2.2')]),
        desiredZone('old.example', [want('@', 'A', '192.0.2.3', 300)]),
      ],
      new Map([['old.example', liveZone('old.example', [have('r1', '@', 'A', '192.0.2.3')])]]),
    );
    expect(planSentence(plan)).toBe(
      'Plan: 3 to create (1 new zone, 2 records), 1 to update, 0 to delete in 2 zones.',
    );
  });
});

describe('the client, told to stop retrying', () => {
  it('gives up at once, even in the middle of a wait, with the last answer', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(502).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = new VpsClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: 'vps_stop_retries',
      // Long waits between attempts: the test ends only if the stop cuts them short.
      retry: { baseDelayMs: 60_000, maxDelayMs: 60_000, random: () => 0.99 },
    });
    try {
      const stop = new AbortController();
      const call = api
        .updateRecord('r1', { ttl: 60 }, { stopRetries: stop.signal })
        .catch((error: unknown) => error);
      while (requests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      stop.abort();
      expect(String(await call)).toMatch(/PATCH \/api\/v1\/dns-records\/r1\/: 502/);
      expect(requests).toBe(1);
      // Stopped before the call: one attempt, no retry.
      await expect(
        api.updateRecord('r2', { ttl: 60 }, { stopRetries: stop.signal }),
      ).rejects.toThrow(/502/);
      expect(requests).toBe(2);
    } finally {
      await api.close();
      server.close();
    }
  });
});
