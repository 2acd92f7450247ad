/** Running the workflow scripts and the built CLI the way a GitHub runner would. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API, checked by the tests that read them
type Json = any;

export const ROOT = resolve(import.meta.dirname, '..');
export const GHA = join(ROOT, 'scripts', 'gha');
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Spawns without blocking: the sandbox and the fake GitHub run in this process, so a
 * synchronous spawn would leave them unable to answer.
 */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/** A runner-like environment: fresh summary and output files, nothing inherited that matters. */
export function runnerEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const summary = join(dir, 'summary.md');
  const output = join(dir, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    RUNNER_TEMP: dir,
    DNSSYNC_BIN: `${process.execPath} ${CLI}`,
    NO_COLOR: '1',
    ...extra,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

export function tempDir(prefix = 'dnssync-gha-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * The outputs in a GITHUB_OUTPUT file, as a runner reads them: `key=value` lines and
 * `key<<DELIMITER` blocks; the last value of a key wins.
 */
export function readOutputs(dir: string): Record<string, string> {
  const file = join(dir, 'output.txt');
  const outputs: Record<string, string> = {};
  if (!existsSync(file)) return outputs;
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const block = line.match(/^([\w-]+)<<(.+)$/);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      if (end < 0) throw new Error(`output ${block[1]}: no closing ${block[2]}`);
      outputs[block[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const at = line.indexOf('=');
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return outputs;
}

export function readSummary(dir: string): string {
  return readFileSync(join(dir, 'summary.md'), 'utf8');
}

/** A zones directory with the given files, in a fresh working directory (returned). */
export function workdirWithZones(files: Record<string, string>): string {
  const dir = tempDir('dnssync-gha-work-');
  mkdirSync(join(dir, 'zones'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'zones', name), text);
  return dir;
}

/** Talks to the sandbox over plain HTTP, the way a person in the control panel would. */
export async function sandboxApi(
  sandbox: { url: string; token: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<Json> {
  const response = await fetch(`${sandbox.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${sandbox.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text === '' ? null : JSON.parse(text);
}

export interface SeedRecord {
  record_type: string;
  name: string;
  value: string;
  ttl?: number;
  priority?: number;
}

/** Creates a live zone with records, behind dnssync's back; returns the zone's uuid. */
export async function seedZone(
  sandbox: { url: string; token: string },
  domain: string,
  records: SeedRecord[],
): Promise<string> {
  const zone = await sandboxApi(sandbox, 'POST', '/dns-zones/', { domain });
  for (const record of records) {
    await sandboxApi(sandbox, 'POST', `/dns-zones/${zone.uuid}/records/`, record);
  }
  return zone.uuid;
}
