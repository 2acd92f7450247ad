#!/usr/bin/env node
/**
 * Builds the pull-request comment that shows the plan (or why there is none). The hidden
 * marker on its first line is how pr-comment.mjs finds the comment again, so each push
 * edits one comment instead of adding another.
 *
 *   node comment-body.mjs --status changes --dir OUT_DIR > comment.md
 *   node comment-body.mjs --list-unsafe --dir OUT_DIR   # the unsafe zones of plan.json, one a line
 *
 * OUT_DIR is pr-plan.sh's output directory (plan.md, plan.json, validate.txt,
 * plan-errors.txt, checks.md). When the check could not plan (status error or no-token)
 * this also writes OUT_DIR/failure.json, the same facts as data: pr-comment.mjs uses them
 * to keep the plan already on the pull request, marked stale, instead of replacing it
 * (stale-comment.mjs). The run link comes from GITHUB_SERVER_URL, GITHUB_REPOSITORY and
 * GITHUB_RUN_ID; the commit from DNSSYNC_PR_HEAD_SHA, else GITHUB_SHA; the artifact's name
 * from DNSSYNC_ARTIFACT_PREFIX (default dnssync-plan-pr-) and DNSSYNC_PR, unless
 * DNSSYNC_PR_FROM_FORK is true (a fork's run uploads none).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** The same marker `plan --format markdown` starts with (src/render/markdown.ts). */
export const MARKER = '<!-- dnssync:plan -->';

/** GitHub refuses comment bodies over 65,536 characters. */
export const BODY_LIMIT = 65_536;
/** Kept free below the limit, so small miscounts never cost the comment. */
const MARGIN = 1_000;
/** At most this much of a comment for the DNS checks, and for an error or validation text. */
const CHECKS_LIMIT = 16_000;
const ERROR_LIMIT = 16_000;

/**
 * The plan's part of the comment lies between these two lines (the first with the commit
 * it is the plan of): when a later check cannot plan, that part is kept, marked stale.
 */
const SECTION_START = '<!-- dnssync:plan-section';
export const SECTION_END = '<!-- dnssync:plan-section-end -->';

/** @typedef {'invalid' | 'skipped' | 'no-token' | 'no-changes' | 'changes' | 'error'} PlanStatus */
export const STATUSES = /** @type {const} */ ([
  'invalid',
  'skipped',
  'no-token',
  'no-changes',
  'changes',
  'error',
]);
/** The statuses of a check that should have planned and could not. */
export const FAILED = /** @type {const} */ (['no-token', 'error']);

/**
 * @typedef {{
 *   status: PlanStatus,
 *   planMarkdown?: string,
 *   plan?: { zones?: Array<{ domain: string, safety?: { unsafe?: boolean } }> } | null,
 *   validateText?: string,
 *   errorText?: string,
 *   checksMarkdown?: string,
 *   sha?: string,
 *   runUrl?: string,
 *   artifact?: string,
 * }} CommentInput
 */

/**
 * @param {CommentInput} input
 * @returns {string}
 */
export function buildCommentBody(input) {
  const checks = checksSection(input);
  const foot = footer(input);
  /** What is left for the main text once `fixed` and the rest are in. */
  const room = (/** @type {string[]} */ fixed) =>
    BODY_LIMIT - MARGIN - MARKER.length - fixed.join('\n').length - checks.length - foot.length;
  /** @type {string[]} */
  let main;
  switch (input.status) {
    case 'invalid': {
      const head = [
        '### ❌ dnssync: the zone files are invalid',
        '',
        'Nothing was planned. Each error is also annotated on its line under *Files changed*.',
        '',
      ];
      const where = whereFiles(input, 'validate.txt');
      main = [...head, fencedText(input.validateText ?? '', room(head), where)];
      break;
    }
    case 'skipped':
      main = [
        '### ℹ️ dnssync: valid, not planned',
        '',
        'This run is for a pull request from a fork, and GitHub gives those no secrets, so it had no `VPS_API_TOKEN` and live DNS was not read.',
        'A maintainer can plan it with **Actions → dns-plan → Run workflow** and this pull request’s number.',
      ];
      break;
    case 'no-token':
    case 'error':
      main = failureSection(input, failureHeading(input.status));
      break;
    case 'no-changes':
    case 'changes': {
      const merge = mergeNote(input);
      const where = whereThePlanIs(input);
      const text = planBody(input.planMarkdown ?? '');
      const plan = truncateMarkdown(
        text,
        room([sectionStart(input.sha), ...merge, SECTION_END]),
        where,
      );
      main = [sectionStart(input.sha), '', ...merge, plan, '', SECTION_END];
      break;
    }
  }
  const parts = [MARKER, '', ...main];
  if (checks) parts.push('', checks);
  parts.push('', foot);
  return `${parts.join('\n').trimEnd()}\n`;
}

/** Why a check that should have planned did not: its heading, what to do, the error. */
export function failureSection(/** @type {CommentInput} */ input, /** @type {string} */ heading) {
  const merging =
    'Until a check makes a plan, merging applies a fresh plan made at merge time, which nobody has reviewed here.';
  if (input.status === 'no-token') {
    return [
      heading,
      '',
      'This run had no `VPS_API_TOKEN`, so live DNS was not read and nothing was planned. It is a run for a pull request from a branch of this repository, or one started by hand, and those get the repository’s secrets: add the secret `VPS_API_TOKEN` (a VPS.org token with `dns:list` and `dns:read`) under **Settings → Secrets and variables → Actions**, then re-run this check.',
      '',
      merging,
    ];
  }
  const head = [heading, '', `Re-run this check once the cause is fixed. ${merging}`, ''];
  return [
    ...head,
    fencedText(input.errorText ?? '', ERROR_LIMIT, whereFiles(input, 'plan-errors.txt')),
  ];
}

function failureHeading(/** @type {PlanStatus} */ status) {
  return status === 'no-token'
    ? '### ❌ dnssync: not planned: no `VPS_API_TOKEN`'
    : '### ⚠️ dnssync: planning failed';
}

/** What merging does with this plan, before the plan (a cut comment keeps it). */
function mergeNote(/** @type {CommentInput} */ input) {
  if (!isUnsafe(input)) return [];
  return [
    '> [!IMPORTANT]',
    '> **Merging will not apply this plan.** It is unsafe, and the apply on merge refuses an unsafe plan (the dns-apply run fails).',
    '> If the changes are intended: merge, then a maintainer who has checked the plan runs **Actions → dns-apply → Run workflow** with *force* ticked.',
    '',
  ];
}

/** The domains whose plan is unsafe. */
export function unsafeDomains(/** @type {CommentInput['plan']} */ plan) {
  return (plan?.zones ?? []).filter((zone) => zone.safety?.unsafe).map((zone) => zone.domain);
}

const isUnsafe = (/** @type {CommentInput} */ input) => unsafeDomains(input.plan).length > 0;

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

/** The DNS checks' section (pr-plan.sh writes it); an invalid file already shows them all. */
export function checksSection(/** @type {CommentInput} */ input) {
  if (!input.checksMarkdown || input.status === 'invalid') return '';
  return truncateMarkdown(
    input.checksMarkdown.trim(),
    CHECKS_LIMIT,
    `*… the DNS checks are cut here: every finding is in the job log${input.artifact ? ` and in \`findings.json\` in the artifact \`${input.artifact}\`` : ''}.*`,
  );
}

/** @param {CommentInput} input */
export function footer(input) {
  const bits = [];
  const sha = shortSha(input.sha);
  if (sha) bits.push(`commit ${sha}`);
  if (input.runUrl) bits.push(`[workflow run](${input.runUrl})`);
  let merging = '';
  if (input.status === 'changes') {
    merging = isUnsafe(input)
      ? '; merging does not apply this plan (it is unsafe, see above)'
      : '; merging applies this plan, or a fresh one if the zone files or live DNS change first';
  }
  bits.push(`updated on every push${merging}`);
  return `<sub>${bits.join(' · ')}</sub>`;
}

/** Where the whole plan is when the comment shows only its start. */
function whereThePlanIs(/** @type {CommentInput} */ input) {
  const summary = input.runUrl ? `[job summary](${input.runUrl})` : 'job summary';
  const artifact = input.artifact
    ? ` and, with the plan as text, in the artifact \`${input.artifact}\` (\`plan.md\`, \`plan.txt\`)`
    : ', and as text in the job log';
  return `*… the plan is too long for a comment and is cut here. The whole plan is in the ${summary}${artifact}.*`;
}

function whereFiles(/** @type {CommentInput} */ input, /** @type {string} */ file) {
  return `in the job log${input.artifact ? ` and in \`${file}\` in the artifact \`${input.artifact}\`` : ''}`;
}

/** The first 7 characters of a commit id; nothing for anything else. */
export function shortSha(/** @type {unknown} */ sha) {
  return typeof sha === 'string' && /^[0-9a-f]{7,40}$/.test(sha) ? sha.slice(0, 7) : '';
}

/** The line that opens the plan's part of the comment. */
export function sectionStart(/** @type {string | undefined} */ sha) {
  const short = shortSha(sha);
  return `${SECTION_START}${short ? ` commit=${short}` : ''} -->`;
}

/**
 * The plan's part of a comment this script wrote, and the commit it is the plan of; null
 * when the comment holds no plan. Only whole lines count: the first start line and the
 * first end line after it, with no code fence before the end. Text from a zone file or
 * the API reaches a comment only inside code blocks, so none of it can fake either line,
 * and nothing that was inside a code block is ever taken out of it.
 * @param {string} body
 * @returns {{ sha: string, text: string } | null}
 */
export function planSection(body) {
  const lines = body.split('\n');
  const start = lines.findIndex((line) => line.startsWith(SECTION_START) && line !== SECTION_END);
  const end = lines.indexOf(SECTION_END, start + 1);
  if (start < 0 || end < 0) return null;
  if (lines.slice(0, end).some((line) => /^\s*(```|~~~)/.test(line))) return null;
  const match = /^<!-- dnssync:plan-section(?: commit=([0-9a-f]{7}))? -->$/.exec(
    lines[start] ?? '',
  );
  const text = lines
    .slice(start + 1, end)
    .join('\n')
    .trim();
  return match && text !== '' ? { sha: match[1] ?? '', text } : null;
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

const UNSAFE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\p{Cs}\u2028\u2029]/gu;
/** @type {Record<string, string>} */
const NAMED = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Controls, bidi controls, separators, lone surrogates and characters that show as
 * nothing, as visible escapes.
 * @param {string} text
 */
export function forTerminal(text) {
  return text.replace(UNSAFE, (char) => {
    const named = NAMED[char];
    if (named !== undefined) return named;
    const code = char.codePointAt(0) ?? 0;
    const hex = code.toString(16);
    if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
    return code <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
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
 * Text (workflow commands left out) as a code block of at most `limit` characters: its
 * first lines, and how many more there are and `where` they are.
 * @param {string} text
 * @param {number} limit
 * @param {string} where
 */
function fencedText(text, limit, where) {
  // forTerminal leaves nothing for a second pass to change, so lines can be measured shown.
  const lines = withoutWorkflowCommands(text)
    .replace(/\r?\n$/, '')
    .split(/\r?\n/)
    .map(forTerminal);
  let block = codeBlock(lines.join('\n'));
  if (block.length <= limit) return block;
  let kept = 0;
  for (let used = 400; kept < lines.length; kept++) {
    used += (lines[kept]?.length ?? 0) + 1;
    if (used > limit) break;
  }
  // A long run of backticks makes a long fence: keep fewer lines until the block fits.
  do {
    block = codeBlock(lines.slice(0, kept).join('\n'));
    if (block.length <= limit - 200) break;
    kept = Math.floor(kept * 0.8);
  } while (kept > 0);
  if (block.length > limit - 200) block = codeBlock('');
  return `${block}\n*… and ${lines.length - kept} more lines, ${where}.*\n`;
}

/**
 * Cuts Markdown at a line boundary so it fits in `limit` characters, closes a code
 * fence or <details> left open by the cut, and ends with `note` (where the rest is).
 * @param {string} text
 * @param {number} limit
 * @param {string} [note]
 */
export function truncateMarkdown(
  text,
  limit,
  note = '*… the plan is too long for a comment and is cut here.*',
) {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf('\n', limit - note.length - 200);
  const kept = text.slice(0, Math.max(0, cut));
  const closers = [];
  const fences = kept.split('\n').filter((line) => /^\s*(```|~~~)/.test(line)).length;
  if (fences % 2 === 1) closers.push('```');
  const openDetails =
    (kept.match(/<details\b/g) ?? []).length - (kept.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < openDetails; i++) closers.push('</details>');
  // A blank line first, so a closer never reads as a row of a table the cut ended in.
  return `${kept}${closers.length > 0 ? `\n\n${closers.join('\n')}` : ''}\n\n${note}`;
}

function readIfPresent(/** @type {string} */ file) {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The comment's input from pr-plan.sh's directory and the runner's environment. */
export function inputFromDir(
  /** @type {PlanStatus} */ status,
  /** @type {string} */ dir,
  env = process.env,
) {
  const planJson = readIfPresent(join(dir, 'plan.json'));
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const sha = env.DNSSYNC_PR_HEAD_SHA || env.GITHUB_SHA;
  const prefix = env.DNSSYNC_ARTIFACT_PREFIX || 'dnssync-plan-pr-';
  const artifact =
    env.DNSSYNC_PR_FROM_FORK !== 'true' &&
    /^[1-9][0-9]*$/.test(env.DNSSYNC_PR ?? '') &&
    /^[\w.-]+$/.test(prefix)
      ? `${prefix}${env.DNSSYNC_PR}`
      : undefined;
  return {
    status,
    planMarkdown: readIfPresent(join(dir, 'plan.md')),
    plan: planJson ? JSON.parse(planJson) : null,
    validateText: readIfPresent(join(dir, 'validate.txt')),
    errorText: readIfPresent(join(dir, 'plan-errors.txt')),
    checksMarkdown: readIfPresent(join(dir, 'checks.md')),
    ...(sha ? { sha } : {}),
    ...(runUrl ? { runUrl } : {}),
    ...(artifact ? { artifact } : {}),
  };
}

function main() {
  const { values } = parseArgs({
    options: {
      status: { type: 'string' },
      dir: { type: 'string' },
      'list-unsafe': { type: 'boolean' },
    },
  });
  const dir = values.dir ?? '.';
  if (values['list-unsafe']) {
    const planJson = readIfPresent(join(dir, 'plan.json'));
    for (const domain of unsafeDomains(planJson ? JSON.parse(planJson) : null)) {
      process.stdout.write(`${domain}\n`);
    }
    return;
  }
  const status = /** @type {PlanStatus} */ (values.status);
  if (!STATUSES.includes(status)) {
    process.stderr.write(`comment-body: --status must be one of ${STATUSES.join(', ')}\n`);
    process.exit(1);
  }
  const input = inputFromDir(status, dir);
  if (FAILED.includes(/** @type {any} */ (status))) {
    const { planMarkdown: _plan, plan: _json, validateText: _validate, ...failure } = input;
    writeFileSync(join(dir, 'failure.json'), `${JSON.stringify({ version: 1, ...failure })}\n`);
  }
  process.stdout.write(buildCommentBody(input));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
