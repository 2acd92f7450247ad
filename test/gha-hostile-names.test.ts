/**
 * The workflow scripts' own annotations. lib.sh's gha_error escapes only `%`,
 * CR and LF (escape_data); dnssync's workflowCommand shows the message as on a terminal
 * first. pr-zones.sh quotes the names of a fork's symbolic links in its error, so escape
 * sequences and bidi controls in a file name reach the job log raw.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GHA, run, runnerEnv, tempDir, workdirWithZones } from './gha-helpers.js';

const ACTING = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('pr-zones.sh with a hostile file name', () => {
  it('names a symbolic link without printing its escape sequences raw', async () => {
    const cwd = workdirWithZones({ 'ours.example.yaml': 'records: []\n' });
    mkdirSync(join(cwd, '.dnssync-pr', 'zones'), { recursive: true });
    symlinkSync(
      '/etc/passwd',
      join(cwd, '.dnssync-pr', 'zones', 'x\x1b[31mRED\x1b]0;title\x07\u202egpj.yaml'),
    );
    const result = await run('bash', [join(GHA, 'pr-zones.sh')], {
      cwd,
      env: runnerEnv(tempDir()),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error title=dnssync::.*symbolic links/m);
    // ESC [31m, an OSC window title and U+202E must not reach the log as themselves.
    expect(result.stdout).not.toMatch(ACTING);
  });
});
