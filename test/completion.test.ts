/**
 * `dnssync completion bash|zsh|fish` (built CLI): each script parses in its shell and
 * completes commands, options, choices and zone-file domains there. bash is everywhere;
 * zsh and fish are tested when installed (Debian packages zsh, fish) and SKIPPED, saying
 * so, otherwise.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, CLI_BUILT } from './sandbox-helpers.js';

const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;
const HAS_ZSH = has('zsh');
const HAS_FISH = has('fish');
for (const [shell, found] of [
  ['zsh', HAS_ZSH],
  ['fish', HAS_FISH],
] as const) {
  if (!found) console.warn(`completion: ${shell} not found: its completion tests are SKIPPED`);
}

let work = '';
const scripts: Record<string, string> = {};

beforeAll(() => {
  if (!CLI_BUILT) return;
  work = mkdtempSync(join(tmpdir(), 'dnssync-completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = spawnSync(process.execPath, [CLI, 'completion', shell], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    scripts[shell] = join(work, `dnssync.${shell}`);
    writeFileSync(scripts[shell], result.stdout);
  }
  // A repository with two zone files, and one elsewhere for --zones.
  mkdirSync(join(work, 'repo', 'zones'), { recursive: true });
  mkdirSync(join(work, 'repo', 'other'));
  writeFileSync(join(work, 'repo', 'zones', 'example.com.yaml'), 'records: []\n');
  writeFileSync(join(work, 'repo', 'zones', 'example.org.yml'), 'records: []\n');
  writeFileSync(join(work, 'repo', 'other', 'elsewhere.net.yaml'), 'records: []\n');
  writeFileSync(join(work, 'repo', 'plan.json'), '{}');
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs `script` in `shell` in the test repository. */
function inShell(shell: string, script: string, args: string[] = ['-c']) {
  const result = spawnSync(shell, [...args, script], {
    cwd: join(work, 'repo'),
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], HOME: work, TERM: 'dumb' },
    // Only against a hang (a zpty read that never sees its marker), not a speed limit.
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * What bash completes for the command line `words` (the last word is the one being
 * completed), as `complete -F` would call the function: COMP_WORDS split as bash splits
 * them, at `=` too.
 */
function bashCompletes(...words: string[]): string[] {
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `source '${scripts['bash']}'
fn=$(complete -p dnssync | sed -E 's/.*-F ([^ ]+).*/\\1/')
COMP_WORDS=(${quoted}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
"$fn"
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const run = inShell('bash', script);
  expect(run.stderr).toBe('');
  return run.stdout.split('\n').filter((line) => line !== '');
}

describe.skipIf(!CLI_BUILT)('bash', () => {
  it('parses (bash -n) and registers a completion for dnssync', () => {
    expect(inShell('bash', scripts['bash']!, ['-n']).code).toBe(0);
    const run = inShell('bash', `source '${scripts['bash']}'; complete -p dnssync`);
    expect(run.stdout.trim()).toBe('complete -F _dnssync dnssync');
  });

  it('completes command names', () => {
    expect(bashCompletes('dnssync', 'pl')).toEqual(['plan']);
    expect(bashCompletes('dnssync', 'i')).toEqual(['import', 'init']);
    expect(bashCompletes('dnssync', 'c')).toEqual(['checks', 'completion']);
  });

  it("completes a command's options, and the choices of --format", () => {
    expect(bashCompletes('dnssync', 'apply', '--n')).toEqual(['--no-verify', '--no-color']);
    expect(bashCompletes('dnssync', 'plan', '--format', '')).toEqual([
      'text',
      'markdown',
      'json',
      'diff',
    ]);
    // bash splits --format=j into --format, =, j.
    expect(bashCompletes('dnssync', 'plan', '--format', '=', 'j')).toEqual(['json']);
    expect(bashCompletes('dnssync', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  it('completes domains from the zone files, in --zones DIR when given', () => {
    expect(bashCompletes('dnssync', 'plan', 'example.')).toEqual(['example.com', 'example.org']);
    expect(bashCompletes('dnssync', 'verify', '--zones', 'other', '')).toEqual(['elsewhere.net']);
  });

  it('offers saved plans (*.json) beside domains to apply', () => {
    expect(bashCompletes('dnssync', 'apply', '').sort()).toEqual(
      ['example.com', 'example.org', 'other', 'plan.json', 'zones'].sort(),
    );
  });

  it('offers nothing for a value that is free text', () => {
    expect(bashCompletes('dnssync', 'plan', '--concurrency', '')).toEqual([]);
  });
});

describe.skipIf(!CLI_BUILT || !HAS_ZSH)('zsh', () => {
  it('parses (zsh -n) and registers _dnssync with compinit', () => {
    expect(inShell('zsh', scripts['zsh']!, ['-n']).code).toBe(0);
    const run = inShell(
      'zsh',
      `autoload -U compinit && compinit -u -d '${work}/zcompdump' && source '${scripts['zsh']}' && print -r -- $_comps[dnssync]`,
      ['-fc'],
    );
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('_dnssync');
  });

  it('completes commands, choices and domains on a zsh line editor', () => {
    expect(zshCompletes('dnssync pl')).toEqual(['plan']);
    expect(zshCompletes('dnssync plan --format ')).toEqual(['text', 'markdown', 'json', 'diff']);
    expect(zshCompletes('dnssync plan ex')).toEqual(['example.com', 'example.org']);
  });
});

/**
 * Types `line` and Tab into an interactive zsh on a pseudo-terminal (zsh/zpty), with
 * compadd wrapped to print each match it adds; the matches, in order, without repeats.
 */
function zshCompletes(line: string): string[] {
  const driver = join(work, 'drive.zsh');
  writeFileSync(
    driver,
    `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1=''; RPROMPT=''"
zpty -w z "autoload -U compinit && compinit -u -d '${work}/zcompdump2'"
zpty -w z "source '${scripts['zsh']}'"
zpty -w z 'compadd() { local -a m; builtin compadd -A m "$@"; local w; for w in $m; do print -r -- "<<$w>>"; done; builtin compadd "$@"; }'
zpty -w z "bindkey '^I' complete-word"
zpty -w z "print -r -- RE''ADY"
zpty -r z out '*READY*'
zpty -w -n z "$1"$'\\t'$'\\C-u'
zpty -w z "print -r -- DO''NE"
zpty -r z out '*DONE*'
print -r -- "$out"
zpty -d z
`,
  );
  const run = inShell('zsh', `source '${driver}' '${line}'`, ['-fc']);
  const matches = [...run.stdout.matchAll(/<<([^>]*)>>/g)].map((m) => m[1] ?? '');
  return [...new Set(matches)];
}

describe.skipIf(!CLI_BUILT || !HAS_FISH)('fish', () => {
  /** fish's own `complete -C`: what it would offer for the line. */
  const fishCompletes = (line: string) =>
    inShell('fish', `source '${scripts['fish']}'; complete -C '${line}'`)
      .stdout.split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t')[0]);

  it('parses (fish -n)', () => {
    expect(inShell('fish', scripts['fish']!, ['-n']).code).toBe(0);
  });

  it('completes commands, options, choices and domains', () => {
    expect(fishCompletes('dnssync pl')).toEqual(['plan']);
    expect(fishCompletes('dnssync apply --no-v')).toEqual(['--no-verify']);
    expect(fishCompletes('dnssync plan --format ')).toEqual(['diff', 'json', 'markdown', 'text']);
    expect(fishCompletes('dnssync plan ex')).toEqual(['example.com', 'example.org']);
    expect(fishCompletes('dnssync verify --zones other ')).toEqual(['elsewhere.net']);
  });
});

describe.skipIf(!CLI_BUILT)('completion --help', () => {
  it('says how to install each script', () => {
    const help = spawnSync(process.execPath, [CLI, 'completion', '--help'], { encoding: 'utf8' });
    for (const shell of ['bash', 'zsh', 'fish']) {
      expect(help.stdout).toContain(`dnssync completion ${shell} >`);
    }
  });

  it('refuses another shell', () => {
    const run = spawnSync(process.execPath, [CLI, 'completion', 'tcsh'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("'tcsh' is invalid");
  });
});
