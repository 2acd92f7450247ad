/**
 * An API that contradicts itself: a tiny server in this file answers in VPS.org's shape,
 * on a random loopback port, with a zone list and zone details that do not agree. The
 * built CLI (`plan`, `apply --yes`, `import`) must stop with an error that names the
 * zones or uuids and says the answer is inconsistent, before any write arrives: every
 * PATCH and DELETE is addressed by those uuids. The same holds for a uuid that cannot be
 * one path segment of a request (empty, `..`, a slash, ...). Build first: `npx tsc -p .`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiRecord, ApiZoneDetail } from '../src/api/types.js';
import { CLI, CLI_BUILT } from './sandbox-helpers.js';

const TOKEN = 'vps_inconsistent_api_test';
const AT = '2026-01-01T00:00:00Z';
const Z1 = '11111111-1111-4111-8111-111111111111';
const Z2 = '22222222-2222-4222-8222-222222222222';
const R1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const R2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

function record(uuid: string, name: string, value: string): ApiRecord {
  return { uuid, record_type: 'A', name, value, ttl: 3600, priority: null, created_at: AT };
}

function zone(uuid: string, domain: string, records: ApiRecord[]): ApiZoneDetail {
  return { uuid, domain, created_at: AT, record_count: records.length, records };
}

/** What the server says: the list, and the detail it answers for each uuid asked. */
interface Answers {
  list: ApiZoneDetail[];
  details: Record<string, ApiZoneDetail>;
}

interface FakeApi {
  url: string;
  /** Every request that is not a GET, as `METHOD path`. */
  writes: string[];
  server: Server;
}

/** Answers reads from `answers`; accepts any write (201/200/204), so old code would go on. */
async function fakeApi(answers: Answers): Promise<FakeApi> {
  const writes: string[] = [];
  const server = createServer((req, res) => {
    const reply = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    req.resume();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET') {
      writes.push(`${req.method} ${path}`);
      if (req.method === 'DELETE') return reply(204);
      if (path === '/api/v1/dns-zones/') return reply(201, zone(Z2, 'created.example', []));
      return reply(req.method === 'POST' ? 201 : 200, record(R2, 'x', '192.0.2.99'));
    }
    if (path === '/api/v1/dns-zones/') {
      return reply(
        200,
        answers.list.map(({ records, ...summary }) => summary),
      );
    }
    const uuid = /^\/api\/v1\/dns-zones\/([^/]+)\/$/.exec(path)?.[1];
    const detail = uuid === undefined ? undefined : answers.details[uuid];
    if (detail) return reply(200, detail);
    return reply(404, { detail: 'Not found.', error_code: 'not_found', field: null });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, writes, server };
}

let api: FakeApi | null = null;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dnssync-inconsistent-'));
  await mkdir(join(dir, 'zones'));
  await mkdir(join(dir, 'imported'));
});
afterEach(async () => {
  if (api) await new Promise<void>((resolve) => api!.server.close(() => resolve()));
  api = null;
  await rm(dir, { recursive: true, force: true });
});

function dnssync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { ...process.env, VPS_API_URL: api!.url, VPS_API_TOKEN: TOKEN, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Zone files that differ from what the API holds, so apply would write if it went on. */
async function zoneFiles(domains: string[]): Promise<void> {
  for (const domain of domains) {
    await writeFile(
      join(dir, 'zones', `${domain}.yaml`),
      'records:\n  - { name: www, type: A, value: 192.0.2.50 }\n',
    );
  }
}

const COMMANDS = [
  { title: 'plan', args: ['plan'] },
  { title: 'apply --yes', args: ['apply', '--yes'] },
  { title: 'import', args: ['import', '--all', '--out-dir', 'imported'] },
];

const CASES = [
  {
    title: 'a zone detail names another domain than the list',
    domains: ['example.com'],
    answers: {
      list: [zone(Z1, 'example.com', [])],
      details: { [Z1]: zone(Z1, 'victim.example', [record(R1, '@', '192.0.2.1')]) },
    },
    error: `zone "${Z1}" is "example.com" in the zone list but "victim.example" in its own answer`,
  },
  {
    title: 'a zone detail is another zone than the one asked for',
    domains: ['example.com'],
    answers: {
      list: [zone(Z1, 'example.com', [])],
      details: { [Z1]: zone(Z2, 'example.com', [record(R1, '@', '192.0.2.1')]) },
    },
    error: `asked for zone "${Z1}" ("example.com"), the answer is zone "${Z2}"`,
  },
  {
    title: 'one record uuid twice in a zone',
    domains: ['example.com'],
    answers: {
      list: [zone(Z1, 'example.com', [])],
      details: {
        [Z1]: zone(Z1, 'example.com', [
          record(R1, 'www', '192.0.2.50'),
          record(R1, 'old', '192.0.2.1'),
        ]),
      },
    },
    error: `record "${R1}" is listed twice in zone "example.com"`,
  },
  {
    title: 'one record uuid in two zones',
    domains: ['example.com', 'example.net'],
    answers: {
      list: [zone(Z1, 'example.com', []), zone(Z2, 'example.net', [])],
      details: {
        [Z1]: zone(Z1, 'example.com', [record(R1, 'old', '192.0.2.1')]),
        [Z2]: zone(Z2, 'example.net', [record(R1, 'www', '192.0.2.50')]),
      },
    },
    error: `record "${R1}" is listed in both "example.com" and "example.net"`,
  },
  {
    title: 'two list entries with one canonical domain',
    domains: ['example.com'],
    answers: {
      list: [zone(Z1, 'example.com', []), zone(Z2, 'EXAMPLE.com.', [])],
      details: {
        [Z1]: zone(Z1, 'example.com', [record(R1, 'old', '192.0.2.1')]),
        [Z2]: zone(Z2, 'EXAMPLE.com.', [record(R2, 'www', '192.0.2.50')]),
      },
    },
    error: `the zone list names "example.com" twice, as zones "${Z1}" and "${Z2}"`,
  },
];

describe.skipIf(!CLI_BUILT)(
  'an inconsistent API answer stops plan, apply and import before any write',
  () => {
    describe.each(CASES)('$title', ({ domains, answers, error }) => {
      it.each(COMMANDS)('$title', async ({ args }) => {
        api = await fakeApi(answers);
        await zoneFiles(domains);
        const run = await dnssync(args);
        expect(run.stderr).toBe(
          `dnssync: error: the VPS.org API answer is inconsistent: ${error}; dnssync does not act on it\n`,
        );
        expect(run.code).toBe(1);
        expect(api.writes).toEqual([]);
        expect(await readdir(join(dir, 'imported'))).toEqual([]);
      });
    });
  },
);

/** The uuid cases: a zone or record uuid that cannot be one path segment of a request. */
const UNUSABLE =
  'which cannot address a request (it is empty, "." or "..", or holds /, \\, ?, #, %, white space or a control character)';
const UUID_CASES = [
  { title: 'an empty record uuid', uuid: '', where: 'record "old" "A" of zone "example.com"' },
  { title: 'a record uuid ".."', uuid: '..', where: 'record "old" "A" of zone "example.com"' },
  {
    title: 'a record uuid with a slash',
    uuid: `${R2}/../${R1}`,
    where: 'record "old" "A" of zone "example.com"',
  },
  {
    title: 'a record uuid with a line break',
    uuid: 'x\ny',
    shown: 'x\\ny',
    where: 'record "old" "A" of zone "example.com"',
  },
  { title: 'a zone uuid "."', zone: '.', where: 'zone "example.com"' },
  { title: 'a zone uuid with "%"', zone: 'z%2F1', where: 'zone "example.com"' },
];

describe.skipIf(!CLI_BUILT)(
  'a zone or record uuid no request can be addressed to stops plan, apply and import when read',
  () => {
    describe.each(UUID_CASES)('$title', (given) => {
      it.each(COMMANDS)('$title', async ({ args }) => {
        const zoneUuid = given.zone ?? Z1;
        api = await fakeApi({
          list: [zone(zoneUuid, 'example.com', [])],
          details: {
            [zoneUuid]: zone(zoneUuid, 'example.com', [
              record(given.uuid ?? R1, 'old', '192.0.2.1'),
            ]),
          },
        });
        await zoneFiles(['example.com']);
        const run = await dnssync(args);
        const shown = given.shown ?? given.uuid ?? zoneUuid;
        expect(run.stderr).toBe(
          `dnssync: error: the VPS.org API answer is unusable: ${given.where} has the uuid "${shown}", ${UNUSABLE}; dnssync does not act on it\n`,
        );
        expect(run.code).toBe(1);
        expect(api.writes).toEqual([]);
        expect(await readdir(join(dir, 'imported'))).toEqual([]);
      });
    });
  },
);
