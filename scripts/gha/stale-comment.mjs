/**
 * When a check cannot plan (the API is down, the token is wrong or missing), the plan
 * comment keeps the last plan it showed, under a banner that says it is stale and why,
 * instead of losing it to "planning failed". Invalid zone files are not such a case: that
 * comment shows their errors (comment-body.mjs).
 *
 * The failure comes as data, failure.json, which comment-body.mjs writes beside the
 * comment body; the previous comment is one pr-comment.mjs found and this workflow wrote.
 */
import {
  BODY_LIMIT,
  checksSection,
  FAILED,
  failureSection,
  footer,
  MARKER,
  planSection,
  SECTION_END,
  sectionStart,
  shortSha,
  truncateMarkdown,
} from './comment-body.mjs';

const MARGIN = 1_000;

/**
 * The failure facts of failure.json, or an Error saying what is wrong with them.
 * @param {unknown} data
 * @returns {import('./comment-body.mjs').CommentInput | Error}
 */
export function failureFromJson(data) {
  const failure = /** @type {Record<string, unknown>} */ (data ?? {});
  if (failure.version !== 1 || !FAILED.includes(/** @type {any} */ (failure.status))) {
    return new Error('not a failure.json of comment-body.mjs');
  }
  for (const key of ['errorText', 'checksMarkdown', 'sha', 'runUrl', 'artifact']) {
    if (failure[key] !== undefined && typeof failure[key] !== 'string') {
      return new Error(`failure.json: ${key} must be a string`);
    }
  }
  if (failure.runUrl !== undefined && !/^https:\/\/[^\s()<>]+$/.test(String(failure.runUrl))) {
    return new Error('failure.json: runUrl must be an https URL');
  }
  if (failure.artifact !== undefined && !/^[\w.-]+$/.test(String(failure.artifact))) {
    return new Error('failure.json: artifact must be an artifact name');
  }
  return /** @type {import('./comment-body.mjs').CommentInput} */ (failure);
}

/**
 * The previous comment's plan, marked stale, with why the check failed below it; null
 * when the previous comment holds no plan (then the failure's own comment replaces it).
 * @param {string} previousBody
 * @param {import('./comment-body.mjs').CommentInput} failure
 * @returns {string | null}
 */
export function staleCommentBody(previousBody, failure) {
  const section = planSection(previousBody);
  if (section === null) return null;
  const failed = shortSha(failure.sha);
  const planned = section.sha;
  const banner = [
    '> [!CAUTION]',
    `> **This plan is stale.** The check of ${failed ? `commit ${failed}` : 'the latest commit'} could not make a plan (why is below), so this is still the plan of ${planned ? `commit ${planned}` : 'an earlier commit'}.`,
    '> Merging now applies a fresh plan made at merge time, not this one. Re-run this check once the cause is fixed.',
  ];
  const why = failureSection(
    failure,
    `### ${failure.status === 'no-token' ? '❌' : '⚠️'} Why this plan is stale`,
  ).join('\n');
  const checks = checksSection(failure);
  const foot = footer(failure);
  const room =
    BODY_LIMIT -
    MARGIN -
    [MARKER, ...banner, sectionStart(planned), SECTION_END, why, checks, foot].join('\n').length;
  const kept = truncateMarkdown(
    section.text,
    room,
    '*… this older plan is cut here to make room for why it is stale; the whole of it is in the job summary of the run that made it.*',
  );
  const parts = [MARKER, '', ...banner, '', sectionStart(planned), '', kept, '', SECTION_END];
  parts.push('', why);
  if (checks) parts.push('', checks);
  parts.push('', foot);
  return `${parts.join('\n').trimEnd()}\n`;
}
