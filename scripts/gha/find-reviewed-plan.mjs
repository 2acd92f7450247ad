#!/usr/bin/env node
/**
 * After a merge to main: finds the plan a reviewer last saw for the merged pull request,
 * i.e. the newest unexpired `dnssync-plan-pr-<N>` artifact that a trusted run made, so
 * apply-reviewed.sh can apply exactly that plan. Whether it is still current is decided
 * later, by comparing fingerprints with a fresh plan (compare-plans.mjs); here we only
 * find it.
 *
 * Anyone can name an artifact `dnssync-plan-pr-<N>`: a pull request from a fork runs its
 * own copy of the workflows. So an artifact is only taken from a run of this repository's
 * own plan workflow (DNSSYNC_PLAN_WORKFLOW) that was either
 *   - a `pull_request` run whose head is a branch of this repository (its workflow file
 *     comes from that branch, which only people with write access can push to), at a
 *     commit of pull request N; or
 *   - a `workflow_dispatch` run (only people with write access can start one);
 * and whose title, set by the workflow's `run-name:`, ends in `#N`. Both kinds run a
 * workflow file from this repository, so that title proves which pull request the run
 * planned. (The run's `pull_requests` list cannot: GitHub empties it once the pull
 * request is merged, and it is always empty for a fork's.) Other artifacts of that name
 * are ignored, each with its reason; the reasons are made only of our own words,
 * numbers and names that cannot carry Markdown, never the run's title.
 *
 * Never fails the job: when nothing is found (a direct push, an expired artifact, no
 * `actions: read` permission) it says why, and apply falls back to a fresh plan.
 *
 * Env: GITHUB_SHA (the pushed commit), GITHUB_REPOSITORY, GITHUB_TOKEN, GITHUB_API_URL,
 * DNSSYNC_ARTIFACT_PREFIX (default dnssync-plan-pr-), DNSSYNC_PLAN_WORKFLOW (default
 * .github/workflows/dns-plan.yml).
 * Outputs (GITHUB_OUTPUT): found, run-id, artifact-name, pr-number, plan-sha, note, and
 * ignored (one line per artifact ignored, with why).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { GitHubApiError, gitHubFromEnv } from './github-api.mjs';

export const DEFAULT_PREFIX = 'dnssync-plan-pr-';
export const DEFAULT_PLAN_WORKFLOW = '.github/workflows/dns-plan.yml';

/** A name from the API, quoted when it cannot carry Markdown or a workflow command. */
const quoted = (value, otherwise) =>
  typeof value === 'string' && /^[\w./-]{1,200}$/.test(value) ? `\`${value}\`` : otherwise;
const short = (sha) => (/^[0-9a-f]{7,40}$/i.test(String(sha)) ? String(sha).slice(0, 7) : '?');

/**
 * Why `run` may not supply the reviewed plan of pull request `pr`; null when it may.
 * `prCommits` is consulted only for a pull_request run.
 * @param {any} run  GET /repos/{owner}/{repo}/actions/runs/{id}
 * @param {{ repository: string, workflow: string, pr: number, prCommits: () => Promise<Set<string>> }} expected
 * @returns {Promise<string | null>}
 */
export async function untrustedBecause(run, { repository, workflow, pr, prCommits }) {
  if (String(run.repository?.full_name ?? '').toLowerCase() !== repository.toLowerCase()) {
    return 'its run is not a run of this repository';
  }
  if (run.path !== workflow) {
    return `its run ran ${quoted(run.path, 'another workflow file')}, not ${quoted(workflow, 'the plan workflow')}`;
  }
  if (run.event === 'pull_request') {
    if (run.head_repository?.id == null || run.head_repository.id !== run.repository?.id) {
      return 'its run was for a pull request from a fork';
    }
  } else if (run.event !== 'workflow_dispatch') {
    return `its run was started by ${quoted(run.event, 'an event')}; only pull_request and workflow_dispatch runs are trusted`;
  }
  // Both kinds run this repository's own workflow file, whose run-name ends in `#<N>`.
  const titled = String(run.display_title ?? '').match(/(?:^|\s)#(\d+)$/);
  if (titled === null || Number(titled[1]) !== pr) {
    return `its run's title does not end in #${pr}, so it did not plan #${pr}`;
  }
  // GitHub lists at most 250 commits of a pull request; a longer one falls back to a fresh plan.
  if (run.event === 'pull_request' && !(await prCommits()).has(run.head_sha)) {
    return `its run planned commit ${short(run.head_sha)}, which is not a commit of #${pr}`;
  }
  return null;
}

/**
 * @typedef {{ found: boolean, note: string, ignored: string[], runId?: number, artifactName?: string, prNumber?: number, planSha?: string }} ReviewedPlanLookup
 * @param {ReturnType<typeof gitHubFromEnv>} github
 * @param {{ sha: string, prefix?: string, workflow?: string }} options
 * @returns {Promise<ReviewedPlanLookup>}
 */
export async function findReviewedPlan(
  github,
  { sha, prefix = DEFAULT_PREFIX, workflow = DEFAULT_PLAN_WORKFLOW },
) {
  const repo = github.repository;
  const pulls = await github.request('GET', `/repos/${repo}/commits/${sha}/pulls`);
  const merged = (Array.isArray(pulls) ? pulls : []).filter((pr) => pr.merged_at);
  const pr = merged.find((candidate) => candidate.merge_commit_sha === sha) ?? merged[0];
  if (pr === undefined) {
    return {
      found: false,
      ignored: [],
      note: `commit ${short(sha)} is not the merge of a pull request`,
    };
  }
  const number = Number(pr.number);
  const artifactName = `${prefix}${number}`;
  const artifacts = await github.paginate(
    `/repos/${repo}/actions/artifacts?name=${encodeURIComponent(artifactName)}&per_page=100`,
  );
  const newestFirst = artifacts
    .filter((artifact) => artifact.name === artifactName && !artifact.expired)
    .sort(
      (a, b) =>
        Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? '') ||
        (b.id ?? 0) - (a.id ?? 0),
    );

  /** @type {Set<string> | undefined} */
  let commits;
  const prCommits = async () => {
    commits ??= new Set(
      (await github.paginate(`/repos/${repo}/pulls/${number}/commits?per_page=100`)).map(
        (commit) => commit.sha,
      ),
    );
    return commits;
  };
  const ignored = [];
  for (const artifact of newestFirst) {
    const origin = artifact.workflow_run ?? {};
    const label = `artifact ${Number(artifact.id)} (run ${Number(origin.id)})`;
    // The artifact list already tells a fork's run apart: no need to ask for its run.
    if (origin.head_repository_id != null && origin.head_repository_id !== origin.repository_id) {
      ignored.push(`${label}: its run was for a pull request from a fork`);
      continue;
    }
    let reason;
    let run;
    try {
      run = await github.request('GET', `/repos/${repo}/actions/runs/${Number(origin.id)}`);
      reason = await untrustedBecause(run, { repository: repo, workflow, pr: number, prCommits });
    } catch (error) {
      if (!(error instanceof GitHubApiError)) throw error;
      reason = `its run could not be checked (HTTP ${error.status})`;
    }
    if (reason !== null) {
      ignored.push(`${label}: ${reason}`);
      continue;
    }
    const how =
      run.event === 'workflow_dispatch'
        ? 'a dns-plan run started by hand'
        : `the pull request's own dns-plan run, at commit ${short(run.head_sha)}`;
    return {
      found: true,
      ignored,
      runId: Number(origin.id),
      artifactName,
      prNumber: number,
      planSha: String(run.head_sha ?? ''),
      note: `the plan shown on #${number}, saved by run ${Number(origin.id)} (${how})`,
    };
  }
  return {
    found: false,
    ignored,
    prNumber: number,
    note:
      ignored.length === 0
        ? `#${number} has no saved plan (never planned with a token, or its artifact expired)`
        : `#${number} has no saved plan that a trusted run made`,
  };
}

/** @param {ReviewedPlanLookup} lookup */
function writeOutputs(lookup) {
  const file = process.env.GITHUB_OUTPUT;
  const oneLine = (value) => String(value).replace(/[\r\n]+/g, ' ');
  const lines = [
    ['found', String(lookup.found)],
    ['run-id', String(lookup.runId ?? '')],
    ['artifact-name', lookup.artifactName ?? ''],
    ['pr-number', String(lookup.prNumber ?? '')],
    ['plan-sha', lookup.planSha ?? ''],
    ['note', lookup.note],
  ].map(([key, value]) => `${key}=${oneLine(value)}\n`);
  // A multi-line output needs a delimiter that no line can be.
  const delimiter = `EOF_${randomUUID()}`;
  lines.push(`ignored<<${delimiter}\n${lookup.ignored.map(oneLine).join('\n')}\n${delimiter}\n`);
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
      workflow: process.env.DNSSYNC_PLAN_WORKFLOW || DEFAULT_PLAN_WORKFLOW,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    lookup = {
      found: false,
      ignored: [],
      note: `the reviewed plan could not be looked up (${message})`,
    };
    process.stdout.write(`::warning title=dnssync::${lookup.note.replace(/[\r\n%]/g, ' ')}\n`);
  }
  for (const line of lookup.ignored) {
    process.stdout.write(`::warning title=dnssync::Ignored the plan ${line}\n`);
  }
  process.stdout.write(`${lookup.found ? 'found' : 'no reviewed plan'}: ${lookup.note}\n`);
  writeOutputs(lookup);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
