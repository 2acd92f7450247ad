#!/usr/bin/env node
// `npm run demo`: the whole job on a fresh clone, with no credentials. Starts the local
// VPS.org sandbox, then runs the built dnssync against it: plan, apply, plan again.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../dist/sandbox/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const sandbox = await startSandbox({ port: 0 });
const env = { ...process.env, VPS_API_URL: sandbox.url, VPS_API_TOKEN: sandbox.token };

// Bold command lines only on a terminal (`npm run demo | cat` gets plain text), as dnssync does.
const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
const bold =
  process.stdout.isTTY && !noColor ? (text) => `\u001b[1m${text}\u001b[22m` : (text) => text;

// The sandbox runs in this process, so the CLI must run asynchronously beside it.
async function step(title, args) {
  process.stdout.write(`\n${bold(`$ dnssync ${args.join(' ')}`)}   # ${title}\n`);
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, env, stdio: 'inherit' });
  const [code] = await once(child, 'exit');
  return code ?? 1;
}

let failed = false;
try {
  process.stdout.write(
    `Sandbox VPS.org API on ${sandbox.url} (a local stand-in; nothing leaves this machine)\n`,
  );
  failed ||= (await step('check the zone files', ['validate'])) !== 0;
  failed ||= (await step('what would change (the sandbox starts empty)', ['plan'])) !== 0;
  failed ||= (await step('apply it', ['apply', '--yes'])) !== 0;
  const again = await step('plan again: live DNS now matches zones/', [
    'plan',
    '--detailed-exitcode',
  ]);
  if (again !== 0) {
    process.stdout.write(`\nexpected no changes after apply, but plan exited ${again}\n`);
    failed = true;
  }
} finally {
  await sandbox.close();
}
process.exitCode = failed ? 1 : 0;
