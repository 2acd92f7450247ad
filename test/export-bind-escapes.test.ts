/**
 * `export --format bind` to stdout: TXT and CAA values are written with every character
 * that would act on a terminal (C1 controls, bidi controls, line separators) as a `\DDD`
 * escape, as C0 controls and DEL already are. Built CLI; build first: `npx tsc -p .`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import { runCli, tempZones, writeZone } from './apply-helpers.js';
import { CLI_BUILT } from './sandbox-helpers.js';

/** What acts on a terminal or reorders a log line: C0 but tab and LF, DEL, C1, bidi, LS/PS. */
const ACTING =
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

describe.skipIf(!CLI_BUILT)('export --format bind to stdout', () => {
  it('escapes C1, bidi and line separators in TXT RDATA', async () => {
    const { zonesDir, cleanup } = await tempZones('dnssync-export-escapes-');
    try {
      await writeZone(
        zonesDir,
        'c1.example',
        'records:\n  - { name: "@", type: TXT, value: "abc\\u009b2J\\u202eevil\\u2028x" }\n' +
          '  - { name: "@", type: CAA, value: "0 issue \\"ca.example\\u202e\\u200b\\"" }\n',
      );
      const run = await runCli({ sandbox, zonesDir }, ['export', '--format', 'bind', 'c1.example']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('$ORIGIN c1.example.');
      expect(run.stdout).toMatch(/CAA\s+0 issue "ca\.example\\226\\128\\174/);
      expect(run.stdout).not.toMatch(ACTING);
    } finally {
      await cleanup();
    }
  });
});
