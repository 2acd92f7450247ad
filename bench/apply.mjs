#!/usr/bin/env node
/**
 * `dnssync apply` of 5,000 changes against the sandbox with 20 ms latency:
 *   npx tsc -p . && node bench/apply.mjs [--zones 50] [--records 100] [--latency 20]
 *     [--concurrency 16] [--runs 1] [--no-serial]
 * Each run gets a fresh `dnssync sandbox --latency L` in its own process holding the
 * zones, empty, so every record is one create (POST). The whole built CLI is timed:
 * `dnssync apply --yes` (startup, validation, reading, applying, verifying) against the
 * ideal changes / C x L (5,000 / 16 x 20 ms = 6.25 s); target within 1.25x. Also the
 * apply phase alone (from the summary line), the peak RSS of the CLI, and the same apply
 * at concurrency 1 - one change at a time, as octoDNS and DNSControl apply - with the
 * ratio of the two. For scale, the floor of this machine: the same number of bare HTTP
 * round trips at the same latency and concurrency, with nothing of dnssync involved.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import { Agent, request } from 'undici';
import { spawnSandbox } from './sandbox-process.mjs';

const { values } = parseArgs({
  options: {
    zones: { type: 'string', default: '50' },
    records: { type: 'string', default: '100' },
    latency: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '16' },
    runs: { type: 'string', default: '1' },
    serial: { type: 'boolean', default: true },
    'no-serial': { type: 'boolean', default: false },
  },
});
const zones = Number(values.zones);
const records = Number(values.records);
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const runs = Number(values.runs);
const serial = values.serial && !values['no-serial'];
const changes = zones * records;
const TARGET = 1.25;
const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const RSS_HOOK = new URL('./plan-rss-hook.mjs', import.meta.url).href;

const dir = await mkdtemp(join(tmpdir(), 'dnssync-bench-apply-'));
try {
  const zonesDir = join(dir, 'zones');
  const domains = await writeZoneFiles(zonesDir);
  console.log(
    `apply: ${zones} zones x ${records} creates = ${changes} changes, sandbox latency ${latencyMs} ms`,
  );
  console.log(
    `  load average at start: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );

  const floorMs = await httpFloor(concurrency);
  const idealMs = (changes / concurrency) * latencyMs;
  console.log(
    `  this machine's floor: ${changes} bare HTTP round trips (undici to a plain node:http server in another process, answering ${latencyMs} ms after each request arrives) at concurrency ${concurrency}: ${fmt(floorMs)} = ${(floorMs / idealMs).toFixed(2)}x the ideal`,
  );
  const parallel = await measure(concurrency, zonesDir, domains);
  report(parallel, concurrency);
  console.log(
    `    against the floor: whole CLI ${(parallel.wallMs / floorMs).toFixed(2)}x, apply phase ${(parallel.applyMs / floorMs).toFixed(2)}x`,
  );
  if (serial) {
    const one = await measure(1, zonesDir, domains);
    report(one, 1);
    console.log(
      `  concurrency ${concurrency} vs 1 (one change at a time): ${(one.wallMs / parallel.wallMs).toFixed(1)}x faster (whole CLI), ${(one.applyMs / parallel.applyMs).toFixed(1)}x (apply phase)`,
    );
  }
  console.log(
    `  load average at end: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}

function report(result, c) {
  const idealMs = (changes / c) * latencyMs;
  const ratio = result.wallMs / idealMs;
  const verdict = c === concurrency ? (ratio <= TARGET ? ' (ok)' : ' (OVER TARGET)') : '';
  console.log(`  concurrency ${c}: ideal ${changes} / ${c} x ${latencyMs} ms = ${fmt(idealMs)}`);
  console.log(
    `    whole CLI: ${result.times.map(fmt).join(', ')}; best ${fmt(result.wallMs)} = ${ratio.toFixed(2)}x the ideal${c === concurrency ? ` (target <= ${TARGET}x)` : ''}${verdict}`,
  );
  console.log(
    `    apply phase (summary line): ${fmt(result.applyMs)} = ${(result.applyMs / idealMs).toFixed(2)}x the ideal`,
  );
  console.log(
    `    peak RSS of the CLI: ${(result.peakKb / 1024).toFixed(0)} MB; sandbox: ${result.requests} requests, at most ${result.peakInFlight} in flight`,
  );
}

function fmt(ms) {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`;
}

/** Best of `runs` applies at concurrency `c`, each against a fresh sandbox. */
async function measure(c, zonesDir, domains) {
  const times = [];
  let best = null;
  for (let run = 0; run < runs; run++) {
    const sandbox = await startSandbox();
    try {
      for (const domain of domains) await sandbox.createZone(domain);
      await sandbox.resetStats();
      const env = {
        ...process.env,
        VPS_API_URL: sandbox.url,
        VPS_API_TOKEN: sandbox.token,
        NO_COLOR: '1',
      };
      const start = performance.now();
      const { stdout, stderr } = await runCli(env, [
        'apply',
        '--yes',
        '--zones',
        zonesDir,
        '--concurrency',
        String(c),
      ]);
      const wallMs = performance.now() - start;
      times.push(wallMs);
      // `5,000 changes`: thousands are grouped.
      const applied = /Apply complete: ([\d,]+) changes applied in ([\d.]+)s\./.exec(stdout);
      const appliedCount = Number(applied?.[1]?.replace(/,/g, ''));
      if (!applied || appliedCount !== changes || !stdout.includes('Verified')) {
        throw new Error(`apply did not complete:\n${stdout.slice(-2000)}${stderr}`);
      }
      const stats = await sandbox.stats();
      if (stats.peakInFlight > c) {
        throw new Error(`${stats.peakInFlight} requests in flight, more than ${c}`);
      }
      const result = {
        wallMs,
        applyMs: Number(applied[2]) * 1000,
        peakKb: Number(/bench:maxrss-kb (\d+)/.exec(stderr)?.[1] ?? 0),
        requests: stats.requests,
        peakInFlight: stats.peakInFlight,
      };
      if (best === null || result.wallMs < best.wallMs) best = result;
    } finally {
      await sandbox.stop();
    }
  }
  return { ...best, times };
}

/**
 * Wall time of `changes` POSTs with nothing of dnssync in the way: what loopback HTTP,
 * timers and process wake-ups cost on this machine, under its present load.
 */
async function httpFloor(c) {
  const server = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      // The sandbox's latency model: the answer leaves on the timer tick nearest to
      // arrival + latency.
      `import { createServer } from 'node:http';
       import { setTimeout as sleep } from 'node:timers/promises';
       const server = createServer(async (req, res) => {
         const due = performance.now() + ${latencyMs};
         req.resume();
         await new Promise((resolve) => req.on('end', resolve));
         for (let wait = due - performance.now(); wait > 0.5; wait = due - performance.now()) await sleep(wait);
         res.writeHead(201, { 'content-type': 'application/json' });
         res.end('{"uuid":"x"}');
       });
       server.listen(0, '127.0.0.1', () => console.log(server.address().port));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [chunk] = await once(server.stdout, 'data');
  const url = `http://127.0.0.1:${String(chunk).trim()}/records/`;
  const agent = new Agent({ connections: c, pipelining: 1 });
  const limit = pLimit(c);
  const body = JSON.stringify({ record_type: 'A', name: 'host', value: '10.0.0.1', ttl: 3600 });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: changes }, () =>
      limit(async () => {
        const response = await request(url, {
          method: 'POST',
          body,
          dispatcher: agent,
          headers: { 'content-type': 'application/json' },
        });
        await response.body.text();
      }),
    ),
  );
  const elapsed = performance.now() - start;
  await agent.close();
  server.kill('SIGTERM');
  await once(server, 'exit');
  return elapsed;
}

async function writeZoneFiles(zonesDir) {
  await mkdir(zonesDir, { recursive: true });
  const domains = [];
  for (let z = 0; z < zones; z++) {
    const domain = `bench-${String(z).padStart(4, '0')}.example`;
    domains.push(domain);
    const lines = [];
    for (let r = 0; r < records; r++) {
      const value = `10.${z % 256}.${Math.floor(r / 250) % 256}.${(r % 250) + 1}`;
      lines.push(`  - { name: host${r}, type: A, value: ${value} }\n`);
    }
    await writeFile(join(zonesDir, `${domain}.yaml`), `records:\n${lines.join('')}`);
  }
  return domains;
}

/** `dnssync sandbox --latency L` in its own process (no state file: nothing is written to disk). */
async function startSandbox() {
  const sandbox = await spawnSandbox(['--latency', String(latencyMs)]);
  return {
    ...sandbox,
    async createZone(domain) {
      const response = await fetch(`${sandbox.url}/api/v1/dns-zones/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ domain }),
      });
      if (response.status !== 201) throw new Error(`creating ${domain}: ${await response.text()}`);
    },
  };
}

function runCli(env, args) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', RSS_HOOK, CLI, ...args],
      { env, maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(`dnssync ${args[0]} failed (${error.code}): ${stdout.slice(-2000)}${stderr}`),
          );
        else resolve({ stdout, stderr });
      },
    );
  });
}
