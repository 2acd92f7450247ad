/** `dnssync apply`: its flags and arguments; the work (apply.ts) is loaded when the command runs. */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Command, Option } from 'commander';
import { UserError } from '../errors.js';
import type { ApplyOptions } from './apply.js';
import { namesPlanFile, withPlanFlags } from './common.js';

export function register(program: Command): void {
  const command = program
    .command('apply')
    .description(
      'apply a fresh plan (after confirmation) of every zone file or of the domains named, or a saved plan file if a fresh plan makes exactly its changes',
    )
    .argument(
      '[domain-or-planfile...]',
      'only these domains (default: every zone file); or one plan saved with `dnssync plan --out FILE`, named by a path ending in .json or containing a slash',
    )
    .option('-y, --yes', 'apply without asking (required when stdin is not a terminal)')
    .option(
      '--force',
      'apply even when the plan is unsafe (it changes more than the safety thresholds allow, or apex NS)',
    )
    .option('-q, --quiet', 'print only the summary (on a terminal also a status line every 10 s)')
    .option('-v, --verbose', 'list every change not made, skipped and not started ones too')
    .addOption(
      new Option(
        '--format <format>',
        'json: the result for automation on stdout, every other line on stderr (needs --yes or a plan file)',
      )
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--no-verify', 'skip re-reading the zones afterwards to confirm they match');
  withPlanFlags(command).action(async (args: string[], options: ApplyOptions) => {
    const { planFile, domains } = applyTargets(args, options.zones);
    const { applyCommand } = await import('./apply.js');
    process.exitCode = await applyCommand(planFile, options, domains);
  });
}

/**
 * apply's arguments: one saved plan file, or domains (namesPlanFile tells them apart).
 * An argument that reads as a domain but names a file here, with no zone file of that
 * name, is most likely a plan saved under another name: say how to write it.
 */
function applyTargets(
  args: readonly string[],
  zones: string,
): { planFile: string | undefined; domains: string[] } {
  const files = args.filter(namesPlanFile);
  const domains = args.filter((arg) => !namesPlanFile(arg));
  if (files.length > 1) {
    throw new UserError(`give one plan file, not ${files.length}: ${files.join(', ')}`);
  }
  const zoneFile = files.find((file) => /\.ya?ml$/i.test(file));
  if (zoneFile !== undefined) {
    const domain = basename(zoneFile).replace(/\.ya?ml$/i, '');
    throw new UserError(
      `${zoneFile} is a zone file, not a saved plan: apply takes domains (dnssync apply ${domain}) or a plan file from plan --out`,
    );
  }
  if (files.length === 1 && domains.length > 0) {
    throw new UserError(
      `a saved plan names its own zones: give the plan file ${files[0]} or domains, not both`,
    );
  }
  for (const domain of domains) {
    const zoneFile = [`${domain}.yaml`, `${domain}.yml`].some((name) =>
      existsSync(join(zones, name.toLowerCase())),
    );
    if (!zoneFile && isFile(domain)) {
      throw new UserError(
        `no zone file for ${domain} in ${zones}/; to apply the plan saved in the file ${domain}, write ./${domain} (apply reads an argument as a plan file when it ends in .json or contains a slash)`,
      );
    }
  }
  return { planFile: files[0], domains };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
