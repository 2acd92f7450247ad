/**
 * `dnssync checks`: every DNS check with its id, default severity and what it reports;
 * `--report HEAD.json [--base BASE.json]` renders the pull-request comment's section.
 */
import { readFileSync } from 'node:fs';
import { renderChecksJson, renderChecksMarkdown, renderChecksText } from '../checks/docs.js';
import { issuesFromJson, renderChecksSection } from '../checks/report.js';
import { UserError } from '../errors.js';

export interface ChecksOptions {
  format: 'text' | 'markdown' | 'json';
  report?: string;
  base?: string;
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
