/**
 * Printing the zone files' issues, for validate, plan and apply. A module of its own so
 * that plan and apply do not load validate's (the parser, the checks) to print them.
 */
import type { Issue } from '../model.js';
import { inGitHubActions } from '../output.js';
import { formatIssue, painter } from '../text/terminal.js';
import { formatAnnotation, writeWorkflowCommand } from '../text/workflow.js';

export function sortIssues(issues: Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
  );
}

/** Prints issues (and GitHub annotations when in Actions); returns the error count. */
export function reportIssues(
  issues: Issue[],
  color: boolean,
  stream: NodeJS.WritableStream = process.stdout,
): number {
  const paint = painter(color);
  const sorted = sortIssues(issues);
  const lines = sorted.map((issue) => formatIssue(issue, paint));
  if (lines.length > 0) stream.write(`${lines.join('\n')}\n`);
  if (inGitHubActions()) {
    for (const issue of sorted) writeWorkflowCommand(stream, formatAnnotation(issue));
  }
  return issues.filter((issue) => issue.severity === 'error').length;
}
