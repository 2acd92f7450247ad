import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import type { Issue } from '../model.js';
import {
  formatAnnotation,
  formatIssue,
  inGitHubActions,
  painter,
  plural,
  useColor,
} from '../output.js';
import { writeWorkflowCommand } from '../text/workflow.js';
import { loadZones } from '../zonefile/load.js';
import { type CommonOptions, withColor, withZones } from './common.js';

export function register(program: Command): void {
  const command = program
    .command('validate')
    .description('check zone files offline: schema and the rules of SPEC §2 (no token needed)')
    .argument('[domain...]', 'only these domains (default: every zone file)');
  withColor(withZones(command)).action(async (domains: string[], options: CommonOptions) => {
    const code = await validateCommand(domains, options);
    if (code !== 0) throw new ExitCode(code);
  });
}

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

export async function validateCommand(domains: string[], options: CommonOptions): Promise<number> {
  const color = useColor(process.stdout, options.color);
  const paint = painter(color);
  const { zones, issues, files } = await loadZones(options.zones, domains);
  const errors = reportIssues(issues, color);
  const warnings = issues.length - errors;
  const records = zones.reduce((sum, zone) => sum + zone.records.length, 0);
  if (errors > 0) {
    const badFiles = new Set(issues.filter((i) => i.severity === 'error').map((i) => i.file)).size;
    process.stdout.write(
      `${paint('red', '✗')} ${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''} in ${plural(badFiles, 'file')} (${plural(files.length, 'zone file')} checked)\n`,
    );
    return 1;
  }
  process.stdout.write(
    `${paint('green', '✓')} ${plural(files.length, 'zone file')} valid (${plural(records, 'record')})${warnings ? `, ${plural(warnings, 'warning')}` : ''}\n`,
  );
  return 0;
}
