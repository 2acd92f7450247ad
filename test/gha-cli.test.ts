/**
 * The built CLI as a GitHub runner sees it (GITHUB_ACTIONS=true, a temporary
 * GITHUB_STEP_SUMMARY): annotations point at the right file, line and column, the plan
 * lands in the job summary, and --detailed-exitcode tells 0, 2 and 1 apart.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import {
  CLI,
  readSummary,
  run,
  runnerEnv,
  seedZone,
  tempDir,
  workdirWithZones,
} from './gha-helpers.js';

const BROKEN = [
  '# a broken zone',
  'ttl: 300',
  'records:',
  '  - { name: "@", type: A, value: 192.0.2.1 }',
  '  - name: www',
  '    type: A',
  '    value: 192.0.2.300',
  '  - { name: mail, type: MX, value: mx.example.net, priority: 10, colour: blue }',
  '',
].join('\n');

const GOOD = [
  'records:',
  '  - { name: "@", type: A, value: 192.0.2.1 }',
  '  - { name: www, type: CNAME, value: example.net. }',
  '  - { name: "@", type: MX, value: mx.example.net, priority: 10 }',
  '',
].join('\n');

/** 1-based line and column of `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; col: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return { line: line + 1, col: (lines[line]?.indexOf(needle) ?? -2) + 1 };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('build first: npx tsc -p .');
});

describe('validate in GitHub Actions', () => {
  it('annotates each error at its file, line and column', async () => {
    const cwd = workdirWithZones({ 'example.net.yaml': BROKEN });
    const dir = tempDir();
    const result = await run(process.execPath, [CLI, 'validate'], { cwd, env: runnerEnv(dir) });
    expect(result.code).toBe(1);
    const annotations = result.stdout.split('\n').filter((l) => l.startsWith('::error '));
    const value = positionOf(BROKEN, '192.0.2.300');
    const key = positionOf(BROKEN, 'colour');
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toMatch(
      new RegExp(
        `^::error file=zones/example.net.yaml,line=${value.line},col=${value.col}::.*192\\.0\\.2\\.300`,
      ),
    );
    expect(annotations[1]).toMatch(
      new RegExp(`^::error file=zones/example.net.yaml,line=${key.line},col=${key.col}::.*colour`),
    );
  });

  it('prints no annotations outside GitHub Actions', async () => {
    const cwd = workdirWithZones({ 'example.net.yaml': BROKEN });
    const dir = tempDir();
    const result = await run(process.execPath, [CLI, 'validate'], {
      cwd,
      env: runnerEnv(dir, { GITHUB_ACTIONS: undefined }),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('::error');
  });
});

describe('plan in GitHub Actions', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());

  const plan = (cwd: string, dir: string, extra: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, [CLI, 'plan', '--format', 'markdown', '--detailed-exitcode'], {
      cwd,
      env: runnerEnv(dir, { VPS_API_URL: sandbox.url, VPS_API_TOKEN: sandbox.token, ...extra }),
    });

  it('exits 2 with changes and appends the plan to the job summary', async () => {
    const cwd = workdirWithZones({ 'changes.example.yaml': GOOD });
    const dir = tempDir();
    const result = await plan(cwd, dir);
    expect(result.code).toBe(2);
    const summary = readSummary(dir);
    expect(summary).toContain('<!-- dnssync:plan -->');
    expect(summary).toContain('changes.example');
    expect(summary).toContain('192.0.2.1');
    expect(summary).toContain('mx.example.net');
    // The same Markdown as on stdout, not some other rendering.
    expect(summary.trim()).toBe(result.stdout.trim());
  });

  it('exits 0 when live DNS already matches, and still writes the summary', async () => {
    await seedZone(sandbox, 'same.example', [
      { record_type: 'A', name: '@', value: '192.0.2.1', ttl: 3600 },
      { record_type: 'CNAME', name: 'www', value: 'example.net', ttl: 3600 },
      { record_type: 'MX', name: '@', value: 'mx.example.net', ttl: 3600, priority: 10 },
    ]);
    const cwd = workdirWithZones({ 'same.example.yaml': GOOD });
    const dir = tempDir();
    const result = await plan(cwd, dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readSummary(dir)).toContain('No changes');
  });

  it('exits 1 on an API error, and on invalid zone files without any write', async () => {
    const cwd = workdirWithZones({ 'changes.example.yaml': GOOD });
    const dir = tempDir();
    const refused = await plan(cwd, dir, { VPS_API_TOKEN: 'vps_not_a_token_the_sandbox_knows' });
    expect(refused.code).toBe(1);
    expect(readSummary(dir)).toBe('');

    const broken = workdirWithZones({ 'example.net.yaml': BROKEN });
    // Reads may go out while the files are validated; nothing else does.
    const writes = () => sandbox.stats.requests - (sandbox.stats.byMethod.GET ?? 0);
    const before = writes();
    const invalid = await plan(broken, tempDir());
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('::error file=zones/example.net.yaml,line=7,col=12::');
    expect(writes()).toBe(before);
  });

  it('writes no summary outside GitHub Actions', async () => {
    const cwd = workdirWithZones({ 'changes.example.yaml': GOOD });
    const dir = tempDir();
    const result = await plan(cwd, dir, { GITHUB_ACTIONS: undefined });
    expect(result.code).toBe(2);
    expect(readSummary(dir)).toBe('');
    expect(existsSync(join(dir, 'summary.md'))).toBe(true);
  });
});
