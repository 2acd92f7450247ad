/**
 * The "DNS checks" section of the pull-request comment, from `validate --format json`
 * of the pull request (head) and, when given, of its base branch: what the pull request
 * introduces comes first, what was already there is folded. A finding is "the same" on
 * both sides when its zone file name, check id and message are (lines move; messages
 * name the record). Zone file text reaches Markdown only inside code fences.
 */
import { basename } from 'node:path';
import type { Issue, Severity } from '../model.js';
import { codeBlock } from '../text/markdown.js';
import { formatIssue, plural } from '../text/terminal.js';
import { CHECK_IDS } from './catalog.js';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'notice'];
/** Lines per code block; the rest is counted, and is in the run's log and validate.txt. */
const MAX_LINES = 150;

/** Issues from a `validate --format json` document; throws a plain-words Error on anything else. */
export function issuesFromJson(text: string, source: string): Issue[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON (${(error as Error).message})`);
  }
  const issues = (data as { version?: unknown; issues?: unknown } | null)?.issues;
  if ((data as { version?: unknown } | null)?.version !== 1 || !Array.isArray(issues)) {
    throw new Error(`${source} is not the output of dnssync validate --format json`);
  }
  return issues.map((raw, index) => {
    const issue = raw as Record<string, unknown>;
    const ok =
      typeof issue['file'] === 'string' &&
      typeof issue['line'] === 'number' &&
      typeof issue['col'] === 'number' &&
      SEVERITIES.includes(issue['severity'] as Severity) &&
      typeof issue['code'] === 'string' &&
      typeof issue['message'] === 'string';
    if (!ok) throw new Error(`${source}: issues[${index}] is not an issue`);
    return issue as unknown as Issue;
  });
}

function identity(issue: Issue): string {
  return `${basename(issue.file)}\u0000${issue.code}\u0000${issue.message}`;
}

/** Head's check findings split into those the base does not have and those it has. */
function splitByBase(head: Issue[], base: Issue[]): { introduced: Issue[]; existing: Issue[] } {
  const remaining = new Map<string, number>();
  for (const issue of base)
    remaining.set(identity(issue), (remaining.get(identity(issue)) ?? 0) + 1);
  const introduced: Issue[] = [];
  const existing: Issue[] = [];
  for (const issue of head) {
    const left = remaining.get(identity(issue)) ?? 0;
    if (left > 0) {
      remaining.set(identity(issue), left - 1);
      existing.push(issue);
    } else introduced.push(issue);
  }
  return { introduced, existing };
}

function counts(issues: Issue[]): string {
  return SEVERITIES.map((severity) => {
    const n = issues.filter((issue) => issue.severity === severity).length;
    return n > 0 ? plural(n, severity) : '';
  })
    .filter(Boolean)
    .join(', ');
}

/** The findings as lines in a code block (which no text inside can close). */
function findingsBlock(issues: Issue[]): string {
  const lines = issues.slice(0, MAX_LINES).map((issue) => formatIssue(issue));
  if (issues.length > MAX_LINES)
    lines.push(`… and ${issues.length - MAX_LINES} more (see the run's log)`);
  return codeBlock(lines.join('\n')).trimEnd();
}

const bySeverity = (a: Issue, b: Issue) =>
  SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
  a.file.localeCompare(b.file) ||
  a.line - b.line;

/** The Markdown section; `base` null when the base branch was not checked. */
export function renderChecksSection(headIssues: Issue[], baseIssues: Issue[] | null): string {
  const isCheck = (issue: Issue) => CHECK_IDS.includes(issue.code);
  const head = headIssues.filter(isCheck).sort(bySeverity);
  const parts = ['### DNS checks', ''];
  if (head.length === 0) {
    parts.push('No findings: the zone files pass every DNS check.');
    return `${parts.join('\n')}\n`;
  }
  if (baseIssues === null) {
    parts.push(
      `${counts(head)} (the base branch was not checked, so all are shown).`,
      '',
      findingsBlock(head),
    );
    return `${parts.join('\n')}\n`;
  }
  const { introduced, existing } = splitByBase(head, baseIssues.filter(isCheck));
  if (introduced.length > 0) {
    parts.push(
      `**This pull request brings ${counts(introduced)}:**`,
      '',
      findingsBlock(introduced),
    );
  } else {
    parts.push('This pull request brings no new findings.');
  }
  if (existing.length > 0) {
    parts.push(
      '',
      '<details>',
      `<summary>${counts(existing)} already on the base branch</summary>`,
      '',
      findingsBlock(existing),
      '',
      '</details>',
    );
  }
  return `${parts.join('\n')}\n`;
}
