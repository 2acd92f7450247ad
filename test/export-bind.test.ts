/**
 * `dnssync export --format bind` end to end (built CLI): every example and test zone
 * exports to a file BIND's named-checkzone accepts, and `import --from-bind` reads that
 * file back to exactly the same canonical records.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DesiredRecord } from '../src/model.js';
import { loadZones } from '../src/zonefile/load.js';

const CLI = 'dist/cli.js';
const HAS_CHECKZONE = spawnSync('named-checkzone', ['-v']).error === undefined;
if (!HAS_CHECKZONE) {
  console.warn(
    'export-bind: named-checkzone not found (Debian package bind9-utils): the BIND acceptance checks are SKIPPED',
  );
}

const ZONE_DIRS = ['zones', 'test/fixtures/bind/zones', 'test/fixtures/valid'].filter(existsSync);
const work = mkdtempSync(join(tmpdir(), 'dnssync-export-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function dnssync(...args: string[]) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p .)`);
  return spawnSync('node', [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

const fingerprint = (r: Pick<DesiredRecord, 'name' | 'type' | 'value' | 'ttl' | 'priority'>) =>
  `${r.name} ${r.type} ${JSON.stringify(r.value)} ttl=${r.ttl} prio=${r.priority}`;

async function recordsOf(dir: string): Promise<Map<string, string[]>> {
  const { zones, issues } = await loadZones(dir);
  expect(issues.filter((issue) => issue.severity === 'error')).toEqual([]);
  return new Map(zones.map((zone) => [zone.domain, zone.records.map(fingerprint).sort()]));
}

describe.each(ZONE_DIRS)('zone files in %s', (dir) => {
  const out = join(work, dir.replaceAll('/', '_'));
  const bindDir = join(out, 'bind');
  const back = join(out, 'back');

  it('export, then import --from-bind, gives back the same canonical records', async () => {
    const exported = dnssync(
      'export',
      '--format',
      'bind',
      '--zones',
      dir,
      '--out-dir',
      bindDir,
      '--serial',
      '2025010101',
    );
    expect(exported.stderr).toBe('');
    expect(exported.status).toBe(0);
    const files = readdirSync(bindDir).filter((file) => file.endsWith('.zone'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const imported = dnssync('import', '--from-bind', join(bindDir, file), '--out-dir', back);
      expect(imported.stderr, file).toBe('');
      expect(imported.status, file).toBe(0);
    }
    const before = await recordsOf(dir);
    const after = await recordsOf(back);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [domain, records] of before) expect(after.get(domain), domain).toEqual(records);
  });

  it.skipIf(!HAS_CHECKZONE)('every exported file is accepted by named-checkzone', () => {
    const files = readdirSync(bindDir).filter((file) => file.endsWith('.zone'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const domain = file.replace(/\.zone$/, '');
      const check = spawnSync(
        'named-checkzone',
        ['-k', 'fail', '-i', 'local', domain, join(bindDir, file)],
        {
          encoding: 'utf8',
        },
      );
      expect(`${check.stdout}${check.stderr}`, file).toMatch(/\nOK\n$/);
      expect(check.status, file).toBe(0);
    }
  });
});

describe('export output choices', () => {
  it('writes one zone to stdout, byte for byte what --out-dir writes', () => {
    const stdout = dnssync('export', '--format', 'bind', 'example.org', '--serial', '7');
    expect(stdout.status).toBe(0);
    const dir = join(work, 'one');
    dnssync('export', '--format', 'bind', 'example.org', '--serial', '7', '--out-dir', dir);
    expect(stdout.stdout).toBe(readFileSync(join(dir, 'example.org.zone'), 'utf8'));
    expect(stdout.stdout).toContain('$ORIGIN example.org.\n');
    expect(stdout.stdout).toMatch(/\n@\s+1800\s+IN NS\s+ns1\.vps\.org\.\n/);
    expect(stdout.stdout).toMatch(/ 7 ; serial\n/);
  });

  it('puts --nameserver in the SOA and the apex NS', () => {
    const result = dnssync(
      'export',
      '--format',
      'bind',
      'example.org',
      '--nameserver',
      'a.ns.example',
      '--nameserver',
      'b.ns.example.',
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/IN SOA\s+a\.ns\.example\. /);
    expect(result.stdout).toMatch(/IN NS\s+a\.ns\.example\.\n/);
    expect(result.stdout).toMatch(/IN NS\s+b\.ns\.example\.\n/);
    expect(result.stdout).not.toMatch(/IN NS\s+ns\d\.vps\.org/);
  });

  it('refuses several zones without --out-dir', () => {
    const result = dnssync('export', '--format', 'bind');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('give --out-dir DIR');
  });

  it('refuses an invalid zone file, printing its errors on stderr and nothing on stdout', () => {
    const dir = join(work, 'invalid');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'bad.example.yaml'),
      'records:\n  - { name: www, type: A, value: 300.1.1.1 }\n',
    );
    const result = dnssync('export', '--format', 'bind', '--zones', dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/bad\.example\.yaml:2:\d+: error: /);
  });

  it('accepts only --format bind', () => {
    const result = dnssync('export', '--format', 'json', 'example.org');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('bind');
  });
});
