#!/usr/bin/env node
/**
 * dnssync's entry point: declares the commands and maps errors to exit codes. A command's
 * action sets the exit status (0 done, 1 error, 2 changes with plan --detailed-exitcode,
 * 130 interrupted) itself.
 */
import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { DnssyncCommand } from './commands/program.js';
import { UserError } from './errors.js';
import { endQuietlyOnClosedPipe, inGitHubActions } from './output.js';
import { forTerminal } from './text/terminal.js';
import { guardWorkflowLog } from './text/workflow.js';

// In GitHub Actions every line printed is read for workflow commands: guard both streams
// before anything is printed, so no text from outside can become one.
if (inGitHubActions()) {
  guardWorkflowLog(process.stdout);
  guardWorkflowLog(process.stderr);
}

// `dnssync ... | head`: output to a reader that went away ends quietly, not in a stack trace.
endQuietlyOnClosedPipe(process.stdout);
endQuietlyOnClosedPipe(process.stderr);

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new DnssyncCommand('dnssync')
  .description('DNS as code for VPS.org: zone files in Git, reviewed plans, safe concurrent apply')
  .version(pkg.version)
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

try {
  await registerCommands(program, process.argv.slice(2));
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeOf(error);
}

function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message (or the help / version text).
    return error.exitCode === 0 ? 0 : 1;
  }
  if (error instanceof UserError) {
    process.stderr.write(`dnssync: error: ${forTerminal(error.message)}\n`);
    return error.exitCode;
  }
  const err = error as Error;
  process.stderr.write(`dnssync: internal error: ${forTerminal(err?.message ?? String(error))}\n`);
  if (process.env['DNSSYNC_DEBUG']) {
    const stack = (err?.stack ?? '').split('\n').map(forTerminal);
    process.stderr.write(`${stack.join('\n')}\n`);
  }
  return 1;
}
