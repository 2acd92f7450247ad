#!/usr/bin/env node
/**
 * `dnssync apply` under a strict rate limit (security review, finding 9):
 *   npx tsc -p . && node bench/rate-limit.mjs [--records 60] [--rate 5] [--burst 1] [--runs 3]
 * Each run starts a fresh `dnssync sandbox --rate-limit 5 --rate-burst 1` in its own
 * process (5 requests/s per token, never two at once) holding one empty zone, and times
 * the whole built CLI, `dnssync apply --yes` at its default concurrency, creating 60
 * records. Target: every change applied (zero failures), the apply phase within 1.5x of
 * the ideal, records / rate = 60 / 5 = 12 s. Also prints the sandbox's 429 count: a
 * paced client is refused a few times while it finds the rate, not on every request.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './plan-inputs.mjs';
import { spawnSandbox } from './sandbox-process.mjs';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '60' },
    rate: { type: 'string', default: '5' },
    burst: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
  },
});
const records = Number(values.records);
const rate = Number(values.rate);
const burst = Number(values.burst);
const runs = Number(values.runs);
const TARGET = 1.5;
const DOMAIN = 'paced.example';
const CLI = new URL('../dist/cli.js', import.meta.url).pathname;

const idealMs = (records / rate) * 1000;
console.log(
  `apply under a strict rate limit: ${records} creates, sandbox at ${rate} requests/s with bursts of ${burst}`,
);
console.log(
  `  load average at start: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);
console.log(`  ideal: ${records} / ${rate} per second = ${(idealMs / 1000).toFixed(1)} s`);

const dir = await mkdtemp(join(tmpdir(), 'dnssync-bench-rate-'));
const applyTimes = [];
let failures = 0;
try {
  const zonesDir = join(dir, 'zones');
  await mkdir(zonesDir);
  const lines = Array.from(
    { length: records },
    (_, i) =>
      `  - { name: host${i}, type: A, value: 10.0.${Math.floor(i / 250)}.${(i % 250) + 1} }\n`,
  );
  await writeFile(join(zonesDir, `${DOMAIN}.yaml`), `records:\n${lines.join('')}`);

  for (let run = 0; run < runs; run++) {
    const sandbox = await spawnSandbox([
      '--rate-limit',
      String(rate),
      '--rate-burst',
      String(burst),
    ]);
    try {
      const created = await fetch(`${sandbox.url}/api/v1/dns-zones/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ domain: DOMAIN }),
      });
      if (created.status !== 201) throw new Error(`creating ${DOMAIN}: ${await created.text()}`);
      await sandbox.resetStats();
      const env = {
        ...process.env,
        VPS_API_URL: sandbox.url,
        VPS_API_TOKEN: sandbox.token,
        NO_COLOR: '1',
      };
      const start = performance.now();
      const { code, stdout } = await runCli(env, ['apply', '--yes', '--zones', zonesDir]);
      const wallMs = performance.now() - start;
      const stats = await sandbox.stats();
      const complete = /Apply complete: (\d+) changes? applied in ([\d.]+)s\./.exec(stdout);
      const incomplete = /Apply \w+: (\d+) of \d+ changes? applied.* \(([\d.]+)s\)\./.exec(stdout);
      const applied = Number(complete?.[1] ?? incomplete?.[1] ?? 0);
      const failed = records - applied;
      failures += failed;
      const applyMs = Number(complete?.[2] ?? incomplete?.[2] ?? Number.NaN) * 1000;
      applyTimes.push(applyMs);
      console.log(
        `  run ${run + 1}: apply phase ${(applyMs / 1000).toFixed(1)} s = ${(applyMs / idealMs).toFixed(2)}x the ideal; whole CLI ${(wallMs / 1000).toFixed(1)} s (exit ${code}); ${applied} applied, ${failed} not; sandbox: ${stats.requests} requests, ${stats.faults.rateLimited} answered 429`,
      );
    } finally {
      await sandbox.stop();
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
const ratio = median(applyTimes) / idealMs;
const ok = ratio <= TARGET && failures === 0;
console.log(
  `  median apply phase ${ratio.toFixed(2)}x the ideal (target <= ${TARGET}x), ${failures} changes not applied (target 0) ${ok ? '(ok)' : '(OVER TARGET)'}`,
);
if (!ok) process.exitCode = 1;

function runCli(env, args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, maxBuffer: 1 << 26 }, (error, stdout) => {
      resolve({ code: error === null ? 0 : error.code, stdout });
    });
  });
}
