/**
 * What a command line loads before it does anything, through the built CLI: `--version`
 * no command, help every command's flags but none of their work, and `validate` neither
 * another command's work nor ajv's schema compiler (its validators are compiled when
 * dnssync is built). How fast that is lives in bench/startup.mjs.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, CLI_BUILT } from './sandbox-helpers.js';

const ROOT = new URL('../', import.meta.url).href;
const PRELOAD = fileURLToPath(new URL('fixtures/preload/loaded-modules.mjs', import.meta.url));

/** The work of the commands whose flags live apart from it (commands/<name>-cli.ts). */
const WORK = ['validate', 'plan', 'apply', 'checks', 'prepare'].map(
  (name) => `dist/commands/${name}.js`,
);

describe.skipIf(!CLI_BUILT)('modules loaded at start-up', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dnssync-startup-'));
    cpSync(fileURLToPath(new URL('../zones', import.meta.url)), join(dir, 'zones'), {
      recursive: true,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the built CLI; the modules it loaded, as paths from the repository root. */
  function loaded(args: string[]): { stdout: string; modules: string[] } {
    const list = join(dir, 'loaded.txt');
    const env: Record<string, string | undefined> = {
      ...process.env,
      NO_COLOR: '1',
      LOADED_MODULES_FILE: list,
    };
    delete env['GITHUB_ACTIONS'];
    const result = spawnSync(process.execPath, ['--import', PRELOAD, CLI, ...args], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const modules = readFileSync(list, 'utf8')
      .split('\n')
      .filter((url) => url.startsWith(ROOT))
      .map((url) => url.slice(ROOT.length));
    return { stdout: result.stdout, modules: [...new Set(modules)] };
  }

  const commandModules = (modules: string[]) =>
    modules.filter((path) => path.startsWith('dist/commands/'));

  it('--version loads no command', () => {
    const { stdout, modules } = loaded(['--version']);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(commandModules(modules).sort()).toEqual([
      'dist/commands/index.js',
      'dist/commands/program.js',
    ]);
  });

  it('--help loads every command’s flags and none of their work', () => {
    const { stdout, modules } = loaded(['--help']);
    expect(stdout).toContain('validate [options] [domain...]');
    expect(modules).toEqual(
      expect.arrayContaining([
        'dist/commands/validate-cli.js',
        'dist/commands/plan-cli.js',
        'dist/commands/apply-cli.js',
        'dist/commands/checks-cli.js',
        'dist/commands/verify.js',
      ]),
    );
    expect(modules.filter((path) => WORK.includes(path))).toEqual([]);
    expect(
      modules.filter((path) => /^dist\/(zonefile|apply|interop|verify|sandbox)\//.test(path)),
    ).toEqual([]);
  });

  it('validate loads its own work only, and no schema compiler', () => {
    const { stdout, modules } = loaded(['validate']);
    expect(stdout).toMatch(/zone files valid/);
    expect(modules.filter((path) => WORK.includes(path))).toEqual(['dist/commands/validate.js']);
    expect(modules).toContain('dist/validators/zone.js');
    // ajv's run-time helpers (a string's length in code points) are all the validators use.
    const ajv = modules.filter((path) => /^node_modules\/ajv(-formats)?\//.test(path));
    expect(ajv.filter((path) => !path.startsWith('node_modules/ajv/dist/runtime/'))).toEqual([]);
    // js-yaml reads clean zone files; the yaml package loads only for files it leaves.
    expect(modules.filter((path) => path.startsWith('node_modules/yaml/'))).toEqual([]);
  });
});
