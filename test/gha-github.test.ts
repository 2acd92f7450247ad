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
  planSection,
  truncateMarkdown,
} from '../scripts/gha/comment-body.mjs';
import { stalenessReasons } from '../scripts/gha/compare-plans.mjs';
import { failureFromJson, staleCommentBody } from '../scripts/gha/stale-comment.mjs';
import {
  BOT,
  type FakeArtifact,
  type FakeGitHub,
  mergedPull,
  planRun,
  REPO,
  startFakeGitHub,
} from './gha-fake-github.js';
import { GHA, readOutputs, run, runnerEnv, tempDir } from './gha-helpers.js';

const PLAN_MD = `${MARKER}\n### dnssync plan\n\n**Plan: 2 to create, 0 to update, 1 to delete in 1 zone.**\n\n| | name | type | value |\n|:--|:--|:--|:--|\n| + create | www | A | 192.0.2.1 |\n`;
const SHA = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);
const EARLIER = 'e'.repeat(40);
const STRANGER = 'd'.repeat(40);

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
    expect(unsafe).toContain('**Merging will not apply this plan.**');
    expect(unsafe).toContain('**Actions → dns-apply → Run workflow** with *force*');
    expect(unsafe).toContain('merging does not apply this plan (it is unsafe, see above)');
    expect(unsafe).not.toContain('merging applies this plan');
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

describe('the stale plan comment (a check that could not plan keeps the last plan)', () => {
  const planned = (markdown = PLAN_MD) =>
    buildCommentBody({
      status: 'changes',
      planMarkdown: markdown,
      sha: EARLIER,
      runUrl: 'https://github.com/acme/dns/actions/runs/1',
    });
  const outage = {
    status: 'error' as const,
    errorText: 'dnssync: error: GET /api/v1/dns-zones/: 503 upstream unavailable\n',
    sha: HEAD,
    runUrl: 'https://github.com/acme/dns/actions/runs/2',
  };

  it('keeps the plan between its marker lines, under a banner, with the error below', () => {
    const stale = staleCommentBody(planned(), outage);
    expect(stale).not.toBeNull();
    expect(stale!.split('\n')[0]).toBe(MARKER);
    expect(stale).toContain(
      '**This plan is stale.** The check of commit bbbbbbb could not make a plan',
    );
    expect(stale).toContain('still the plan of commit eeeeeee');
    expect(stale).toContain('| + create | www | A | 192.0.2.1 |');
    expect(stale!.indexOf('503 upstream unavailable')).toBeGreaterThan(stale!.indexOf('192.0.2.1'));
    expect(stale).toContain(
      'commit bbbbbbb · [workflow run](https://github.com/acme/dns/actions/runs/2)',
    );
    expect(stale).not.toContain('merging applies this plan');
    // Stale again: the same plan, one banner.
    const again = staleCommentBody(stale!, { ...outage, sha: SHA });
    expect(again!.match(/This plan is stale/g)).toHaveLength(1);
    expect(again).toContain('still the plan of commit eeeeeee');
    expect(planSection(again!)).toEqual(planSection(planned()));
  });

  it('has nothing to keep from a comment without a plan, or one whose plan markers sit in a code block', () => {
    expect(
      staleCommentBody(buildCommentBody({ status: 'invalid', validateText: 'x' }), outage),
    ).toBeNull();
    expect(
      staleCommentBody(buildCommentBody({ status: 'error', errorText: 'x' }), outage),
    ).toBeNull();
    // Text from the API can only reach the comment inside a code block; lines there that
    // look like the markers must not make that text into a "plan" outside the block.
    const forged = buildCommentBody({
      status: 'error',
      errorText:
        '<!-- dnssync:plan-section commit=abcdef0 -->\n<img src=x onerror=alert(1)> @everyone\n<!-- dnssync:plan-section-end -->\n',
    });
    expect(planSection(forged)).toBeNull();
    expect(staleCommentBody(forged, outage)).toBeNull();
  });

  it('stays under GitHub’s limit with a plan and an error that each fill a comment', () => {
    const huge = `## Plan\n\n${'| + create | www | A | 192.0.2.1 |\n'.repeat(5_000)}`;
    const body = planned(huge);
    expect(body.length).toBeLessThan(BODY_LIMIT);
    const stale = staleCommentBody(body, {
      ...outage,
      errorText: 'e'.repeat(200).concat('\n').repeat(2_000),
    });
    expect(stale!.length).toBeLessThan(BODY_LIMIT);
    expect(stale).toContain('this older plan is cut here to make room for why it is stale');
    expect(stale).toContain('more lines, in the job log');
  });

  it('takes failure.json only as written by comment-body.mjs', () => {
    expect(failureFromJson({ version: 1, status: 'error', errorText: 'x' })).not.toBeInstanceOf(
      Error,
    );
    expect(failureFromJson({ version: 1, status: 'changes' })).toBeInstanceOf(Error);
    expect(failureFromJson({ version: 1, status: 'error', errorText: 1 })).toBeInstanceOf(Error);
    expect(
      failureFromJson({ version: 1, status: 'error', runUrl: 'javascript:alert(1)' }),
    ).toBeInstanceOf(Error);
    expect(failureFromJson({ version: 1, status: 'error', artifact: 'a` b' })).toBeInstanceOf(
      Error,
    );
    expect(failureFromJson(null)).toBeInstanceOf(Error);
  });
});

describe('comment body limits', () => {
  it('keeps the whole comment under GitHub’s limit with huge DNS checks and validation errors', () => {
    const checks = `### DNS checks\n\n${'- a finding that goes on and on\n'.repeat(5_000)}`;
    const plan = `## Plan\n\n${'| + create | www | A | 192.0.2.1 |\n'.repeat(5_000)}`;
    const changes = buildCommentBody({
      status: 'changes',
      planMarkdown: plan,
      checksMarkdown: checks,
    });
    expect(changes.length).toBeLessThan(BODY_LIMIT);
    expect(changes).toContain('the DNS checks are cut here');
    const invalid = buildCommentBody({
      status: 'invalid',
      validateText: 'zones/a.yaml:1:1: error: bad\n'.repeat(10_000),
      artifact: 'dnssync-plan-pr-12',
    });
    expect(invalid.length).toBeLessThan(BODY_LIMIT);
    expect(invalid).toMatch(
      /… and \d+ more lines, in the job log and in `validate.txt` in the artifact `dnssync-plan-pr-12`/,
    );
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

  const postComment = (body: string, pr = 12, env: NodeJS.ProcessEnv = {}) => {
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
          ...env,
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

  it('edits only its own comment: a marker comment by anyone else is never edited or deleted', async () => {
    const mallory = { login: 'mallory', type: 'User' as const };
    const otherApp = { login: 'other-app[bot]', type: 'Bot' as const };
    github.comments.set(12, [
      { id: 1, body: body('merging applies nothing, trust me'), user: mallory },
      { id: 2, body: body('an app that is not us'), user: otherApp },
      { id: 3, body: body('old plan'), user: { ...BOT } },
      { id: 4, body: body('racing plan'), user: { ...BOT } },
    ]);
    const result = await postComment(body('new plan'));
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('left alone 2 comment(s)');
    const left = github.comments.get(12)!;
    expect(left.map((c) => c.id)).toEqual([1, 2, 3]);
    expect(left[0]!.body).toContain('trust me');
    expect(left[1]!.body).toContain('an app that is not us');
    expect(left[2]!.body).toContain('new plan');
    const writes = github.requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE /repos/${REPO}/issues/comments/4`,
      `PATCH /repos/${REPO}/issues/comments/3`,
    ]);
  });

  it('creates its own comment when only someone else’s carries the marker', async () => {
    github.comments.set(12, [
      { id: 1, body: body('a plan nobody made'), user: { login: 'mallory', type: 'User' } },
    ]);
    const result = await postComment(body('the real plan'));
    expect(result.stdout).toContain('created the plan comment on #12');
    const left = github.comments.get(12)!;
    expect(left).toHaveLength(2);
    expect(left[0]).toMatchObject({ id: 1, body: body('a plan nobody made') });
    expect(left[1]).toMatchObject({ body: body('the real plan'), user: BOT });
  });

  it('recognises a configured identity (a GitHub App’s token), and warns when the token is someone else', async () => {
    const app = { login: 'dns-bot[bot]', type: 'Bot' as const };
    github.identity = app;
    github.comments.set(12, [
      { id: 1, body: body('from the default token'), user: { ...BOT } },
      { id: 2, body: body('old plan'), user: app },
    ]);
    const env = { DNSSYNC_COMMENT_AUTHOR: 'dns-bot[bot]' };
    const result = await postComment(body('new plan'), 12, env);
    expect(result.code, result.stdout).toBe(0);
    expect(github.comments.get(12)!.map((c) => c.body)).toEqual([
      body('from the default token'),
      body('new plan'),
    ]);

    // Configured wrongly, it adds a comment (it cannot know better) and says how to fix it.
    const wrong = await postComment(body('plan'), 13);
    expect(wrong.stdout).toMatch(
      /^::warning title=dnssync::The token writes as dns-bot\[bot\], not github-actions\[bot\]; set DNSSYNC_COMMENT_AUTHOR/m,
    );
    const bad = await postComment(body('plan'), 13, { DNSSYNC_COMMENT_AUTHOR: '::evil' });
    expect(bad.code).toBe(1);
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

  it('refuses a failure.json it did not write, and writes nothing', async () => {
    github.comments.set(12, [{ id: 1, body: body('old plan'), user: { ...BOT } }]);
    const failure = join(dir, 'failure.json');
    writeFileSync(failure, '{"version": 1, "status": "error", "runUrl": "javascript:alert(1)"}');
    const file = join(dir, 'comment.md');
    writeFileSync(file, body('planning failed'));
    const result = await run(
      process.execPath,
      [join(GHA, 'pr-comment.mjs'), '--pr', '12', '--body', file, '--failure', failure],
      {
        env: runnerEnv(dir, {
          GITHUB_API_URL: github.url,
          GITHUB_REPOSITORY: REPO,
          GITHUB_TOKEN: 'ghs_test',
        }),
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^::error title=dnssync::failure.json: runUrl must be an https URL$/m,
    );
    expect(github.requests).toEqual([]);
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
    mergedPull(github, { number: 12, mergeSha: SHA, commits: [EARLIER, HEAD] });
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
  const ignored = () => (readOutputs(dir)['ignored'] ?? '').split('\n').filter(Boolean);

  it('picks the newest unexpired plan artifact of the merged pull request', async () => {
    github.artifacts.push(
      planRun(github, 'same-repo', { id: 1, at: '10:00' }),
      planRun(github, 'same-repo', { id: 2, at: '12:00', expired: true }),
      planRun(github, 'same-repo', { id: 3, at: '11:00' }),
      planRun(github, 'same-repo', { id: 4, at: '13:00', pr: 13 }),
    );
    const result = await find();
    expect(result.code).toBe(0);
    expect(readOutputs(dir)).toMatchObject({
      found: 'true',
      'run-id': '30',
      'artifact-name': 'dnssync-plan-pr-12',
      'pr-number': '12',
      'plan-sha': HEAD,
      ignored: '',
    });
    expect(readOutputs(dir)['note']).toContain('#12');
    expect(readOutputs(dir)['note']).toContain('own dns-plan run, at commit bbbbbbb');
  });

  it('ignores an artifact a fork’s run uploaded, and says why', async () => {
    github.artifacts.push(
      planRun(github, 'same-repo', { id: 1, at: '10:00' }),
      planRun(github, 'fork', { id: 2, at: '11:00' }),
    );
    const result = await find();
    expect(readOutputs(dir)).toMatchObject({ found: 'true', 'run-id': '10' });
    expect(ignored()).toEqual(['artifact 2 (run 20): its run was for a pull request from a fork']);
    expect(result.stdout).toContain(
      '::warning title=dnssync::Ignored the plan artifact 2 (run 20): its run was for a pull request from a fork',
    );
    // The artifact list already gave it away: its run was never even asked for.
    expect(github.requests.some((r) => r.path.endsWith('/actions/runs/20'))).toBe(false);

    // The fork's alone: no reviewed plan at all.
    github.artifacts.splice(0, 1);
    await find();
    expect(readOutputs(dir)).toMatchObject({ found: 'false', 'run-id': '' });
    expect(readOutputs(dir)['note']).toBe('#12 has no saved plan that a trusted run made');
  });

  it('ignores a fork run even when the artifact list does not say whose it was', async () => {
    const artifact = planRun(github, 'fork', { id: 2, at: '11:00' });
    const { head_repository_id: _, ...unsaid } = artifact.workflow_run;
    github.artifacts.push({ ...artifact, workflow_run: unsaid as FakeArtifact['workflow_run'] });
    await find();
    expect(readOutputs(dir)).toMatchObject({ found: 'false' });
    expect(ignored()).toEqual(['artifact 2 (run 20): its run was for a pull request from a fork']);
  });

  it('uses a same-repository pull_request run’s artifact made at an earlier commit of the pull request', async () => {
    github.artifacts.push(
      planRun(github, 'same-repo', { id: 1, at: '10:00', headSha: EARLIER }),
      planRun(github, 'fork', { id: 2, at: '11:00' }),
    );
    await find();
    expect(readOutputs(dir)).toMatchObject({ found: 'true', 'run-id': '10', 'plan-sha': EARLIER });
  });

  it('ignores a same-repository run at a commit that is not the pull request’s', async () => {
    github.artifacts.push(planRun(github, 'same-repo', { id: 1, at: '10:00', headSha: STRANGER }));
    await find();
    expect(readOutputs(dir)).toMatchObject({ found: 'false' });
    expect(ignored()).toEqual([
      'artifact 1 (run 10): its run planned commit ddddddd, which is not a commit of #12',
    ]);
  });

  it('uses a maintainer’s workflow_dispatch run for that pull request', async () => {
    github.artifacts.push(
      planRun(github, 'same-repo', { id: 1, at: '10:00' }),
      planRun(github, 'dispatch', { id: 2, at: '11:00' }),
      planRun(github, 'fork', { id: 3, at: '12:00' }),
    );
    await find();
    expect(readOutputs(dir)).toMatchObject({ found: 'true', 'run-id': '20' });
    expect(readOutputs(dir)['note']).toContain('a dns-plan run started by hand');
    expect(ignored()).toHaveLength(1);
  });

  it('ignores a workflow_dispatch run that planned another pull request', async () => {
    github.artifacts.push(
      // A maintainer planned #13: its artifact is #13's, never a candidate for #12.
      planRun(github, 'dispatch', { id: 1, at: '10:00', pr: 13 }),
      // Named for #12, but the run's title, from its run-name, says it planned #13.
      planRun(github, 'dispatch', { id: 2, at: '11:00', pr: 13, name: 'dnssync-plan-pr-12' }),
      // A run without the run-name carries the workflow's name as its title.
      planRun(github, 'dispatch', { id: 3, at: '12:00' }),
    );
    github.runs.get(30)!.display_title = 'dns-plan';
    await find();
    expect(readOutputs(dir)).toMatchObject({ found: 'false' });
    expect(ignored()).toEqual([
      "artifact 3 (run 30): its run's title does not end in #12, so it did not plan #12",
      "artifact 2 (run 20): its run's title does not end in #12, so it did not plan #12",
    ]);
  });

  it('ignores artifacts of another workflow file or another event, quoting no name that could carry Markdown', async () => {
    github.artifacts.push(
      planRun(github, 'same-repo', { id: 1, at: '10:00', path: '.github/workflows/other.yml' }),
      planRun(github, 'same-repo', { id: 2, at: '11:00', path: '.github/workflows/[x](y).yml' }),
      planRun(github, 'same-repo', { id: 3, at: '12:00', event: 'pull_request_target' }),
      planRun(github, 'same-repo', { id: 4, at: '13:00', event: 'push' }),
    );
    await find();
    expect(readOutputs(dir)).toMatchObject({ found: 'false' });
    expect(ignored()).toEqual([
      'artifact 4 (run 40): its run was started by `push`; only pull_request and workflow_dispatch runs are trusted',
      'artifact 3 (run 30): its run was started by `pull_request_target`; only pull_request and workflow_dispatch runs are trusted',
      'artifact 2 (run 20): its run ran another workflow file, not `.github/workflows/dns-plan.yml`',
      'artifact 1 (run 10): its run ran `.github/workflows/other.yml`, not `.github/workflows/dns-plan.yml`',
    ]);
  });

  it('takes the plan workflow’s path from DNSSYNC_PLAN_WORKFLOW', async () => {
    github.artifacts.push(
      planRun(github, 'same-repo', { id: 1, at: '10:00', path: '.github/workflows/zones.yml' }),
      planRun(github, 'same-repo', { id: 2, at: '11:00' }),
    );
    await find({ DNSSYNC_PLAN_WORKFLOW: '.github/workflows/zones.yml' });
    expect(readOutputs(dir)).toMatchObject({ found: 'true', 'run-id': '10' });
    expect(ignored()).toEqual([
      'artifact 2 (run 20): its run ran `.github/workflows/dns-plan.yml`, not `.github/workflows/zones.yml`',
    ]);
  });

  it('says so when the commit did not come from a pull request', async () => {
    github.pullsByCommit.clear();
    const result = await find();
    expect(result.code).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ found: 'false', 'run-id': '' });
    expect(readOutputs(dir)['note']).toContain('not the merge of a pull request');
  });

  it('says so when the pull request has no saved plan', async () => {
    github.artifacts.push(planRun(github, 'same-repo', { id: 1, at: '10:00', expired: true }));
    await find();
    expect(readOutputs(dir)).toMatchObject({ found: 'false', 'pr-number': '12' });
    expect(readOutputs(dir)['note']).toContain('#12 has no saved plan');
  });

  it('falls back instead of failing when the API refuses (no actions: read)', async () => {
    const result = await find({ GITHUB_REPOSITORY: 'someone/else' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('::warning title=dnssync::');
    expect(readOutputs(dir)).toMatchObject({ found: 'false' });
    expect(readOutputs(dir)['note']).toContain('404');
  });
});
