#!/usr/bin/env node
/**
 * Benchmark: start-up, what every command line pays. Targets: `dnssync --version` within
 * 2× of `node -e 0`, and `dnssync validate` of the repository's example zones (zones/,
 * what the README's first command checks) within 2.5×.
 *   npm run build && node bench/startup.mjs [--runs 21]
 * Runs the three commands in turn, round after round (so a machine busy with other work
 * slows all three alike), after two rounds of warm-up, and prints each one's median wall
 * time and its ratio to `node -e 0`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const WARM_UP = 2;

function parseArgs(argv) {
  const options = { runs: 21 };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]?.replace(/^--/, '');
    if (!key || !(key in options)) throw new Error(`unknown option ${argv[i]}`);
    const value = Number(argv[++i]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${key} needs a whole number`);
    options[key] = value;
  }
  return options;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** One run: wall milliseconds from spawn to exit; throws unless `expect` holds. */
async function timedRun({ args, cwd, expect }) {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.GITHUB_ACTIONS;
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const [code] = await once(child, 'exit');
  const ms = performance.now() - started;
  if (code !== 0 || !expect.test(output)) {
    throw new Error(`node ${args.join(' ')} exited ${code}:\n${output}`);
  }
  return ms;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) {
    process.stderr.write(`bench: ${CLI} is missing; run npm run build first\n`);
    process.exitCode = 1;
    return;
  }
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'dnssync-startup-'));
  try {
    cpSync(join(ROOT, 'zones'), join(dir, 'zones'), { recursive: true });
    const commands = [
      { label: 'node -e 0', args: ['-e', '0'], cwd: dir, expect: /^$/ },
      {
        label: 'dnssync --version',
        args: [CLI, '--version'],
        cwd: dir,
        expect: new RegExp(`^${version.replaceAll('.', '\\.')}\\n$`),
        target: 2,
      },
      {
        label: 'dnssync validate (zones/)',
        args: [CLI, 'validate'],
        cwd: dir,
        expect: /zone files? valid/,
        target: 2.5,
      },
    ];
    const times = commands.map(() => []);
    for (let round = 0; round < WARM_UP + options.runs; round++) {
      for (const [i, command] of commands.entries()) {
        const ms = await timedRun(command);
        if (round >= WARM_UP) times[i]?.push(ms);
      }
    }
    const medians = times.map(median);
    const base = medians[0] ?? Number.NaN;
    const [load1] = loadavg();
    const lines = commands.map((command, i) => {
      const ms = medians[i] ?? Number.NaN;
      const ratio = ms / base;
      const verdict =
        command.target === undefined
          ? ''
          : `  → ${ratio.toFixed(2)}× node -e 0, target ≤ ${command.target}× (${ratio <= command.target ? 'met' : 'missed'})`;
      return `  ${command.label.padEnd(26)} median ${ms.toFixed(1).padStart(6)} ms${verdict}`;
    });
    process.stdout.write(
      [
        `start-up, ${options.runs} runs each, interleaved (load average ${load1?.toFixed(2)}):`,
        ...lines,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
