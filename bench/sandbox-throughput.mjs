#!/usr/bin/env node
/**
 * How much the sandbox itself adds to a client's wall time:
 *   npx tsc -p . && node bench/sandbox-throughput.mjs [--requests 2000] [--concurrency 16] [--latency 10]
 * Starts `node dist/cli.js sandbox` in its own process, as a user would, and drives it with
 * plain `undici.request()` calls (not dnssync's client): N record creates, then N record reads,
 * C at a time, each answered L ms after it arrives. The ideal is requests / C x L; the
 * ratio shows the overhead of the sandbox and of this small client together. Run with and
 * without a state file (every write fsync'd before its answer, grouped when concurrent).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { spawnSandbox } from './sandbox-process.mjs';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
    latency: { type: 'string', default: '10' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const latencyMs = Number(values.latency);

/** Runs `task(i)` for i in [0, count), at most `limit` at a time. */
async function pool(count, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

async function run(label, stateFile) {
  const sandbox = await spawnSandbox([
    '--latency',
    String(latencyMs),
    ...(stateFile ? ['--state', stateFile] : []),
  ]);
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  const headers = { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json' };
  const send = async (method, path, body) => {
    const response = await request(`${sandbox.url}${path}`, {
      method,
      headers,
      dispatcher: agent,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300)
      throw new Error(`${method} ${path}: ${response.statusCode} ${text}`);
    return JSON.parse(text);
  };
  const zone = await send('POST', '/api/v1/dns-zones/', { domain: 'bench.example' });
  await sandbox.resetStats();

  const uuids = [];
  const createStart = performance.now();
  await pool(requests, concurrency, async (i) => {
    const record = await send('POST', `/api/v1/dns-zones/${zone.uuid}/records/`, {
      record_type: 'A',
      name: `host${i}`,
      value: `10.0.${Math.floor(i / 256) % 256}.${i % 256}`,
    });
    uuids.push(record.uuid);
  });
  const createMs = performance.now() - createStart;

  const readStart = performance.now();
  await pool(requests, concurrency, async (i) => {
    await send('GET', `/api/v1/dns-records/${uuids[i]}/`);
  });
  const readMs = performance.now() - readStart;

  const { peakInFlight } = await sandbox.stats();
  await sandbox.stop();
  await agent.close();

  const ideal = latencyMs > 0 ? (requests / concurrency) * latencyMs : Number.NaN;
  const line = (what, ms) =>
    `  ${what.padEnd(8)} ${ms.toFixed(0).padStart(6)} ms  ideal ${ideal.toFixed(0)} ms  ratio ${(ms / ideal).toFixed(2)}x  (${((requests / ms) * 1000).toFixed(0)} req/s)`;
  console.log(
    `${label} (${requests} each, concurrency ${concurrency}, latency ${latencyMs} ms, peak in flight ${peakInFlight})`,
  );
  console.log(line('creates', createMs));
  console.log(line('reads', readMs));
}

const dir = await mkdtemp(join(tmpdir(), 'dnssync-bench-'));
try {
  await run('in memory', undefined);
  await run('with --state', join(dir, 'state.json'));
} finally {
  await rm(dir, { recursive: true, force: true });
}
