/**
 * `dnssync plan [DOMAIN...]`: validate, read the live zones, print the plan in one of
 * the formats of render/index.ts. Exit 0, or 2 with --detailed-exitcode when there are
 * changes; 1 on any error.
 */
import { writeFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { appendStepSummary, useColor } from '../output.js';
import { hasChanges, type Plan } from '../plan/types.js';
import { PLAN_RENDERERS, type PlanFormat } from '../render/index.js';
import { renderJson } from '../render/json.js';
import { JOB_SUMMARY, renderMarkdown } from '../render/markdown.js';
import { painter, plural } from '../text/terminal.js';
import { asPlanFileArgument, type PlanFlags } from './common.js';
import { reportIssues } from './issues.js';
import { preparePlan } from './prepare.js';

export interface PlanOptions extends PlanFlags {
  format: PlanFormat;
  out?: string;
  /** The older spelling of `--format diff`. */
  diff?: boolean;
  detailedExitcode?: boolean;
}

export async function planCommand(domains: string[], options: PlanOptions): Promise<number> {
  const format = formatOf(options);
  // Text and the diff go to a person: issues beside them. JSON and Markdown go to tools.
  const out = format === 'text' || format === 'diff' ? process.stdout : process.stderr;
  const color = useColor(out, options.color);
  const prepared = await preparePlan(options, domains, { readEarly: true });
  if (!prepared.ok) {
    const errors = reportIssues(prepared.reason, color, out);
    const files = new Set(prepared.reason.filter((i) => i.severity === 'error').map((i) => i.file));
    const line = `${painter(color)('red', '✗')} ${plural(errors, 'error')} in ${plural(files.size, 'file')}: no plan was made.\n`;
    out.write(line);
    return 1;
  }
  const { plan, warnings, desired, live } = prepared.value;
  reportIssues(warnings, color, out);

  if (options.out !== undefined) await savePlan(options.out, plan);
  const context = { color, desired, live: live.live };
  process.stdout.write(PLAN_RENDERERS[format](plan, context));
  if (options.out !== undefined) {
    out.write(
      `Saved the plan to ${options.out} (apply exactly this plan with: dnssync apply ${asPlanFileArgument(options.out)}).\n`,
    );
  }
  // Rendered only for a job summary that will be written.
  await appendStepSummary(() => renderMarkdown(plan, JOB_SUMMARY));
  return options.detailedExitcode && hasChanges(plan) ? 2 : 0;
}

/** `--diff` is `--format diff`; beside another format than text it is a mistake. */
function formatOf(options: PlanOptions): PlanFormat {
  if (!options.diff || options.format === 'text' || options.format === 'diff') {
    return options.diff ? 'diff' : options.format;
  }
  throw new UserError(`--diff prints text; it cannot be combined with --format ${options.format}`);
}

async function savePlan(path: string, plan: Plan): Promise<void> {
  try {
    await writeFile(path, renderJson(plan));
  } catch (error) {
    throw new UserError(`cannot save the plan to ${path}: ${(error as Error).message}`);
  }
}
