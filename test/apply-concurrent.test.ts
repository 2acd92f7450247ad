/**
 * Two `dnssync apply --yes` processes started together on the same zone files, against a
 * sandbox with latency so their requests interleave: both plan the same creates (one zone
 * exists, one must be created by whichever run gets there first), both send them, and
 * between them they must end with exactly the desired records and nothing to plan.
 * Build first: `npx tsc -p .`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import {
  type CliTarget,
  duplicateIdentities,
  emptySandbox,
  line,
  liveLines,
  runCli,
  seedZone,
  spawnCli,
  tempZones,
  writeZone,
} from './apply-helpers.js';
import { CLI_BUILT } from './sandbox-helpers.js';

let sandbox: Sandbox;
let temp: Awaited<ReturnType<typeof tempZones>>;
let target: CliTarget;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, latencyMs: 30 });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  temp = await tempZones('dnssync-apply-concurrent-');
  target = { sandbox, zonesDir: temp.zonesDir, cwd: temp.dir };
});
afterEach(async () => {
  await emptySandbox(sandbox);
  await temp.cleanup();
});

/**
 * A pass-through to the sandbox that holds the runs' reads until `runs` of each have
 * arrived (the zone list, then each zone's records), so however unevenly the processes
 * start or are scheduled, they all plan from the same live state, which is what two
 * applies started together do. The first write ends the holding: every read before it is
 * a planning read, since no run writes before it has planned.
 */
async function startingGate(upstream: string, runs: number) {
  const held = new Map<string, (() => void)[]>();
  let writing = false;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'GET') {
      writing = true;
      for (const release of [...held.values()].flat()) release();
    } else if (!writing) {
      const waiting = held.get(req.url ?? '') ?? [];
      held.set(req.url ?? '', waiting);
      if (waiting.length < runs) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === runs) for (const release of waiting) release();
        });
      }
    }
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answer = await request(`${upstream}${req.url}`, {
      method: req.method as 'GET',
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const body = Buffer.from(await answer.body.arrayBuffer());
    const type = answer.headers['content-type'];
    res.writeHead(answer.statusCode, typeof type === 'string' ? { 'content-type': type } : {});
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `count` A records h0..h(count-1) in 198.51.100.0/24, as zone file entries and live lines. */
function hosts(count: number, ttl = 3600) {
  const values = Array.from({ length: count }, (_, i) => [`h${i}`, `198.51.100.${i + 1}`] as const);
  return {
    yaml: values.map(([name, value]) => `{ name: ${name}, type: A, value: ${value}, ttl: ${ttl} }`),
    lines: values.map(([name, value]) => line(name, 'A', value, ttl)),
  };
}

describe.skipIf(!CLI_BUILT)('two applies at once', () => {
  it('end with exactly the desired records, a zone created once, and nothing left to plan', async () => {
    // example.com exists with one record to keep, one to update and one to delete;
    // new.example does not exist yet. 40 + 20 = 60 records to create in all.
    await seedZone(sandbox, 'example.com', [
      ['@', 'A', '192.0.2.1'],
      ['www', 'A', '192.0.2.2', 600],
      ['old', 'TXT', 'remove me'],
    ]);
    const existing = hosts(40);
    const created = hosts(20, 300);
    await writeZone(
      temp.zonesDir,
      'example.com',
      `records:\n${[
        '{ name: "@", type: A, value: 192.0.2.1 }',
        '{ name: www, type: A, value: 192.0.2.2, ttl: 300 }',
        ...existing.yaml,
      ]
        .map((entry) => `  - ${entry}\n`)
        .join('')}`,
    );
    await writeZone(
      temp.zonesDir,
      'new.example',
      `records:\n${created.yaml.map((entry) => `  - ${entry}\n`).join('')}`,
    );
    sandbox.resetStats();

    const gate = await startingGate(sandbox.url, 2);
    const gated = { ...target, sandbox: { url: gate.url, token: sandbox.token } };
    const first = spawnCli(gated, ['apply', '--yes']);
    const second = spawnCli(gated, ['apply', '--yes']);
    first.child.stdin?.end();
    second.child.stdin?.end();
    const runs = await Promise.all([first.done, second.done]);
    await gate.close();

    // Both planned from the same live state, so both sent the creates: the requests prove
    // the race really happened (the API holds each domain once, so one zone POST failed).
    expect(sandbox.stats.byMethod.POST).toBeGreaterThanOrEqual(2 * 60 + 2);
    expect(sandbox.stats.byStatus['400']).toBe(1);
    const output = runs.map((run) => run.stdout).join('\n');
    expect(output).toContain('it exists already (created meanwhile); filling it');
    expect(output).toMatch(/Removed \d+ exact duplicate records?/);
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }

    expect(duplicateIdentities(sandbox, 'example.com')).toEqual([]);
    expect(duplicateIdentities(sandbox, 'new.example')).toEqual([]);
    expect(liveLines(sandbox, 'example.com')).toEqual(
      [line('@', 'A', '192.0.2.1'), line('www', 'A', '192.0.2.2', 300), ...existing.lines].sort(),
    );
    expect(liveLines(sandbox, 'new.example')).toEqual(created.lines.sort());
    expect(sandbox.zones().map((zone) => zone.domain)).toEqual(['example.com', 'new.example']);

    const again = await runCli(target, ['plan', '--detailed-exitcode']);
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
  });
});
