#!/usr/bin/env node
/**
 * Wall time of dnssync's API client against the ideal:
 *   npx tsc -p . && node bench/client.mjs [--requests 2000] [--concurrency 16] [--latency 10] [--runs 3] [--in-process]
 * Starts `node dist/cli.js sandbox --latency L` in its own process (as a user would; with
 * --in-process, startSandbox() in this one), then through VpsClient: N record creates
 * fired at once, then N reads of a one-record zone fired at once; the client keeps C in
 * flight. The
 * ideal is requests / C x L; the target is within 1.2x of it. Prints the ratios, the
 * sandbox's peak of requests in flight (must not exceed C) and any retries (expected 0).
 * A warm-up of W creates and reads on another zone runs first (not timed), so the figures
 * are steady state rather than JIT compilation of both processes; then R timed runs, each
 * on a zone of its own, and the median of each phase is compared with the target.
 */
import { parseArgs } from 'node:util';
import { VpsClient } from '../dist/api/client.js';
import { median } from './plan-inputs.mjs';
import { spawnSandbox } from './sandbox-process.mjs';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
    latency: { type: 'string', default: '10' },
    'in-process': { type: 'boolean', default: false },
    warmup: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const latencyMs = Number(values.latency);
const warmup = Number(values.warmup);
const runs = Number(values.runs);
const TARGET = 1.2;

async function inProcessSandbox() {
  const { startSandbox } = await import('../dist/sandbox/server.js');
  const sandbox = await startSandbox({ latencyMs });
  return {
    url: sandbox.url,
    token: sandbox.token,
    stats: async () => sandbox.stats,
    resetStats: async () => sandbox.resetStats(),
    stop: () => sandbox.close(),
  };
}

const sandbox = values['in-process']
  ? await inProcessSandbox()
  : await spawnSandbox(['--latency', String(latencyMs)]);
let retries = 0;
const api = new VpsClient({
  baseUrl: sandbox.url,
  token: sandbox.token,
  concurrency,
  onRetry: () => {
    retries++;
  },
});

try {
  const warm = await api.createZone('warmup.example');
  const warmed = await Promise.all(
    Array.from({ length: warmup }, (_, i) =>
      api.createRecord(warm.uuid, { record_type: 'A', name: `w${i}`, value: '192.0.2.1' }),
    ),
  );
  // Reads are of a zone holding one record: an answer as small as a record's.
  const small = await api.createZone('reads.example');
  await api.createRecord(small.uuid, { record_type: 'A', name: 'www', value: '192.0.2.1' });
  await Promise.all(warmed.map(() => api.getZone(small.uuid)));
  await sandbox.resetStats();

  const createTimes = [];
  const readTimes = [];
  let cpuMs = 0;
  for (let run = 0; run < runs; run++) {
    const zone = await api.createZone(`bench${run}.example`);
    const cpuStart = process.cpuUsage();
    const createStart = performance.now();
    const created = await Promise.all(
      Array.from({ length: requests }, (_, i) =>
        api.createRecord(zone.uuid, {
          record_type: 'A',
          name: `host${i}`,
          value: `10.0.${Math.floor(i / 256) % 256}.${i % 256}`,
          ttl: 300,
        }),
      ),
    );
    createTimes.push(performance.now() - createStart);
    const readStart = performance.now();
    await Promise.all(created.map(() => api.getZone(small.uuid)));
    readTimes.push(performance.now() - readStart);
    const cpu = process.cpuUsage(cpuStart);
    cpuMs += (cpu.user + cpu.system) / 1000;
  }

  const { peakInFlight, requests: served } = await sandbox.stats();
  const ideal = (requests / concurrency) * latencyMs;
  const line = (what, times) => {
    const ms = median(times);
    const ratio = ms / ideal;
    const each = times.map((t) => `${(t / ideal).toFixed(2)}x`).join(', ');
    return `  ${what.padEnd(8)} median ${ms.toFixed(0).padStart(5)} ms  ideal ${ideal.toFixed(0)} ms  ratio ${ratio.toFixed(2)}x  ${ratio <= TARGET ? 'ok' : `over the ${TARGET}x target`}  (${((requests / ms) * 1000).toFixed(0)} req/s; runs ${each})`;
  };
  console.log(
    `VpsClient, sandbox ${values['in-process'] ? 'in process' : 'in its own process'}: ${requests} creates and ${requests} reads, concurrency ${concurrency}, latency ${latencyMs} ms, ${runs} runs after ${warmup} warm-up pairs`,
  );
  console.log(line('creates', createTimes));
  console.log(line('reads', readTimes));
  console.log(
    `  sandbox served ${served} requests, peak in flight ${peakInFlight} (limit ${concurrency}), client retries ${retries}`,
  );
  // CPU of this process per request: the client's own cost (plus the sandbox's with --in-process),
  // a figure that does not depend on how busy the machine is.
  console.log(
    `  CPU in this process ${(cpuMs / runs).toFixed(0)} ms per run, ${((cpuMs / (2 * requests * runs)) * 1000).toFixed(0)} µs per request`,
  );
  if (peakInFlight > concurrency) {
    console.log('  FAIL: more requests in flight than the concurrency');
    process.exitCode = 1;
  }
} finally {
  await api.close();
  await sandbox.stop();
}
