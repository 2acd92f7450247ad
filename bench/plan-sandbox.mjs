#!/usr/bin/env node
/**
 * `dnssync plan` of 1,000 zones x 100 records against the sandbox with 20 ms latency at
 * concurrency 16:
 *   npx tsc -p . && node bench/plan-sandbox.mjs [--zones 1000] [--records 100] [--latency 20] [--concurrency 16] [--runs 5] [--cli-runs 3]
 * The sandbox runs in its own process (`dnssync sandbox --state FILE --latency L`),
 * loaded from a state file holding the live zones (with some drift).
 *  1. Reading the live zones, as plan does it (one list + one detail per zone), timed
 *     against the ideal (zones + 1) / C x L; target within 1.3x.
 *  2. The whole built CLI, `dnssync plan --format json --out FILE`: wall time (startup,
 *     validating the zone files, reading, planning, rendering) and peak RSS; target < 500 MB.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClientFromEnv, readLiveZones } from '../dist/api/live.js';
import { computePlan } from '../dist/plan/index.js';
import { renderText } from '../dist/render/text.js';
import { loadZones } from '../dist/zonefile/load.js';
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
    zones: { type: 'string', default: '1000' },
    records: { type: 'string', default: '100' },
    latency: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '16' },
    runs: { type: 'string', default: '5' },
    'cli-runs': { type: 'string', default: '3' },
  },
});
const zones = Number(values.zones);
const records = Number(values.records);
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const runs = Number(values.runs);
const cliRuns = Number(values['cli-runs']);
const READ_TARGET = 1.3;
const RSS_TARGET_MB = 500;
const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const HOOK = new URL('./plan-rss-hook.mjs', import.meta.url).href;

const { dir, zonesDir, desired } = await desiredZones({ zones, records });
const stateFile = join(dir, 'sandbox-state.json');
await writeSandboxState(stateFile, liveZonesFor(desired));
const sandbox = await spawnSandbox(['--state', stateFile, '--latency', String(latencyMs)]);
const env = { ...process.env, VPS_API_URL: sandbox.url, VPS_API_TOKEN: BENCH_TOKEN, NO_COLOR: '1' };
const idealMs = ((zones + 1) / concurrency) * latencyMs;

try {
  // The provider's API is not cold: before any timed run, the sandbox (and only the
  // sandbox) serves a few hundred zone reads, with Node's fetch, not dnssync's client.
  await warmSandbox(sandbox.url, 300);

  // 1. The reading phase, in this process, as the plan command does it.
  const readTimes = [];
  let live;
  for (let run = 0; run < runs; run++) {
    // The CLI reads once: the previous run's zones are not kept alive during this one.
    live = undefined;
    await sandbox.resetStats();
    const api = createClientFromEnv({ concurrency, env, debug: null });
    const start = performance.now();
    live = await readLiveZones(
      api,
      desired.map((zone) => zone.domain),
    );
    readTimes.push(performance.now() - start);
    await api.close();
    const stats = await sandbox.stats();
    if (stats.requests !== zones + 1)
      throw new Error(`expected ${zones + 1} requests, the sandbox saw ${stats.requests}`);
    if (stats.peakInFlight > concurrency)
      throw new Error(`${stats.peakInFlight} requests in flight, more than ${concurrency}`);
  }
  const bestRead = Math.min(...readTimes);
  const typicalRead = median(readTimes);

  // For the breakdown only: the other stages, in this process.
  const loadStart = performance.now();
  await loadZones(zonesDir);
  const loadMs = performance.now() - loadStart;
  const planStart = performance.now();
  const plan = computePlan(desired, live.live, { unmanagedZones: live.unmanaged });
  const planMs = performance.now() - planStart;
  renderText(plan);

  // 2. The whole CLI.
  const cliTimes = [];
  let peakKb = 0;
  for (let run = 0; run < cliRuns; run++) {
    const start = performance.now();
    const { stderr } = await runCli([
      'plan',
      '--zones',
      zonesDir,
      '--concurrency',
      String(concurrency),
      '--format',
      'json',
      '--out',
      join(dir, 'plan.json'),
    ]);
    cliTimes.push(performance.now() - start);
    peakKb = Math.max(peakKb, Number(/bench:maxrss-kb (\d+)/.exec(stderr)?.[1] ?? 0));
  }
  const peakMb = peakKb / 1024;

  console.log(
    `plan: ${zones} zones x ${records} records, sandbox latency ${latencyMs} ms, concurrency ${concurrency}`,
  );
  console.log(
    `  ideal reading time: ${zones + 1} requests / ${concurrency} x ${latencyMs} ms = ${idealMs.toFixed(0)} ms`,
  );
  console.log(
    `  reading the live zones, ${runs} runs: ${readTimes.map((t) => `${t.toFixed(0)} ms (${(t / idealMs).toFixed(2)}x)`).join(', ')}`,
  );
  console.log(
    `    the first run, with the client cold (JIT) as in one CLI run: ${((readTimes[0] ?? 0) / idealMs).toFixed(2)}x`,
  );
  console.log(
    `    ratio to ideal: best ${(bestRead / idealMs).toFixed(2)}x, median ${(typicalRead / idealMs).toFixed(2)}x (target <= ${READ_TARGET}x) ${typicalRead / idealMs <= READ_TARGET ? '(ok)' : '(OVER TARGET)'}`,
  );
  console.log(
    `  whole CLI (dnssync plan --format json --out): ${cliTimes.map((t) => t.toFixed(0)).join(', ')} ms; median ${(median(cliTimes) / idealMs).toFixed(2)}x the ideal reading time`,
  );
  console.log(
    `    in this process for comparison: loading + validating the zone files ${loadMs.toFixed(0)} ms, computePlan ${planMs.toFixed(0)} ms`,
  );
  console.log(
    `  peak RSS of the CLI: ${peakMb.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB) ${peakMb < RSS_TARGET_MB ? '(ok)' : '(OVER TARGET)'}`,
  );
  console.log(
    `  plan: ${plan.summary.create} to create, ${plan.summary.update} to update, ${plan.summary.delete} to delete`,
  );
} finally {
  await sandbox.stop();
}

async function warmSandbox(url, reads) {
  const headers = { authorization: `Bearer ${BENCH_TOKEN}` };
  const list = await (await fetch(`${url}/api/v1/dns-zones/`, { headers })).json();
  const uuids = list.slice(0, reads).map((zone) => zone.uuid);
  for (let i = 0; i < uuids.length; i += concurrency) {
    await Promise.all(
      uuids
        .slice(i, i + concurrency)
        .map((uuid) =>
          fetch(`${url}/api/v1/dns-zones/${uuid}/`, { headers }).then((r) => r.text()),
        ),
    );
  }
}

function runCli(args) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', HOOK, CLI, ...args],
      { env, maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        if (error && error.code !== 0 && error.code !== 2)
          reject(new Error(`dnssync plan failed: ${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}
