/**
 * `dnssync plan [DOMAIN...]` (SPEC §4): validate, read the live zones, print the plan.
 * Exit 0, or 2 with --detailed-exitcode when there are changes; 1 on any error.
 */
import { writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ExitCode, UserError } from '../errors.js';
import type { Issue } from '../model.js';
import { appendStepSummary, painter, plural, useColor } from '../output.js';
import { preparePlan } from '../plan/prepare.js';
import { DEFAULT_SAFETY, hasChanges, type Plan, type SafetyOptions } from '../plan/types.js';
import { renderDiff } from '../render/diff.js';
import { renderJson } from '../render/json.js';
import { JOB_SUMMARY, renderMarkdown } from '../render/markdown.js';
import { renderFooter, renderText } from '../render/text.js';
import {
  type ApiFlags,
  type CommonOptions,
  clientOptions,
  withApiOptions,
  withColor,
  withZones,
} from './common.js';
import { reportIssues } from './validate.js';

export const PLAN_FORMATS = ['text', 'markdown', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** The safety flags as commander leaves them (percentages as given). */
export interface SafetyFlags {
  maxUpdatePercent: number;
  maxDeletePercent: number;
  safetyMinRecords: number;
}

export interface PlanOptions extends CommonOptions, SafetyFlags, ApiFlags {
  format: PlanFormat;
  out?: string;
  diff?: boolean;
  detailedExitcode?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('plan')
    .description('validate the zone files, read the live zones and show what apply would change')
    .argument('[domain...]', 'only these domains (default: every zone file)')
    .addOption(
      new Option('--format <format>', 'how to print the plan')
        .choices(PLAN_FORMATS)
        .default('text'),
    )
    .option('--out <file>', 'also save the plan as JSON, for a later `dnssync apply FILE`')
    .option('--diff', 'show each zone as a unified diff of BIND-like lines (live → desired)')
    .option('--detailed-exitcode', 'exit 2 when the plan has changes (0 none, 1 error)');
  withSafety(withColor(withApiOptions(withZones(command)))).action(
    async (domains: string[], options: PlanOptions) => {
      const code = await planCommand(domains, options);
      if (code !== 0) throw new ExitCode(code);
    },
  );
}

/** The safety flags of SPEC §3, shared with `apply`. */
export function withSafety<T extends Command>(command: T): T {
  command
    .option(
      '--max-update-percent <n>',
      'a zone is unsafe when the plan updates more than this % of its records',
      percent('--max-update-percent'),
      DEFAULT_SAFETY.update_threshold * 100,
    )
    .option(
      '--max-delete-percent <n>',
      'a zone is unsafe when the plan deletes more than this % of its records',
      percent('--max-delete-percent'),
      DEFAULT_SAFETY.delete_threshold * 100,
    )
    .option(
      '--safety-min-records <n>',
      'the percentages apply to zones with at least this many managed records',
      wholeNumber('--safety-min-records'),
      DEFAULT_SAFETY.min_records,
    );
  return command;
}

export function safetyFromFlags(flags: SafetyFlags): SafetyOptions {
  return {
    update_threshold: flags.maxUpdatePercent / 100,
    delete_threshold: flags.maxDeletePercent / 100,
    min_records: flags.safetyMinRecords,
  };
}

export async function planCommand(domains: string[], options: PlanOptions): Promise<number> {
  if (options.diff && options.format !== 'text') {
    throw new UserError(
      `--diff prints text; it cannot be combined with --format ${options.format}`,
    );
  }
  const toStdout = options.format === 'text';
  const color = useColor(toStdout ? process.stdout : process.stderr, options.color);
  const prepared = await preparePlan({
    zonesDir: options.zones,
    domains,
    ...clientOptions(options),
    safety: safetyFromFlags(options),
  });
  if (!prepared.ok) {
    const errors = printIssues(prepared.issues, color, toStdout);
    const files = new Set(prepared.issues.filter((i) => i.severity === 'error').map((i) => i.file));
    const line = `${painter(color)('red', '✗')} ${plural(errors, 'error')} in ${plural(files.size, 'file')}: nothing was sent to the API.\n`;
    (toStdout ? process.stdout : process.stderr).write(line);
    return 1;
  }
  printIssues(prepared.issues, color, toStdout);
  const { plan } = prepared;

  if (options.out !== undefined) await savePlan(options.out, plan);
  process.stdout.write(
    render(plan, options, color, { desired: prepared.desired, live: prepared.live.live }),
  );
  if (options.out !== undefined) {
    const saved = `Saved the plan to ${options.out} (apply exactly this plan with: dnssync apply ${options.out}).\n`;
    (toStdout ? process.stdout : process.stderr).write(saved);
  }
  await appendStepSummary(renderMarkdown(plan, JOB_SUMMARY));
  return options.detailedExitcode && hasChanges(plan) ? 2 : 0;
}

function render(
  plan: Plan,
  options: PlanOptions,
  color: boolean,
  inputs: Parameters<typeof renderDiff>[1],
): string {
  switch (options.format) {
    case 'json':
      return renderJson(plan);
    case 'markdown':
      return renderMarkdown(plan);
    case 'text': {
      if (!options.diff) return renderText(plan, { color });
      const diff = renderDiff(plan, inputs, { color });
      return `${diff}${diff ? '\n' : ''}${renderFooter(plan, { color })}`;
    }
  }
}

/** Issues to stdout beside a text plan; to stderr when stdout carries JSON or Markdown. */
function printIssues(issues: Issue[], color: boolean, toStdout: boolean): number {
  return reportIssues(issues, color, toStdout ? process.stdout : process.stderr);
}

async function savePlan(path: string, plan: Plan): Promise<void> {
  try {
    await writeFile(path, renderJson(plan));
  } catch (error) {
    throw new UserError(`cannot save the plan to ${path}: ${(error as Error).message}`);
  }
}

function percent(flag: string): (raw: string) => number {
  return (raw) => {
    const n = Number(raw.replace(/%$/, ''));
    if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) {
      throw new InvalidArgumentError(`${flag} needs a percentage from 0 to 100`);
    }
    return n;
  };
}

function wholeNumber(flag: string): (raw: string) => number {
  return (raw) => {
    if (!/^\d+$/.test(raw))
      throw new InvalidArgumentError(`${flag} needs a whole number (0 or more)`);
    return Number(raw);
  };
}
