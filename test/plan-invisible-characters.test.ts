/**
 * Characters that render as nothing (zero-width space, word joiner, tag characters, ...)
 * are shown as visible escapes wherever plan prints a value: an update that adds them to
 * a TXT value must not read `"v=verify-abc" → "v=verify-abc"`, a change nobody can see.
 * Built CLI against the sandbox; build first: `npx tsc -p .`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import { runCli, seedZone, tempZones, writeZone } from './apply-helpers.js';
import { CLI_BUILT } from './sandbox-helpers.js';

/** Characters that render as nothing at all. */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060-\u2064\ufeff]|[\u{e0000}-\u{e007f}]/u;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

describe.skipIf(!CLI_BUILT)('plan with invisible characters in a value', () => {
  it('shows them as escapes, in text and in Markdown', async () => {
    const { zonesDir, cleanup } = await tempZones('dnssync-invisible-');
    try {
      await seedZone(sandbox, 'zw.example', [['@', 'TXT', 'v=verify-abc']]);
      await writeZone(
        zonesDir,
        'zw.example',
        'records:\n  - { name: "@", type: TXT, value: "v=verify-abc\\u200b\\u2060\\U000E0041" }\n',
      );
      const run = await runCli({ sandbox, zonesDir }, ['plan']);
      expect(run.stdout).toContain('1 to update');
      expect(run.stdout).not.toMatch(INVISIBLE);
      expect(run.stdout).toContain('"v=verify-abc" → "v=verify-abc\\u200b\\u2060\\u{e0041}"');
      const md = await runCli({ sandbox, zonesDir }, ['plan', '--format', 'markdown']);
      expect(md.stdout).toContain('~ update');
      expect(md.stdout).not.toMatch(INVISIBLE);
      expect(md.stdout).toContain('v=verify-abc&#92;u200b&#92;u2060&#92;u{e0041}');
    } finally {
      await cleanup();
    }
  });
});
