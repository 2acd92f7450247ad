/**
 * End-to-end cases found in review: records the API holds in a form dnssync cannot
 * parse, names that end in the zone's own domain, and failures that running apply again
 * cannot fix. The built CLI against an in-process sandbox.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import {
  type CliTarget,
  emptySandbox,
  line,
  liveLines,
  runCli,
  seedZone,
  tempZones,
  writeZone,
} from './apply-helpers.js';
import { CLI_BUILT, call } from './sandbox-helpers.js';

let sandbox: Sandbox;
let temp: Awaited<ReturnType<typeof tempZones>>;
let target: CliTarget;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  temp = await tempZones('dnssync-apply-review-');
  target = { sandbox, zonesDir: temp.zonesDir, cwd: temp.dir };
});
afterEach(async () => {
  await emptySandbox(sandbox);
  await temp.cleanup();
});

const dnssync = (args: string[]) => runCli(target, args);

describe.skipIf(!CLI_BUILT)('apply: review findings', () => {
  it('deletes a live record of a managed type whose value dnssync cannot parse', async () => {
    // The API accepts a single-label CNAME target; a zone file may not hold one.
    await seedZone(sandbox, 'odd.example', [
      ['@', 'A', '192.0.2.1'],
      ['old', 'CNAME', 'localhost', 300],
    ]);
    await writeZone(
      temp.zonesDir,
      'odd.example',
      'records:\n  - { name: "@", type: A, value: 192.0.2.1 }\n',
    );

    const plan = await dnssync(['plan', '--format', 'json']);
    expect(plan.code).toBe(0);
    const changes = JSON.parse(plan.stdout).zones[0].changes;
    expect(changes).toMatchObject([
      { action: 'delete', name: 'old', type: 'CNAME', value: 'localhost' },
    ]);

    const applied = await dnssync(['apply', '--yes']);
    expect(applied.code).toBe(0);
    expect(liveLines(sandbox, 'odd.example')).toEqual([line('@', 'A', '192.0.2.1')]);
  });

  it('a name ending in the zone domain is created where the file says, and converges', async () => {
    await writeZone(
      temp.zonesDir,
      'ex9.com',
      'records:\n  - { name: "ex9.com.ex9.com", type: A, value: 192.0.2.9 }\n',
    );
    const applied = await dnssync(['apply', '--yes']);
    expect(applied.stdout).toContain('Verified');
    expect(applied.code).toBe(0);
    expect(liveLines(sandbox, 'ex9.com')).toEqual([line('ex9.com', 'A', '192.0.2.9')]);
    const again = await dnssync(['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
  });

  it('says when a failure needs a fix rather than another run', async () => {
    // A token without dns:delete: the API refuses the delete (403), and running apply
    // again cannot help until the token changes.
    const token = 'vps_review_cannot_delete';
    const restricted = await startSandbox({
      port: 0,
      tokens: [
        { token, permissions: ['dns:list', 'dns:read', 'dns:create', 'dns:update'], owner: 'me' },
      ],
    });
    try {
      const zone = await call(restricted.url, 'POST', '/api/v1/dns-zones/', {
        token,
        json: { domain: 'refuse.example' },
      });
      await call(restricted.url, 'POST', `/api/v1/dns-zones/${zone.body.uuid}/records/`, {
        token,
        json: { record_type: 'TXT', name: 'gone', value: 'bye' },
      });
      await writeZone(temp.zonesDir, 'refuse.example', 'records: []\n');
      const run = await runCli(
        { sandbox: { url: restricted.url, token }, zonesDir: temp.zonesDir, cwd: temp.dir },
        ['apply', '--yes'],
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('1 change was refused by the API');
      expect(run.stdout).not.toContain('Run dnssync apply again to finish');
    } finally {
      await restricted.close();
    }
  });
});
