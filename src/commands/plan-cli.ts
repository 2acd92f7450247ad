/** `dnssync plan`: its flags; the work (plan.ts) is loaded when the command runs. */
import { type Command, Option } from 'commander';
import { PLAN_FORMATS } from '../render/index.js';
import { withPlanFlags } from './common.js';
import type { PlanOptions } from './plan.js';

export function register(program: Command): void {
  const command = program
    .command('plan')
    .description('validate the zone files, read the live zones and show what apply would change')
    .argument('[domain...]', 'only these domains or zone files (default: every zone file)')
    .addOption(
      new Option(
        '--format <format>',
        'how to print the plan (diff: a unified diff per zone of BIND-like lines, live → desired)',
      )
        .choices(PLAN_FORMATS)
        .default('text'),
    )
    .option('--out <file>', 'also save the plan as JSON, for a later `dnssync apply FILE`')
    .option('--diff', 'the same as --format diff')
    .option('--detailed-exitcode', 'exit 2 when the plan has changes (0 none, 1 error)');
  withPlanFlags(command).action(async (domains: string[], options: PlanOptions) => {
    const { planCommand } = await import('./plan.js');
    process.exitCode = await planCommand(domains, options);
  });
}
