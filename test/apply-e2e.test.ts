/**
 * End-to-end: the built CLI (`node dist/cli.js apply`) against an in-process sandbox on a
 * random loopback port. Each test checks what the sandbox holds
 * afterwards, record by record, and that the next plan is empty. Build first:
 * `npx tsc -p .`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../src/plan/types.js';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import {
  type CliTarget,
  emptySandbox,
  line,
  liveLines,
  runCli,
  seedZone,
  spawnCli,
  tempZones,
  writeCount,
  writeZone,
} from './apply-helpers.js';
import { CLI, CLI_BUILT, call } from './sandbox-helpers.js';

/** util-linux `script` gives the CLI a pseudo-terminal, so the prompt can be answered. */
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((path) => existsSync(path));

/** Runs `dnssync apply` on a pseudo-terminal and types `answer` at the prompt. */
function applyOnTerminal(answer: string): Promise<{ code: number | null; output: string }> {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, CLI, 'apply', '--zones', target.zonesDir].map(quote).join(' ');
  const child = spawn(SCRIPT!, ['-qec', command, '/dev/null'], {
    env: { ...process.env, VPS_API_URL: sandbox.url, VPS_API_TOKEN: sandbox.token, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let answered = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (!answered && output.includes('Apply these changes? (y/N)')) {
      answered = true;
      child.stdin.write(answer);
    }
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

const FULL = ['dns:list', 'dns:read', 'dns:create', 'dns:update', 'dns:delete'] as const;
const NO_DELETE_TOKEN = 'vps_apply_e2e_cannot_delete';
const OTHER_OWNER_TOKEN = 'vps_apply_e2e_someone_else';

let sandbox: Sandbox;
let temp: Awaited<ReturnType<typeof tempZones>>;
let target: CliTarget;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    tokens: [
      { token: 'vps_apply_e2e_full_access', permissions: [...FULL], owner: 'me' },
      { token: NO_DELETE_TOKEN, permissions: FULL.filter((p) => p !== 'dns:delete'), owner: 'me' },
      { token: OTHER_OWNER_TOKEN, permissions: [...FULL], owner: 'someone-else' },
    ],
  });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  temp = await tempZones('dnssync-apply-e2e-');
  target = { sandbox, zonesDir: temp.zonesDir, cwd: temp.dir };
});
afterEach(async () => {
  await emptySandbox(sandbox);
  await temp.cleanup();
});

const dnssync = (args: string[], input?: string) => runCli(target, args, input);

/** `plan --detailed-exitcode` exits 0: live DNS matches the zone files. */
async function expectConverged(): Promise<void> {
  const again = await dnssync(['plan', '--detailed-exitcode']);
  expect(again.stdout).toContain('No changes.');
  expect(again.code).toBe(0);
}

/** Progress lines (`ok     zone  ...`) in the order they were printed. */
function progressLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((text) => /^(ok|FAILED|skipped) /.test(text))
    .map((text) => text.replace(/ +/g, ' '));
}

describe.skipIf(!CLI_BUILT)('dnssync apply (built CLI against the sandbox)', () => {
  it('carries out every kind of change, creates a missing zone, and converges', async () => {
    await seedZone(sandbox, 'example.com', [
      ['@', 'A', '192.0.2.1'],
      ['www', 'A', '192.0.2.2'],
      ['@', 'MX', 'mail.example.com', 3600, 10],
      ['api', 'A', '192.0.2.5'],
      ['old', 'TXT', 'bye'],
      ['dup', 'A', '192.0.2.7'],
      ['dup', 'A', '192.0.2.7'],
      ['DUP.example.com.', 'A', '192.0.2.7'],
    ]);
    const apiUuid = sandbox.zone('example.com')!.records.find((r) => r.name === 'api')!.uuid;
    await writeZone(
      temp.zonesDir,
      'example.com',
      `records:
  - { name: "@", type: A, value: 192.0.2.1 }
  - { name: www, type: A, value: 192.0.2.2, ttl: 300 }
  - { name: "@", type: MX, value: mail.example.com, priority: 20 }
  - { name: api, type: A, value: 192.0.2.6 }
  - { name: dup, type: A, value: 192.0.2.7 }
  - { name: new, type: AAAA, value: "2001:DB8:0::1" }
`,
    );
    await writeZone(
      temp.zonesDir,
      'fresh.example',
      'records:\n  - { name: "@", type: A, value: 198.51.100.1 }\n',
    );
    sandbox.resetStats();

    const run = await dnssync(['apply', '--yes']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Plan: 3 to create (1 new zone, 2 records), 3 to update, 3 to delete in 2 zones',
    );
    expect(run.stdout).toMatch(/Apply complete: 9 changes applied in \d+\.\ds\./);
    expect(run.stdout).toContain('✓ Verified: 2 zones now match their zone files.');
    expect(progressLines(run.stdout).sort()).toEqual(
      [
        'ok example.com + new AAAA 2001:db8::1',
        'ok example.com - dup A 192.0.2.7',
        'ok example.com - dup A 192.0.2.7',
        'ok example.com - old TXT "bye"',
        'ok example.com ~ @ MX 20 mail.example.com (priority 10 → 20)',
        'ok example.com ~ api A 192.0.2.5 → 192.0.2.6',
        'ok example.com ~ www A 192.0.2.2 (ttl 3600 → 300)',
        'ok fresh.example + @ A 198.51.100.1',
        'ok fresh.example create zone fresh.example',
      ].sort(),
    );

    expect(liveLines(sandbox, 'example.com')).toEqual(
      [
        line('@', 'A', '192.0.2.1'),
        line('www', 'A', '192.0.2.2', 300),
        line('@', 'MX', 'mail.example.com', 3600, 20),
        line('api', 'A', '192.0.2.6'),
        line('dup', 'A', '192.0.2.7'),
        line('new', 'AAAA', '2001:db8::1'),
      ].sort(),
    );
    expect(liveLines(sandbox, 'fresh.example')).toEqual([line('@', 'A', '198.51.100.1')]);
    // The paired change was one PATCH of the same record, not a delete and a create.
    const api = sandbox.zone('example.com')!.records.find((r) => r.name === 'api')!;
    expect(api.uuid).toBe(apiUuid);
    const writes = sandbox.stats.byMethod;
    expect(writes).toMatchObject({ POST: 3, PATCH: 3, DELETE: 3 });
    expect(writes.PUT).toBeUndefined();

    await expectConverged();
  });

  it('changes the type at one name (A → CNAME → A, CNAME → MX and back), in a safe order', async () => {
    const other = '{ name: other, type: TXT, value: "stays" }';
    const states: { yaml: string; want: string[]; cleared?: RegExp; replaced?: RegExp }[] = [
      {
        yaml: `  - { name: host, type: A, value: 192.0.2.1 }\n  - ${other}`,
        want: [line('host', 'A', '192.0.2.1')],
      },
      {
        yaml: `  - { name: host, type: CNAME, value: target.example.net }\n  - ${other}`,
        want: [line('host', 'CNAME', 'target.example.net')],
        cleared: /- host A 192\.0\.2\.1/,
        replaced: /\+ host CNAME target\.example\.net/,
      },
      {
        yaml: `  - { name: host, type: A, values: [192.0.2.1, 192.0.2.2] }\n  - ${other}`,
        want: [line('host', 'A', '192.0.2.1'), line('host', 'A', '192.0.2.2')],
        cleared: /- host CNAME target\.example\.net/,
        replaced: /\+ host A 192\.0\.2\.[12]/,
      },
      {
        yaml: `  - { name: host, type: CNAME, value: target.example.net }\n  - ${other}`,
        want: [line('host', 'CNAME', 'target.example.net')],
        cleared: /- host A 192\.0\.2\.[12]/,
        replaced: /\+ host CNAME/,
      },
      {
        yaml: `  - { name: host, type: MX, value: mail.example.net, priority: 10 }\n  - ${other}`,
        want: [line('host', 'MX', 'mail.example.net', 3600, 10)],
        cleared: /- host CNAME/,
        replaced: /\+ host MX 10 mail\.example\.net/,
      },
      {
        yaml: `  - { name: host, type: CNAME, value: target.example.net }\n  - ${other}`,
        want: [line('host', 'CNAME', 'target.example.net')],
        cleared: /- host MX/,
        replaced: /\+ host CNAME/,
      },
      {
        yaml: `  - { name: host, type: A, value: 192.0.2.3 }\n  - ${other}`,
        want: [line('host', 'A', '192.0.2.3')],
        cleared: /- host CNAME/,
        replaced: /\+ host A 192\.0\.2\.3/,
      },
    ];
    for (const [index, state] of states.entries()) {
      await writeZone(temp.zonesDir, 'types.example', `records:\n${state.yaml}\n`);
      const run = await dnssync(['apply', '--yes']);
      const step = `step ${index + 1}:\n${run.stdout}${run.stderr}`;
      expect(run.code, step).toBe(0);
      expect(liveLines(sandbox, 'types.example'), step).toEqual(
        [...state.want, line('other', 'TXT', 'stays')].sort(),
      );
      if (state.cleared && state.replaced) {
        // One line per finished change, printed as it finished: the clearing delete is
        // done before the record that replaces it is even sent.
        const lines = progressLines(run.stdout);
        const cleared = lines.findIndex((text) => state.cleared!.test(text));
        const replaced = lines.findIndex((text) => state.replaced!.test(text));
        expect(cleared, step).toBeGreaterThanOrEqual(0);
        expect(replaced, step).toBeGreaterThan(cleared);
      }
      await expectConverged();
    }
  });

  it('a failed change skips what depends on it, not what is independent; a second run finishes', async () => {
    await seedZone(sandbox, 'example.com', [
      ['host', 'A', '192.0.2.1'],
      ['www', 'A', '192.0.2.2'],
    ]);
    await writeZone(
      temp.zonesDir,
      'example.com',
      `records:
  - { name: host, type: CNAME, value: target.example.net }
  - { name: www, type: A, value: 192.0.2.2, ttl: 60 }
  - { name: extra, type: TXT, value: "independent" }
`,
    );
    // This token may not delete: the delete making room for the CNAME fails (403).
    const limited = await runCli({ ...target, env: { VPS_API_TOKEN: NO_DELETE_TOKEN } }, [
      'apply',
      '--yes',
    ]);
    expect(limited.code).toBe(1);
    expect(limited.stdout).toMatch(/^FAILED +example\.com {2}- host A 192\.0\.2\.1: .*dns:delete/m);
    // The skipped change is not a progress line of its own: the summary names it under
    // the cause it shares with the failure.
    expect(limited.stdout).not.toMatch(/^skipped /m);
    expect(limited.stdout).toMatch(/Apply stopped: 2 of 4 changes applied, 1 failed, 1 skipped \(/);
    expect(limited.stdout).toContain(
      [
        '  403 dns:delete missing: 2 changes not made in example.com (1 failed, 1 skipped)',
        '    example.com  - host A 192.0.2.1: the API token lacks dns:delete',
      ].join('\n'),
    );
    expect(limited.stdout).toContain(
      '    example.com  + host CNAME target.example.net: depends on delete host A 192.0.2.1, which failed\n',
    );
    // A 403 is not cured by running again: the summary says what to fix instead.
    expect(limited.stdout).toContain(
      "1 change was refused by the API (see above): fix the zone files or the token's permissions",
    );
    expect(limited.stdout).not.toContain('Run dnssync apply again to finish');
    // A run stopped on a 403 is not verified: the summary says what was not made.
    expect(limited.stdout).toContain(
      'Stopped early: the API refused the token (403 dns:delete missing)',
    );
    expect(limited.stdout).not.toContain('Verif');
    expect(liveLines(sandbox, 'example.com')).toEqual(
      [
        line('host', 'A', '192.0.2.1'),
        line('www', 'A', '192.0.2.2', 60),
        line('extra', 'TXT', 'independent'),
      ].sort(),
    );

    const again = await dnssync(['apply', '--yes']);
    expect(again.code).toBe(0);
    expect(liveLines(sandbox, 'example.com')).toEqual(
      [
        line('host', 'CNAME', 'target.example.net'),
        line('www', 'A', '192.0.2.2', 60),
        line('extra', 'TXT', 'independent'),
      ].sort(),
    );
    await expectConverged();
  });

  it('a zone that cannot be created skips its records; other zones go ahead', async () => {
    // Another customer hosts the domain already: creating it answers 400.
    const taken = await call(sandbox.url, 'POST', '/api/v1/dns-zones/', {
      token: OTHER_OWNER_TOKEN,
      json: { domain: 'taken.example' },
    });
    expect(taken.status).toBe(201);
    try {
      await writeZone(
        temp.zonesDir,
        'taken.example',
        'records:\n  - { name: "@", type: A, value: 192.0.2.1 }\n  - { name: www, type: A, value: 192.0.2.2 }\n',
      );
      await writeZone(
        temp.zonesDir,
        'fine.example',
        'records:\n  - { name: "@", type: A, value: 192.0.2.3 }\n',
      );
      const run = await dnssync(['apply', '--yes']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^FAILED +taken\.example {2}create zone taken\.example: .*DNS zone for taken\.example already exists/m,
      );
      expect(run.stdout).toMatch(
        /^ {4}taken\.example {2}\+ www A 192\.0\.2\.2: the zone taken\.example could not be created$/m,
      );
      expect(run.stdout).toMatch(
        /Apply incomplete: 2 of 5 changes applied, 1 failed, 2 skipped \(/,
      );
      expect(liveLines(sandbox, 'fine.example')).toEqual([line('@', 'A', '192.0.2.3')]);
      expect(sandbox.zone('taken.example')?.owner).toBe('someone-else');
      expect(sandbox.zone('taken.example')?.records).toEqual([]);
    } finally {
      await call(sandbox.url, 'DELETE', `/api/v1/dns-zones/${taken.body.uuid}/`, {
        token: OTHER_OWNER_TOKEN,
      });
    }
  });

  it('sends nothing when a zone file is invalid, and refuses a file that is not a plan', async () => {
    await writeZone(
      temp.zonesDir,
      'example.com',
      'records:\n  - { name: www, type: A, value: 192.0.2.300 }\n',
    );
    const run = await dnssync(['apply', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/example\.com\.yaml:2:\d+: error: /);
    expect(run.stdout).toContain('Nothing was sent to the API');
    expect(sandbox.stats.requests).toBe(0);

    const notAPlan = join(temp.dir, 'notes.json');
    await writeFile(notAPlan, '{"zones": []}');
    const refused = await dnssync(['apply', notAPlan]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${notAPlan} is not a dnssync plan`);
    expect(sandbox.stats.requests).toBe(0);
  });

  it('applies a saved plan exactly, without asking', async () => {
    await seedZone(sandbox, 'example.com', [['@', 'A', '192.0.2.1']]);
    await writeZone(
      temp.zonesDir,
      'example.com',
      'records:\n  - { name: "@", type: A, value: 192.0.2.1, ttl: 600 }\n  - { name: www, type: CNAME, value: example.com }\n',
    );
    const planFile = join(temp.dir, 'p.json');
    const planned = await dnssync(['plan', '--out', planFile]);
    expect(planned.code).toBe(0);
    const saved = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
    expect(saved.summary).toMatchObject({ create: 1, update: 1, delete: 0 });

    // stdin is not a terminal and there is no --yes: a reviewed plan needs neither.
    const run = await dnssync(['apply', planFile]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('Apply these changes?');
    expect(run.stdout).not.toContain('Refusing');
    expect(run.stdout).toMatch(/Apply complete: 2 changes applied/);
    expect(liveLines(sandbox, 'example.com')).toEqual(
      [line('@', 'A', '192.0.2.1', 600), line('www', 'CNAME', 'example.com')].sort(),
    );
    await expectConverged();
  });

  it('refuses a saved plan when the live zone changed behind its back; nothing is written', async () => {
    const uuid = await seedZone(sandbox, 'example.com', [['@', 'A', '192.0.2.1']]);
    await seedZone(sandbox, 'other.example', [['@', 'A', '192.0.2.9']]);
    await writeZone(
      temp.zonesDir,
      'example.com',
      'records:\n  - { name: www, type: A, value: 192.0.2.2 }\n',
    );
    await writeZone(
      temp.zonesDir,
      'other.example',
      'records:\n  - { name: "@", type: A, value: 192.0.2.10 }\n',
    );
    const planFile = join(temp.dir, 'p.json');
    expect((await dnssync(['plan', '--out', planFile])).code).toBe(0);

    // Someone else adds a record to one zone after the plan was reviewed.
    const added = await call(sandbox.url, 'POST', `/api/v1/dns-zones/${uuid}/records/`, {
      token: sandbox.token,
      json: { record_type: 'TXT', name: 'late', value: 'added by hand', ttl: 3600 },
    });
    expect(added.status).toBe(201);
    const before = { writes: writeCount(sandbox), example: liveLines(sandbox, 'example.com') };

    const run = await dnssync(['apply', planFile]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`Refusing to apply ${planFile}: the plan is stale.`);
    expect(run.stdout).toContain('example.com: the live zone changed since the plan was made');
    expect(run.stdout).not.toContain('other.example:');
    expect(run.stdout).toContain('Nothing was changed.');
    expect(writeCount(sandbox)).toBe(before.writes);
    expect(liveLines(sandbox, 'example.com')).toEqual(before.example);
    expect(liveLines(sandbox, 'other.example')).toEqual([line('@', 'A', '192.0.2.9')]);
  });

  it('refuses a saved plan when a zone file changed since; nothing is written', async () => {
    await writeZone(
      temp.zonesDir,
      'example.com',
      'records:\n  - { name: www, type: A, value: 192.0.2.2 }\n',
    );
    const planFile = join(temp.dir, 'p.json');
    expect((await dnssync(['plan', '--out', planFile])).code).toBe(0);
    await writeZone(
      temp.zonesDir,
      'example.com',
      'records:\n  - { name: www, type: A, value: 192.0.2.3 }\n',
    );
    const writes = writeCount(sandbox);

    const run = await dnssync(['apply', planFile]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /example\.com: .*example\.com\.yaml changed since the plan was made/,
    );
    expect(writeCount(sandbox)).toBe(writes);
    expect(sandbox.zone('example.com')).toBeUndefined();

    // The file put back as it was: the plan holds again and applies.
    await writeZone(
      temp.zonesDir,
      'example.com',
      'records:\n  - { name: www, type: A, value: 192.0.2.2 }\n',
    );
    const run2 = await dnssync(['apply', planFile]);
    expect(run2.code).toBe(0);
    expect(liveLines(sandbox, 'example.com')).toEqual([line('www', 'A', '192.0.2.2')]);
  });

  it('refuses an unsafe plan, naming the zone and the percentages, then applies it with --force', async () => {
    const live = Array.from(
      { length: 10 },
      (_, i) => [`h${i}`, 'A', `192.0.2.${i + 1}`] as [string, string, string],
    );
    await seedZone(sandbox, 'big.example', live);
    await seedZone(sandbox, 'small.example', [['@', 'A', '192.0.2.1']]);
    // Keep 6 of 10 in big.example: 4 deletes = 40% > 30%.
    await writeZone(
      temp.zonesDir,
      'big.example',
      `records:\n${live
        .slice(0, 6)
        .map(([name, , value]) => `  - { name: ${name}, type: A, value: ${value} }\n`)
        .join('')}`,
    );
    await writeZone(temp.zonesDir, 'small.example', 'records: []\n');
    const writes = writeCount(sandbox);

    const refused = await dnssync(['apply', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Refusing to apply an unsafe plan:');
    expect(refused.stdout).toContain(
      '  big.example: would delete 4 of 10 managed records (40% > 30%)',
    );
    expect(refused.stdout).not.toMatch(/^ {2}small\.example:/m);
    expect(refused.stdout).toContain('--force');
    expect(writeCount(sandbox)).toBe(writes);
    expect(liveLines(sandbox, 'big.example')).toHaveLength(10);

    // A saved unsafe plan is refused the same way.
    const planFile = join(temp.dir, 'p.json');
    expect((await dnssync(['plan', '--out', planFile])).code).toBe(0);
    const savedRefused = await dnssync(['apply', planFile]);
    expect(savedRefused.code).toBe(1);
    expect(savedRefused.stdout).toContain(
      'big.example: would delete 4 of 10 managed records (40% > 30%)',
    );
    expect(writeCount(sandbox)).toBe(writes);

    const forced = await dnssync(['apply', '--yes', '--force']);
    expect(forced.code).toBe(0);
    expect(liveLines(sandbox, 'big.example')).toEqual(
      live
        .slice(0, 6)
        .map(([name, type, value]) => line(name, type, value))
        .sort(),
    );
    expect(liveLines(sandbox, 'small.example')).toEqual([]);
    await expectConverged();
  });

  it('refuses without a terminal and without --yes; nothing is written', async () => {
    await writeZone(
      temp.zonesDir,
      'example.com',
      'records:\n  - { name: www, type: A, value: 192.0.2.2 }\n',
    );
    const run = await dnssync(['apply'], 'y\n');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('+ www');
    expect(run.stdout).toContain('Refusing to apply: stdin is not a terminal');
    expect(run.stdout).toContain('--yes');
    expect(writeCount(sandbox)).toBe(0);
    expect(sandbox.zone('example.com')).toBeUndefined();
  });

  it.skipIf(!SCRIPT)(
    'asks on a terminal: "n" changes nothing, "y" applies with a live progress line',
    async () => {
      await writeZone(
        temp.zonesDir,
        'example.com',
        'records:\n  - { name: www, type: A, value: 192.0.2.2 }\n',
      );
      const declined = await applyOnTerminal('n\n');
      expect(declined.output).toContain('+ www');
      expect(declined.output).toContain('Apply cancelled; nothing was changed.');
      expect(declined.code).toBe(1);
      expect(writeCount(sandbox)).toBe(0);

      const accepted = await applyOnTerminal('y\n');
      expect(accepted.code).toBe(0);
      expect(accepted.output).toMatch(/Applied 2\/2 · \d+\.\ds/);
      expect(accepted.output).toMatch(/Apply complete: 2 changes applied/);
      expect(liveLines(sandbox, 'example.com')).toEqual([line('www', 'A', '192.0.2.2')]);
    },
  );

  it('says so and exits 0 without asking when nothing changes', async () => {
    await seedZone(sandbox, 'example.com', [['www', 'A', '192.0.2.2']]);
    await writeZone(
      temp.zonesDir,
      'example.com',
      'records:\n  - { name: WWW.Example.COM., type: A, value: 192.0.2.2 }\n',
    );
    sandbox.resetStats();
    const run = await dnssync(['apply']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('No changes. Live DNS matches the zone files (1 zone checked).\n');
    expect(writeCount(sandbox)).toBe(0);
  });

  it('--quiet prints only the summary', async () => {
    await writeZone(
      temp.zonesDir,
      'example.com',
      'records:\n  - { name: www, type: A, value: 192.0.2.2 }\n  - { name: mail, type: A, value: 192.0.2.3 }\n',
    );
    const run = await dnssync(['apply', '--yes', '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('192.0.2.2');
    expect(run.stdout).not.toContain('Plan:');
    expect(run.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^Apply complete: 3 changes applied in \d+\.\ds\.$/),
      '✓ Verified: 1 zone now matches its zone file.',
    ]);
  });

  it('verification reports what someone changed during the apply; --no-verify skips it', async () => {
    const records = Array.from(
      { length: 12 },
      (_, i) => `  - { name: h${i}, type: A, value: 192.0.2.${i + 1} }\n`,
    );
    await writeZone(temp.zonesDir, 'example.com', `records:\n${records.join('')}`);
    await seedZone(sandbox, 'example.com', []);

    /** Applies one request at a time, slowly, and writes a stray record once it has started. */
    const applyWithInterference = async (args: string[], stray: string) => {
      sandbox.setFaults({ latencyMs: 60 });
      try {
        sandbox.resetStats();
        const running = spawnCli(target, ['apply', '--yes', '--concurrency', '1', ...args]);
        running.child.stdin?.end();
        while ((sandbox.stats.byMethod.POST ?? 0) < 1) await new Promise((r) => setTimeout(r, 5));
        await seedZone(sandbox, 'example.com', [[stray, 'TXT', 'written mid-apply']]);
        return await running.done;
      } finally {
        sandbox.setFaults({ latencyMs: 0 });
      }
    };

    const verified = await applyWithInterference([], 'stray1');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/Apply complete: 12 changes applied/);
    expect(verified.stdout).toContain(
      'Verification failed: live DNS still differs from the zone files:',
    );
    expect(verified.stdout).toMatch(/- stray1 +TXT +"written mid-apply"/);

    await writeZone(temp.zonesDir, 'example.com', `records:\n${records.slice(0, 6).join('')}`);
    await dnssync(['apply', '--yes', '--force']);
    await writeZone(temp.zonesDir, 'example.com', `records:\n${records.join('')}`);
    const unverified = await applyWithInterference(['--no-verify'], 'stray2');
    expect(unverified.code).toBe(0);
    expect(unverified.stdout).toMatch(/Apply complete: 6 changes applied/);
    expect(unverified.stdout).not.toContain('Verif');
    expect(liveLines(sandbox, 'example.com')).toContain(line('stray2', 'TXT', 'written mid-apply'));
  });

  it('writes the summary to $GITHUB_STEP_SUMMARY in GitHub Actions', async () => {
    await writeZone(
      temp.zonesDir,
      'example.com',
      'records:\n  - { name: www, type: A, value: 192.0.2.2 }\n',
    );
    const summaryFile = join(temp.dir, 'summary.md');
    await writeFile(summaryFile, '');
    const run = await runCli(
      { ...target, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile } },
      ['apply', '--yes'],
    );
    expect(run.code).toBe(0);
    const summary = await readFile(summaryFile, 'utf8');
    expect(summary).toContain('### dnssync apply');
    expect(summary).toMatch(/Apply complete: 2 changes applied/);
  });

  // Cases found in review: values no zone file can hold, names ending in the zone's
  // domain, and failures that another run cannot fix.
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
