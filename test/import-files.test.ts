/**
 * `dnssync import --from-bind / --from-octodns` through the built CLI: what is written,
 * what is printed, and that a broken input writes nothing. Build first: `npx tsc -p .`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schemaRef } from '../src/interop/import-files.js';
import { parseZoneFile } from '../src/zonefile/parse.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dnssync-import-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function dnssync(...args: string[]) {
  return spawnSync('node', ['dist/cli.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

describe('import --from-octodns', () => {
  it('writes <domain>.yaml that validates, with the left-out records in its header', () => {
    const out = join(dir, 'zones');
    const result = dnssync(
      'import',
      '--from-octodns',
      'test/fixtures/octodns/example.com.yaml',
      '--out-dir',
      out,
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      `wrote ${join(out, 'example.com.yaml')} (19 records, 8 left out: see its header)\n`,
    );
    const text = readFileSync(join(out, 'example.com.yaml'), 'utf8');
    expect(text).toContain('# Written by dnssync import on ');
    expect(text).toContain('from the octoDNS zone file example.com.yaml.');
    expect(text).toContain(
      '#   - line 70: ptr PTR: PTR is not one of the eight types dnssync manages',
    );
    const parsed = parseZoneFile(join(out, 'example.com.yaml'), text);
    expect(parsed.issues).toEqual([]);
    expect(parsed.zone?.records).toHaveLength(19);
  });

  it('takes --domain for a file not named after its domain', () => {
    const file = join(dir, 'records.yaml');
    writeFileSync(file, "'':\n  type: A\n  value: 192.0.2.1\n");
    const result = dnssync(
      'import',
      '--from-octodns',
      file,
      '--domain',
      'Example.ORG',
      '--out-dir',
      dir,
    );
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, 'example.org.yaml'), 'utf8')).toContain('domain: example.org\n');
  });
});

describe('import --from-bind', () => {
  it('prints every problem as file:line: error: message and writes nothing', () => {
    const file = join(dir, 'db.broken.example');
    writeFileSync(file, '$TTL 1h\n@ A 192.0.2.1\nwww CNAME\n$INCLUDE other\n');
    const out = join(dir, 'zones');
    const result = dnssync('import', '--from-bind', file, '--out-dir', out);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        `${file}:3: error: www.broken.example CNAME: expected one hostname, found 0 fields`,
        `${file}:4: error: $INCLUDE is not supported: paste the included file in its place`,
        `dnssync: error: 2 problems in ${file}; nothing was written`,
        '',
      ].join('\n'),
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to overwrite without --force and names the file', () => {
    const file = join(dir, 'db.small.example');
    writeFileSync(file, '$TTL 300\n@ A 192.0.2.1\n');
    writeFileSync(join(dir, 'small.example.yaml'), 'records: []\n');
    const refused = dnssync('import', '--from-bind', file, '--out-dir', dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${join(dir, 'small.example.yaml')} already exists`);
    expect(readFileSync(join(dir, 'small.example.yaml'), 'utf8')).toBe('records: []\n');
    const forced = dnssync('import', '--from-bind', file, '--out-dir', dir, '--force');
    expect(forced.status).toBe(0);
    expect(readFileSync(join(dir, 'small.example.yaml'), 'utf8')).toContain('ttl: 300\n');
  });

  it('also refuses when the zone exists as .yml, and --force replaces that file', () => {
    const file = join(dir, 'db.small.example');
    writeFileSync(file, '$TTL 300\n@ A 192.0.2.1\n');
    writeFileSync(join(dir, 'small.example.yml'), 'records: []\n');
    const refused = dnssync('import', '--from-bind', file, '--out-dir', dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${join(dir, 'small.example.yml')} already exists`);
    expect(readdirSync(dir).sort()).toEqual(['db.small.example', 'small.example.yml']);
    const forced = dnssync('import', '--from-bind', file, '--out-dir', dir, '--force');
    expect(forced.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['db.small.example', 'small.example.yml']);
    expect(readFileSync(join(dir, 'small.example.yml'), 'utf8')).toContain('value: 192.0.2.1');
  });

  it('says so when the file cannot be read', () => {
    const result = dnssync('import', '--from-bind', join(dir, 'nope'), '--out-dir', dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cannot read');
  });
});

describe('schemaRef', () => {
  it('is the schema path relative to the output directory, with forward slashes', () => {
    expect(schemaRef('/repo/zones', '/repo/schemas/zone.schema.json')).toBe(
      '../schemas/zone.schema.json',
    );
    expect(schemaRef('/repo/dns/zones', '/repo/schemas/zone.schema.json')).toBe(
      '../../schemas/zone.schema.json',
    );
  });
});
