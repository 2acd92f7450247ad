/**
 * Interrupting apply: SIGINT or SIGTERM during a long apply starts no
 * new request, lets those in flight finish, prints the summary and exits 130; a second
 * apply then converges. The built CLI against the in-process sandbox with latency, so the
 * apply is still running when the signal arrives.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import {
  type CliTarget,
  duplicateIdentities,
  emptySandbox,
  line,
  liveLines,
  runCli,
  type Seed,
  seedZone,
  spawnCli,
  tempZones,
  writeCount,
  writeZone,
} from './apply-helpers.js';
import { CLI_BUILT } from './sandbox-helpers.js';

const DOMAIN = 'interrupt.example';
const CONCURRENCY = 4;
const pad = (n: number) => String(n).padStart(3, '0');

/**
 * 300 changes in one zone: 50 TTL updates, 40 deletes, 10 names turned from A into
 * CNAME (10 clearing deletes, 10 creates that wait for them) and 190 creates.
 */
const live: Seed[] = Array.from({ length: 100 }, (_, i) => [`h${pad(i)}`, 'A', `192.0.2.${i + 1}`]);
const records = [
  ...Array.from({ length: 50 }, (_, i) => ({
    name: `h${pad(i)}`,
    type: 'A',
    value: `192.0.2.${i + 1}`,
    ttl: 120,
  })),
  ...Array.from({ length: 10 }, (_, i) => ({
    name: `h${pad(50 + i)}`,
    type: 'CNAME',
    value: `alias${i}.example.net`,
    ttl: 3600,
  })),
  ...Array.from({ length: 190 }, (_, i) => ({
    name: `n${pad(i)}`,
    type: 'TXT',
    value: `record ${i}`,
    ttl: 3600,
  })),
];
const desired = records.map((r) => line(r.name, r.type, r.value, r.ttl));
const yaml = `records:\n${records
  .map(
    (r) =>
      `  - { name: ${r.name}, type: ${r.type}, value: ${JSON.stringify(r.value)}, ttl: ${r.ttl} }\n`,
  )
  .join('')}`;

let sandbox: Sandbox;
let temp: Awaited<ReturnType<typeof tempZones>>;
let target: CliTarget;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  temp = await tempZones('dnssync-interrupt-');
  target = { sandbox, zonesDir: temp.zonesDir, cwd: temp.dir };
  await seedZone(sandbox, DOMAIN, live);
  await writeZone(temp.zonesDir, DOMAIN, yaml);
  sandbox.resetStats();
});
afterEach(async () => {
  sandbox.setFaults({ latencyMs: 0 });
  await emptySandbox(sandbox);
  await temp.cleanup();
});

/** Starts a slow apply and sends `signal` once 60 writes have reached the sandbox. */
async function interruptedApply(signal: NodeJS.Signals) {
  sandbox.setFaults({ latencyMs: 50 });
  const running = spawnCli(target, [
    'apply',
    '--yes',
    '--force',
    '--concurrency',
    String(CONCURRENCY),
  ]);
  running.child.stdin?.end();
  while (writeCount(sandbox) < 60) {
    if (running.child.exitCode !== null) throw new Error(`apply ended early:\n${running.stdout()}`);
    await sleep(5);
  }
  const requestsAtSignal = sandbox.stats.requests;
  running.child.kill(signal);
  const run = await running.done;
  const requestsAtExit = sandbox.stats.requests;
  await sleep(300);
  return { run, requestsAtSignal, requestsAtExit, requestsLater: sandbox.stats.requests };
}

describe.skipIf(!CLI_BUILT)('interrupting apply (built CLI)', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: no new request, summary, exit 130; the next apply converges`, async () => {
      const { run, requestsAtSignal, requestsAtExit, requestsLater } =
        await interruptedApply(signal);
      const output = `${run.stdout.slice(-3000)}\n--- stderr:\n${run.stderr}`;
      expect(run.code, output).toBe(130);
      expect(run.stderr).toContain('Interrupted: starting no new requests');

      // Only requests that were already on their way when the signal arrived: at most
      // one per slot, and none at all once the process is gone.
      expect(requestsAtExit - requestsAtSignal, output).toBeLessThanOrEqual(CONCURRENCY);
      expect(requestsLater).toBe(requestsAtExit);
      expect(sandbox.stats.inFlight).toBe(0);

      const summary =
        /Apply interrupted: (\d+) of 300 changes applied, (\d+) not started \(\d+\.\ds\)\./.exec(
          run.stdout,
        );
      expect(summary, output).not.toBeNull();
      const [applied, notStarted] = summary!.slice(1).map(Number) as [number, number];
      expect(applied + notStarted).toBe(300);
      expect(applied).toBeGreaterThanOrEqual(60 - CONCURRENCY);
      expect(notStarted).toBeGreaterThan(100);
      // Every applied change printed as it finished; those not started are counted, not listed.
      expect(run.stdout.split('\n').filter((text) => text.startsWith('ok '))).toHaveLength(applied);
      expect(run.stdout).not.toContain('not started: apply was interrupted');
      expect(run.stdout).toContain('Run dnssync apply again to finish');
      expect(run.stdout).not.toContain('Verified');
      // What was applied is really there, and nothing twice.
      expect(writeCount(sandbox)).toBeGreaterThanOrEqual(applied);
      expect(duplicateIdentities(sandbox, DOMAIN)).toEqual([]);

      sandbox.setFaults({ latencyMs: 0 });
      const again = await runCli(target, ['apply', '--yes', '--force']);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toMatch(new RegExp(`Apply complete: ${notStarted} changes applied`));
      expect(liveLines(sandbox, DOMAIN)).toEqual([...desired].sort());
      const plan = await runCli(target, ['plan', '--detailed-exitcode']);
      expect(plan.code, plan.stdout).toBe(0);
    });
  }

  it('a second SIGINT quits at once, without waiting for the request in flight', async () => {
    sandbox.setFaults({ latencyMs: 1500 });
    const running = spawnCli(target, ['apply', '--yes', '--force', '--concurrency', '1']);
    running.child.stdin?.end();
    while (writeCount(sandbox) < 2 && running.child.exitCode === null) await sleep(5);
    running.child.kill('SIGINT');
    while (!running.stderr().includes('Interrupted') && running.child.exitCode === null) {
      await sleep(5);
    }
    running.child.kill('SIGINT');
    const run = await running.done;
    expect(run.code).toBe(130);
    expect(run.stdout).not.toContain('Apply interrupted');
    // Not silently: it says what may be half-done, and how to finish.
    const applied = (sandbox.stats.byStatus['201'] ?? 0) + (sandbox.stats.byStatus['200'] ?? 0);
    expect(run.stderr).toMatch(
      /Quit at once\. \d+ of 300 changes were applied; 1 request was still on its way, and whether it took effect is unknown\./,
    );
    expect(run.stderr).toContain(`This zone may be left partly changed`);
    expect(run.stderr).toContain(`: ${DOMAIN}.`);
    expect(run.stderr).toContain('Run dnssync apply again to finish the job');
    expect(applied).toBeGreaterThan(0);
  });
});
