/**
 * The pull-request check says only what is true. pr-plan.sh and the comment step (run.sh
 * → pr-comment.mjs, as action.yml runs it) against the sandbox for DNS and a fake GitHub:
 * a missing token fails the check unless the pull request is from a fork; an unsafe plan
 * warns and the comment says what merging will do; a plan too long for a comment is whole
 * in the job summary (up to its 1 MiB) and in plan.md and plan.txt, and the comment says
 * so; when planning fails the comment keeps the last plan, marked stale; the log shows
 * the plan as text.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MARKER } from '../scripts/gha/comment-body.mjs';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import { BOT, COMMENT_LIMIT, type FakeGitHub, REPO, startFakeGitHub } from './gha-fake-github.js';
import {
  CLI,
  GHA,
  readOutputs,
  readSummary,
  run,
  runnerEnv,
  seedZone,
  tempDir,
  workdirWithZones,
} from './gha-helpers.js';

const ZONE = [
  'records:',
  '  - { name: "@", type: A, value: 192.0.2.1 }',
  '  - { name: www, type: CNAME, value: shop.example. }',
  '',
].join('\n');
const BROKEN = ['records:', '  - { name: www, type: CNAME, value: www }', ''].join('\n');
const FIRST = '1'.repeat(40);
const SECOND = '2'.repeat(40);
const THIRD = '3'.repeat(40);
const RUN_URL = 'https://github.com/acme/dns/actions/runs/4242';

let sandbox: Sandbox;
/** An API that is down: every request answers 503. */
let outage: Server;
let outageUrl: string;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('build first: npx tsc -p .');
  sandbox = await startSandbox({ port: 0 });
  outage = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end('{"detail":"upstream unavailable"}');
  });
  await new Promise<void>((resolve) => outage.listen(0, '127.0.0.1', resolve));
  outageUrl = `http://127.0.0.1:${(outage.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sandbox.close();
  await new Promise<void>((resolve) => outage.close(() => resolve()));
});

let github: FakeGitHub;
beforeEach(async () => {
  github = await startFakeGitHub();
});
afterEach(() => github.close());

let domainCounter = 0;
const freshDomain = () => `pr${++domainCounter}-${process.pid}.example`;

/** The check of pull request 12, in `cwd`; its files land in `dir`/dnssync. */
function prPlan(cwd: string, dir: string, env: NodeJS.ProcessEnv = {}) {
  return run('bash', [join(GHA, 'pr-plan.sh')], {
    cwd,
    env: runnerEnv(dir, {
      VPS_API_URL: sandbox.url,
      VPS_API_TOKEN: sandbox.token,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: REPO,
      GITHUB_RUN_ID: '4242',
      DNSSYNC_PR: '12',
      DNSSYNC_PR_HEAD_SHA: FIRST,
      ...env,
    }),
  });
}

/** The comment job: the action's pr-comment step on what prPlan left in `dir`. */
function prComment(dir: string) {
  return run('bash', [join(GHA, 'run.sh')], {
    env: runnerEnv(tempDir(), {
      DNSSYNC_COMMAND: 'pr-comment',
      DNSSYNC_OUT: join(dir, 'dnssync'),
      DNSSYNC_PR: '12',
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: REPO,
      GITHUB_TOKEN: 'ghs_test',
    }),
  });
}

/** The one plan comment on pull request 12. */
function theComment(): string {
  const ours = (github.comments.get(12) ?? []).filter((c) => c.user.login === BOT.login);
  expect(ours).toHaveLength(1);
  return ours[0]!.body;
}

const file = (dir: string, name: string) => readFileSync(join(dir, 'dnssync', name), 'utf8');

describe('a run without VPS_API_TOKEN', () => {
  it('fails for a pull request from this repository, saying the secret is missing, and keeps the last plan, marked stale', async () => {
    const cwd = workdirWithZones({ [`${freshDomain()}.yaml`]: ZONE });
    const planned = tempDir();
    expect((await prPlan(cwd, planned)).code).toBe(0);
    expect((await prComment(planned)).code).toBe(0);

    // The secret is gone (renamed, deleted, or never created for this repository).
    const dir = tempDir();
    sandbox.resetStats();
    const result = await prPlan(cwd, dir, { VPS_API_TOKEN: '', DNSSYNC_PR_HEAD_SHA: SECOND });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error title=dnssync::VPS_API_TOKEN is not set/m);
    expect(sandbox.stats.requests).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ result: 'no-token', planned: 'false' });
    expect(existsSync(join(dir, 'dnssync', 'plan.json'))).toBe(false);
    const summary = readSummary(dir);
    expect(summary).toContain('not planned: no `VPS_API_TOKEN`');
    expect(summary).toContain('Settings →\nSecrets and variables → Actions');
    expect(summary).toContain('merging applies a fresh plan made at merge time');
    expect(summary).not.toMatch(/fork/i);

    const posted = await prComment(dir);
    expect(posted.code, posted.stdout).toBe(0);
    expect(posted.stdout).toContain('keeping its last plan, marked stale');
    const body = theComment();
    expect(body).toContain('**This plan is stale.** The check of commit 2222222');
    expect(body).toContain('still the plan of commit 1111111');
    expect(body).toContain('<code>192.0.2.1</code>');
    expect(body.indexOf('Why this plan is stale')).toBeGreaterThan(body.indexOf('192.0.2.1'));
    expect(body).toContain('add the secret `VPS_API_TOKEN`');
    expect(body).not.toMatch(/fork/i);
    expect(body).not.toContain('merging applies this plan');
  });

  it('without an earlier plan, the comment says what is missing and what merging does', async () => {
    const cwd = workdirWithZones({ [`${freshDomain()}.yaml`]: ZONE });
    const dir = tempDir();
    expect((await prPlan(cwd, dir, { VPS_API_TOKEN: '' })).code).toBe(1);
    expect((await prComment(dir)).code).toBe(0);
    const body = theComment();
    expect(body).toContain('### ❌ dnssync: not planned: no `VPS_API_TOKEN`');
    expect(body).toContain(
      'merging applies a fresh plan made at merge time, which nobody has reviewed here',
    );
    expect(body).not.toMatch(/fork/i);
  });

  it('validates only, and passes, for a pull request from a fork', async () => {
    const cwd = workdirWithZones({ [`${freshDomain()}.yaml`]: ZONE });
    const dir = tempDir();
    const result = await prPlan(cwd, dir, { VPS_API_TOKEN: '', DNSSYNC_PR_FROM_FORK: 'true' });
    expect(result.code, result.stdout).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ result: 'skipped' });
    expect(readSummary(dir)).toContain('pull requests from forks');
  });
});

describe('an unsafe plan', () => {
  it('warns in the log, and the comment and summary say that merging will refuse it and how to force it', async () => {
    const domain = freshDomain();
    const many = Array.from({ length: 12 }, (_, i) => ({
      record_type: 'A',
      name: `host${i}`,
      value: `192.0.2.${i + 10}`,
      ttl: 3600,
    }));
    await seedZone(sandbox, domain, many);
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });
    const dir = tempDir();
    const result = await prPlan(cwd, dir);
    expect(result.code, result.stderr).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ result: 'changes', unsafe: 'true' });
    expect(result.stdout).toMatch(
      new RegExp(
        `^::warning title=dnssync::The plan is unsafe \\(${domain.replace(/\./g, '\\.')}\\)\\. Merging will not apply this plan`,
        'm',
      ),
    );
    expect(readSummary(dir)).toContain('Merging will not apply this plan');

    expect((await prComment(dir)).code).toBe(0);
    const body = theComment();
    expect(body).toContain('**Merging will not apply this plan.**');
    expect(body).toContain('**Actions → dns-apply → Run workflow** with *force* ticked');
    expect(body).toContain('merging does not apply this plan (it is unsafe, see above)');
    expect(body).not.toContain('merging applies this plan');
  });
});

describe('a plan too long for a comment', () => {
  it('is whole in plan.txt and the log (as text) and in the job summary and plan.md up to 1 MiB; the comment says where', async () => {
    const domain = freshDomain();
    const lines = ['records:'];
    for (let i = 0; i < 12_000; i++) {
      lines.push(`  - { name: host-${i}, type: TXT, value: "${'x'.repeat(60)} ${i}" }`);
    }
    const cwd = workdirWithZones({ [`${domain}.yaml`]: `${lines.join('\n')}\n` });
    const dir = tempDir();
    const result = await prPlan(cwd, dir);
    expect(result.code, result.stderr).toBe(0);

    // The log and plan.txt: the text plan, every change.
    expect(result.stdout).toMatch(/^ {2}\+ host-11999 +TXT /m);
    expect(result.stdout).not.toContain('| + create |');
    const text = file(dir, 'plan.txt');
    expect(text.match(/^ {2}\+ host-\d+ +TXT /gm)).toHaveLength(12_000);

    // The job summary: as much Markdown as 1 MiB holds, saying what it cut and where the rest is.
    const summary = readSummary(dir);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(1_048_576);
    expect(Buffer.byteLength(summary)).toBeGreaterThan(900_000);
    expect(summary).toMatch(/Cut to fit the job summary .*: \d+ changes in 1 zone not shown/);
    expect(summary).toContain('`dnssync plan` shows the full plan as text');
    expect(summary).toContain(
      'The plan as text is in the job log, and in the artifact `dnssync-plan-pr-12`: `plan.txt`',
    );
    expect(summary).not.toContain('GitHub comment');
    expect(summary.startsWith(file(dir, 'plan.md'))).toBe(true);

    // The comment: GitHub's limit (the fake refuses more), and where the whole plan is.
    const posted = await prComment(dir);
    expect(posted.code, posted.stdout).toBe(0);
    const body = theComment();
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toContain('host-0<');
    expect(body).toContain(
      `the plan is too long for a comment and is cut here. The whole plan is in the [job summary](${RUN_URL}) and, with the plan as text, in the artifact \`dnssync-plan-pr-12\` (\`plan.md\`, \`plan.txt\`).`,
    );
    expect(body).not.toContain('job log');
    expect(body.split('\n').filter((l) => l.startsWith('<details')).length).toBe(
      body.split('\n').filter((l) => l === '</details>').length,
    );
  }, 60_000);
});

describe('when planning fails for an API reason', () => {
  it('keeps the last good plan in the comment, marked stale, with the error below; invalid files and a new plan replace it', async () => {
    const domain = freshDomain();
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });
    const good = tempDir();
    expect((await prPlan(cwd, good)).code).toBe(0);
    expect((await prComment(good)).stdout).toContain('created the plan comment');

    // The API is down.
    const down = tempDir();
    const failed = await prPlan(cwd, down, { VPS_API_URL: outageUrl, DNSSYNC_PR_HEAD_SHA: SECOND });
    expect(failed.code).toBe(1);
    expect(readOutputs(down)).toMatchObject({ result: 'error', planned: 'false' });
    expect(readSummary(down)).toContain('planning failed');
    expect(readSummary(down)).toContain('503');
    const posted = await prComment(down);
    expect(posted.code, posted.stdout).toBe(0);
    expect(posted.stdout).toContain('updated the plan comment on #12, keeping its last plan');
    const stale = theComment();
    expect(stale.startsWith(`${MARKER}\n`)).toBe(true);
    expect(stale).toContain('> [!CAUTION]\n> **This plan is stale.** The check of commit 2222222');
    expect(stale).toContain('<code>192.0.2.1</code>');
    const error = stale.indexOf('upstream unavailable');
    expect(error).toBeGreaterThan(stale.indexOf('<code>192.0.2.1</code>'));
    expect(stale.slice(0, error)).toMatch(/```+text\n[^`]*$/);
    expect(stale).toContain('[workflow run](https://github.com/acme/dns/actions/runs/4242)');
    expect(stale).not.toContain('merging applies this plan');

    // Still down on the next push: still the same plan, and one banner.
    const again = tempDir();
    const next = { VPS_API_URL: outageUrl, DNSSYNC_PR_HEAD_SHA: THIRD };
    expect((await prPlan(cwd, again, next)).code).toBe(1);
    expect((await prComment(again)).code).toBe(0);
    const twice = theComment();
    expect(twice.match(/This plan is stale/g)).toHaveLength(1);
    expect(twice).toContain('The check of commit 3333333 could not make a plan');
    expect(twice).toContain('still the plan of commit 1111111');
    expect(twice).toContain('<code>192.0.2.1</code>');

    // The API is back: a fresh plan, nothing stale.
    writeFileSync(join(cwd, 'zones', `${domain}.yaml`), ZONE.replace('192.0.2.1', '192.0.2.77'));
    const back = tempDir();
    expect((await prPlan(cwd, back, { DNSSYNC_PR_HEAD_SHA: SECOND })).code).toBe(0);
    expect((await prComment(back)).code).toBe(0);
    const fresh = theComment();
    expect(fresh).toContain('<code>192.0.2.77</code>');
    expect(fresh).not.toContain('stale');

    // Invalid zone files are not an outage: their errors replace the plan.
    writeFileSync(join(cwd, 'zones', `${domain}.yaml`), BROKEN);
    const invalid = tempDir();
    expect((await prPlan(cwd, invalid)).code).toBe(1);
    expect((await prComment(invalid)).code).toBe(0);
    const errors = theComment();
    expect(errors).toContain('the zone files are invalid');
    expect(errors).not.toContain('192.0.2.77');
    expect(errors).not.toContain('stale');
    expect(github.comments.get(12)).toHaveLength(1);
  }, 60_000);
});
