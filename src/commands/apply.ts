/**
 * `dnssync apply [DOMAIN...]`: apply a fresh plan (of every zone file, or of the domains
 * named) after confirmation. `dnssync apply PLANFILE`: apply a saved plan when a fresh
 * plan makes exactly its changes (docs/design.md, "Saved plans"). Exit 0 done, 1 refused
 * or failed (or still different after verification), 130 interrupted.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { createClientFromEnv, readLiveZones } from '../api/live.js';
import type { DnsApi } from '../api/types.js';
import { executePlan } from '../apply/execute.js';
import { progressReporter, renderSummary } from '../apply/report.js';
import { readSavedPlan, savedPlanDifferences } from '../apply/saved.js';
import type { ApplyResult } from '../apply/types.js';
import { ExitCode, UserError } from '../errors.js';
import type { DesiredZone } from '../model.js';
import { appendStepSummary, useColor } from '../output.js';
import { computePlan, duplicateDeletes } from '../plan/index.js';
import { hasChanges, type Plan } from '../plan/types.js';
import { renderText } from '../render/text.js';
import { codeBlock } from '../text/markdown.js';
import { forTerminal, type Paint, painter, plural } from '../text/terminal.js';
import { clientOptions, namesPlanFile, type PlanFlags, withPlanFlags } from './common.js';
import { preparePlan } from './prepare.js';
import { reportIssues } from './validate.js';

interface ApplyOptions extends PlanFlags {
  yes?: boolean;
  force?: boolean;
  quiet?: boolean;
  verify: boolean;
}

export const EXIT_INTERRUPTED = 130;

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
    .option('-q, --quiet', 'print only the summary')
    .option('--no-verify', 'skip re-reading the zones afterwards to confirm they match');
  withPlanFlags(command).action(async (args: string[], options: ApplyOptions) => {
    const { planFile, domains } = applyTargets(args, options.zones);
    const code = await applyCommand(planFile, options, domains);
    if (code !== 0) throw new ExitCode(code);
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

export async function applyCommand(
  planFile: string | undefined,
  options: ApplyOptions,
  domains: readonly string[] = [],
): Promise<number> {
  const color = useColor(process.stdout, options.color);
  const paint = painter(color);
  const out = (text: string) => process.stdout.write(text);
  const api = createClientFromEnv(clientOptions(options));
  try {
    const ready =
      planFile === undefined
        ? await freshPlan(api, options, color, domains)
        : await savedPlan(api, planFile, options, color);
    if (typeof ready === 'number') return ready;
    const { plan, desired } = ready;

    // --quiet leaves out the plan, unless someone is about to be asked to confirm it.
    const prompting = planFile === undefined && !options.yes && process.stdin.isTTY === true;
    if (!options.quiet || prompting || !hasChanges(plan)) out(renderText(plan, { color }));
    if (!hasChanges(plan)) return 0;

    const unsafe = plan.zones.filter((zone) => zone.safety.unsafe);
    if (unsafe.length > 0 && !options.force) {
      out(`\n${paint('red', 'Refusing to apply an unsafe plan:')}\n`);
      for (const zone of unsafe) {
        out(`  ${forTerminal(`${zone.domain}: ${zone.safety.reasons.join('; ')}`)}\n`);
      }
      out(
        'Nothing was changed. Review the plan; if it is what you want, run again with --force.\n',
      );
      return 1;
    }
    if (planFile === undefined) {
      const answer = await confirm(options, out);
      if (answer !== 'yes') return answer === 'interrupted' ? EXIT_INTERRUPTED : 1;
    }

    const result = await run(plan, api, options, paint);
    out(renderSummary(result, paint));
    await appendStepSummary(
      `### dnssync apply\n\n${codeBlock(renderSummary(result, painter(false)))}`,
    );
    if (result.interrupted) return EXIT_INTERRUPTED;

    let converged = true;
    if (options.verify && result.touchedZones.length > 0) {
      converged = await verify(api, desired, result.touchedZones, color);
    }
    return result.failed > 0 || result.skipped > 0 || !converged ? 1 : 0;
  } finally {
    await api.close();
  }
}

type Ready = { plan: Plan; desired: DesiredZone[] } | number;

async function freshPlan(
  api: DnsApi,
  options: ApplyOptions,
  color: boolean,
  domains: readonly string[] = [],
): Promise<Ready> {
  const prepared = await preparePlan(options, domains, api);
  reportIssues(prepared.ok ? prepared.value.warnings : prepared.reason, color);
  if (!prepared.ok) {
    process.stdout.write('Nothing was sent to the API: fix the zone files first.\n');
    return 1;
  }
  return prepared.value;
}

/**
 * A saved plan is checked, never executed: the zones it names are planned afresh (with
 * this run's safety flags), and the fresh plan is what runs, only when its changes are
 * exactly the saved ones.
 */
async function savedPlan(
  api: DnsApi,
  planFile: string,
  options: ApplyOptions,
  color: boolean,
): Promise<Ready> {
  const saved = await readSavedPlan(planFile);
  const fresh = await freshPlan(
    api,
    options,
    color,
    saved.zones.map((zone) => zone.domain),
  );
  if (typeof fresh === 'number') return fresh;
  const differences = savedPlanDifferences(saved, fresh.plan);
  if (differences.length > 0) {
    const paint = painter(color);
    process.stdout.write(
      `${paint('red', `Refusing to apply ${forTerminal(planFile)}: the plan is stale.`)}\n`,
    );
    for (const reason of differences) process.stdout.write(`  ${forTerminal(reason)}\n`);
    process.stdout.write(
      `Nothing was changed. Make a new plan (dnssync plan --out ${planFile}), review it, and apply that.\n`,
    );
    return 1;
  }
  return fresh;
}

/** Asks on a terminal; refuses without one unless --yes. Ctrl-C at the prompt cancels too. */
async function confirm(
  options: ApplyOptions,
  out: (text: string) => void,
): Promise<'yes' | 'no' | 'interrupted'> {
  if (options.yes) return 'yes';
  if (!process.stdin.isTTY) {
    out(
      '\nRefusing to apply: stdin is not a terminal, so nobody can confirm. Pass --yes to apply without asking.\n',
    );
    return 'no';
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question('\nApply these changes? (y/N) ');
    if (/^y(es)?$/i.test(answer.trim())) return 'yes';
    out('Apply cancelled; nothing was changed.\n');
    return 'no';
  } catch {
    // readline rejects the question on Ctrl-C (or when stdin closes).
    out('\nApply cancelled; nothing was changed.\n');
    return 'interrupted';
  } finally {
    prompt.close();
  }
}

/** Executes with progress; the first SIGINT/SIGTERM stops new requests, a second one exits at once. */
async function run(
  plan: Plan,
  api: DnsApi,
  options: ApplyOptions,
  paint: Paint,
): Promise<ApplyResult> {
  const mode = options.quiet ? 'quiet' : process.stdout.isTTY ? 'live' : 'lines';
  const progress = progressReporter(mode, process.stdout, paint);
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) {
      progress.finish();
      process.exit(EXIT_INTERRUPTED);
    }
    controller.abort();
    process.stderr.write(
      '\nInterrupted: starting no new requests; waiting for those in flight (again to quit now).\n',
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (mode !== 'quiet') process.stdout.write('\n');
    return await executePlan(plan, api, {
      signal: controller.signal,
      onEvent: progress.onEvent,
    });
  } finally {
    progress.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Rounds of removing duplicates that verification makes before it reports what differs. */
const DUPLICATE_ROUNDS = 5;

/**
 * Re-reads the zones apply touched and checks they now plan no changes.
 *
 * Exact duplicates found there are removed and the zones read again: another apply of the
 * same zone files running at the same time creates the same records, and both runs keep
 * the oldest copy of each, so whichever run verifies last leaves exactly one. Removal
 * repeats while the other run is still adding copies, a few rounds at most.
 */
async function verify(
  api: DnsApi,
  desired: DesiredZone[],
  domains: string[],
  color: boolean,
): Promise<boolean> {
  const paint = painter(color);
  const touched = desired.filter((zone) => domains.includes(zone.domain));
  let plan: Plan;
  for (let round = 1; ; round++) {
    plan = computePlan(touched, (await readLiveZones(api, domains)).live);
    const duplicates = duplicateDeletes(plan);
    if (!hasChanges(duplicates) || round > DUPLICATE_ROUNDS) break;
    const { results } = await executePlan(duplicates, api, {});
    // A copy already gone was removed by the other run's verification.
    const removed = results.filter((r) => r.status === 'applied' && r.note === undefined).length;
    if (removed > 0) {
      process.stdout.write(
        `Removed ${plural(removed, 'exact duplicate record')} (as another apply of the same zone files at the same time leaves).\n`,
      );
    }
    // Deletes that all failed (no dns:delete, say) will not do better in another round.
    if (!results.some((r) => r.status === 'applied')) break;
  }
  if (!hasChanges(plan)) {
    process.stdout.write(
      `${paint('green', '✓')} Verified: ${touched.length === 1 ? '1 zone now matches its zone file' : `${touched.length} zones now match their zone files`}.\n`,
    );
    return true;
  }
  process.stdout.write(
    `\n${paint('red', 'Verification failed: live DNS still differs from the zone files:')}\n`,
  );
  process.stdout.write(renderText(plan, { color }));
  return false;
}
