/**
 * Apply on its worst day, through the built CLI against the in-process sandbox: a token
 * without a permission, an interrupted run, an API that stops answering, slow answers,
 * rate limits and retries, a reader that goes away, and counts that must agree between
 * plan, progress, summary, JSON and the sandbox's own count of writes. Where a terminal
 * matters, util-linux `script` gives the CLI a pseudo-terminal.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import {
  type CliTarget,
  emptySandbox,
  line,
  liveLines,
  runCli,
  type Seed,
  seedZone,
  spawnCli,
  tempZones,
  writeCount,
  writeZone,
} from './apply-helpers.js';
import { CLI, CLI_BUILT } from './sandbox-helpers.js';

const SCRIPT = ['/usr/bin/script', '/bin/script'].find((path) => existsSync(path));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FULL = ['dns:list', 'dns:read', 'dns:create', 'dns:update', 'dns:delete'] as const;
const NO_CREATE = 'vps_bad_day_cannot_create';
const pad = (n: number) => String(n).padStart(3, '0');

let sandbox: Sandbox;
let temp: Awaited<ReturnType<typeof tempZones>>;
let target: CliTarget;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    tokens: [
      { token: 'vps_bad_day_full_access', permissions: [...FULL], owner: 'me' },
      { token: NO_CREATE, permissions: FULL.filter((p) => p !== 'dns:create'), owner: 'me' },
    ],
  });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  temp = await tempZones('dnssync-bad-day-');
  target = { sandbox, zonesDir: temp.zonesDir, cwd: temp.dir };
});
afterEach(async () => {
  sandbox.setFaults({
    latencyMs: 0,
    rateLimit: null,
    rateBurst: null,
    failBefore: 0,
    failAfter: 0,
    dropConnections: 0,
  });
  await emptySandbox(sandbox);
  await temp.cleanup();
});

/** Zone files of `count` A records each: h000..h(count-1). */
async function hostZones(domains: string[], count: number, ttl = 3600): Promise<void> {
  const records = Array.from(
    { length: count },
    (_, i) => `  - { name: h${pad(i)}, type: A, value: 192.0.2.${(i % 250) + 1}, ttl: ${ttl} }\n`,
  );
  for (const domain of domains)
    await writeZone(temp.zonesDir, domain, `records:\n${records.join('')}`);
}

/** The lines apply printed after the plan's closing sentence (or all, when there is none). */
function report(output: string): string[] {
  const text = output.replace(/\r\n/g, '\n');
  const start = text.search(/^Plan: .*$/m);
  const after = start < 0 ? text : text.slice(text.indexOf('\n', start) + 1);
  return after.split('\n').filter((text) => text.trim() !== '');
}

/** Without colours, and each live-line redraw (`\r\x1b[2K...`) on a line of its own. */
function plain(output: string): string {
  return output.replace(/\x1b\[[0-9;]*m/g, '');
}
function redraws(output: string): string[] {
  return plain(output)
    .split(/\r\x1b\[2K|\r?\n/)
    .filter((text) => text.trim() !== '');
}

interface TerminalRun {
  code: number | null;
  output: string;
}

/**
 * `dnssync ARGS --zones DIR` on a pseudo-terminal. `onOutput` sees the output so far and
 * may type on the terminal (`\x03` is Ctrl-C).
 */
function onTerminal(
  args: string[],
  options: {
    env?: Record<string, string>;
    onOutput?: (output: string, type: (text: string) => void) => void;
  } = {},
): Promise<TerminalRun> {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const command = `exec ${[process.execPath, CLI, ...args, '--zones', target.zonesDir].map(quote).join(' ')}`;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      value !== undefined &&
      !['NO_COLOR', 'FORCE_COLOR', 'GITHUB_ACTIONS', 'DNSSYNC_DEBUG'].includes(key)
    ) {
      env[key] = value;
    }
  }
  Object.assign(env, { VPS_API_URL: sandbox.url, VPS_API_TOKEN: sandbox.token }, options.env);
  const child = spawn(SCRIPT!, ['-qfec', command, '/dev/null'], {
    env,
    cwd: temp.dir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const type = (text: string) => child.stdin.write(text);
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    options.onOutput?.(output, type);
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

describe.skipIf(!CLI_BUILT)('1. failures are reported by cause, in a few lines', () => {
  it('a token without dns:create, 3 new zones × 100 records: one cause, under 20 lines', async () => {
    await hostZones(['a.example', 'b.example', 'c.example'], 100);
    const noCreate = { ...target, env: { VPS_API_TOKEN: NO_CREATE } };

    const piped = await runCli(noCreate, ['apply', '--yes']);
    const output = `${piped.stdout}\n--- stderr:\n${piped.stderr}`;
    expect(piped.code, output).toBe(1);
    const lines = report(piped.stdout);
    expect(lines.length, output).toBeLessThan(20);
    expect(piped.stdout).toContain(
      '  403 dns:create missing: 303 changes not made in a.example, b.example, c.example (3 failed, 300 skipped)\n',
    );
    expect(piped.stdout).toMatch(
      /^Apply stopped: 0 of 303 changes applied, 3 failed, 300 skipped/m,
    );
    expect(piped.stdout).toContain('create a token with dns:create');
    expect(piped.stdout).not.toContain('could not be created');
    expect(writeCount(sandbox)).toBe(3);

    if (SCRIPT) {
      const tty = await onTerminal(['apply', '--yes'], { env: { VPS_API_TOKEN: NO_CREATE } });
      expect(tty.code, tty.output).toBe(1);
      expect(report(plain(tty.output)).length, tty.output).toBeLessThan(20);
    }

    // --verbose lists every change not made, under its cause.
    const verbose = await runCli(noCreate, ['apply', '--yes', '--verbose']);
    expect(verbose.stdout.match(/: the zone [abc]\.example could not be created$/gm)).toHaveLength(
      // Once as a progress line, once in the summary.
      600,
    );
  });

  it('a token without dns:create on existing zones: the first 403 stops the run; not started changes are counted', async () => {
    for (const domain of ['a.example', 'b.example', 'c.example'])
      await seedZone(sandbox, domain, []);
    await hostZones(['a.example', 'b.example', 'c.example'], 100);
    sandbox.resetStats();
    const run = await runCli({ ...target, env: { VPS_API_TOKEN: NO_CREATE } }, ['apply', '--yes']);
    const output = `${run.stdout}\n--- stderr:\n${run.stderr}`;
    expect(run.code, output).toBe(1);
    const summary =
      /^Apply stopped: 0 of 300 changes applied, (\d+) failed, (\d+) not started/m.exec(run.stdout);
    expect(summary, output).not.toBeNull();
    const [failed, notStarted] = summary!.slice(1).map(Number) as [number, number];
    expect(failed + notStarted).toBe(300);
    // Only the requests already on their way when the first 403 came back were sent.
    expect(sandbox.stats.byMethod.POST).toBe(failed);
    expect(failed).toBeLessThanOrEqual(2 * 8);
    expect(run.stdout).toContain(
      `  403 dns:create missing: 300 changes not made in a.example, b.example, c.example (${failed} failed, ${notStarted} not started)`,
    );
    expect(run.stdout).toContain(
      `Stopped early: the API refused the token (403 dns:create missing), and would refuse every request like it; no new request was started (${notStarted} changes not started).`,
    );
    expect(report(run.stdout).length, output).toBeLessThan(20);
  });

  it.skipIf(!SCRIPT)(
    'an interrupted 300-change apply on a terminal: under 25 lines; progress, summary and the sandbox agree',
    async () => {
      const live: Seed[] = Array.from({ length: 100 }, (_, i) => [
        `h${pad(i)}`,
        'A',
        `192.0.2.${i + 1}`,
      ]);
      await seedZone(sandbox, 'interrupt.example', live);
      // 100 TTL updates and 200 creates.
      await writeZone(
        temp.zonesDir,
        'interrupt.example',
        `records:\n${[
          ...live.map(
            ([name, , value]) => `  - { name: ${name}, type: A, value: ${value}, ttl: 120 }`,
          ),
          ...Array.from(
            { length: 200 },
            (_, i) => `  - { name: n${pad(i)}, type: TXT, value: "n ${i}" }`,
          ),
        ].join('\n')}\n`,
      );
      sandbox.resetStats();
      sandbox.setFaults({ latencyMs: 50 });
      let typed = false;
      const run = await onTerminal(['apply', '--yes', '--force', '--concurrency', '4'], {
        onOutput: (_output, type) => {
          if (!typed && writeCount(sandbox) >= 60) {
            typed = true;
            type('\x03');
          }
        },
      });
      expect(run.code, run.output).toBe(130);
      const lines = report(plain(run.output));
      expect(lines.length, plain(run.output)).toBeLessThan(25);
      expect(run.output).not.toContain('not started: apply was interrupted');

      const summary = /Apply interrupted: (\d+) of 300 changes applied, (\d+) not started/.exec(
        plain(run.output),
      );
      expect(summary, plain(run.output)).not.toBeNull();
      const [applied, notStarted] = summary!.slice(1).map(Number) as [number, number];
      expect(applied + notStarted).toBe(300);
      // The last state of the progress line says the same as the summary...
      const progress = redraws(run.output).filter((text) => /^Applied \d+\/300/.test(text));
      expect(progress.at(-1)).toMatch(
        new RegExp(`^Applied ${applied}/300 · ${notStarted} not started · \\d+\\.\\ds$`),
      );
      // ...and as the sandbox, which answered exactly that many writes.
      expect(writeCount(sandbox)).toBe(applied);
    },
  );

  it('an API that stops answering: 3 changes in a row without an answer stop the run', async () => {
    const live: Seed[] = Array.from({ length: 100 }, (_, i) => [
      `h${pad(i)}`,
      'A',
      `192.0.2.${i + 1}`,
    ]);
    await seedZone(sandbox, 'gone.example', live);
    await hostZones(['gone.example'], 100, 300);
    sandbox.resetStats();
    sandbox.setFaults({ latencyMs: 20 });
    const running = spawnCli(target, ['apply', '--yes', '--force', '--concurrency', '4']);
    running.child.stdin?.end();
    while (writeCount(sandbox) < 10 && running.child.exitCode === null) await sleep(5);
    // From now on every connection is closed without an answer.
    sandbox.setFaults({ dropConnections: 1 });
    const run = await running.done;
    const output = `${run.stdout}\n--- stderr:\n${run.stderr}`;
    expect(run.code, output).toBe(1);
    // Every change had been sent by then (a refused connection fails at once): those
    // retrying give up, and the summary counts them under the one cause.
    const summary =
      /^Apply stopped: (\d+) of 100 changes applied, (\d+) failed(?:, (\d+) not started)? \(/m.exec(
        run.stdout,
      );
    expect(summary, output).not.toBeNull();
    const [applied, failed, notStarted = 0] = summary!.slice(1).map((n) => Number(n ?? 0));
    expect(applied! + failed! + notStarted).toBe(100);
    expect(failed).toBeGreaterThanOrEqual(3);
    expect(run.stdout).toMatch(
      /^ {2}cannot reach VPS\.org API at http:\/\/127\.0\.0\.1:\d+: .*: \d+ changes not made in gone\.example/m,
    );
    expect(run.stdout).toContain(
      'Stopped early: 3 changes in a row got no answer from the API, even after retries: it is unreachable; no new request was started',
    );
    expect(run.stdout).toContain('Run dnssync apply again to finish');
    expect(run.stderr).toBe('');
    // The changes applied before are a line each; what went wrong takes a few.
    const failures = report(run.stdout).filter((text) => !text.startsWith('ok '));
    expect(failures.length, output).toBeLessThan(20);
  });
});

describe.skipIf(!CLI_BUILT || !SCRIPT)('5. progress that breathes (on a terminal)', () => {
  it('a spinner while reading zones, a clock that ticks while requests wait, the time left', async () => {
    await seedZone(sandbox, 'slow.example', []);
    await hostZones(['slow.example'], 8);
    sandbox.setFaults({ latencyMs: 400 });
    const run = await onTerminal(['apply', '--yes', '--concurrency', '1']);
    expect(run.code, run.output).toBe(0);
    const shown = redraws(run.output);
    const reading = shown.filter((text) => /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Reading live zones · /.test(text));
    expect(reading.length, plain(run.output)).toBeGreaterThanOrEqual(3);
    // Before the plan: the spinner is cleared before the plan is printed.
    expect(plain(run.output).indexOf('Reading live zones')).toBeGreaterThanOrEqual(0);
    expect(plain(run.output).indexOf('Reading live zones')).toBeLessThan(
      plain(run.output).indexOf('8 to create'),
    );
    // While the first change waits for its answer, the time moves.
    const waiting = shown.filter((text) => / Applying 0\/8 · \d+\.\ds$/.test(text));
    expect(new Set(waiting.map((text) => text.slice(2))).size).toBeGreaterThanOrEqual(3);
    expect(
      shown.some((text) => / Applying [5-7]\/8 · \d+\.\ds · about \d+\.\ds left$/.test(text)),
    ).toBe(true);
    expect(shown).toContainEqual(expect.stringMatching(/^Applied 8\/8 · \d+\.\ds$/));
  });

  it('rate-limit waits and retries are on the status line', async () => {
    await seedZone(sandbox, 'busy.example', []);
    await hostZones(['busy.example'], 30);
    sandbox.setFaults({ rateLimit: 5, rateBurst: 1, failBefore: 0.3, seed: 7 });
    const run = await onTerminal(['apply', '--yes', '--concurrency', '4']);
    // A create may run out of its five attempts: this is about what is shown meanwhile.
    expect([0, 1], run.output).toContain(run.code);
    const shown = redraws(run.output);
    expect(shown).toContainEqual(
      expect.stringMatching(/ · rate limited, waiting \d+\.\ds · \d+ retr/),
    );
    expect(shown).toContainEqual(expect.stringMatching(/ · retrying after 502 · \d+ retr/));
    expect(sandbox.stats.faults.rateLimited).toBeGreaterThan(0);
    expect(sandbox.stats.faults.failBefore).toBeGreaterThan(0);
  });

  it('--quiet on a terminal: a status line every 10 seconds, then the summary', async () => {
    await seedZone(sandbox, 'quiet.example', []);
    await hostZones(['quiet.example'], 11);
    sandbox.setFaults({ latencyMs: 1000 });
    const run = await onTerminal(['apply', '--yes', '--quiet', '--concurrency', '1']);
    expect(run.code, run.output).toBe(0);
    const lines = plain(run.output)
      .split(/\r?\n/)
      .filter((text) => text !== '');
    expect(lines).toEqual([
      expect.stringMatching(/^Applying \d+\/11 · 10\.\ds · about \d+\.\ds left$/),
      expect.stringMatching(/^Apply complete: 11 changes applied in 1\d\.\ds\.$/),
      '✓ Verified: 1 zone now matches its zone file.',
    ]);
  }, 60_000);
});

describe.skipIf(!CLI_BUILT)('6. safe on pipes', () => {
  it('a reader that goes away (apply | head): no stack trace, the apply goes on to its end', async () => {
    await seedZone(sandbox, 'pipe.example', []);
    await hostZones(['pipe.example'], 100);
    sandbox.setFaults({ latencyMs: 10 });
    const running = spawnCli({ ...target, env: { NO_COLOR: undefined } }, [
      'apply',
      '--yes',
      '--concurrency',
      '2',
    ]);
    running.child.stdin?.end();
    // Like `head`: read a little, then close the pipe.
    await new Promise<void>((resolve) => running.child.stdout?.once('data', () => resolve()));
    running.child.stdout?.destroy();
    const run = await running.done;
    expect(run.stderr).not.toMatch(/EPIPE|node:events|at .*\.js:\d+/);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'dnssync: stdout was closed; apply went on: Apply complete: 100 changes applied',
    );
    expect(liveLines(sandbox, 'pipe.example')).toHaveLength(100);
    // What it wrote before has no escape sequences: it was not a terminal.
    expect(run.stdout).not.toContain('\x1b');
  });

  it('npm run demo | cat: no escape codes', async () => {
    const child = spawn(process.execPath, ['scripts/demo.mjs'], {
      cwd: ROOT,
      env: Object.fromEntries(
        Object.entries(process.env).filter(([key]) => key !== 'NO_COLOR' && key !== 'FORCE_COLOR'),
      ),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code, output).toBe(0);
    expect(output).toContain('$ dnssync apply --yes');
    expect(output).not.toContain('\x1b');
  });
});

describe.skipIf(!CLI_BUILT)('8. one count of changes, and an exit status that agrees', () => {
  it('plan and apply count the same changes, zone creations included', async () => {
    await seedZone(sandbox, 'old.example', [['www', 'A', '192.0.2.1']]);
    await writeZone(
      temp.zonesDir,
      'old.example',
      'records:\n  - { name: www, type: A, value: 192.0.2.1, ttl: 60 }\n',
    );
    await hostZones(['new1.example', 'new2.example'], 21);
    sandbox.resetStats();
    const plan = await runCli(target, ['plan']);
    const sentence =
      /^Plan: (\d+) to create \(2 new zones, 42 records\), (\d+) to update, (\d+) to delete in 3 zones\.$/m.exec(
        plan.stdout,
      );
    expect(sentence, plan.stdout).not.toBeNull();
    const planned = sentence!
      .slice(1)
      .map(Number)
      .reduce((a, b) => a + b, 0);
    expect(planned).toBe(45);

    const apply = await runCli(target, ['apply', '--yes', '--format', 'json']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stderr).toContain(`Apply complete: ${planned} changes applied`);
    expect(JSON.parse(apply.stdout).summary).toEqual({
      total: planned,
      applied: planned,
      failed: 0,
      skipped: 0,
      not_started: 0,
    });
    expect(writeCount(sandbox)).toBe(planned);
  });

  it('a change that failed but took effect: verification confirms it, and apply exits 0', async () => {
    await seedZone(sandbox, 'ttl.example', [['www', 'A', '192.0.2.1']]);
    await writeZone(
      temp.zonesDir,
      'ttl.example',
      'records:\n  - { name: www, type: A, value: 192.0.2.1, ttl: 300 }\n',
    );
    // Every write takes effect, then answers 502: the PATCH fails five times over.
    sandbox.setFaults({ failAfter: 1 });
    const run = await runCli(target, ['apply', '--yes']);
    expect(run.stdout).toMatch(
      /FAILED +ttl\.example {2}~ www A 192\.0\.2\.1 \(ttl 3600 → 300\): .*502/,
    );
    expect(run.stdout).toContain(
      '✓ Verified: 1 zone now matches its zone file, so the change not made here is not needed any more',
    );
    expect(run.stdout).not.toContain('Run dnssync apply again');
    expect(run.code, run.stdout).toBe(0);
    sandbox.setFaults({ failAfter: 0 });
    expect(liveLines(sandbox, 'ttl.example')).toEqual([line('www', 'A', '192.0.2.1', 300)]);
  });
});

describe.skipIf(!CLI_BUILT)('apply --format json', () => {
  const validate = new Ajv({ strict: true, allErrors: true }).compile(
    JSON.parse(
      readFileSync(new URL('../schemas/apply-result.schema.json', import.meta.url), 'utf8'),
    ),
  );

  it('prints one JSON result with every change and its outcome; people get stderr', async () => {
    await hostZones(['a.example', 'b.example', 'c.example'], 100);
    const run = await runCli({ ...target, env: { VPS_API_TOKEN: NO_CREATE } }, [
      'apply',
      '--yes',
      '--format',
      'json',
    ]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    expect(result).toMatchObject({
      format_version: 1,
      result: 'stopped',
      exit_code: 1,
      summary: { total: 303, applied: 0, failed: 3, skipped: 300, not_started: 0 },
    });
    expect(result.changes).toHaveLength(303);
    expect(result.changes[0]).toMatchObject({
      id: 'a.example#zone',
      action: 'create_zone',
      outcome: 'failed',
      error: expect.stringContaining('the API token lacks dns:create'),
      cause: '403 dns:create missing',
    });
    expect(result.changes[1]).toMatchObject({
      id: 'a.example#1',
      zone: 'a.example',
      action: 'create',
      name: 'h000',
      type: 'A',
      value: '192.0.2.1',
      outcome: 'skipped',
      error: 'the zone a.example could not be created',
    });
    expect(run.stderr).toContain('Plan: 303 to create');
    expect(run.stderr).toContain('403 dns:create missing: 303 changes not made');

    const ok = await runCli(target, ['apply', '--yes', '--format', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
    const done = JSON.parse(ok.stdout);
    expect(validate(done), JSON.stringify(validate.errors)).toBe(true);
    expect(done).toMatchObject({ result: 'applied', verified: true, summary: { applied: 303 } });
    expect(new Set(done.changes.map((c: { outcome: string }) => c.outcome))).toEqual(
      new Set(['applied']),
    );

    const again = await runCli(target, ['apply', '--yes', '--format', 'json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ result: 'no-changes', exit_code: 0 });
  });

  it('never asks: without --yes or a plan file it refuses before any request', async () => {
    await hostZones(['a.example'], 1);
    sandbox.resetStats();
    const run = await runCli(target, ['apply', '--format', 'json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('apply --format json never asks for confirmation: pass --yes');
    expect(sandbox.stats.requests).toBe(0);
  });

  it('an unsafe plan is refused in JSON too', async () => {
    const live: Seed[] = Array.from({ length: 10 }, (_, i) => [
      `h${pad(i)}`,
      'A',
      `192.0.2.${i + 1}`,
    ]);
    await seedZone(sandbox, 'big.example', live);
    await writeZone(temp.zonesDir, 'big.example', 'records: []\n');
    const writes = writeCount(sandbox);
    const run = await runCli(target, ['apply', '--yes', '--format', 'json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    expect(result).toMatchObject({
      result: 'refused',
      message: expect.stringContaining('the plan is unsafe: big.example: would delete 10 of 10'),
    });
    expect(writeCount(sandbox)).toBe(writes);
  });
});
