/**
 * The answer to creating a zone is checked before anything is written into it: apply
 * creates the new zone's records under the uuid that `POST /api/v1/dns-zones/` answers,
 * so an answer naming another zone (here the existing prod.example) or a uuid no request
 * can be addressed to stops that zone with an error, and no record is written anywhere.
 * A server written here on a random loopback port; build first: `npx tsc -p .`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempZones, writeZone } from './apply-helpers.js';
import { CLI_BUILT } from './sandbox-helpers.js';

const summary = (uuid: string, domain: string) => ({
  uuid,
  domain,
  created_at: '2026-01-01T00:00:00Z',
  record_count: 0,
});

/** What the server answers to the zone creation. */
let createAnswer = summary('prod-uuid', 'prod.example');
const writes: string[] = [];
let url = '';
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const send = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET') writes.push(`${req.method} ${path}`);
    if (req.method === 'GET' && path === '/api/v1/dns-zones/') {
      return send(200, [summary('prod-uuid', 'prod.example')]);
    }
    if (req.method === 'POST' && path === '/api/v1/dns-zones/') {
      return send(201, { ...createAnswer, records: [] });
    }
    // Any record write succeeds, so only the check can stop one.
    if (req.method === 'POST' && /^\/api\/v1\/dns-zones\/[^/]+\/records\/$/.test(path ?? '')) {
      const input = JSON.parse(body);
      return send(201, {
        uuid: `r${writes.length}`,
        ...input,
        priority: input.priority ?? null,
        created_at: '2026-01-01T00:00:00Z',
      });
    }
    send(404, { detail: 'Not found.' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close());
beforeEach(() => {
  writes.length = 0;
});

async function applyNewZone(): Promise<{ code: number | null; stdout: string }> {
  const { zonesDir, cleanup } = await tempZones('dnssync-create-answer-');
  try {
    await writeZone(
      zonesDir,
      'new.example',
      'records:\n  - { name: "@", type: A, value: 192.0.2.66 }\n  - { name: www, type: A, value: 192.0.2.67 }\n',
    );
    return await runCli({ sandbox: { url, token: 'vps_create_answer' }, zonesDir }, [
      'apply',
      '--yes',
    ]);
  } finally {
    await cleanup();
  }
}

describe.skipIf(!CLI_BUILT)('the answer to a zone creation', () => {
  it('naming another zone: no record is written into it', async () => {
    createAnswer = summary('prod-uuid', 'prod.example');
    const run = await applyNewZone();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'the VPS.org API answer is inconsistent: asked to create zone "new.example", the answer is zone "prod-uuid" ("prod.example"); dnssync does not act on it',
    );
    expect(writes).toEqual(['POST /api/v1/dns-zones/']);
  });

  it('with a uuid no request can be addressed to: no record is written', async () => {
    createAnswer = summary('new/../../prod-uuid', 'new.example');
    const run = await applyNewZone();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'the VPS.org API answer is unusable: the new zone "new.example" has the uuid "new/../../prod-uuid", which cannot address a request',
    );
    expect(writes).toEqual(['POST /api/v1/dns-zones/']);
  });
});
