#!/usr/bin/env node
/**
 * Builds the pull-request comment that shows the plan (or why there is none). The hidden marker on its first
 * line is how pr-comment.mjs finds the comment again, so each push edits one comment
 * instead of adding another.
 *
 *   node comment-body.mjs --status changes --dir OUT_DIR > comment.md
 *
 * OUT_DIR is pr-plan.sh's output directory (plan.md, plan.json, validate.txt,
 * plan-errors.txt). The run link comes from GITHUB_SERVER_URL, GITHUB_REPOSITORY and
 * GITHUB_RUN_ID; the commit from DNSSYNC_PR_HEAD_SHA, else GITHUB_SHA.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** The same marker `plan --format markdown` starts with (src/render/markdown.ts). */
export const MARKER = '<!-- dnssync:plan -->';

/** GitHub refuses comment bodies over 65,536 characters; leave room for the frame. */
export const BODY_LIMIT = 65_536;
const FRAME_ALLOWANCE = 2_000;

/** @typedef {'invalid' | 'skipped' | 'no-changes' | 'changes' | 'error'} PlanStatus */
export const STATUSES = /** @type {const} */ ([
  'invalid',
  'skipped',
  'no-changes',
  'changes',
  'error',
]);

/**
 * @param {{
 *   status: PlanStatus,
 *   planMarkdown?: string,
 *   plan?: { zones?: Array<{ domain: string, safety?: { unsafe?: boolean } }> } | null,
 *   validateText?: string,
 *   errorText?: string,
 *   checksMarkdown?: string,
 *   sha?: string,
 *   runUrl?: string,
 * }} input
 * @returns {string}
 */
export function buildCommentBody(input) {
  const parts = [MARKER];
  const room = BODY_LIMIT - FRAME_ALLOWANCE;
  switch (input.status) {
    case 'invalid':
      parts.push(
        '### ❌ dnssync: the zone files are invalid',
        '',
        'Nothing was planned. Each error is also annotated on its line under *Files changed*.',
        '',
        codeBlock(truncateMarkdown(withoutWorkflowCommands(input.validateText ?? ''), room)),
      );
      break;
    case 'skipped':
      parts.push(
        '### ℹ️ dnssync: valid, not planned',
        '',
        'This run had no `VPS_API_TOKEN` (pull requests from forks get no secrets), so live DNS was not read.',
        'A maintainer can plan it with **Actions → dns-plan → Run workflow** and this pull request’s number.',
      );
      break;
    case 'error':
      parts.push(
        '### ⚠️ dnssync: planning failed',
        '',
        codeBlock(truncateMarkdown(input.errorText ?? '', room)),
      );
      break;
    case 'no-changes':
    case 'changes':
      // The plan's Markdown brings its own heading, summary and unsafe warning.
      parts.push(truncateMarkdown(planBody(input.planMarkdown ?? ''), room));
      if ((input.plan?.zones ?? []).some((zone) => zone.safety?.unsafe)) {
        parts.push(
          '',
          '> [!IMPORTANT]',
          '> The apply on merge refuses an unsafe plan. Once merged, a maintainer who has checked',
          '> the plan runs **dns-apply** by hand (Actions → dns-apply → Run workflow) with *force*.',
        );
      }
      break;
  }
  // The DNS checks' section (pr-plan.sh writes it); an invalid file already shows them all.
  if (input.checksMarkdown && input.status !== 'invalid')
    parts.push('', input.checksMarkdown.trim());
  parts.push('', footer(input));
  return `${parts.join('\n').trimEnd()}\n`;
}

/**
 * The plan's Markdown without workflow commands (they belong in the log) and without
 * its own copy of the marker (the comment already starts with it).
 * @param {string} text
 */
function planBody(text) {
  return withoutWorkflowCommands(text)
    .split('\n')
    .filter((line) => line.trim() !== MARKER)
    .join('\n')
    .trim();
}

/** @param {Parameters<typeof buildCommentBody>[0]} input */
function footer(input) {
  const bits = [];
  if (input.sha) bits.push(`commit ${input.sha.slice(0, 7)}`);
  if (input.runUrl) bits.push(`[workflow run](${input.runUrl})`);
  bits.push(
    input.status === 'changes'
      ? 'updated on every push; merging applies this plan'
      : 'updated on every push',
  );
  return `<sub>${bits.join(' · ')}</sub>`;
}

/** @param {string} text */
function withoutWorkflowCommands(text) {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::'))
    .join('\n');
}

/*
 * Untrusted text in the comment. dnssync's own output is already made safe by
 * src/text/ when it is printed; these two guard the comment itself. They are copies of
 * forTerminal (src/text/terminal.ts) and codeBlock (src/text/markdown.ts), kept here
 * because this script also runs where dnssync's dist/ is another version or absent;
 * test/text-scripts.test.ts holds each equal to its original for any string.
 */

const UNSAFE = /[\p{Cc}\p{Bidi_Control}\p{Cs}\u2028\u2029]/gu;
/** @type {Record<string, string>} */
const NAMED = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Controls, bidi controls, separators and lone surrogates as visible escapes.
 * @param {string} text
 */
export function forTerminal(text) {
  return text.replace(UNSAFE, (char) => {
    const named = NAMED[char];
    if (named !== undefined) return named;
    const code = char.charCodeAt(0);
    const hex = code.toString(16);
    return code <= 0xff ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`;
  });
}

/**
 * A fenced code block longer than any backtick run inside it, each line shown as on a
 * terminal.
 * @param {string} text
 * @param {string} [info]
 */
export function codeBlock(text, info = 'text') {
  const lines = text
    .replace(/\r?\n$/, '')
    .split(/\r?\n/)
    .map(forTerminal);
  let longestRun = 0;
  for (const line of lines) {
    for (const run of line.match(/`+/g) ?? []) longestRun = Math.max(longestRun, run.length);
  }
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${info}\n${lines.join('\n')}\n${fence}\n`;
}

/**
 * Cuts Markdown at a line boundary so it fits in `limit` characters, closes a code
 * fence or <details> left open by the cut, and says where the rest is.
 * @param {string} text
 * @param {number} limit
 */
export function truncateMarkdown(text, limit) {
  if (text.length <= limit) return text;
  const note =
    '\n\n*… the plan is too long for a comment: the full plan is in the job summary and in the `plan.md` artifact.*';
  const cut = text.lastIndexOf('\n', limit - note.length - 200);
  const kept = text.slice(0, Math.max(0, cut));
  const closers = [];
  const fences = kept.split('\n').filter((line) => /^\s*(```|~~~)/.test(line)).length;
  if (fences % 2 === 1) closers.push('```');
  const openDetails =
    (kept.match(/<details\b/g) ?? []).length - (kept.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < openDetails; i++) closers.push('</details>');
  return `${kept}${closers.length > 0 ? `\n${closers.join('\n')}` : ''}${note}`;
}

function readIfPresent(/** @type {string} */ file) {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function main() {
  const { values } = parseArgs({
    options: { status: { type: 'string' }, dir: { type: 'string' } },
  });
  const status = /** @type {PlanStatus} */ (values.status);
  if (!STATUSES.includes(status)) {
    process.stderr.write(`comment-body: --status must be one of ${STATUSES.join(', ')}\n`);
    process.exit(1);
  }
  const dir = values.dir ?? '.';
  const planJson = readIfPresent(join(dir, 'plan.json'));
  const env = process.env;
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const sha = env.DNSSYNC_PR_HEAD_SHA || env.GITHUB_SHA;
  const body = buildCommentBody({
    status,
    planMarkdown: readIfPresent(join(dir, 'plan.md')),
    plan: planJson ? JSON.parse(planJson) : null,
    validateText: readIfPresent(join(dir, 'validate.txt')),
    errorText: readIfPresent(join(dir, 'plan-errors.txt')),
    checksMarkdown: readIfPresent(join(dir, 'checks.md')),
    ...(sha ? { sha } : {}),
    ...(runUrl ? { runUrl } : {}),
  });
  process.stdout.write(body);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
