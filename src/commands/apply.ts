/**
 * `dnssync apply [DOMAIN...]`: apply a fresh plan (of every zone file, or of the domains
 * named) after confirmation. `dnssync apply PLANFILE`: apply a saved plan when a fresh
 * plan makes exactly its changes (docs/design.md, "Saved plans"). Exit 0 done, 1 refused
 * or failed (or still different after verification), 130 interrupted.
 */
import { createInterface } from 'node:readline/promises';
import { createClientFromEnv } from '../api/live.js';
import type { DnsApi } from '../api/types.js';
import { executePlan } from '../apply/execute.js';
import { applyResultJson, nothingSentJson } from '../apply/json.js';
import { Progress, type ProgressMode } from '../apply/progress.js';
import { applyExitCode, count, remainingPlan, renderSummary } from '../apply/report.js';
import { readSavedPlan, savedPlanDifferences } from '../apply/saved.js';
import type { ApplyResult } from '../apply/types.js';
import { type Verification, verifyZones } from '../apply/verify-zones.js';
import { UserError } from '../errors.js';
import type { DesiredZone } from '../model.js';
import { appendStepSummary, outputClosed, useColor } from '../output.js';
import { hasChanges, type Plan } from '../plan/types.js';
import { renderText } from '../render/text.js';
import { codeBlock } from '../text/markdown.js';
import { forTerminal, painter } from '../text/terminal.js';
import { clientOptions, type PlanFlags } from './common.js';
import { reportIssues } from './issues.js';
import { preparePlan } from './prepare.js';

export interface ApplyOptions extends PlanFlags {
  yes?: boolean;
  force?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  verify: boolean;
  format: 'text' | 'json';
}

const EXIT_INTERRUPTED = 130;

/** Where apply writes: people read `human`; with --format json, stdout has only the result. */
interface Output {
  human: NodeJS.WriteStream;
  color: boolean;
  progress: Progress;
}

export async function applyCommand(
  planFile: string | undefined,
  options: ApplyOptions,
  domains: readonly string[] = [],
): Promise<number> {
  const json = options.format === 'json';
  if (json && !options.yes && planFile === undefined) {
    throw new UserError(
      'apply --format json never asks for confirmation: pass --yes, or a plan file saved with dnssync plan --out',
    );
  }
  const human = json ? process.stderr : process.stdout;
  const color = useColor(human, options.color);
  const paint = painter(color);
  const mode: ProgressMode = json
    ? 'off'
    : options.quiet
      ? 'quiet'
      : process.stdout.isTTY
        ? 'live'
        : 'lines';
  const progress = new Progress({
    mode,
    out: process.stdout,
    paint,
    verbose: options.verbose === true,
  });
  const io: Output = { human, color, progress };
  const out = (text: string) => human.write(text);
  const refuse = (reason: string): number => {
    if (json) process.stdout.write(nothingSentJson('refused', reason));
    return 1;
  };
  const api = createClientFromEnv({ ...clientOptions(options), ...progress.api });
  try {
    const ready =
      planFile === undefined
        ? await freshPlan(api, options, io, domains)
        : await savedPlan(api, planFile, options, io);
    if ('refused' in ready) return refuse(ready.refused);
    const { plan, desired } = ready;

    // --quiet leaves out the plan, unless someone is about to be asked to confirm it.
    const prompting = planFile === undefined && !options.yes && process.stdin.isTTY === true;
    if (!options.quiet || prompting || !hasChanges(plan)) out(renderText(plan, { color }));
    if (!hasChanges(plan)) {
      if (json) process.stdout.write(nothingSentJson('no-changes', null));
      return 0;
    }

    const unsafe = plan.zones.filter((zone) => zone.safety.unsafe);
    if (unsafe.length > 0 && !options.force) {
      out('\n');
      const reasons = unsafe.map((zone) => `${zone.domain}: ${zone.safety.reasons.join('; ')}`);
      const advice = 'Review the plan; if it is what you want, run again with --force.';
      const heading = 'Refusing to apply an unsafe plan:';
      return refuse(refusal(io, heading, reasons, advice, 'the plan is unsafe').refused);
    }
    if (planFile === undefined) {
      const answer = await confirm(options, out);
      if (answer !== 'yes') return answer === 'interrupted' ? EXIT_INTERRUPTED : 1;
    }

    const result = await run(plan, api, progress);
    // The summary is printed even when verification fails (its error is thrown after).
    const [verified] = await Promise.allSettled([
      verifyAfter(result, api, desired, options, progress),
    ]);
    const verification = verified.status === 'fulfilled' ? verified.value : null;

    out(renderSummary(result, verification, { paint, verbose: options.verbose === true }));
    const remaining = remainingPlan(result, verification);
    if (remaining !== null) out(renderText(remaining, { color }));
    const plain = renderSummary(result, verification, { paint: painter(false), verbose: false });
    if (json) process.stdout.write(applyResultJson(result, verification));
    else if (outputClosed(process.stdout)) {
      // Whoever read stdout went away (`dnssync apply | head`): the outcome still gets out.
      process.stderr.write(`dnssync: stdout was closed; apply went on: ${plain.split('\n')[0]}\n`);
    }
    await appendStepSummary(() => `### dnssync apply\n\n${codeBlock(plain)}`);
    if (verified.status === 'rejected') throw verified.reason;
    return applyExitCode(result, verification);
  } finally {
    progress.finish();
    await api.close();
  }
}

/**
 * Re-reads the zones apply touched, unless --no-verify, or the run was interrupted or
 * stopped early (401, 403, the API unreachable): then the summary says what was not made,
 * and reading again may well meet the same failure.
 */
async function verifyAfter(
  result: ApplyResult,
  api: DnsApi,
  desired: DesiredZone[],
  options: ApplyOptions,
  progress: Progress,
): Promise<Verification | null> {
  const stoppedEarly = result.stops.some((stop) => stop.zone === undefined);
  if (!options.verify || result.interrupted || stoppedEarly || result.touchedZones.length === 0) {
    return null;
  }
  progress.phase(`Verifying ${count(result.touchedZones.length, 'zone')}`);
  try {
    return await verifyZones(api, desired, result.touchedZones);
  } finally {
    progress.phase(null);
  }
}

type Ready = { plan: Plan; desired: DesiredZone[] } | { refused: string };

async function freshPlan(
  api: DnsApi,
  options: ApplyOptions,
  io: Output,
  domains: readonly string[],
): Promise<Ready> {
  io.progress.phase('Reading live zones');
  let prepared: Awaited<ReturnType<typeof preparePlan>>;
  try {
    prepared = await preparePlan(options, domains, { api });
  } finally {
    io.progress.phase(null);
  }
  reportIssues(prepared.ok ? prepared.value.warnings : prepared.reason, io.color, io.human);
  if (!prepared.ok) {
    io.human.write('Nothing was sent to the API: fix the zone files first.\n');
    return { refused: 'the zone files have errors (see stderr); nothing was sent to the API' };
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
  io: Output,
): Promise<Ready> {
  const saved = await readSavedPlan(planFile);
  const domains = saved.zones.map((zone) => zone.domain);
  const fresh = await freshPlan(api, options, io, domains);
  if ('refused' in fresh) return fresh;
  const differences = savedPlanDifferences(saved, fresh.plan);
  if (differences.length === 0) return fresh;
  return refusal(
    io,
    `Refusing to apply ${forTerminal(planFile)}: the plan is stale.`,
    differences,
    `Make a new plan (dnssync plan --out ${planFile}), review it, and apply that.`,
    'the plan is stale',
  );
}

/** Says why nothing is applied: `heading`, each reason, then what to do instead. */
function refusal(
  io: Output,
  heading: string,
  reasons: string[],
  advice: string,
  refused: string,
): { refused: string } {
  const shown = reasons.map(forTerminal);
  io.human.write(`${painter(io.color)('red', heading)}\n`);
  for (const reason of shown) io.human.write(`  ${reason}\n`);
  io.human.write(`Nothing was changed. ${advice}\n`);
  return { refused: `${refused}: ${shown.join('; ')}` };
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

/**
 * Executes with progress. The first SIGINT/SIGTERM stops new requests; a second one quits
 * at once, saying what may be left half-done.
 */
async function run(plan: Plan, api: DnsApi, progress: Progress): Promise<ApplyResult> {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) {
      progress.finish();
      process.stderr.write(progress.halfDone());
      process.exit(EXIT_INTERRUPTED);
    }
    controller.abort();
    progress.note(
      `Interrupted: starting no new requests; waiting for ${progress.inFlight() === 1 ? 'the one' : `the ${progress.inFlight()}`} in flight (again to quit at once).`,
      process.stderr,
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
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
