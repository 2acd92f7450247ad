/** `dnssync checks`: its flags; the work (checks.ts) is loaded when the command runs. */
import { type Command, Option } from 'commander';
import type { ChecksOptions } from './checks.js';

const FORMATS = ['text', 'markdown', 'json'] as const satisfies ReadonlyArray<
  ChecksOptions['format']
>;

export function register(program: Command): void {
  program
    .command('checks')
    .description(
      'list the DNS checks validate runs (ids for checks: settings), or render findings for a pull request',
    )
    .addOption(new Option('--format <format>', 'how to list them').choices(FORMATS).default('text'))
    .option(
      '--report <file>',
      'render the pull-request section from `validate --format json` output',
    )
    .option('--base <file>', "with --report: the base branch's output; its findings are folded")
    .action(async (options: ChecksOptions) => {
      const { checksCommand } = await import('./checks.js');
      process.stdout.write(checksCommand(options));
    });
}
