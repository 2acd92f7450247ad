/** Terminal output helpers: colour (only on a terminal, honouring NO_COLOR) and issue lines. */
import { appendFile } from 'node:fs/promises';
import type { Issue } from './model.js';
import { forTerminal } from './text/terminal.js';
import { workflowCommand } from './text/workflow.js';

export interface OutputOptions {
  color: boolean;
}

/** Colour only when writing to a terminal, and never with NO_COLOR or --no-color. */
export function useColor(stream: NodeJS.WriteStream, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') return false;
  if (process.env['FORCE_COLOR'] !== undefined && process.env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

const CODES = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
} as const;
export type Style = keyof typeof CODES;

export type Paint = (style: Style, text: string) => string;

export function painter(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m`;
}

/**
 * `zones/example.com.yaml:14:12: error: message`. The file name and the message are shown
 * as untrusted text: a message may quote the zone file, a file name is anyone's.
 */
export function formatIssue(issue: Issue, paint: Paint = painter(false)): string {
  const label =
    issue.severity === 'error'
      ? paint('red', 'error')
      : issue.severity === 'warning'
        ? paint('yellow', 'warning')
        : paint('cyan', 'notice');
  return `${forTerminal(issue.file)}:${issue.line}:${issue.col}: ${label}: ${forTerminal(issue.message)}`;
}

/** The issue as a GitHub Actions annotation on its line (write it with writeWorkflowCommand). */
export function formatAnnotation(issue: Issue): string {
  return workflowCommand(
    issue.severity,
    { file: issue.file, line: issue.line, col: issue.col },
    issue.message,
  );
}

export function inGitHubActions(): boolean {
  return process.env['GITHUB_ACTIONS'] === 'true';
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/**
 * SPEC §8: in GitHub Actions, appends Markdown to the job summary. A summary that cannot
 * be written is worth a warning only: the command's own output was printed already.
 */
export async function appendStepSummary(markdown: string): Promise<void> {
  const path = process.env['GITHUB_STEP_SUMMARY'];
  if (!inGitHubActions() || !path) return;
  try {
    await appendFile(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  } catch (error) {
    process.stderr.write(
      `dnssync: warning: cannot append to GITHUB_STEP_SUMMARY (${forTerminal(path)}): ${forTerminal((error as Error).message)}\n`,
    );
  }
}
