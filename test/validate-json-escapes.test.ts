/**
 * `validate --format json` is written as `plan --format json` is: issue messages quote the
 * zone file and file names are anyone's, so bidi controls, C1 controls, line separators
 * and invisible characters are JSON escapes (which read back as the same characters), never
 * raw bytes on a terminal or in a job log. Built CLI; build first: `npx tsc -p .`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import { runCli, tempZones, writeZone } from './apply-helpers.js';
import { CLI_BUILT } from './sandbox-helpers.js';

/** What acts on a terminal or reorders a log line: C0 but tab and LF, DEL, C1, bidi, LS/PS. */
const ACTING =
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
/** Characters that render as nothing at all. */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060-\u2064\ufeff]|[\u{e0000}-\u{e007f}]/u;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

describe.skipIf(!CLI_BUILT)('validate --format json', () => {
  it('escapes bidi, C1, line separators and invisible characters, and still says what the file holds', async () => {
    const { zonesDir, cleanup } = await tempZones('dnssync-validate-json-');
    try {
      await writeZone(
        zonesDir,
        'j.example',
        'records:\n  - { name: "@", type: A, value: "1.2.3.4\\u202e\\u009b2J\\u2028\\u200b\\U000E0041" }\n',
      );
      const run = await runCli({ sandbox, zonesDir }, ['validate', '--format', 'json']);
      expect(run.code).toBe(1);
      const message = JSON.parse(run.stdout).issues[0].message as string;
      expect(message).toContain('1.2.3.4\u202e\u009b2J\u2028\u200b\u{e0041}');
      expect(run.stdout).not.toMatch(ACTING);
      expect(run.stdout).not.toMatch(INVISIBLE);
    } finally {
      await cleanup();
    }
  });
});
