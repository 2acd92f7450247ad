/**
 * `dnssync init`: sets up an existing Git repository for DNS as code: zones/ with an
 * example zone, the zone schemas beside it, and the three workflows. The workflows are
 * templates/workflows/*.yml, which are the README's complete example word for word (a
 * test holds them equal), with the action reference filled in.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { isObject } from '../model.js';
import { replaceFile } from '../replace-file.js';

/** The action reference the README's example (and so the templates) holds. */
const ACTION_PLACEHOLDER = 'OWNER/dnssync@REF';

/** `owner/repo@ref` or `owner/repo/path@ref`: no space, quote or line break can get into YAML. */
const ACTION_REF = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_./-]+)?@[A-Za-z0-9_./-]+$/;

const PACKAGE_ROOT = new URL('../../', import.meta.url);

export interface InitOptions {
  /** The repository's root directory. */
  dir: string;
  /** `uses:` for the workflows; default from package.json, else ACTION_PLACEHOLDER. */
  action?: string;
  force: boolean;
}

type Outcome = 'wrote' | 'kept' | 'skipped';

export interface InitFile {
  /** Relative to the repository, with `/`. */
  path: string;
  outcome: Outcome;
  /** What it is, or why it was not written. */
  note: string;
}

export interface InitResult {
  root: string;
  action: string;
  files: InitFile[];
}

interface Planned {
  path: string;
  text: string;
  note: string;
}

/** The files init copies from the package, each with what it is. */
const SCHEMAS = {
  'zone.schema.json': 'the zone files’ schema, for editors',
  'dnssync.schema.json': 'the schema of dnssync.yaml, for editors',
};
const WORKFLOWS = {
  'dns-plan.yml': 'validate and plan pull requests, one plan comment each',
  'dns-apply.yml': 'apply the reviewed plan on merge to main',
  'dns-drift.yml': 'a daily check that live DNS still matches zones/',
};
const EXAMPLE_ZONE = 'example.com.yaml';

export async function init(options: InitOptions): Promise<InitResult> {
  const root = resolve(options.dir);
  checkRepository(root, options.dir);
  const action = actionReference(options.action);
  const files: InitFile[] = [];
  const planned: Planned[] = [];

  const zones = join(root, 'zones');
  const existingZones = zoneFiles(zones);
  if (existingZones.length === 0) {
    planned.push({
      path: `zones/${EXAMPLE_ZONE}`,
      text: packageFile(`templates/zones/${EXAMPLE_ZONE}`),
      note: 'an example zone: replace it with yours',
    });
  } else {
    files.push({
      path: `zones/${EXAMPLE_ZONE}`,
      outcome: 'skipped',
      note: `zones/ already has ${existingZones.length === 1 ? 'a zone file' : `${existingZones.length} zone files`}`,
    });
  }
  for (const [schema, note] of Object.entries(SCHEMAS)) {
    planned.push({ path: `schemas/${schema}`, text: packageFile(`schemas/${schema}`), note });
  }
  for (const [workflow, note] of Object.entries(WORKFLOWS)) {
    const text = packageFile(`templates/workflows/${workflow}`);
    planned.push({
      path: `.github/workflows/${workflow}`,
      text: text.replaceAll(ACTION_PLACEHOLDER, action),
      note,
    });
  }

  for (const file of planned) {
    const target = join(root, file.path);
    if (exists(target) && !options.force) {
      files.push({ path: file.path, outcome: 'kept', note: 'it exists (--force overwrites it)' });
      continue;
    }
    await write(target, file.text, options.force);
    files.push({ path: file.path, outcome: 'wrote', note: file.note });
  }
  return { root, action, files };
}

/** The workflows run on the repository's pull requests: init writes only at its root. */
function checkRepository(root: string, given: string): void {
  let stat: ReturnType<typeof lstatSync> | undefined;
  try {
    stat = lstatSync(root);
  } catch {
    throw new UserError(`${given} does not exist; init sets up an existing Git repository`);
  }
  if (!stat.isDirectory()) throw new UserError(`${given} is not a directory`);
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) {
      if (dir === root) return;
      throw new UserError(
        `${given} is inside the Git repository ${dir}; run init at its root (GitHub reads workflows only from the root's .github/workflows/)`,
      );
    }
    if (dirname(dir) === dir) break;
  }
  throw new UserError(
    `${given} is not a Git repository; run init in your zone repository (or \`git init\` first)`,
  );
}

/** --action as given (checked), else this package's repository at its version, else the placeholder. */
function actionReference(flag: string | undefined): string {
  if (flag !== undefined) {
    if (!ACTION_REF.test(flag)) {
      throw new UserError(
        `--action ${flag}: write OWNER/REPO@REF, e.g. octo-org/dnssync@<full commit SHA>`,
      );
    }
    return flag;
  }
  const pkg = JSON.parse(packageFile('package.json')) as { version?: string; repository?: unknown };
  const repo = githubRepository(pkg.repository);
  return repo !== undefined && pkg.version !== undefined
    ? `${repo}@v${pkg.version}`
    : ACTION_PLACEHOLDER;
}

/** `owner/repo` from package.json's repository field, when it is on GitHub. */
function githubRepository(field: unknown): string | undefined {
  const url = typeof field === 'string' ? field : isObject(field) ? String(field['url']) : '';
  const match =
    /^(?:github:)?([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(url) ??
    /github\.com[/:]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

export function actionIsPlaceholder(action: string): boolean {
  return action === ACTION_PLACEHOLDER;
}

/** A full commit SHA: the only reference GitHub cannot move under you. */
export function actionIsPinned(action: string): boolean {
  return /@[0-9a-f]{40}$/.test(action);
}

function packageFile(path: string): string {
  return readFileSync(new URL(path, PACKAGE_ROOT), 'utf8');
}

function zoneFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => /\.ya?ml$/i.test(name));
  } catch {
    return [];
  }
}

/** Anything at the path counts, a dangling symbolic link too. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A new file is created exclusively (`wx`: never through a link, never over a file that
 * appeared meanwhile). With --force the old one is replaced whole (replaceFile), so a
 * symbolic link there is replaced, not followed.
 */
async function write(path: string, text: string, force: boolean): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    if (force) await replaceFile(path, text);
    else await writeFile(path, text, { flag: 'wx' });
  } catch (error) {
    throw new UserError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/** A path of the result as the person running init would type it. */
export function shownPath(result: InitResult, file: InitFile): string {
  const path = relative(process.cwd(), join(result.root, file.path));
  return path === '' ? '.' : path;
}
