/**
 * Shared setup for the apply, scenario and chaos tests: the BUILT CLI run asynchronously
 * (the sandbox answers from this very process, so a synchronous spawn would deadlock),
 * zone files in a temp dir, seeding over plain HTTP, and the sandbox's state read back
 * as canonical record lines.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toLiveZone } from '../src/api/convert.js';
import type { Sandbox } from '../src/sandbox/server.js';
import { CLI, call } from './sandbox-helpers.js';

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<Run>;
}

export interface CliTarget {
  sandbox: Pick<Sandbox, 'url' | 'token'>;
  zonesDir: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** `node dist/cli.js ARGS --zones DIR` against the sandbox; stdin is a pipe (not a terminal). */
export function spawnCli(target: CliTarget, args: string[]): RunningCli {
  const merged: Record<string, string | undefined> = {
    ...process.env,
    VPS_API_URL: target.sandbox.url,
    VPS_API_TOKEN: target.sandbox.token,
    NO_COLOR: '1',
    FORCE_COLOR: undefined,
    GITHUB_ACTIONS: undefined,
    GITHUB_STEP_SUMMARY: undefined,
    DNSSYNC_DEBUG: undefined,
    ...target.env,
  };
  const env = Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const child = spawn(process.execPath, [CLI, ...args, '--zones', target.zonesDir], {
    env,
    cwd: target.cwd ?? process.cwd(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<Run>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

/** Runs the CLI to the end; stdin gets `input` (if any) and is then closed. */
export function runCli(target: CliTarget, args: string[], input = ''): Promise<Run> {
  const running = spawnCli(target, args);
  running.child.stdin?.end(input);
  return running.done;
}

/** A temp dir with an empty zones/ inside; remove it with `cleanup`. */
export async function tempZones(prefix: string): Promise<{
  dir: string;
  zonesDir: string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const zonesDir = join(dir, 'zones');
  await mkdir(zonesDir);
  return { dir, zonesDir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function writeZone(zonesDir: string, domain: string, yaml: string): Promise<void> {
  return writeFile(join(zonesDir, `${domain}.yaml`), yaml);
}

/** [name, type, value, ttl = 3600, priority] exactly as sent to the API. */
export type Seed = [name: string, type: string, value: string, ttl?: number, priority?: number];

/** Creates a zone (unless it exists) and its records over plain HTTP, as someone else would. */
export async function seedZone(sandbox: Sandbox, domain: string, records: Seed[]): Promise<string> {
  let uuid = sandbox.zone(domain)?.uuid;
  if (uuid === undefined) {
    const created = await call(sandbox.url, 'POST', '/api/v1/dns-zones/', {
      token: sandbox.token,
      json: { domain },
    });
    if (created.status !== 201) throw new Error(`seeding ${domain}: ${created.text}`);
    uuid = created.body.uuid as string;
  }
  for (const [name, record_type, value, ttl = 3600, priority] of records) {
    const made = await call(sandbox.url, 'POST', `/api/v1/dns-zones/${uuid}/records/`, {
      token: sandbox.token,
      json: { record_type, name, value, ttl, ...(priority === undefined ? {} : { priority }) },
    });
    if (made.status !== 201)
      throw new Error(`seeding ${domain} ${name} ${record_type}: ${made.text}`);
  }
  return uuid;
}

/** Deletes every zone in the sandbox over plain HTTP (between tests). */
export async function emptySandbox(sandbox: Sandbox): Promise<void> {
  for (const zone of sandbox.zones()) {
    await call(sandbox.url, 'DELETE', `/api/v1/dns-zones/${zone.uuid}/`, { token: sandbox.token });
  }
  sandbox.resetStats();
}

/**
 * The zone's records in canonical form, one sorted line each:
 * `name TYPE value ttl=N [prio=N]`. Unmanaged records keep their spelling.
 */
export function liveLines(sandbox: Sandbox, domain: string): string[] {
  const zone = sandbox.zone(domain);
  if (zone === undefined) throw new Error(`no zone ${domain} in the sandbox`);
  return toLiveZone(zone)
    .records.map((r) => line(r.name, r.type, r.value, r.ttl, r.priority))
    .sort();
}

export function line(
  name: string,
  type: string,
  value: string,
  ttl = 3600,
  priority: number | null = null,
): string {
  return `${name} ${type} ${value} ttl=${ttl}${priority === null ? '' : ` prio=${priority}`}`;
}

/** Identities (canonical name, type, value) held by more than one live record of the zone. */
export function duplicateIdentities(sandbox: Sandbox, domain: string): string[] {
  const zone = sandbox.zone(domain);
  if (zone === undefined) return [];
  const counts = new Map<string, number>();
  for (const record of toLiveZone(zone).records) {
    const key = `${record.name} ${record.type} ${record.value}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} (x${n})`);
}

/** Writes the sandbox has answered so far (POST, PUT, PATCH, DELETE). */
export function writeCount(sandbox: Sandbox): number {
  const by = sandbox.stats.byMethod;
  return (by.POST ?? 0) + (by.PUT ?? 0) + (by.PATCH ?? 0) + (by.DELETE ?? 0);
}

/** [record_type, name, value] of a record the API itself cannot create (SOA, PTR, SSHFP...). */
export type StateRecord = [type: string, name: string, value: string];

/**
 * Writes a sandbox state file holding one zone of `domain` with records that only a
 * provider has (the API refuses to create their types), owned by `token`'s owner.
 * `idPrefix` keeps the uuids of different suites apart.
 */
export async function writeProviderState(
  path: string,
  options: { token: string; domain: string; idPrefix: string; records: StateRecord[] },
): Promise<void> {
  const at = '2024-01-01T00:00:00Z';
  const id = (n: number) =>
    `00000000-0000-4000-8000-${options.idPrefix}${String(n).padStart(12 - options.idPrefix.length, '0')}`;
  const state = {
    version: 1,
    tokens: [
      {
        token: options.token,
        permissions: ['dns:list', 'dns:read', 'dns:create', 'dns:update', 'dns:delete'],
        owner: 'me',
      },
    ],
    zones: [
      {
        uuid: id(0),
        domain: options.domain,
        owner: 'me',
        created_at: at,
        serial: 2024010100,
        records: options.records.map(([record_type, name, value], index) => ({
          uuid: id(index + 1),
          record_type,
          name,
          value,
          ttl: 3600,
          priority: null,
          created_at: at,
        })),
      },
    ],
  };
  await writeFile(path, JSON.stringify(state));
}
