/**
 * The sandbox's data as one JSON document, and its state file: loaded once at start,
 * rewritten atomically (temp file in the same directory, fsync, rename) after every
 * write, so a killed sandbox leaves either the old or the new file, never half of one.
 */

import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ApiRecord, Permission } from '../api/types.js';
import { PERMISSIONS } from '../api/types.js';
import { isObject } from '../model.js';

export interface SandboxToken {
  token: string;
  permissions: Permission[];
  /** Zones belong to an owner; a token never sees another owner's zones. */
  owner: string;
}

export type StoredRecord = ApiRecord;

export interface StoredZone {
  uuid: string;
  domain: string;
  owner: string;
  created_at: string;
  /** SOA serial of the BIND rendering; grows on every change to the zone. */
  serial: number;
  records: StoredRecord[];
}

export interface SandboxState {
  version: 1;
  tokens: SandboxToken[];
  zones: StoredZone[];
}

const DEFAULT_OWNER = 'default';

export function generateToken(): string {
  return `vps_${randomBytes(24).toString('hex')}`;
}

export function fullAccessToken(token: string, owner = DEFAULT_OWNER): SandboxToken {
  return { token, permissions: [...PERMISSIONS], owner };
}

/** The state in `file`, or null when the file does not exist yet. Throws on a corrupt file. */
export async function loadState(file: string): Promise<SandboxState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const problem = stateProblem(data);
  if (problem !== null) throw new Error(`${file}: not a sandbox state file: ${problem}`);
  return data as SandboxState;
}

/** Why `data` is not a SandboxState, or null when it is one. */
function stateProblem(data: unknown): string | null {
  if (!isObject(data) || data.version !== 1) return 'expected {"version": 1, ...}';
  if (!Array.isArray(data.tokens)) return '"tokens" must be an array';
  for (const token of data.tokens) {
    if (!hasFields(token, ['token', 'owner'])) {
      return 'every token needs "token" and "owner" strings';
    }
    const permissions = token.permissions;
    if (!Array.isArray(permissions) || !permissions.every((p) => isPermission(p))) {
      return `token "${String(token.token).slice(0, 8)}...": permissions must be among ${PERMISSIONS.join(', ')}`;
    }
  }
  if (!Array.isArray(data.zones)) return '"zones" must be an array';
  for (const zone of data.zones) {
    const strings = ['uuid', 'domain', 'owner', 'created_at'];
    if (!hasFields(zone, strings, ['serial']) || !Array.isArray(zone.records)) {
      return 'every zone needs uuid, domain, owner, created_at, serial and records';
    }
    for (const record of zone.records) {
      const texts = ['uuid', 'record_type', 'name', 'value', 'created_at'];
      if (
        !hasFields(record, texts, ['ttl']) ||
        (record.priority !== null && typeof record.priority !== 'number')
      ) {
        return `zone ${zone.domain}: malformed record`;
      }
    }
  }
  return null;
}

/** Whether `value` is an object with these string fields and these number fields. */
function hasFields(
  value: unknown,
  strings: readonly string[],
  numbers: readonly string[] = [],
): value is Record<string, unknown> {
  return (
    isObject(value) &&
    strings.every((key) => typeof value[key] === 'string') &&
    numbers.every((key) => typeof value[key] === 'number')
  );
}

function isPermission(value: unknown): value is Permission {
  return (PERMISSIONS as readonly unknown[]).includes(value);
}

/** Writes `text` to `file` so that readers only ever see the old or the new content. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  await rename(temp, file);
  // fsync the directory so the rename itself survives a crash.
  const dir = await open(dirname(file), 'r');
  try {
    await dir.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await dir.close();
  }
}

/**
 * Persists snapshots one at a time. Writes requested while one is in progress are
 * grouped into the next one (group commit): every caller's promise resolves only once
 * a snapshot taken after its call is on disk.
 */
export class StatePersister {
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => string,
  ) {}

  persist(): Promise<void> {
    if (this.queued !== null) return this.queued;
    const run = this.chain.then(() => {
      this.queued = null;
      return writeFileAtomic(this.file, this.snapshot());
    });
    this.queued = run;
    this.chain = run.catch(() => {});
    return run;
  }

  /** Resolves when every write requested so far has finished (or failed). */
  idle(): Promise<void> {
    return this.chain;
  }
}
