#!/usr/bin/env node
/**
 * The whole `dnssync plan`, as a user runs it, against an API that answers in 50 ms:
 *   npm run build && node bench/plan-cli.mjs [--zones 600] [--records 40] [--latency 50] [--concurrency 16] [--runs 5] [--cli PATH]
 * Starts `dnssync sandbox --state FILE --latency 50` in its own process, holding live
 * zones derived from gen-zones.mjs's files with some drift (plan-inputs.mjs), warms it
 * up, then times the built CLI, `node dist/cli.js plan --concurrency 16`, from spawn to
 * exit, `--runs` times. The network ideal is one list request plus the zone reads at
 * `concurrency` at a time: (1 + zones / concurrency) x latency = 1,925 ms for 600 zones;
 * target: the median within 1.25x of it. Everything local (Node's start, loading the
 * modules, reading and validating the zone files, planning, printing) has to fit in the
 * network's wait or in the remaining quarter.
 *
 * For scale on a busy machine, each timed run is paired with this machine's floor at that
 * moment: the same 601 GETs to the same sandbox with undici alone (bodies read, nothing
 * parsed), from this process, at the same concurrency.
 */
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import {
  BENCH_TOKEN,
  desiredZones,
  liveZonesFor,
  median,
  writeSandboxState,
} from './plan-inputs.mjs';
import { spawnSandbox } from './sandbox-process.mjs';

const { values } = parseArgs({
  options: {
    zones: { type: 'string', default: '600' },
    records: { type: 'string', default: '40' },
    latency: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '16' },
    runs: { type: 'string', default: '5' },
    // Another build's cli.js, to compare (e.g. a worktree of an older commit).
    cli: { type: 'string', default: new URL('../dist/cli.js', import.meta.url).pathname },
  },
});
const zones = Number(values.zones);
const records = Number(values.records);
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const runs = Number(values.runs);
const TARGET = 1.25;
const CLI = values.cli;
const HOOK = new URL('./plan-rss-hook.mjs', import.meta.url).href;

const { dir, zonesDir, desired } = await desiredZones({ zones, records });
const stateFile = join(dir, 'sandbox-state.json');
await writeSandboxState(stateFile, liveZonesFor(desired));
const sandbox = await spawnSandbox(['--state', stateFile, '--latency', String(latencyMs)]);
const env = { ...process.env, VPS_API_URL: sandbox.url, VPS_API_TOKEN: BENCH_TOKEN, NO_COLOR: '1' };
delete env.GITHUB_ACTIONS;
delete env.GITHUB_STEP_SUMMARY;
const idealMs = (1 + zones / concurrency) * latencyMs;

try {
  // The provider's API is not cold, and neither is the disk cache: one untimed run.
  await runPlan();
  const times = [];
  const cpus = [];
  const floors = [];
  for (let run = 0; run < runs; run++) {
    floors.push(await networkFloor());
    await sandbox.resetStats();
    const start = performance.now();
    const { stderr } = await runPlan();
    times.push(performance.now() - start);
    cpus.push(Number(/bench:cpu-ms (\d+)/.exec(stderr)?.[1] ?? Number.NaN));
    const stats = await sandbox.stats();
    if (stats.requests !== zones + 1)
      throw new Error(`expected ${zones + 1} requests, the sandbox saw ${stats.requests}`);
    if (stats.peakInFlight > concurrency)
      throw new Error(`${stats.peakInFlight} requests in flight, more than ${concurrency}`);
  }
  const typical = median(times);
  const ratio = typical / idealMs;
  const floor = median(floors);
  console.log(
    `plan (whole CLI, ${CLI}): ${zones} zones x ${records} records, sandbox latency ${latencyMs} ms, concurrency ${concurrency}, load average ${loadavg()[0].toFixed(2)}`,
  );
  console.log(
    `  network ideal: (1 list + ${zones} reads / ${concurrency}) x ${latencyMs} ms = ${idealMs.toFixed(0)} ms`,
  );
  console.log(`  runs: ${times.map((t) => `${t.toFixed(0)} ms`).join(', ')}`);
  console.log(
    `  CPU time of the CLI (user + system, all threads): ${cpus.join(', ')} ms; median ${median(cpus)} ms`,
  );
  console.log(
    `  this machine's floor now (the same requests, undici alone): ${floors.map((t) => t.toFixed(0)).join(', ')} ms; median ${floor.toFixed(0)} ms = ${(floor / idealMs).toFixed(2)}x the ideal; the CLI is ${(typical / floor).toFixed(2)}x the floor`,
  );
  console.log(
    `  median ${typical.toFixed(0)} ms = ${ratio.toFixed(2)}x the ideal (target <= ${TARGET}x) ${ratio <= TARGET ? '(ok)' : '(OVER TARGET)'}`,
  );
} finally {
  await sandbox.stop();
}

/** The list and every zone read, `concurrency` at a time, with nothing but undici. */
async function networkFloor() {
  const pool = new Pool(sandbox.url, { connections: concurrency });
  const headers = { authorization: `Bearer ${BENCH_TOKEN}` };
  const get = async (path) => {
    const response = await pool.request({ path, method: 'GET', headers });
    return response.body.text();
  };
  const start = performance.now();
  const list = JSON.parse(await get('/api/v1/dns-zones/'));
  const paths = list.map((zone) => `/api/v1/dns-zones/${zone.uuid}/`);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let path = paths.pop(); path !== undefined; path = paths.pop()) await get(path);
    }),
  );
  const ms = performance.now() - start;
  await pool.close();
  return ms;
}

function runPlan() {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', HOOK, CLI, 'plan', '--zones', zonesDir, '--concurrency', String(concurrency)],
      { env, maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        if (error && error.code !== 2) reject(new Error(`dnssync plan failed: ${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}
