#!/usr/bin/env node
/**
 * Keeps exactly one plan comment on a pull request: edits our comment that starts with
 * the hidden marker, creates it when there is none, and deletes our stray duplicates (two
 * runs racing to create it).
 *
 * "Ours" means written by the identity the token writes as. Anyone can post a comment
 * that starts with the marker; editing theirs would put our plan under their name (or
 * leave their text where reviewers expect ours), so comments by anyone else are never
 * edited and never deleted. GitHub has no endpoint that tells an installation token
 * (GITHUB_TOKEN, a GitHub App's token) its own login: `GET /user` answers 403 for one.
 * So the login is configured, DNSSYNC_COMMENT_AUTHOR, defaulting to the workflow's
 * `github-actions[bot]`; a login ending in `[bot]` cannot belong to a person. A comment
 * we create shows who the token really is, so a wrong setting is reported at once.
 *
 *   node pr-comment.mjs --pr 12 --body comment.md [--failure failure.json]
 *
 * With --failure (the check could not plan), a comment of ours that shows a plan keeps
 * it, marked stale, with why below it (stale-comment.mjs), rather than losing it to
 * "planning failed"; without such a comment, the body is posted as it is.
 *
 * Needs GITHUB_TOKEN with `pull-requests: write`, GITHUB_REPOSITORY, and GITHUB_API_URL
 * (the runner sets it; tests point it at a local fake).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { forTerminal, MARKER } from './comment-body.mjs';
import { GitHubApiError, gitHubFromEnv } from './github-api.mjs';
import { failureFromJson, staleCommentBody } from './stale-comment.mjs';

export const DEFAULT_AUTHOR = 'github-actions[bot]';
/** A GitHub login: a user's, or an app's bot user (`<slug>[bot]`). */
const LOGIN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\[bot\])?$/;

/**
 * @param {ReturnType<typeof gitHubFromEnv>} github
 * @param {number} pr
 * @param {string} body
 * @param {string} [author] the login the token writes as
 * @param {(previous: string) => string | null} [keep] the body to post instead, given our
 *   comment's current body (null: post `body`)
 * @returns {Promise<{ action: 'created' | 'updated' | 'unchanged', id: number, url: string, deleted: number[], ignored: number, writtenAs?: string, kept?: boolean }>}
 */
export async function upsertPlanComment(github, pr, body, author = DEFAULT_AUTHOR, keep) {
  if (!body.startsWith(MARKER)) throw new Error(`the comment body must start with ${MARKER}`);
  const repo = github.repository;
  const comments = await github.paginate(`/repos/${repo}/issues/${pr}/comments?per_page=100`);
  // Only comments that begin with the marker: a quote of ours ("> ...") is someone else's.
  const marked = comments.filter(
    (comment) => typeof comment.body === 'string' && comment.body.startsWith(MARKER),
  );
  // Logins are case-insensitive on GitHub.
  const isOurs = (comment) =>
    String(comment.user?.login ?? '').toLowerCase() === author.toLowerCase();
  const ours = marked.filter(isOurs).sort((a, b) => a.id - b.id);
  const ignored = marked.length - ours.length;
  const [existing, ...extra] = ours;
  const deleted = [];
  for (const comment of extra) {
    await github.request('DELETE', `/repos/${repo}/issues/comments/${comment.id}`);
    deleted.push(comment.id);
  }
  if (existing === undefined) {
    const created = await github.request('POST', `/repos/${repo}/issues/${pr}/comments`, { body });
    const writtenAs = String(created.user?.login ?? '');
    return {
      action: 'created',
      id: created.id,
      url: created.html_url,
      deleted,
      ignored,
      writtenAs,
    };
  }
  const instead = keep?.(String(existing.body)) ?? null;
  const next = instead ?? body;
  const kept = instead !== null;
  if (existing.body === next) {
    return { action: 'unchanged', id: existing.id, url: existing.html_url, deleted, ignored, kept };
  }
  const updated = await github.request('PATCH', `/repos/${repo}/issues/comments/${existing.id}`, {
    body: next,
  });
  return { action: 'updated', id: updated.id, url: updated.html_url, deleted, ignored, kept };
}

async function main() {
  const { values } = parseArgs({
    options: { pr: { type: 'string' }, body: { type: 'string' }, failure: { type: 'string' } },
  });
  const pr = Number(values.pr);
  if (!Number.isInteger(pr) || pr < 1 || values.body === undefined) {
    process.stderr.write('usage: pr-comment.mjs --pr NUMBER --body FILE [--failure FILE]\n');
    return 1;
  }
  const body = readFileSync(values.body, 'utf8');
  /** @type {((previous: string) => string | null) | undefined} */
  let keep;
  if (values.failure !== undefined) {
    let failure;
    try {
      failure = failureFromJson(JSON.parse(readFileSync(values.failure, 'utf8')));
    } catch (error) {
      failure = new Error(
        `cannot read ${values.failure}: ${error instanceof Error ? error.message : error}`,
      );
    }
    if (failure instanceof Error) {
      process.stdout.write(`::error title=dnssync::${oneLine(failure.message)}\n`);
      return 1;
    }
    const facts = failure;
    keep = (previous) => staleCommentBody(previous, facts);
  }
  const author = process.env.DNSSYNC_COMMENT_AUTHOR || DEFAULT_AUTHOR;
  if (!LOGIN.test(author)) {
    process.stdout.write('::error title=dnssync::DNSSYNC_COMMENT_AUTHOR must be a GitHub login\n');
    return 1;
  }
  try {
    const result = await upsertPlanComment(gitHubFromEnv(), pr, body, author, keep);
    const stale = result.kept ? ', keeping its last plan, marked stale' : '';
    process.stdout.write(`${result.action} the plan comment on #${pr}${stale}: ${result.url}\n`);
    if (result.deleted.length > 0) {
      process.stdout.write(`deleted duplicate plan comments: ${result.deleted.join(', ')}\n`);
    }
    if (result.ignored > 0) {
      process.stdout.write(
        `left alone ${result.ignored} comment(s) that start with the marker but were not written by ${author}\n`,
      );
    }
    if (
      result.writtenAs !== undefined &&
      result.writtenAs.toLowerCase() !== author.toLowerCase() &&
      LOGIN.test(result.writtenAs)
    ) {
      // Otherwise every run would add a comment: it would never recognise its own.
      process.stdout.write(
        `::warning title=dnssync::The token writes as ${result.writtenAs}, not ${author}; set DNSSYNC_COMMENT_AUTHOR to ${result.writtenAs} so the next run edits this comment instead of adding another\n`,
      );
    }
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint =
      error instanceof GitHubApiError && (error.status === 403 || error.status === 404)
        ? ' (the job needs `permissions: pull-requests: write`; runs for pull requests from forks only get a read-only token)'
        : '';
    process.stdout.write(
      `::error title=dnssync::Could not update the plan comment: ${message}${hint}\n`,
    );
    return 1;
  }
}

/** A message for a workflow command: controls shown as escapes, so one line; no `%` escapes. */
const oneLine = (/** @type {string} */ text) => forTerminal(text).replace(/%/g, '%25');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main();
