/**
 * The workflow steps themselves (scripts/gha/*, which the workflows run through the
 * composite action), run as a runner would run them: against the in-process sandbox for
 * DNS and a local fake for GitHub. The pull-request check and its comment, the fork path
 * without a token, and the drift check after a change made behind dnssync's back.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MARKER } from '../scripts/gha/comment-body.mjs';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import { type FakeGitHub, mergedPull, planRun, REPO, startFakeGitHub } from './gha-fake-github.js';
import {
  CLI,
  GHA,
  ROOT,
  readOutputs,
  readSummary,
  run,
  runnerEnv,
  sandboxApi,
  seedZone,
  tempDir,
  workdirWithZones,
} from './gha-helpers.js';

const ZONE = [
  '# yaml-language-server: $schema=../schemas/zone.schema.json',
  'records:',
  '  - { name: "@", type: A, value: 192.0.2.1 }',
  '  - { name: www, type: CNAME, value: shop.example. }',
  '  - { name: "@", type: MX, value: mx.shop.example, priority: 10 }',
  '',
].join('\n');

const BROKEN = [
  'records:',
  '  - { name: "@", type: A, value: 192.0.2.1 }',
  '  - { name: www, type: CNAME, value: www }',
  '',
].join('\n');

const LIVE_RECORDS = [
  { record_type: 'A', name: '@', value: '192.0.2.1', ttl: 3600 },
  { record_type: 'CNAME', name: 'www', value: 'shop.example', ttl: 3600 },
  { record_type: 'MX', name: '@', value: 'mx.shop.example', ttl: 3600, priority: 10 },
];

let sandbox: Sandbox;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('build first: npx tsc -p .');
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

/** Each test gets its own domain, so tests sharing the sandbox never meet. */
let domainCounter = 0;
const freshDomain = () => `shop${++domainCounter}-${process.pid}.example`;

function script(name: string, cwd: string, dir: string, env: NodeJS.ProcessEnv = {}) {
  return run('bash', [join(GHA, name)], {
    cwd,
    env: runnerEnv(dir, {
      VPS_API_URL: sandbox.url,
      VPS_API_TOKEN: sandbox.token,
      GITHUB_SHA: 'c0ffee0000000000000000000000000000000000',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: REPO,
      GITHUB_RUN_ID: '4242',
      ...env,
    }),
  });
}

describe('pr-plan.sh: the pull-request check', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub();
  });
  afterEach(() => github.close());

  const comment = (cwd: string, dir: string) =>
    run(
      process.execPath,
      [join(GHA, 'pr-comment.mjs'), '--pr', '12', '--body', join(dir, 'dnssync', 'comment.md')],
      {
        cwd,
        env: runnerEnv(dir, {
          GITHUB_API_URL: github.url,
          GITHUB_REPOSITORY: REPO,
          GITHUB_TOKEN: 'ghs_test',
        }),
      },
    );

  it('plans, writes the comment and the summary, and keeps one comment across pushes', async () => {
    const domain = freshDomain();
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });
    const first = tempDir();
    const result = await script('pr-plan.sh', cwd, first, { DNSSYNC_PR: '12' });
    expect(result.code, result.stderr).toBe(0);
    expect(readOutputs(first)).toMatchObject({
      result: 'changes',
      'has-changes': 'true',
      planned: 'true',
    });
    const out = join(first, 'dnssync');
    const body = readFileSync(join(out, 'comment.md'), 'utf8');
    expect(body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(body).toContain(domain);
    expect(body).toContain('192.0.2.1');
    expect(body).toContain('mx.shop.example');
    expect(body).toContain('[workflow run](https://github.com/acme/dns/actions/runs/4242)');
    expect(readSummary(first)).toContain(domain);
    expect(readSummary(first)).toContain('192.0.2.1');
    const saved = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    expect(saved.zones.map((z: { domain: string }) => z.domain)).toEqual([domain]);

    expect((await comment(cwd, first)).stdout).toContain('created the plan comment on #12');

    // The next push changes the address: the same comment now shows the new plan.
    writeFileSync(join(cwd, 'zones', `${domain}.yaml`), ZONE.replace('192.0.2.1', '192.0.2.99'));
    const second = tempDir();
    expect((await script('pr-plan.sh', cwd, second, { DNSSYNC_PR: '12' })).code).toBe(0);
    expect((await comment(cwd, second)).stdout).toContain('updated the plan comment on #12');

    const comments = github.comments.get(12) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('192.0.2.99');
    expect(comments[0]?.body).not.toContain('192.0.2.1<');
    expect(github.requests.filter((r) => r.method !== 'GET').map((r) => r.method)).toEqual([
      'POST',
      'PATCH',
    ]);
  });

  it('says "no changes" when live DNS already matches', async () => {
    const domain = freshDomain();
    await seedZone(sandbox, domain, LIVE_RECORDS);
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });
    const dir = tempDir();
    const result = await script('pr-plan.sh', cwd, dir);
    expect(result.code, result.stderr).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ result: 'no-changes', 'has-changes': 'false' });
    expect(readFileSync(join(dir, 'dnssync', 'comment.md'), 'utf8')).toContain('No changes');
  });

  it('without a token on a fork’s pull request: validates only, explains in the summary, never calls the API', async () => {
    const cwd = workdirWithZones({ [`${freshDomain()}.yaml`]: ZONE });
    const dir = tempDir();
    sandbox.resetStats();
    const result = await script('pr-plan.sh', cwd, dir, {
      VPS_API_TOKEN: '',
      DNSSYNC_PR_FROM_FORK: 'true',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('zone file valid');
    expect(result.stdout).toMatch(/^::notice title=dnssync::.*VPS_API_TOKEN/m);
    expect(readOutputs(dir)).toMatchObject({ result: 'skipped', planned: 'false' });
    const summary = readSummary(dir);
    expect(summary).toContain('validated only');
    expect(summary).toContain('pull requests from forks');
    expect(summary).toContain('Run workflow');
    expect(existsSync(join(dir, 'dnssync', 'plan.json'))).toBe(false);
    expect(sandbox.stats.requests).toBe(0);
  });

  it('fails on invalid zone files, with annotations and the errors in the comment', async () => {
    const domain = freshDomain();
    const cwd = workdirWithZones({ [`${domain}.yaml`]: BROKEN });
    const dir = tempDir();
    sandbox.resetStats();
    const result = await script('pr-plan.sh', cwd, dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(`^::error file=zones/${domain.replace(/\./g, '\\.')}\\.yaml,line=3,col=`, 'm'),
    );
    expect(readOutputs(dir)).toMatchObject({ result: 'invalid', planned: 'false' });
    const body = readFileSync(join(dir, 'dnssync', 'comment.md'), 'utf8');
    expect(body).toContain('the zone files are invalid');
    expect(body).toContain(`zones/${domain}.yaml:3:`);
    expect(body).not.toContain('::error');
    expect(readSummary(dir)).toContain('the zone files are invalid');
    expect(sandbox.stats.requests).toBe(0);
  });

  it('fails when planning fails, and leaves no plan to apply', async () => {
    const cwd = workdirWithZones({ [`${freshDomain()}.yaml`]: ZONE });
    const dir = tempDir();
    const result = await script('pr-plan.sh', cwd, dir, {
      VPS_API_TOKEN: 'vps_0000000000000000000000000000000000000000000000',
    });
    expect(result.code).toBe(1);
    expect(readOutputs(dir)).toMatchObject({ result: 'error', planned: 'false' });
    expect(existsSync(join(dir, 'dnssync', 'plan.json'))).toBe(false);
    expect(readSummary(dir)).toContain('planning failed');
    expect(readFileSync(join(dir, 'dnssync', 'comment.md'), 'utf8')).toContain('401');
  });
});

describe('pr-zones.sh: a maintainer plans a pull request from a fork', () => {
  /** A workspace with our zones, and the pull request's checkout in .dnssync-pr. */
  async function workspace(prFiles: Record<string, string>, links: Record<string, string> = {}) {
    const cwd = workdirWithZones({ 'ours.example.yaml': ZONE, 'gone.example.yaml': ZONE });
    const pr = join(cwd, '.dnssync-pr');
    mkdirSync(join(pr, 'zones'), { recursive: true });
    for (const [name, text] of Object.entries(prFiles))
      writeFileSync(join(pr, 'zones', name), text);
    for (const [name, target] of Object.entries(links))
      symlinkSync(target, join(pr, 'zones', name));
    const git = (...args: string[]) => run('git', ['-C', pr, ...args]);
    await git('init', '-q');
    await git('add', '-A');
    await git('-c', 'user.name=t', '-c', 'user.email=t@example.net', 'commit', '-qm', 'pr');
    const sha = (await git('rev-parse', 'HEAD')).stdout.trim();
    return { cwd, sha };
  }

  it('takes exactly the pull request’s zone files, and nothing else of it', async () => {
    const { cwd, sha } = await workspace({
      'ours.example.yaml': ZONE.replace('192.0.2.1', '192.0.2.7'),
    });
    writeFileSync(join(cwd, '.dnssync-pr', 'action.yml'), 'not ours');
    const dir = tempDir();
    const result = await script('pr-zones.sh', cwd, dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(readdirSync(join(cwd, 'zones'))).toEqual(['ours.example.yaml']);
    expect(readFileSync(join(cwd, 'zones', 'ours.example.yaml'), 'utf8')).toContain('192.0.2.7');
    expect(existsSync(join(cwd, '.dnssync-pr'))).toBe(false);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(readOutputs(dir)).toMatchObject({ sha });
  });

  it('refuses symbolic links and leaves our zone files alone', async () => {
    const { cwd } = await workspace(
      { 'ok.example.yaml': ZONE },
      { 'evil.example.yaml': '/etc/passwd' },
    );
    const result = await script('pr-zones.sh', cwd, tempDir());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error title=dnssync::.*symbolic links.*evil\.example\.yaml/m);
    expect(readdirSync(join(cwd, 'zones')).sort()).toEqual([
      'gone.example.yaml',
      'ours.example.yaml',
    ]);
  });

  it('refuses a pull request without a zones directory', async () => {
    const cwd = workdirWithZones({ 'ours.example.yaml': ZONE });
    mkdirSync(join(cwd, '.dnssync-pr'));
    const result = await script('pr-zones.sh', cwd, tempDir());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('has no zones/ directory');
    expect(readdirSync(join(cwd, 'zones'))).toEqual(['ours.example.yaml']);
  });
});

describe('drift.sh: the scheduled drift check', () => {
  it('passes while live DNS matches, and fails, saying what differs, after a change behind its back', async () => {
    const domain = freshDomain();
    const zoneUuid = await seedZone(sandbox, domain, LIVE_RECORDS);
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });

    const inSync = tempDir();
    const clean = await script('drift.sh', cwd, inSync);
    expect(clean.code, clean.stderr).toBe(0);
    expect(readOutputs(inSync)).toMatchObject({ result: 'in-sync', 'has-changes': 'false' });
    expect(readSummary(inSync)).toContain('Live DNS matches the zone files at c0ffee0');

    // Someone adds a record in the control panel.
    await sandboxApi(sandbox, 'POST', `/dns-zones/${zoneUuid}/records/`, {
      record_type: 'TXT',
      name: 'handmade',
      value: 'added-in-the-control-panel',
      ttl: 300,
    });
    const drifted = tempDir();
    const result = await script('drift.sh', cwd, drifted);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error title=DNS drift::Live DNS differs/m);
    expect(readOutputs(drifted)).toMatchObject({ result: 'drift', 'has-changes': 'true' });
    const summary = readSummary(drifted);
    expect(summary).toContain('Live DNS differs from the zone files');
    expect(summary).toContain('handmade');
    expect(summary).toContain('added-in-the-control-panel');
    expect(summary).toContain('delete');
  });

  it('fails clearly without a token', async () => {
    const cwd = workdirWithZones({ [`${freshDomain()}.yaml`]: ZONE });
    const dir = tempDir();
    const result = await script('drift.sh', cwd, dir, { VPS_API_TOKEN: '' });
    expect(result.code).toBe(1);
    expect(readSummary(dir)).toContain('`VPS_API_TOKEN` is not set');
    expect(readOutputs(dir)).toMatchObject({ result: 'error' });
  });
});

describe('apply-reviewed.sh: the apply on merge', () => {
  /** The pull-request run: plans the zone files in `cwd` and saves the plan as its artifact. */
  async function reviewedPlan(cwd: string): Promise<string> {
    const dir = tempDir();
    const result = await script('pr-plan.sh', cwd, dir, { DNSSYNC_PR: '12' });
    expect(result.code, result.stderr).toBe(0);
    return join(dir, 'dnssync');
  }
  const apply = (cwd: string, dir: string, env: NodeJS.ProcessEnv = {}) =>
    script('apply-reviewed.sh', cwd, dir, env);
  const liveValues = (domain: string) =>
    (sandbox.zone(domain)?.records ?? []).map((r) => `${r.record_type} ${r.name} ${r.value}`);

  it('applies the reviewed plan when it is still current, and then DNS matches', async () => {
    const domain = freshDomain();
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });
    const reviewed = await reviewedPlan(cwd);
    const dir = tempDir();
    const result = await apply(cwd, dir, {
      DNSSYNC_REVIEWED_DIR: reviewed,
      DNSSYNC_REVIEWED_FOUND: 'true',
      DNSSYNC_REVIEWED_NOTE: 'the plan shown on #12',
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(readOutputs(dir)).toMatchObject({
      result: 'applied',
      'plan-source': 'reviewed',
      'exit-code': '0',
    });
    const summary = readSummary(dir);
    expect(summary).toContain('Applying the reviewed plan: the plan shown on #12');
    expect(summary).toContain('192.0.2.1');
    expect(summary).toContain('apply output');
    expect(summary).toContain('✅ Applied.');
    expect(liveValues(domain)).toContain('A @ 192.0.2.1');

    const again = tempDir();
    expect((await apply(cwd, again)).code).toBe(0);
    expect(readOutputs(again)).toMatchObject({ result: 'in-sync' });
    expect(readSummary(again)).toContain('nothing to apply');
  });

  it('applies a fresh plan, and says why, when the zone files changed after review', async () => {
    const domain = freshDomain();
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });
    const reviewed = await reviewedPlan(cwd);
    // Another pull request merged first and changed the same zone.
    writeFileSync(join(cwd, 'zones', `${domain}.yaml`), ZONE.replace('192.0.2.1', '192.0.2.55'));
    const dir = tempDir();
    const result = await apply(cwd, dir, {
      DNSSYNC_REVIEWED_DIR: reviewed,
      DNSSYNC_REVIEWED_FOUND: 'true',
      DNSSYNC_REVIEWED_NOTE: 'the plan shown on #12',
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ result: 'applied', 'plan-source': 'fresh' });
    expect(result.stdout).toMatch(/^::notice title=dnssync apply::The reviewed plan is stale/m);
    const summary = readSummary(dir);
    expect(summary).toContain('is stale, so a **fresh plan** is applied');
    expect(summary).toContain(`${domain}: the zone file changed since the plan was reviewed`);
    expect(liveValues(domain)).toContain('A @ 192.0.2.55');
    expect(liveValues(domain)).not.toContain('A @ 192.0.2.1');
  });

  it('applies a fresh plan when live DNS moved after review', async () => {
    const domain = freshDomain();
    const zoneUuid = await seedZone(sandbox, domain, LIVE_RECORDS.slice(0, 2));
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });
    const reviewed = await reviewedPlan(cwd);
    await sandboxApi(sandbox, 'POST', `/dns-zones/${zoneUuid}/records/`, {
      record_type: 'TXT',
      name: 'late',
      value: 'added after review',
    });
    const dir = tempDir();
    const result = await apply(cwd, dir, {
      DNSSYNC_REVIEWED_DIR: reviewed,
      DNSSYNC_REVIEWED_FOUND: 'true',
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ 'plan-source': 'fresh' });
    expect(readSummary(dir)).toContain(`${domain}: live DNS changed since the plan was made`);
    expect(liveValues(domain).sort()).toEqual(
      ['A @ 192.0.2.1', 'CNAME www shop.example', 'MX @ mx.shop.example'].sort(),
    );
  });

  it('applies a fresh plan when there is no reviewed plan, saying why', async () => {
    const domain = freshDomain();
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });
    const dir = tempDir();
    const result = await apply(cwd, dir, {
      DNSSYNC_REVIEWED_FOUND: 'false',
      DNSSYNC_REVIEWED_NOTE: 'commit c0ffee0 is not the merge of a pull request',
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ result: 'applied', 'plan-source': 'fresh' });
    expect(readSummary(dir)).toContain(
      'No reviewed plan: commit c0ffee0 is not the merge of a pull request. A **fresh plan** is applied.',
    );
    expect(liveValues(domain)).toContain('MX @ mx.shop.example');
  });

  it('applies a fresh plan when the pull request’s last check made none (it had no token)', async () => {
    const domain = freshDomain();
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });
    const tokenless = tempDir();
    // The check failed, but nothing stops a merge unless it is a required check.
    expect((await script('pr-plan.sh', cwd, tokenless, { VPS_API_TOKEN: '' })).code).toBe(1);
    const artifact = join(tokenless, 'dnssync');
    expect(existsSync(join(artifact, 'comment.md'))).toBe(true);
    const dir = tempDir();
    const result = await apply(cwd, dir, {
      DNSSYNC_REVIEWED_DIR: artifact,
      DNSSYNC_REVIEWED_FOUND: 'true',
      DNSSYNC_REVIEWED_NOTE: 'the plan shown on #12',
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ result: 'applied', 'plan-source': 'fresh' });
    expect(readSummary(dir)).toContain(
      'made no plan: its zone files were invalid, it had no token',
    );
  });

  it('refuses an unsafe plan with a way out, and applies it with --force', async () => {
    const domain = freshDomain();
    const many = Array.from({ length: 12 }, (_, i) => ({
      record_type: 'A',
      name: `host${i}`,
      value: `192.0.2.${i + 10}`,
      ttl: 3600,
    }));
    await seedZone(sandbox, domain, [...LIVE_RECORDS, ...many]);
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });
    const refused = tempDir();
    const result = await apply(cwd, refused);
    expect(result.code).toBe(1);
    expect(readOutputs(refused)).toMatchObject({ result: 'failed' });
    expect(readSummary(refused)).toContain('run **dns-apply** by hand');
    expect(result.stdout).toMatch(/^::error title=dnssync apply::/m);
    expect(liveValues(domain)).toHaveLength(15);

    const forced = tempDir();
    const ok = await apply(cwd, forced, { DNSSYNC_ARGS: '--force' });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(liveValues(domain)).toHaveLength(3);
  });

  it('applies nothing when the zone files are invalid, or without a token', async () => {
    const cwd = workdirWithZones({ [`${freshDomain()}.yaml`]: BROKEN });
    sandbox.resetStats();
    const dir = tempDir();
    expect((await apply(cwd, dir)).code).toBe(1);
    expect(readOutputs(dir)).toMatchObject({ result: 'invalid' });
    const noToken = tempDir();
    const valid = workdirWithZones({ [`${freshDomain()}.yaml`]: ZONE });
    expect((await apply(valid, noToken, { VPS_API_TOKEN: '' })).code).toBe(1);
    expect(readSummary(noToken)).toContain('nothing was applied');
    expect(sandbox.stats.requests).toBe(0);
  });
});

describe('the apply on merge takes a reviewed plan only from a trusted run', () => {
  const MERGE = 'a'.repeat(40);
  const HEAD = 'b'.repeat(40);
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub();
    mergedPull(github, { number: 12, mergeSha: MERGE, commits: [HEAD] });
  });
  afterEach(() => github.close());

  /** What each run uploaded, by run id: the artifact the download step would fetch. */
  const uploads = new Map<number, string>();
  /** Plans the zone files in `cwd`, as a run of dns-plan would; returns its artifact. */
  async function planned(cwd: string): Promise<string> {
    const dir = tempDir();
    const result = await script('pr-plan.sh', cwd, dir, { DNSSYNC_PR: '12' });
    expect(result.code, result.stderr).toBe(0);
    return join(dir, 'dnssync');
  }
  /** The apply job as action.yml wires it: find, download what was found, apply. */
  async function applyOnMerge(cwd: string) {
    const found = tempDir();
    const lookup = await run(process.execPath, [join(GHA, 'find-reviewed-plan.mjs')], {
      cwd,
      env: runnerEnv(found, {
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: REPO,
        GITHUB_TOKEN: 'ghs_test',
        GITHUB_SHA: MERGE,
      }),
    });
    const outputs = readOutputs(found);
    const downloaded = outputs['found'] === 'true' && uploads.get(Number(outputs['run-id']));
    const dir = tempDir();
    const result = await script('apply-reviewed.sh', cwd, dir, {
      DNSSYNC_REVIEWED_DIR: downloaded || '',
      DNSSYNC_REVIEWED_FOUND: outputs['found'],
      DNSSYNC_REVIEWED_NOTE: outputs['note'],
      DNSSYNC_REVIEWED_IGNORED: outputs['ignored'],
    });
    return { log: lookup.stdout + result.stdout, code: result.code, dir };
  }
  const liveValues = (domain: string) =>
    (sandbox.zone(domain)?.records ?? []).map((r) => `${r.record_type} ${r.name} ${r.value}`);

  it('ignores the plan a fork’s run uploaded, says why in the job summary, and applies a fresh plan', async () => {
    const domain = freshDomain();
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });
    // The fork's run, running its own copy of the workflow, uploads a plan whose
    // fingerprints are those of main's zone files but whose change is its own.
    const forged = tempDir();
    cpSync(await planned(cwd), forged, { recursive: true });
    const planFile = join(forged, 'plan.json');
    writeFileSync(
      planFile,
      readFileSync(planFile, 'utf8').replaceAll('"192.0.2.1"', '"203.0.113.66"'),
    );
    github.artifacts.push(planRun(github, 'fork', { id: 7, at: '11:00' }));
    uploads.set(70, forged);

    const { log, code, dir } = await applyOnMerge(cwd);
    expect(code, log).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ result: 'applied', 'plan-source': 'fresh' });
    const summary = readSummary(dir);
    expect(summary).toContain('Ignored these plan artifacts: only a run of this repository');
    expect(summary).toContain('- artifact 7 (run 70): its run was for a pull request from a fork');
    expect(summary).toContain('#12 has no saved plan that a trusted run made');
    expect(log).toMatch(/^::warning title=dnssync::Ignored the plan artifact 7 \(run 70\)/m);
    expect(liveValues(domain)).toContain('A @ 192.0.2.1');
    expect(liveValues(domain)).not.toContain('A @ 203.0.113.66');
  });

  it('applies the plan of a maintainer’s run by hand for the pull request, as reviewed', async () => {
    const domain = freshDomain();
    const cwd = workdirWithZones({ [`${domain}.yaml`]: ZONE });
    github.artifacts.push(
      planRun(github, 'dispatch', { id: 2, at: '10:00' }),
      planRun(github, 'fork', { id: 3, at: '11:00' }),
    );
    uploads.set(20, await planned(cwd));
    uploads.set(30, tempDir());

    const { log, code, dir } = await applyOnMerge(cwd);
    expect(code, log).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ result: 'applied', 'plan-source': 'reviewed' });
    const summary = readSummary(dir);
    expect(summary).toContain(
      'Applying the reviewed plan: the plan shown on #12, saved by run 20 (a dns-plan run started by hand)',
    );
    expect(summary).toContain('- artifact 3 (run 30): its run was for a pull request from a fork');
    expect(liveValues(domain)).toContain('A @ 192.0.2.1');
  });
});

describe('run.sh: plain commands through the action', () => {
  it('runs plan with --detailed-exitcode, passing with has-changes=true', async () => {
    const cwd = workdirWithZones({ [`${freshDomain()}.yaml`]: ZONE });
    const dir = tempDir();
    const result = await script('run.sh', cwd, dir, {
      DNSSYNC_COMMAND: 'plan',
      DNSSYNC_ARGS: '--format markdown',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(readOutputs(dir)).toMatchObject({ 'exit-code': '2', 'has-changes': 'true' });
    expect(result.stdout).toContain(MARKER);
  });

  it('fails with the command’s own exit code, and turns api-url into VPS_API_URL', async () => {
    const cwd = workdirWithZones({ [`${freshDomain()}.yaml`]: ZONE });
    const dir = tempDir();
    const result = await script('run.sh', cwd, dir, {
      DNSSYNC_COMMAND: 'plan',
      VPS_API_URL: 'http://127.0.0.1:9/',
      DNSSYNC_API_URL: sandbox.url,
    });
    expect(readOutputs(dir)).toMatchObject({ 'exit-code': '2' });
    const broken = workdirWithZones({ 'x.example.yaml': BROKEN });
    const invalid = await script('run.sh', broken, tempDir(), { DNSSYNC_COMMAND: 'validate' });
    expect(invalid.code).toBe(1);
    expect(result.code).toBe(0);
  });

  it('refuses an option where the command belongs', async () => {
    const result = await script('run.sh', ROOT, tempDir(), { DNSSYNC_COMMAND: '--help' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('must be a command');
  });
});

describe('install.sh', () => {
  it('puts a dnssync command on PATH that runs the action’s own build', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'env.txt'), '');
    writeFileSync(join(dir, 'path.txt'), '');
    const result = await run('bash', [join(GHA, 'install.sh')], {
      env: runnerEnv(dir, {
        GITHUB_ACTION_PATH: ROOT,
        GITHUB_ENV: join(dir, 'env.txt'),
        GITHUB_PATH: join(dir, 'path.txt'),
        DNSSYNC_BIN: undefined,
      }),
    });
    expect(result.code, result.stderr).toBe(0);
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(result.stdout).toContain(`dnssync ${version} ready`);
    const bin = join(dir, 'dnssync-bin');
    expect(readFileSync(join(dir, 'path.txt'), 'utf8').trim()).toBe(bin);
    expect(readFileSync(join(dir, 'env.txt'), 'utf8').trim()).toBe(`DNSSYNC_BIN=${bin}/dnssync`);
    const shim = await run(join(bin, 'dnssync'), ['--version']);
    expect(shim.stdout.trim()).toBe(version);
  });

  it('accepts only a version or dist-tag, never something npm would read as an option', async () => {
    for (const version of ['--registry=http://127.0.0.1:9', 'file:../evil', 'a b']) {
      const result = await run('bash', [join(GHA, 'install.sh')], {
        env: runnerEnv(tempDir(), { DNSSYNC_VERSION: version, GITHUB_ACTION_PATH: ROOT }),
      });
      expect(result.code, version).toBe(1);
      expect(result.stdout).toContain('version must be an npm version or dist-tag');
    }
  });
});
