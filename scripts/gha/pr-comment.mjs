#!/usr/bin/env node
/**
 * Keeps exactly one plan comment on a pull request: edits the comment that starts with
 * the hidden marker, creates it when there is none, and deletes stray duplicates (two
 * runs racing to create it).
 *
 *   node pr-comment.mjs --pr 12 --body comment.md
 *
 * Needs GITHUB_TOKEN with `pull-requests: write`, GITHUB_REPOSITORY, and GITHUB_API_URL
 * (the runner sets it; tests point it at a local fake).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MARKER } from './comment-body.mjs';
import { GitHubApiError, gitHubFromEnv } from './github-api.mjs';

/**
 * @param {ReturnType<typeof gitHubFromEnv>} github
 * @param {number} pr
 * @param {string} body
 * @returns {Promise<{ action: 'created' | 'updated' | 'unchanged', id: number, url: string, deleted: number[] }>}
 */
export async function upsertPlanComment(github, pr, body) {
  if (!body.startsWith(MARKER)) throw new Error(`the comment body must start with ${MARKER}`);
  const repo = github.repository;
  const comments = await github.paginate(`/repos/${repo}/issues/${pr}/comments?per_page=100`);
  // Only comments that begin with the marker: a quote of ours ("> ...") is someone else's.
  const ours = comments
    .filter((comment) => typeof comment.body === 'string' && comment.body.startsWith(MARKER))
    .sort((a, b) => a.id - b.id);
  const [keep, ...extra] = ours;
  const deleted = [];
  for (const comment of extra) {
    if (comment.user?.login !== keep.user?.login) continue;
    await github.request('DELETE', `/repos/${repo}/issues/comments/${comment.id}`);
    deleted.push(comment.id);
  }
  if (keep === undefined) {
    const created = await github.request('POST', `/repos/${repo}/issues/${pr}/comments`, { body });
    return { action: 'created', id: created.id, url: created.html_url, deleted };
  }
  if (keep.body === body) return { action: 'unchanged', id: keep.id, url: keep.html_url, deleted };
  const updated = await github.request('PATCH', `/repos/${repo}/issues/comments/${keep.id}`, {
    body,
  });
  return { action: 'updated', id: updated.id, url: updated.html_url, deleted };
}

async function main() {
  const { values } = parseArgs({ options: { pr: { type: 'string' }, body: { type: 'string' } } });
  const pr = Number(values.pr);
  if (!Number.isInteger(pr) || pr < 1 || values.body === undefined) {
    process.stderr.write('usage: pr-comment.mjs --pr NUMBER --body FILE\n');
    return 1;
  }
  const body = readFileSync(values.body, 'utf8');
  try {
    const result = await upsertPlanComment(gitHubFromEnv(), pr, body);
    process.stdout.write(`${result.action} the plan comment on #${pr}: ${result.url}\n`);
    if (result.deleted.length > 0) {
      process.stdout.write(`deleted duplicate plan comments: ${result.deleted.join(', ')}\n`);
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main();
