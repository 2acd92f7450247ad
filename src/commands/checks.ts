/**
 * `dnssync checks`: every DNS check with its id, default severity and what it reports;
 * `--report HEAD.json [--base BASE.json]` renders the pull-request comment's section.
 */
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { renderChecksJson, renderChecksMarkdown, renderChecksText } from '../checks/docs.js';
import { issuesFromJson, renderChecksSection } from '../checks/report.js';
import { UserError } from '../errors.js';

const FORMATS = ['text', 'markdown', 'json'] as const;

interface ChecksOptions {
  format: (typeof FORMATS)[number];
  report?: string;
  base?: string;
}

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
    .action((options: ChecksOptions) => {
      process.stdout.write(checksCommand(options));
    });
}

export function checksCommand(options: ChecksOptions): string {
  if (options.report !== undefined) {
    const head = readIssues(options.report);
    const base = options.base === undefined ? null : readIssues(options.base);
    return renderChecksSection(head, base);
  }
  if (options.base !== undefined) throw new UserError('--base goes with --report');
  switch (options.format) {
    case 'markdown':
      return renderChecksMarkdown();
    case 'json':
      return renderChecksJson();
    case 'text':
      return renderChecksText();
  }
}

function readIssues(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return issuesFromJson(text, file);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}
