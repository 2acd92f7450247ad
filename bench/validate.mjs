#!/usr/bin/env node
/**
 * Benchmark: `dnssync validate` on 1,000 zones × 100 records (targets: under 2 s
 * wall time and under 400 MB peak RSS).
 *   npm run build && node bench/validate.mjs [--zones 1000] [--records 100] [--runs 5]
 * Generates the zones into a temp dir, runs the built CLI `--runs` times and prints the
 * median wall time and the largest peak RSS, with their ratio to the targets. Peak RSS
 * comes from /usr/bin/time -v when present, else from process.resourceUsage() of a
 * wrapper that runs the CLI in its own process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateZones } from './gen-zones.mjs';

const TARGET_SECONDS = 2;
const TARGET_MB = 400;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const TIME = '/usr/bin/time';

/** Wrapper mode: run the CLI in this very process, then report its peak RSS on stderr. */
if (process.argv[2] === '--wrap') {
  const [, , , ...cliArgs] = process.argv;
  process.argv = [process.argv[0] ?? 'node', CLI, ...cliArgs];
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const cpu = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
    process.stderr.write(`\nBENCH_MAX_RSS_KB=${usage.maxRSS}\nBENCH_CPU_SECONDS=${cpu}\n`);
  });
  await import(pathToFileURL(CLI).href);
} else {
  await main();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function parseArgs(argv) {
  const options = { zones: 1000, records: 100, runs: 5 };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]?.replace(/^--/, '');
    if (!key || !(key in options)) throw new Error(`unknown option ${argv[i]}`);
    const value = Number(argv[++i]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${key} needs a whole number`);
    options[key] = value;
  }
  return options;
}

/** One timed run: wall seconds, peak RSS in MB, exit code and the summary line. */
function timedRun(dir) {
  const args = ['validate', '--zones', dir, '--no-color'];
  const env = { ...process.env };
  delete env.GITHUB_ACTIONS;
  const useTime = existsSync(TIME);
  const command = useTime ? TIME : process.execPath;
  const commandArgs = useTime
    ? ['-v', process.execPath, CLI, ...args]
    : [fileURLToPath(import.meta.url), '--wrap', ...args];
  const started = process.hrtime.bigint();
  const result = spawnSync(command, commandArgs, { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const rssKb = useTime
    ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1])
    : Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(result.stderr)?.[1]);
  const seconds = (pattern) => Number(pattern.exec(result.stderr)?.[1] ?? Number.NaN);
  const cpu = useTime
    ? seconds(/User time \(seconds\): ([\d.]+)/) + seconds(/System time \(seconds\): ([\d.]+)/)
    : seconds(/BENCH_CPU_SECONDS=([\d.]+)/);
  const summary = result.stdout.trim().split('\n').pop() ?? '';
  return { wall, cpu, rssMb: rssKb / 1024, code: result.status, summary, stderr: result.stderr };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) {
    process.stderr.write(`bench: ${CLI} is missing; run npm run build first\n`);
    process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'dnssync-bench-'));
  try {
    const generated = Date.now();
    await generateZones(dir, { zones: options.zones, records: options.records });
    process.stdout.write(
      `generated ${options.zones} zones × ${options.records} records in ${((Date.now() - generated) / 1000).toFixed(1)} s\n`,
    );
    const runs = [];
    for (let run = 0; run < options.runs; run++) {
      const result = timedRun(dir);
      if (result.code !== 0) {
        throw new Error(`validate exited ${result.code}: ${result.summary}\n${result.stderr}`);
      }
      runs.push(result);
      process.stdout.write(
        `run ${run + 1}: ${result.wall.toFixed(2)} s wall, ${result.cpu.toFixed(2)} s CPU, ${result.rssMb.toFixed(0)} MB  (${result.summary})\n`,
      );
    }
    const walls = runs.map((r) => r.wall).sort((a, b) => a - b);
    const medianWall = median(walls);
    const peak = Math.max(...runs.map((r) => r.rssMb));
    const [load1] = loadavg();
    process.stdout.write(
      [
        `validate ${options.zones} zones × ${options.records} records, ${runs.length} runs (load average ${load1?.toFixed(2)}):`,
        `  wall time  median ${medianWall.toFixed(2)} s, best ${walls[0]?.toFixed(2)} s  → ${(medianWall / TARGET_SECONDS).toFixed(2)}× the ${TARGET_SECONDS} s target`,
        `  CPU time   median ${median(runs.map((r) => r.cpu)).toFixed(2)} s (user + system; steadier than wall time on a shared machine)`,
        `  peak RSS   ${peak.toFixed(0)} MB  → ${(peak / TARGET_MB).toFixed(2)}× the ${TARGET_MB} MB target`,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
