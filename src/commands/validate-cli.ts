/** `dnssync validate`: its flags; the work (validate.ts) is loaded when the command runs. */
import { type Command, Option } from 'commander';
import { withColor, withZones } from './common.js';
import type { ValidateOptions } from './validate.js';

const VALIDATE_FORMATS = ['text', 'json'] as const satisfies ReadonlyArray<
  ValidateOptions['format']
>;

export function register(program: Command): void {
  const command = program
    .command('validate')
    .description(
      'check zone files: schema, zone rules and DNS checks (offline; --online also asks DNS)',
    )
    .argument('[domain...]', 'only these domains or zone files (default: every zone file)')
    .option('--online', 'also run the online checks (they query DNS through the system resolver)')
    .option(
      '--resolver <host[:port]>',
      'ask this DNS resolver for the online checks (implies --online)',
    )
    .addOption(
      new Option('--format <format>', 'text, or json (every issue, for tools)')
        .choices(VALIDATE_FORMATS)
        .default('text'),
    );
  withColor(withZones(command)).action(async (domains: string[], options: ValidateOptions) => {
    const { validateCommand } = await import('./validate.js');
    process.exitCode = await validateCommand(domains, options);
  });
}
