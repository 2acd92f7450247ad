#!/usr/bin/env node
/**
 * After a merge to main: finds the plan a reviewer last saw for the merged pull request,
 * i.e. the newest unexpired `dnssync-plan-pr-<N>` artifact, so apply-reviewed.sh can
 * apply exactly that plan. Whether it is still current is decided later, by comparing
 * fingerprints with a fresh plan (compare-plans.mjs); here we only find it.
 *
 * Never fails the job: when nothing is found (a direct push, an expired artifact, no
 * `actions: read` permission) it says why, and apply falls back to a fresh plan.
 *
 * Env: GITHUB_SHA (the pushed commit), GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_API_URL,
 * DNSSYNC_ARTIFACT_PREFIX (default dnssync-plan-pr-).
 * Outputs (GITHUB_OUTPUT): found, run-id, artifact-name, pr-number, plan-sha, note.
 */
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { gitHubFromEnv } from './github-api.mjs';

export const DEFAULT_PREFIX = 'dnssync-plan-pr-';

/**
 * @typedef {{ found: boolean, note: string, runId?: number, artifactName?: string, prNumber?: number, planSha?: string }} ReviewedPlanLookup
 * @param {ReturnType<typeof gitHubFromEnv>} github
 * @param {{ sha: string, prefix?: string }} options
 * @returns {Promise<ReviewedPlanLookup>}
 */
export async function findReviewedPlan(github, { sha, prefix = DEFAULT_PREFIX }) {
  const repo = github.repository;
  const short = sha.slice(0, 7);
  const pulls = await github.request('GET', `/repos/${repo}/commits/${sha}/pulls`);
  const merged = (Array.isArray(pulls) ? pulls : []).filter((pr) => pr.merged_at);
  const pr = merged.find((candidate) => candidate.merge_commit_sha === sha) ?? merged[0];
  if (pr === undefined) {
    return { found: false, note: `commit ${short} is not the merge of a pull request` };
  }
  const artifactName = `${prefix}${pr.number}`;
  const artifacts = await github.paginate(
    `/repos/${repo}/actions/artifacts?name=${encodeURIComponent(artifactName)}&per_page=100`,
  );
  const newest = artifacts
    .filter((artifact) => artifact.name === artifactName && !artifact.expired)
    .sort(
      (a, b) =>
        Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? '') ||
        (b.id ?? 0) - (a.id ?? 0),
    )[0];
  if (newest === undefined) {
    return {
      found: false,
      prNumber: pr.number,
      note: `#${pr.number} has no saved plan (never planned with a token, or its artifact expired)`,
    };
  }
  const planSha = String(newest.workflow_run?.head_sha ?? '');
  return {
    found: true,
    runId: newest.workflow_run?.id,
    artifactName,
    prNumber: pr.number,
    planSha,
    note: `the plan shown on #${pr.number}, saved by run ${newest.workflow_run?.id}${planSha ? ` at commit ${planSha.slice(0, 7)}` : ''}`,
  };
}

/** @param {ReviewedPlanLookup} lookup */
function writeOutputs(lookup) {
  const file = process.env.GITHUB_OUTPUT;
  const lines = [
    ['found', String(lookup.found)],
    ['run-id', String(lookup.runId ?? '')],
    ['artifact-name', lookup.artifactName ?? ''],
    ['pr-number', String(lookup.prNumber ?? '')],
    ['plan-sha', lookup.planSha ?? ''],
    ['note', lookup.note],
  ].map(([key, value]) => `${key}=${String(value).replace(/[\r\n]+/g, ' ')}\n`);
  if (file) appendFileSync(file, lines.join(''));
}

async function main() {
  const sha = process.env.GITHUB_SHA ?? '';
  let lookup;
  try {
    if (!/^[0-9a-f]{40}$/i.test(sha)) throw new Error('GITHUB_SHA is not a commit id');
    lookup = await findReviewedPlan(gitHubFromEnv(), {
      sha,
      prefix: process.env.DNSSYNC_ARTIFACT_PREFIX || DEFAULT_PREFIX,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    lookup = { found: false, note: `the reviewed plan could not be looked up (${message})` };
    process.stdout.write(`::warning title=dnssync::${lookup.note}\n`);
  }
  process.stdout.write(`${lookup.found ? 'found' : 'no reviewed plan'}: ${lookup.note}\n`);
  writeOutputs(lookup);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
