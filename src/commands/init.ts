/** `dnssync init [DIR]`: zones/, an example zone and the workflows, in an existing repository. */
import type { Command } from 'commander';
import type { InitResult } from '../init/scaffold.js';
import { forTerminal } from '../text/terminal.js';

interface InitFlags {
  action?: string;
  force?: boolean;
}

export function register(program: Command): void {
  program
    .command('init')
    .description(
      'set up a Git repository for dnssync: zones/ with an example zone, and the GitHub workflows',
    )
    .argument('[dir]', "the repository's root directory", '.')
    .option(
      '--action <owner/repo@ref>',
      "the dnssync action the workflows use, pinned to a commit SHA (default: this package's repository at its version, else OWNER/dnssync@REF to replace)",
    )
    .option('--force', 'overwrite files init writes that already exist')
    .action(async (dir: string, flags: InitFlags) => {
      const scaffold = await import('../init/scaffold.js');
      const result = await scaffold.init({
        dir,
        force: flags.force === true,
        ...(flags.action !== undefined ? { action: flags.action } : {}),
      });
      process.stdout.write(report(result, scaffold));
    });
}

function report(result: InitResult, scaffold: typeof import('../init/scaffold.js')): string {
  const { actionIsPinned, actionIsPlaceholder, shownPath } = scaffold;
  const width = Math.max(...result.files.map((file) => shownPath(result, file).length));
  const lines = result.files.map(
    (file) =>
      `  ${file.outcome.padEnd(7)} ${forTerminal(shownPath(result, file)).padEnd(width)}  ${file.note}`,
  );
  const wrote = (prefix: string) =>
    result.files.some((file) => file.outcome === 'wrote' && file.path.startsWith(prefix));
  const action = forTerminal(result.action);
  const steps: string[] = [];
  if (wrote('zones/')) {
    steps.push(
      'Replace the example zone with yours: `dnssync import DOMAIN` writes zones/DOMAIN.yaml from live DNS (with VPS_API_TOKEN set); `dnssync validate` checks zone files.',
    );
  }
  if (wrote('.github/') && actionIsPlaceholder(result.action)) {
    steps.push(
      `In .github/workflows/, replace ${action} with the dnssync action at a full commit SHA (octo-org/dnssync@<40 hex digits>), or run init again with --action OWNER/REPO@SHA --force.`,
    );
  } else if (wrote('.github/') && !actionIsPinned(result.action)) {
    steps.push(
      `The workflows use ${action}: pin it to that reference's full commit SHA, which nobody can move.`,
    );
  }
  steps.push(
    'GitHub → Settings → Secrets and variables → Actions: a repository secret VPS_API_TOKEN, a VPS.org token with dns:list and dns:read only (plan and drift).',
    'GitHub → Settings → Environments: an environment dns-apply, deployment branches main only, with its own secret VPS_API_TOKEN holding a token with all five dns: permissions (apply).',
    'Protect main (a pull request and an approving review), commit, and open a pull request: dns-plan comments the plan.',
  );
  return `dnssync init: ${forTerminal(result.root)}
${lines.join('\n')}

Next steps (README: "Using dnssync in GitHub Actions"):
${steps.map((step, i) => `  ${i + 1}. ${step}`).join('\n')}
`;
}
