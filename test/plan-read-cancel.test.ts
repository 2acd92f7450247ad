/**
 * End-to-end: `dnssync plan` reads the live zones while it validates the zone files, and
 * a validation error cancels the reads in flight. The built CLI (`node dist/cli.js`)
 * against a local server that answers the zone list at once and holds every zone read
 * open, recording how each one ended. Build first: `npx tsc -p .`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const TOKEN = 'vps_read_cancel_test_token';
/** Enough valid files that the reads are on the wire long before the last one is read. */
const VALID_FILES = 300;
const RECORDS_PER_FILE = 30;
const CONCURRENCY = 16;

interface ReadLog {
  /** Zone reads that arrived. */
  started: number;
  /** Zone reads the client closed before an answer. */
  aborted: number;
  /** Zone reads answered (none here: the server never answers one). */
  answered: number;
  /** Requests other than GETs. */
  writes: number;
}

/** Lists `domains` as live zones, then keeps every zone read open until the client leaves. */
async function holdingServer(
  domains: string[],
): Promise<{ server: Server; url: string; log: ReadLog }> {
  const log: ReadLog = { started: 0, aborted: 0, answered: 0, writes: 0 };
  const server = createServer((req, res) => {
    if (req.method !== 'GET') log.writes++;
    if (req.url === '/api/v1/dns-zones/') {
      const zones = domains.map((domain, index) => ({
        uuid: `zone-${index}`,
        domain,
        created_at: '2024-01-15T10:30:00Z',
        record_count: 0,
      }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(zones));
      return;
    }
    log.started++;
    res.once('close', () => {
      if (res.writableFinished) log.answered++;
      else log.aborted++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, log };
}

function zoneText(index: number): string {
  const lines = ['records:'];
  for (let r = 0; r < RECORDS_PER_FILE; r++) {
    lines.push(`  - { name: host${r}, type: A, value: 192.0.2.${(index + r) % 250} }`);
  }
  return `${lines.join('\n')}\n`;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;
let zonesDir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dnssync-read-cancel-'));
  zonesDir = join(dir, 'zones');
  await mkdir(zonesDir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function dnssync(args: string[], url: string, summary: string): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('GITHUB_')) env[key] = value;
  }
  Object.assign(env, {
    VPS_API_URL: url,
    VPS_API_TOKEN: TOKEN,
    NO_COLOR: '1',
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: summary,
  });
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, cwd: dir }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

describe('plan: a validation error cancels the reads in flight', () => {
  it('exits 1, writes nothing, and every zone read it sent is aborted, none answered', async () => {
    const domains: string[] = [];
    for (let index = 0; index < VALID_FILES; index++) {
      const domain = `zone${String(index).padStart(4, '0')}.example`;
      domains.push(domain);
      await writeFile(join(zonesDir, `${domain}.yaml`), zoneText(index));
    }
    // The last file in name order, so the reads have long started when it is read.
    const broken = 'zzz-broken.example';
    domains.push(broken);
    await writeFile(
      join(zonesDir, `${broken}.yaml`),
      'records:\n  - { name: "@", type: MX, value: mail.example.com }\n',
    );
    const { server, url, log } = await holdingServer(domains);
    const out = join(dir, 'plan.json');
    const summary = join(dir, 'summary.md');
    try {
      const run = await dnssync(
        [
          'plan',
          '--zones',
          zonesDir,
          '--concurrency',
          String(CONCURRENCY),
          '--timeout',
          '3600',
          '--out',
          out,
        ],
        url,
        summary,
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/zzz-broken\.example\.yaml:2:\d+: error: .*priority/);
      expect(run.stdout).toContain('✗ 1 error in 1 file: no plan was made.');
      expect(run.stdout).not.toContain('Plan:');
      // Nothing else: no warning about the many listeners on the cancel signal either.
      expect(run.stderr).toBe('');
      expect(existsSync(out)).toBe(false);
      expect(existsSync(summary)).toBe(false);
      // The reads were on the wire beside the validation, at most --concurrency of them,
      // and the client closed each one: none was left waiting for its answer.
      expect(log.started).toBeGreaterThan(0);
      expect(log.started).toBeLessThanOrEqual(CONCURRENCY);
      await waitFor(() => log.aborted === log.started);
      expect(log.answered).toBe(0);
      expect(log.writes).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/** Until `done()` holds: the server sees a connection close an event-loop turn or so after the client's exit. */
async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}
