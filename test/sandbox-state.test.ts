/** The state file: persistence across restarts, tokens kept, atomic writes, survival of SIGKILL. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../src/api/types.js';
import { startSandbox } from '../src/sandbox/server.js';
import { writeFileAtomic } from '../src/sandbox/state.js';
import { CLI_BUILT, call, clientFor, spawnSandbox } from './sandbox-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dnssync-sandbox-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCounter = 0;
const stateFile = () => join(dir, `state-${fileCounter++}.json`);

describe('state file', () => {
  it('keeps zones, records and the token across a restart', async () => {
    const file = stateFile();
    const first = await startSandbox({ stateFile: file });
    const api = clientFor(first.url, first.token);
    const zone = (await api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } }))
      .body;
    const record = (
      await api('POST', `/api/v1/dns-zones/${zone.uuid}/records/`, {
        json: { record_type: 'MX', name: '@', value: 'mail.example.com', priority: 10 },
      })
    ).body;
    const before = (await api('GET', `/api/v1/dns-zones/${zone.uuid}/`)).body;
    await first.close();

    const second = await startSandbox({ stateFile: file });
    expect(second.token).toBe(first.token);
    const again = clientFor(second.url, first.token);
    expect((await again('GET', `/api/v1/dns-zones/${zone.uuid}/`)).body).toEqual(before);
    expect((await again('GET', `/api/v1/dns-records/${record.uuid}/`)).body).toEqual(record);
    // Still writable, and still persisted.
    await again('DELETE', `/api/v1/dns-records/${record.uuid}/`);
    await second.close();
    const third = await startSandbox({ stateFile: file });
    expect(third.zone('example.com')?.records).toEqual([]);
    await third.close();
  });

  it('writes the file at start, so a generated token survives a restart without writes', async () => {
    const file = stateFile();
    const first = await startSandbox({ stateFile: file });
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.tokens).toEqual([
      { token: first.token, permissions: [...PERMISSIONS], owner: 'default' },
    ]);
    await first.close();
    const second = await startSandbox({ stateFile: file });
    expect(second.token).toBe(first.token);
    await second.close();
  });

  it('has every acknowledged write on disk before the answer is sent', async () => {
    const file = stateFile();
    const sandbox = await startSandbox({ stateFile: file });
    const api = clientFor(sandbox.url, sandbox.token);
    const zone = (await api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } }))
      .body;
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        api('POST', `/api/v1/dns-zones/${zone.uuid}/records/`, {
          json: { record_type: 'A', name: `h${i}`, value: '192.0.2.1' },
        }),
      ),
    );
    // Read the file while the sandbox still runs: no close() has flushed anything.
    const saved = JSON.parse(await readFile(file, 'utf8'));
    const onDisk = new Set(saved.zones[0].records.map((r: { uuid: string }) => r.uuid));
    for (const reply of replies) expect(onDisk.has(reply.body.uuid)).toBe(true);
    await sandbox.close();
  });

  it('adds given tokens to those of the state file', async () => {
    const file = stateFile();
    const first = await startSandbox({ stateFile: file });
    await first.close();
    const extra = {
      token: 'vps_extra_reader',
      permissions: ['dns:list' as const],
      owner: 'default',
    };
    const second = await startSandbox({ stateFile: file, tokens: [extra] });
    expect(second.tokens.map((t) => t.token).sort()).toEqual([first.token, extra.token].sort());
    const listed = await call(second.url, 'GET', '/api/v1/dns-zones/', { token: extra.token });
    expect(listed.status).toBe(200);
    const created = await call(second.url, 'POST', '/api/v1/dns-zones/', {
      token: extra.token,
      json: { domain: 'x.example' },
    });
    expect(created.status).toBe(403);
    await second.close();
  });

  it('refuses a corrupt state file, naming it', async () => {
    const file = stateFile();
    writeFileSync(file, '{"version": 1, "tokens": [');
    await expect(startSandbox({ stateFile: file })).rejects.toThrow(file);
    writeFileSync(file, '{"version": 2}');
    await expect(startSandbox({ stateFile: file })).rejects.toThrow(/not a sandbox state file/);
  });
});

describe('writeFileAtomic', () => {
  it('never lets a reader see a partial file', async () => {
    const file = stateFile();
    const versions = ['a', 'b', 'c'].map((letter) =>
      JSON.stringify({ fill: letter.repeat(400_000) }),
    );
    await writeFileAtomic(file, versions[0]!);
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 30; i++) await writeFileAtomic(file, versions[i % versions.length]!);
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const text = await readFile(file, 'utf8');
      expect(versions).toContain(text);
      reads++;
    }
    await writer;
    expect(reads).toBeGreaterThan(0);
    // No temp files left behind.
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('a sandbox killed while writing', () => {
  it.skipIf(!CLI_BUILT)('leaves a valid state file holding every acknowledged write', async () => {
    for (const killAfterMs of [150, 400, 700]) {
      const file = stateFile();
      const sandbox = await spawnSandbox(['--port', '0', '--state', file]);
      const api = clientFor(sandbox.url, sandbox.token);
      const zone = (await api('POST', '/api/v1/dns-zones/', { json: { domain: 'example.com' } }))
        .body;
      const acknowledged: string[] = [];
      let running = true;
      const writers = Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; running; i++) {
          try {
            const reply = await api('POST', `/api/v1/dns-zones/${zone.uuid}/records/`, {
              json: { record_type: 'TXT', name: `w${w}-${i}`, value: 'x'.repeat(2000) },
            });
            if (reply.status === 201) acknowledged.push(reply.body.uuid);
          } catch {
            return; // the sandbox is gone
          }
        }
      });
      await new Promise((r) => setTimeout(r, killAfterMs));
      sandbox.child.kill('SIGKILL');
      await sandbox.exited;
      running = false;
      await Promise.all(writers);

      const saved = JSON.parse(readFileSync(file, 'utf8'));
      const onDisk = new Set(saved.zones[0].records.map((r: { uuid: string }) => r.uuid));
      expect(acknowledged.length).toBeGreaterThan(0);
      for (const uuid of acknowledged) expect(onDisk.has(uuid)).toBe(true);

      // And it starts again from that file, with the same token.
      const restarted = await startSandbox({ stateFile: file });
      expect(restarted.token).toBe(sandbox.token);
      expect(restarted.zone('example.com')?.record_count).toBe(onDisk.size);
      await restarted.close();
    }
  });
});
