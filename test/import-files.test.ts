/**
 * `dnssync import --from-bind / --from-octodns` through the built CLI: what is written,
 * what is printed, and that a broken input writes nothing. Build first: `npx tsc -p .`.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
    expect(text).toContain('#   - line 70: ptr PTR: PTR is not one of the 8 types dnssync manages');
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
        `${file}:4: error: $INCLUDE other: no such file`,
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

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => !statSync(join(dir, path)).isDirectory())
    .sort();
}

describe('import of records a zone file cannot hold', () => {
  it('--from-bind writes the rest, notes each left-out record, warns, and exits 1', () => {
    const file = join(dir, 'db.clash.example');
    writeFileSync(
      file,
      [
        '$TTL 300',
        '@ A 192.0.2.1',
        '@ CNAME apex.example.net.',
        'www A 192.0.2.2',
        'www CNAME web.example.net.',
        'mail MX 10 mx.example.net.',
        'mail MX 0 .',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'zones');
    const result = dnssync('import', '--from-bind', file, '--out-dir', out);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      `wrote ${join(out, 'clash.example.yaml')} (3 records, 3 left out: see its header)\n`,
    );
    expect(result.stderr).toBe(
      [
        "dnssync: warning: clash.example: left out line 3: @ CNAME apex.example.net: a CNAME cannot be at the apex of clash.example (it would hide the zone's SOA and NS)",
        'dnssync: warning: clash.example: left out line 5: www CNAME web.example.net: www also has A records, and a name with a CNAME can have no other',
        'dnssync: warning: clash.example: left out line 7: mail MX .: a null MX (".") must be the only MX at mail, and mail has others',
        'dnssync: error: import incomplete: left out 3 records a zone file cannot hold (see the warnings above); 1 zone file written',
        '',
      ].join('\n'),
    );
    const text = readFileSync(join(out, 'clash.example.yaml'), 'utf8');
    expect(text).toContain(
      '#   - line 5: www CNAME web.example.net: www also has A records, and a name with a CNAME can have no other\n',
    );
    const parsed = parseZoneFile(join(out, 'clash.example.yaml'), text);
    expect(parsed.issues).toEqual([]);
    expect(parsed.zone?.records).toHaveLength(3);
  });

  it('--from-octodns leaves out a record with a TTL of 0 and writes the rest', () => {
    const file = join(dir, 'ttl.example.yaml');
    writeFileSync(
      file,
      "'':\n  type: A\n  value: 192.0.2.1\nzero:\n  ttl: 0\n  type: A\n  value: 192.0.2.2\n",
    );
    const out = join(dir, 'zones');
    const result = dnssync('import', '--from-octodns', file, '--out-dir', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'dnssync: warning: ttl.example: left out zero A 192.0.2.2: its TTL 0 is not a whole number of seconds from 1 to 2147483647\n',
    );
    const text = readFileSync(join(out, 'ttl.example.yaml'), 'utf8');
    expect(parseZoneFile(join(out, 'ttl.example.yaml'), text).issues).toEqual([]);
    expect(text).toContain('#   - zero A 192.0.2.2: its TTL 0');
  });
});

describe('import file paths', () => {
  const LONG = `${['a', 'b', 'c'].map((c) => c.repeat(63)).join('.')}.${'d'.repeat(53)}.example`;

  it('never writes outside --out-dir, whatever --domain or $ORIGIN say', () => {
    const out = join(dir, 'deep', 'zones');
    const bind = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const plain = bind('records.txt', '$TTL 300\n@ A 192.0.2.1\n');
    const attempts = [
      ['--from-bind', plain, '--domain', '../../etc/evil.example'],
      ['--from-bind', plain, '--domain', 'a/b.example'],
      ['--from-bind', plain, '--domain', '..'],
      ['--from-bind', plain, '--domain', '/tmp/abs.example'],
      ['--from-bind', plain, '--domain', 'nul\u0001.example'],
      ['--from-bind', bind('origin1.txt', '$ORIGIN ../../etc.\n$TTL 300\n@ A 192.0.2.1\n')],
      ['--from-bind', bind('origin2.txt', '$ORIGIN a/b.example.\n$TTL 300\n@ A 192.0.2.1\n')],
      [
        '--from-octodns',
        bind('octo.yaml', "'':\n  type: A\n  value: 192.0.2.1\n"),
        '--domain',
        '../x.example',
      ],
    ];
    for (const args of attempts) {
      const result = dnssync('import', ...args, '--out-dir', out);
      expect(result.status, args.join(' ')).toBe(1);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr, args.join(' ')).toContain('nothing was written');
      expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    }
    expect(existsSync(out)).toBe(false);
    expect(filesUnder(dir)).toEqual(['octo.yaml', 'origin1.txt', 'origin2.txt', 'records.txt']);
  });

  it('names a domain too long for a file name instead of failing to write it', () => {
    const file = join(dir, 'records.txt');
    writeFileSync(file, '$TTL 300\n@ A 192.0.2.1\n');
    const out = join(dir, 'zones');
    const result = dnssync('import', '--from-bind', file, '--domain', LONG, '--out-dir', out);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        `dnssync: warning: skipped the zone "${LONG}": its file name would be 258 bytes long, and file systems allow 255`,
        'dnssync: error: import incomplete: skipped 1 zone (see the warnings above); 0 zone files written',
        '',
      ].join('\n'),
    );
    expect(filesUnder(dir)).toEqual(['records.txt']);
  });

  it('writes a Unicode --domain to its punycode file', () => {
    const file = join(dir, 'records.txt');
    writeFileSync(file, '$TTL 300\n@ A 192.0.2.1\n');
    const result = dnssync(
      'import',
      '--from-bind',
      file,
      '--domain',
      'BÜCHER.example',
      '--out-dir',
      dir,
    );
    expect(result.status).toBe(0);
    expect(filesUnder(dir)).toEqual(['records.txt', 'xn--bcher-kva.example.yaml']);
  });
});
