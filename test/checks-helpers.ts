/** Running `dnssync validate` (built CLI) on zone files written for a test. */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface JsonIssue {
  file: string;
  line: number;
  col: number;
  severity: 'error' | 'warning' | 'notice';
  code: string;
  message: string;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function dnssync(args: string[], env: Record<string, string> = {}): Run {
  const base: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete base['GITHUB_ACTIONS'];
  delete base['FORCE_COLOR'];
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `validate --format json` of `dir`; the issues and the exit code. */
export function validateJson(
  dir: string,
  ...extra: string[]
): { code: number | null; issues: JsonIssue[] } {
  const run = dnssync(['validate', '--zones', dir, '--format', 'json', ...extra]);
  if (run.stdout === '') throw new Error(`validate printed nothing: ${run.stderr}`);
  return { code: run.code, issues: (JSON.parse(run.stdout) as { issues: JsonIssue[] }).issues };
}

/** A fresh directory `<parent>/zones` holding the given files (the parent can hold dnssync.yaml). */
export function zonesDir(files: Record<string, string>): string {
  const parent = mkdtempSync(join(tmpdir(), 'dnssync-checks-'));
  const dir = join(parent, 'zones');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A zone file of one-line records; a record written with a trailing `# here` marks the line a test expects. */
export function zoneFile(records: string[], header = ''): string {
  return `${header}records:\n${records.map((record) => `  - ${record}`).join('\n')}\n`;
}

/** The 1-based line of the record marked `# here`, or 0. */
export function markedLine(text: string): number {
  return text.split('\n').findIndex((line) => line.includes('# here')) + 1;
}

let key: string | undefined;
/** A real RSA public key in base64 SPKI, as DKIM publishes it. */
export function dkimKey(): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: 1024 })
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64');
  return key;
}
