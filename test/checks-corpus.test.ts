/**
 * The DNS checks find no error in the real-world corpus (test/fixtures/realworld) nor in
 * the example zones: each corpus file is imported with the built CLI (--from-bind /
 * --from-octodns) into its own directory and validated. Every file BIND accepts imports
 * (test/realworld-roundtrip.test.ts); the files import refuses, as BIND does or because
 * VPS.org cannot hold the zone, are listed there and skipped here by name: none other.
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

/** The corpus files import refuses (see REFUSED and NOT_A_DNSSYNC_ZONE in the round-trip test). */
const REFUSED_BY_IMPORT = new Set([
  'bind/bind9-example-class10.db',
  'bind/bind9-badttl.db',
  'bind/bind9-master17.db',
  'bind/dnspython-example.zone',
  'bind/pdns-test.com.zone',
  'bind/pdns-secpoll.zone',
  'bind/nsd-bug107-bad-hex-3597.zone',
  'bind/bind9-glue-net.db',
  'bind/nsd-bug236-rrs-before-soa.zone',
]);

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
  // Exit 1 with a file written: records the zone rules refuse were left out (and noted).
  if (!/^wrote /.test(result.stdout)) {
    return { failed: (result.stderr.split('\n')[0] ?? '').slice(0, 160) };
  }
  return { dir };
}

describe('no DNS check errors on real zones', () => {
  it('the example zones in zones/ are clean', () => {
    const { issues, code } = validateJson(join(ROOT, 'zones'));
    expect(issues).toEqual([]);
    expect(code).toBe(0);
  });

  it('every corpus file import keeps validates with no error-severity finding', {
    timeout: 600_000,
  }, () => {
    const errors: JsonIssue[] = [];
    const notImported: string[] = [];
    let checked = 0;
    for (const entry of manifest) {
      const imported = importEntry(entry);
      if ('failed' in imported) {
        if (!REFUSED_BY_IMPORT.has(entry.file))
          notImported.push(`${entry.file}: ${imported.failed}`);
        continue;
      }
      const { issues } = validateJson(imported.dir);
      rmSync(imported.dir, { recursive: true, force: true });
      errors.push(...issues.filter((issue) => issue.severity === 'error'));
      checked++;
    }
    expect(notImported).toEqual([]);
    expect(errors).toEqual([]);
    expect(checked).toBe(manifest.length - REFUSED_BY_IMPORT.size);
  });
});
