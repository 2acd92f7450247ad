/**
 * The GitHub side of the workflow scripts, run for real against a local fake of the
 * GitHub REST API: the one plan comment per pull request, and finding the reviewed plan
 * after a merge. Also the pure parts: the comment body and the staleness check.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BODY_LIMIT,
  buildCommentBody,
  MARKER,
  truncateMarkdown,
} from '../scripts/gha/comment-body.mjs';
import { stalenessReasons } from '../scripts/gha/compare-plans.mjs';
import { BOT, type FakeGitHub, REPO, startFakeGitHub } from './gha-fake-github.js';
import { GHA, readOutputs, run, runnerEnv, tempDir } from './gha-helpers.js';

const PLAN_MD = `${MARKER}\n### dnssync plan\n\n**Plan: 2 to create, 0 to update, 1 to delete in 1 zone.**\n\n| | name | type | value |\n|:--|:--|:--|:--|\n| + create | www | A | 192.0.2.1 |\n`;
const SHA = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);

describe('comment body', () => {
  it('starts with the hidden marker (once) and carries the plan and the run', () => {
    const body = buildCommentBody({
      status: 'changes',
      planMarkdown: PLAN_MD,
      plan: { zones: [] },
      sha: HEAD,
      runUrl: 'https://github.com/acme/dns/actions/runs/7',
    });
    expect(body.split('\n')[0]).toBe(MARKER);
    expect(body.split(MARKER)).toHaveLength(2);
    expect(body).toContain('| + create | www | A | 192.0.2.1 |');
    expect(body).toContain('**Plan: 2 to create, 0 to update, 1 to delete in 1 zone.**');
    expect(body).toContain('merging applies this plan');
    expect(body).toContain('commit bbbbbbb');
    expect(body).toContain('(https://github.com/acme/dns/actions/runs/7)');
  });

  it('tells reviewers how an unsafe plan gets applied, and only for an unsafe one', () => {
    const zones = (unsafe: boolean) => [
      { domain: 'example.com', safety: { unsafe } },
      { domain: 'example.org', safety: { unsafe: false } },
    ];
    const unsafe = buildCommentBody({
      status: 'changes',
      planMarkdown: PLAN_MD,
      plan: { zones: zones(true) },
    });
    expect(unsafe).toContain('refuses an unsafe plan');
    expect(unsafe).toContain('**dns-apply** by hand');
    const safe = buildCommentBody({
      status: 'changes',
      planMarkdown: PLAN_MD,
      plan: { zones: zones(false) },
    });
    expect(safe).not.toContain('unsafe');
  });

  it('shows validation errors without the workflow commands that duplicate them', () => {
    const body = buildCommentBody({
      status: 'invalid',
      validateText:
        'zones/example.com.yaml:3:5: error: bad IPv4\n::error file=zones/example.com.yaml,line=3,col=5::bad IPv4\n',
    });
    expect(body).toContain('zones/example.com.yaml:3:5: error: bad IPv4');
    expect(body).not.toContain('::error');
  });

  it('stays under GitHub’s comment limit, closing a fence the cut left open', () => {
    const huge = `## Plan\n\n\`\`\`diff\n${'+ www 300 IN A 192.0.2.1\n'.repeat(10_000)}\`\`\`\n`;
    const body = buildCommentBody({ status: 'changes', planMarkdown: huge });
    expect(body.length).toBeLessThan(BODY_LIMIT);
    expect(body).toContain('too long for a comment');
    const fences = body.split('\n').filter((line) => line.startsWith('```')).length;
    expect(fences % 2).toBe(0);
  });

  it('leaves short text alone and cuts long text at a line boundary', () => {
    expect(truncateMarkdown('short', 100)).toBe('short');
    const cut = truncateMarkdown(`${'line\n'.repeat(500)}`, 1000);
    expect(cut.length).toBeLessThanOrEqual(1000);
    expect(cut.startsWith('line\nline\n')).toBe(true);
  });
});

describe('stale plan detection', () => {
  const zone = (domain: string, desired: string, live: string | null) => ({
    domain,
    desired_fingerprint: desired,
    live_fingerprint: live,
  });
  const plan = (...zones: ReturnType<typeof zone>[]) => ({ format_version: 1, zones });

  it('finds nothing when every fingerprint matches', () => {
    const reviewed = plan(zone('a.example', 'd1', 'l1'), zone('b.example', 'd2', null));
    expect(stalenessReasons(reviewed, structuredClone(reviewed))).toEqual([]);
  });

  it('names each zone whose file or live DNS changed, and zones added or removed', () => {
    const reviewed = plan(
      zone('a.example', 'd1', 'l1'),
      zone('b.example', 'd2', 'l2'),
      zone('c.example', 'd3', 'l3'),
    );
    const fresh = plan(
      zone('a.example', 'd1-edited', 'l1'),
      zone('b.example', 'd2', 'l2-moved'),
      zone('d.example', 'd4', null),
    );
    expect(stalenessReasons(reviewed, fresh)).toEqual([
      'a.example: the zone file changed since the plan was reviewed',
      'b.example: live DNS changed since the plan was made',
      'c.example: its zone file is gone since the plan was reviewed',
      'd.example: its zone file is new since the plan was reviewed',
    ]);
  });

  it('refuses to compare plans of different formats', () => {
    const reasons = stalenessReasons(
      { format_version: 0, zones: [] },
      { format_version: 1, zones: [] },
    );
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain('format_version');
  });

  it('exits 0 for a current plan and 3 with the reasons for a stale one', async () => {
    const dir = tempDir();
    const reviewed = join(dir, 'reviewed.json');
    const fresh = join(dir, 'fresh.json');
    writeFileSync(reviewed, JSON.stringify(plan(zone('a.example', 'd1', 'l1'))));
    writeFileSync(fresh, JSON.stringify(plan(zone('a.example', 'd1', 'l1'))));
    const same = await run(process.execPath, [join(GHA, 'compare-plans.mjs'), reviewed, fresh]);
    expect(same).toMatchObject({ code: 0, stdout: 'current\n' });
    writeFileSync(fresh, JSON.stringify(plan(zone('a.example', 'd1', 'l9'))));
    const stale = await run(process.execPath, [join(GHA, 'compare-plans.mjs'), reviewed, fresh]);
    expect(stale.code).toBe(3);
    expect(stale.stdout).toContain('a.example: live DNS changed');
  });
});

describe('the one plan comment (pr-comment.mjs against a fake GitHub)', () => {
  let github: FakeGitHub;
  let dir: string;
  beforeEach(async () => {
    github = await startFakeGitHub();
    dir = tempDir();
  });
  afterEach(() => github.close());

  const postComment = (body: string, pr = 12) => {
    const file = join(dir, `comment-${Math.random()}.md`);
    writeFileSync(file, body);
    return run(
      process.execPath,
      [join(GHA, 'pr-comment.mjs'), '--pr', String(pr), '--body', file],
      {
        env: runnerEnv(dir, {
          GITHUB_API_URL: github.url,
          GITHUB_REPOSITORY: REPO,
          GITHUB_TOKEN: 'ghs_test',
        }),
      },
    );
  };
  const body = (text: string) => `${MARKER}\n${text}\n`;
  const humans = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: 100 + i,
      body: `looks good ${i}`,
      user: { login: `reviewer${i}`, type: 'User' as const },
    }));

  it('creates the comment once, then edits it in place on every later push', async () => {
    github.comments.set(12, humans(5));
    const first = await postComment(body('plan one'));
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created the plan comment on #12');
    const second = await postComment(body('plan two'));
    expect(second.stdout).toContain('updated the plan comment on #12');

    const marked = github.comments.get(12)!.filter((c) => c.body.startsWith(MARKER));
    expect(marked).toHaveLength(1);
    expect(marked[0]!.body).toContain('plan two');
    expect(github.comments.get(12)).toHaveLength(6);
    const writes = github.requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => r.method)).toEqual(['POST', 'PATCH']);
    expect(writes[1]!.path).toBe(`/repos/${REPO}/issues/comments/${marked[0]!.id}`);
    // Five human comments at two a page: the marked one is only found by following Link.
    expect(github.requests.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(4);
    expect(github.requests.every((r) => r.authorization === 'Bearer ghs_test')).toBe(true);
  });

  it('leaves a quote of the comment alone and deletes duplicates from a race', async () => {
    github.comments.set(12, [
      { id: 1, body: body('old plan'), user: { ...BOT } },
      { id: 2, body: `> ${MARKER}\n> old plan\nwhy?`, user: { login: 'ann', type: 'User' } },
      { id: 3, body: body('racing plan'), user: { ...BOT } },
    ]);
    const result = await postComment(body('new plan'));
    expect(result.code).toBe(0);
    const left = github.comments.get(12)!;
    expect(left.map((c) => c.id)).toEqual([1, 2]);
    expect(left[0]!.body).toContain('new plan');
    expect(left[1]!.body).toContain('why?');
  });

  it('does not write when the body is unchanged', async () => {
    github.comments.set(12, [{ id: 1, body: body('same'), user: { ...BOT } }]);
    const result = await postComment(body('same'));
    expect(result.stdout).toContain('unchanged');
    expect(github.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('fails with a hint when the token may not write (a fork’s token)', async () => {
    github.writable = false;
    const result = await postComment(body('plan'));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^::error title=dnssync::Could not update the plan comment: POST /m,
    );
    expect(result.stdout).toContain('403');
    expect(result.stdout).toContain('pull-requests: write');
  });

  it('refuses a body without the marker, which it could never find again', async () => {
    const result = await postComment('no marker here\n');
    expect(result.code).toBe(1);
    expect(github.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('finding the reviewed plan after a merge (find-reviewed-plan.mjs)', () => {
  let github: FakeGitHub;
  let dir: string;
  beforeEach(async () => {
    github = await startFakeGitHub();
    dir = tempDir();
  });
  afterEach(() => github.close());

  const find = (env: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, [join(GHA, 'find-reviewed-plan.mjs')], {
      env: runnerEnv(dir, {
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: REPO,
        GITHUB_TOKEN: 'ghs_test',
        GITHUB_SHA: SHA,
        ...env,
      }),
    });
  const artifact = (id: number, name: string, createdAt: string, expired = false) => ({
    id,
    name,
    expired,
    created_at: createdAt,
    workflow_run: { id: id * 10, head_sha: HEAD },
  });

  it('picks the newest unexpired plan artifact of the merged pull request', async () => {
    github.pullsByCommit.set(SHA, [
      { number: 12, merged_at: '2025-01-02T00:00:00Z', merge_commit_sha: SHA, head: { sha: HEAD } },
    ]);
    github.artifacts.push(
      artifact(1, 'dnssync-plan-pr-12', '2025-01-01T10:00:00Z'),
      artifact(2, 'dnssync-plan-pr-12', '2025-01-01T12:00:00Z', true),
      artifact(3, 'dnssync-plan-pr-12', '2025-01-01T11:00:00Z'),
      artifact(4, 'dnssync-plan-pr-13', '2025-01-01T13:00:00Z'),
    );
    const result = await find();
    expect(result.code).toBe(0);
    expect(readOutputs(dir)).toMatchObject({
      found: 'true',
      'run-id': '30',
      'artifact-name': 'dnssync-plan-pr-12',
      'pr-number': '12',
      'plan-sha': HEAD,
    });
    expect(readOutputs(dir)['note']).toContain('#12');
  });

  it('says so when the commit did not come from a pull request', async () => {
    const result = await find();
    expect(result.code).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ found: 'false', 'run-id': '' });
    expect(readOutputs(dir)['note']).toContain('not the merge of a pull request');
  });

  it('says so when the pull request has no saved plan', async () => {
    github.pullsByCommit.set(SHA, [
      { number: 7, merged_at: '2025-01-02T00:00:00Z', merge_commit_sha: SHA, head: { sha: HEAD } },
    ]);
    github.artifacts.push(artifact(1, 'dnssync-plan-pr-7', '2025-01-01T10:00:00Z', true));
    await find();
    expect(readOutputs(dir)).toMatchObject({ found: 'false', 'pr-number': '7' });
    expect(readOutputs(dir)['note']).toContain('#7 has no saved plan');
  });

  it('falls back instead of failing when the API refuses (no actions: read)', async () => {
    const result = await find({ GITHUB_REPOSITORY: 'someone/else' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('::warning title=dnssync::');
    expect(readOutputs(dir)).toMatchObject({ found: 'false' });
    expect(readOutputs(dir)['note']).toContain('404');
  });
});
