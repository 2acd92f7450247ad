#!/usr/bin/env node
/**
 * `npm run bench`: every benchmark in turn, each in its own process, with its default
 * sizes (the targets of the issues). Each prints its own figures and ratios; this prints
 * which ones ran and their exit codes. `npm run bench -- validate plan` runs a subset
 * (matched against the script names).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCHES = [
  'startup.mjs',
  'validate.mjs',
  'plan-planner.mjs',
  'plan-sandbox.mjs',
  'plan-cli.mjs',
  'client.mjs',
  'sandbox-throughput.mjs',
  'apply.mjs',
  'rate-limit.mjs',
];

const wanted = process.argv.slice(2);
const selected = BENCHES.filter(
  (name) => wanted.length === 0 || wanted.some((word) => name.includes(word)),
);
const outcomes = [];
for (const name of selected) {
  const path = fileURLToPath(new URL(name, import.meta.url));
  if (!existsSync(path)) continue;
  process.stdout.write(`\n=== bench/${name} ===\n`);
  const child = spawn(process.execPath, [path], { stdio: 'inherit' });
  const [code] = await once(child, 'exit');
  outcomes.push(`${name}: ${code === 0 ? 'ok' : `exit ${code}`}`);
}
process.stdout.write(`\n${outcomes.join('\n')}\n`);
if (outcomes.some((line) => !line.endsWith(': ok'))) process.exitCode = 1;
