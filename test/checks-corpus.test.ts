/**
 * The DNS checks find no error in the real-world corpus (test/fixtures/realworld) nor in
 * the example zones: each corpus file is imported with the built CLI (--from-bind /
 * --from-octodns) into its own directory and validated. Files that do not import yet are
 * skipped and listed (import is not the checks' business).
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, type JsonIssue, ROOT, validateJson } from './checks-helpers.js';

const CORPUS = join(ROOT, 'test', 'fixtures', 'realworld');

interface Entry {
  file: string;
  format: 'bind' | 'octodns';
  dnssync_origin: string | null;
}

const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as Entry[];

/** Imports one corpus file; the zones directory, or the first line of why it failed. */
function importEntry(entry: Entry): { dir: string } | { failed: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dnssync-corpus-'));
  const args = [CLI, 'import', `--from-${entry.format}`, basename(entry.file), '--out-dir', dir];
  if (entry.dnssync_origin) args.push('--domain', entry.dnssync_origin);
  // BIND resolves $INCLUDE against the working directory: run where the file is.
  const result = spawnSync(process.execPath, args, {
    cwd: join(CORPUS, dirname(entry.file)),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (result.status !== 0) return { failed: (result.stderr.split('\n')[0] ?? '').slice(0, 160) };
  return { dir };
}

describe('no DNS check errors on real zones', () => {
  it('the example zones in zones/ are clean', () => {
    const { issues, code } = validateJson(join(ROOT, 'zones'));
    expect(issues).toEqual([]);
    expect(code).toBe(0);
  });

  it('every corpus file that imports validates with no error-severity finding', () => {
    const errors: JsonIssue[] = [];
    const notImported: string[] = [];
    let checked = 0;
    for (const entry of manifest) {
      const imported = importEntry(entry);
      if ('failed' in imported) {
        notImported.push(`${entry.file}: ${imported.failed}`);
        continue;
      }
      const { issues } = validateJson(imported.dir);
      rmSync(imported.dir, { recursive: true, force: true });
      errors.push(...issues.filter((issue) => issue.severity === 'error'));
      checked++;
    }
    if (notImported.length > 0) {
      console.info(
        `checks-corpus: ${notImported.length} corpus files do not import yet (skipped):\n  ${notImported.join('\n  ')}`,
      );
    }
    expect(errors).toEqual([]);
    // The corpus has 37 files; most import today. Far fewer means something else broke.
    expect(checked).toBeGreaterThanOrEqual(20);
  });
});
