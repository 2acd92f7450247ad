/**
 * `dnssync validate` end to end, through the built CLI (build first: `npx tsc -p .`).
 * Offline: no sandbox, no token.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const INVALID = join(ROOT, 'test', 'fixtures', 'invalid');

let scratch: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p .)`);
  scratch = mkdtempSync(join(tmpdir(), 'dnssync-validate-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together */
  output: string;
}

function validate(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Run {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  // The test runner may itself run in GitHub Actions, or force colour.
  delete env['GITHUB_ACTIONS'];
  delete env['FORCE_COLOR'];
  delete env['DNSSYNC_DEBUG'];
  const result = spawnSync(process.execPath, [CLI, 'validate', ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...env, ...options.env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: result.stdout + result.stderr,
  };
}

/** A fresh directory holding the given zone files. */
function zonesDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(scratch, 'zones-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function expectNoCrash(run: Run): void {
  expect(run.output).not.toMatch(/internal error|\n\s+at .+:\d+:\d+|TypeError|ReferenceError/);
}

const GOOD = 'records:\n  - { name: "@", type: A, value: 192.0.2.1 }\n';

describe('dnssync validate', () => {
  it('accepts the example zones in zones/ (the default directory)', () => {
    const run = validate([]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^✓ 2 zone files valid \(\d+ records\)\n$/);
  });

  it('prints every problem of every file, sorted, then one summary line; exit 1', () => {
    const dir = zonesDir({
      'b.test.yaml':
        'records:\n  - { name: "@", type: CNAME, value: x.example.net }\n  - { name: www, type: A, value: 192.0.2.01 }\n',
      'a.test.yaml': 'records:\n  - { name: www, type: MX, value: mail }\n',
      'c.test.yaml': GOOD,
    });
    const run = validate(['--zones', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      `${join(dir, 'a.test.yaml')}:2:5: error: records[0].priority: MX records need a priority (0-65535)`,
      `${join(dir, 'b.test.yaml')}:2:13: error: a CNAME cannot be at the apex of b.test (it would hide the zone's SOA and NS)`,
      `${join(dir, 'b.test.yaml')}:3:34: error: records[1].value: "192.0.2.01" is not an IPv4 address (four numbers 0-255, no leading zeros)`,
      '✗ 3 errors in 2 files (3 zone files checked)',
      '',
    ]);
    expectNoCrash(run);
  });

  it('reports each file of the invalid corpus (one error each)', () => {
    const run = validate(['--zones', INVALID]);
    expect(run.code).toBe(1);
    const errorLines = run.stdout.split('\n').filter((line) => line.includes(': error: '));
    const files = new Set(errorLines.map((line) => line.split(':')[0]));
    expect(errorLines.length).toBe(files.size);
    expect(files.size).toBeGreaterThanOrEqual(30);
    expect(run.stdout).toMatch(new RegExp(`✗ ${files.size} errors in ${files.size} files`));
    expectNoCrash(run);
  });

  it('warnings are printed but do not fail', () => {
    const dir = zonesDir({
      'warn.test.yaml': 'records:\n  - { name: "@", type: CAA, value: 0 tbs "x" }\n',
    });
    const run = validate(['--zones', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `${join(dir, 'warn.test.yaml')}:2:36: warning: CAA tag "tbs" is not one CAs know; they ignore it: fix the tag [caa-unknown-tag]`,
    );
    expect(run.stdout).toMatch(/✓ 1 zone file valid \(1 record\), 1 warning\n$/);
  });

  it('counts warnings beside errors in the summary', () => {
    const dir = zonesDir({
      'mixed.test.yaml':
        'records:\n  - { name: "@", type: CAA, value: 0 tbs "x" }\n  - { name: "@", type: A, value: 1.2.3 }\n',
    });
    const run = validate(['--zones', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ 1 error, 1 warning in 1 file \(1 zone file checked\)\n$/);
  });

  it('prints workflow annotations when GITHUB_ACTIONS=true', () => {
    const dir = zonesDir({
      'gha.test.yaml':
        'records:\n  - { name: "@", type: CAA, value: 0 tbs "x" }\n  - { name: www, type: CNAME, value: www }\n',
    });
    const run = validate(['--zones', dir], { env: { GITHUB_ACTIONS: 'true' } });
    expect(run.code).toBe(1);
    const file = join(dir, 'gha.test.yaml');
    expect(run.stdout).toContain(
      `::error file=${file},line=3,col=38::records[1].value: "www" is a single label; write the full hostname (e.g. www.example.com)\n`,
    );
    expect(run.stdout).toContain(
      `::warning file=${file},line=2,col=36::CAA tag "tbs" is not one CAs know; they ignore it: fix the tag [caa-unknown-tag]`,
    );
    // The plain lines are still there for people reading the log.
    expect(run.stdout).toContain(`${file}:3:38: error: records[1].value:`);
  });

  it('prints no annotations outside GitHub Actions', () => {
    const dir = zonesDir({
      'plain.test.yaml': 'records:\n  - { name: www, type: CNAME, value: www }\n',
    });
    const run = validate(['--zones', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('::error');
  });

  it('DOMAIN arguments select files, in any spelling of the domain', () => {
    const dir = zonesDir({
      'good.test.yaml': GOOD,
      'other.test.yaml': GOOD,
      'bad.test.yaml': 'records:\n  - { name: www, type: A, value: 300.0.0.1 }\n',
      'xn--bcher-kva.test.yaml': GOOD,
    });
    const good = validate(['--zones', dir, 'GOOD.test.']);
    expect(good.code).toBe(0);
    expect(good.stdout).toBe('✓ 1 zone file valid (1 record)\n');

    const two = validate(['--zones', dir, 'good.test', 'bücher.test']);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe('✓ 2 zone files valid (2 records)\n');

    const bad = validate(['--zones', dir, 'good.test', 'bad.test']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('bad.test.yaml:2:34: error:');
    expect(bad.stdout).toContain('(2 zone files checked)');
  });

  it('a DOMAIN without a zone file is a clear error', () => {
    const dir = zonesDir({ 'good.test.yaml': GOOD });
    const run = validate(['--zones', dir, 'missing.test']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `dnssync: error: no zone file for missing.test in ${dir}/ (expected ${dir}/missing.test.yaml)\n`,
    );
    expectNoCrash(run);
  });

  it('zone file paths select files too, as pre-commit passes them (zones/x.yaml)', () => {
    const repo = mkdtempSync(join(scratch, 'repo-'));
    mkdirSync(join(repo, 'zones'));
    writeFileSync(join(repo, 'zones', 'good.test.yaml'), GOOD);
    writeFileSync(
      join(repo, 'zones', 'bad.test.yaml'),
      'records:\n  - { name: www, type: A, value: 300.0.0.1 }\n',
    );
    const good = validate(['zones/good.test.yaml'], { cwd: repo });
    expect(good.stderr).toBe('');
    expect(good.stdout).toBe('✓ 1 zone file valid (1 record)\n');
    expect(good.code).toBe(0);

    // Paths and domains mix; the same file twice is read once; ./ and .yml spellings work.
    const mixed = validate(['./zones/good.test.yaml', 'bad.test', 'zones/good.test.yaml'], {
      cwd: repo,
    });
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toContain('zones/bad.test.yaml:2:34: error:');
    expect(mixed.stdout).toContain('(2 zone files checked)');

    // A zone file outside the zones directory is read where it is.
    const outside = join(repo, 'elsewhere');
    mkdirSync(outside);
    writeFileSync(join(outside, 'other.test.yml'), GOOD);
    const other = validate([join(outside, 'other.test.yml')], { cwd: repo });
    expect(other.stdout).toBe('✓ 1 zone file valid (1 record)\n');
    expect(other.code).toBe(0);

    const missing = validate(['zones/missing.test.yaml'], { cwd: repo });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `dnssync: error: zone file ${join('zones', 'missing.test.yaml')} does not exist\n`,
    );
    const missingElsewhere = validate(['elsewhere/gone.test.yaml'], { cwd: repo });
    expect(missingElsewhere.stderr).toBe(
      'dnssync: error: zone file elsewhere/gone.test.yaml does not exist (or is not a file)\n',
    );
    const notYaml = validate(['zones/good.test.txt'], { cwd: repo });
    expect(notYaml.stderr).toBe(
      'dnssync: error: zones/good.test.txt is not a zone file: zone files are named <domain>.yaml\n',
    );
    expectNoCrash(missing);
  });

  it('colour only when asked for: never with NO_COLOR or when piped', () => {
    const dir = zonesDir({ 'bad.test.yaml': 'records:\n  - { name: www, type: A, value: 1 }\n' });
    const ansi = /\u001b\[\d+m/;
    expect(validate(['--zones', dir]).output).not.toMatch(ansi);
    const forced = validate(['--zones', dir], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(ansi);
    const flag = validate(['--zones', dir, '--no-color'], {
      env: { NO_COLOR: '', FORCE_COLOR: '1' },
    });
    expect(flag.stdout).not.toMatch(ansi);
  });
});

describe('bad input never crashes validate', () => {
  it.each([
    ['an empty file', Buffer.alloc(0), '1:1: error: the file is empty'],
    ['a file of blank lines', '\n\n  \n', '1:1: error: the file is empty'],
    ['a YAML syntax error', 'records: [\n  { name: www\n', 'error: YAML syntax error'],
    ['a file that is a list', '- a\n- b\n', '1:1: error: the file is a list'],
    ['a file that is a number', '42\n', '1:1: error: the file is a single value'],
    [
      'binary garbage',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]),
      '1:1: error: the file is not UTF-8 text',
    ],
    [
      'Latin-1 text',
      Buffer.from('records: []\n# caf\xe9\n', 'latin1'),
      '1:1: error: the file is not UTF-8 text',
    ],
    [
      'an unquoted wildcard',
      'records:\n  - { name: *.dev, type: A, value: 192.0.2.1 }\n',
      '2:13: error: YAML reads *.dev as an alias',
    ],
    [
      'an alias bomb',
      `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from(
        { length: 8 },
        (_, i) =>
          `b${i}: &b${i} [${Array(10)
            .fill(i === 0 ? '*a' : `*b${i - 1}`)
            .join(', ')}]`,
      ).join('\n')}\nrecords: []\n`,
      'error: YAML aliases could not be expanded',
    ],
  ])('%s', (_what, content, expected) => {
    const dir = zonesDir({ 'broken.test.yaml': content, 'fine.test.yaml': GOOD });
    const run = validate(['--zones', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${join(dir, 'broken.test.yaml')}:`);
    expect(run.stdout).toContain(expected);
    expect(run.stdout).toContain('✗ 1 error in 1 file (2 zone files checked)');
    expectNoCrash(run);
  });

  it('a missing zones directory', () => {
    const run = validate(['--zones', join(scratch, 'nope')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `dnssync: error: zones directory ${join(scratch, 'nope')}/ does not exist (use --zones DIR)\n`,
    );
    expectNoCrash(run);
  });

  it('the default zones/ directory missing', () => {
    const cwd = mkdtempSync(join(scratch, 'empty-project-'));
    const run = validate([], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'dnssync: error: zones directory zones/ does not exist (use --zones DIR)\n',
    );
  });

  it('a directory with no zone files', () => {
    const dir = zonesDir({ 'README.md': '# zones\n', 'notes.txt': 'x' });
    mkdirSync(join(dir, 'old.yaml'));
    const run = validate(['--zones', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`dnssync: error: no zone files (*.yaml) in ${dir}/\n`);
    expectNoCrash(run);
  });

  it('--zones naming a file', () => {
    const dir = zonesDir({ 'good.test.yaml': GOOD });
    const file = join(dir, 'good.test.yaml');
    const run = validate(['--zones', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`dnssync: error: ${file} is not a directory (use --zones DIR)\n`);
  });

  it('a file name that is not a domain, and two files for one domain', () => {
    const dir = zonesDir({
      'notes.yaml': 'records: []\n',
      'twice.test.yaml': GOOD,
      'twice.test.yml': GOOD,
    });
    const run = validate(['--zones', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `${join(dir, 'notes.yaml')}:1:1: error: the file name does not name a domain`,
    );
    expect(run.stdout).toContain(
      `${join(dir, 'twice.test.yml')}:1:1: error: twice.test is already defined by ${join(dir, 'twice.test.yaml')}`,
    );
    expectNoCrash(run);
  });
});

describe('dnssync validate: every problem at once, with the fix in the message', () => {
  it('a file-level error does not hide the records’ own problems', () => {
    const dir = zonesDir({
      'every.test.yaml': [
        'ttl: 1h',
        'records:',
        '  - { name: www, type: A, value: 300.0.0.1 }',
        '  - { name: "@", type: MX, priority: 10, value: mail }',
        '  - { name: a, type: A, value: 192.0.2.1, checks: { ttl-lo: off } }',
        '',
      ].join('\n'),
      'rules.test.yaml': [
        'colour: blue',
        'records:',
        '  - { name: www, type: CNAME, value: x.example.net }',
        '  - { name: www, type: A, value: 192.0.2.1 }',
        '',
      ].join('\n'),
    });
    const run = validate(['--zones', dir]);
    expect(run.code).toBe(1);
    const every = join(dir, 'every.test.yaml');
    const rules = join(dir, 'rules.test.yaml');
    expect(run.stdout.split('\n')).toEqual([
      `${every}:1:6: error: ttl: must be a whole number`,
      `${every}:3:34: error: records[0].value: "300.0.0.1" is not an IPv4 address (four numbers 0-255, no leading zeros)`,
      `${every}:4:49: error: records[1].value: "mail" is a single label; write the full hostname (e.g. mail.example.com)`,
      `${every}:5:53: error: records[2].checks.ttl-lo: no check is called "ttl-lo" (did you mean "ttl-low"?); \`dnssync checks\` lists them`,
      `${rules}:1:1: error: colour: unknown key "colour"; allowed: domain, ttl, purge, ignore, records, checks`,
      `${rules}:3:38: error: www has a CNAME, so it can have no other record (also A 192.0.2.1 at line 4)`,
      '✗ 6 errors in 2 files (2 zone files checked)',
      '',
    ]);
  });

  it('an unquoted @ says to quote it, at its line', () => {
    const dir = zonesDir({
      'at.test.yaml': 'records:\n  - name: @\n    type: A\n    value: 192.0.2.1\n',
    });
    const run = validate(['--zones', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `${join(dir, 'at.test.yaml')}:2:11: error: YAML does not allow @ at the start of a plain value; to write the apex name @, quote it: "@"\n✗ 1 error in 1 file (1 zone file checked)\n`,
    );
  });

  it('a CAA tag typo gets the tag it most likely means', () => {
    const dir = zonesDir({
      'caa.test.yaml': [
        'records:',
        '  - { name: "@", type: CAA, value: 0 isue "letsencrypt.org" }',
        '  - { name: www, type: CAA, value: 0 is-sue "letsencrypt.org" }',
        '  - { name: mail, type: CAA, value: issue "letsencrypt.org" }',
        '',
      ].join('\n'),
    });
    const run = validate(['--zones', dir]);
    const file = join(dir, 'caa.test.yaml');
    expect(run.stdout).toContain(
      `${file}:2:36: warning: CAA tag "isue" is not one CAs know (did you mean "issue"?); they ignore it: fix the tag [caa-unknown-tag]`,
    );
    expect(run.stdout).toContain(
      `${file}:3:36: error: records[1].value: CAA tag "is-sue" must be 1-15 letters or digits (did you mean "issue"?)`,
    );
    expect(run.stdout).toContain(
      `${file}:4:37: error: records[2].value: CAA flags "issue" must be 0-255 (a CAA value starts with its flags: 0 issue "letsencrypt.org")`,
    );
  });

  it('a name that reads like another domain gets a warning; ordinary relative names do not', () => {
    const dir = zonesDir({
      'acme-widgets.net.yaml': [
        'records:',
        '  - { name: shop.example.com, type: A, value: 192.0.2.1 }',
        '  - { name: www.other.de, type: A, value: 192.0.2.2 }',
        '  - { name: www.acme-widget.net, type: A, value: 192.0.2.3 }',
        '  - { name: www.eu, type: A, value: 192.0.2.4 }',
        '  - { name: x.dev, type: A, value: 192.0.2.5 }',
        '  - { name: _dmarc, type: TXT, value: "v=DMARC1; p=none" }',
        '  - { name: _sip._tcp, type: SRV, priority: 1, value: 1 5060 sip.example.net }',
        '  - { name: shop.acme-widgets.net, type: A, value: 192.0.2.6 }',
        '',
      ].join('\n'),
      'other.de.yaml': 'records: []\n',
    });
    const run = validate(['--zones', dir]);
    expect(run.code).toBe(0);
    const file = join(dir, 'acme-widgets.net.yaml');
    const warnings = run.stdout.split('\n').filter((line) => line.includes('[name-like-domain]'));
    expect(warnings).toEqual([
      `${file}:2:47: warning: name "shop.example.com" is relative to acme-widgets.net, so it means shop.example.com.acme-widgets.net: did you mean "shop", or a record in zone example.com? [name-like-domain]`,
      `${file}:3:43: warning: name "www.other.de" is relative to acme-widgets.net, so it means www.other.de.acme-widgets.net: did you mean "www", or a record in zone other.de (${join(dir, 'other.de.yaml')})? [name-like-domain]`,
      `${file}:4:50: warning: name "www.acme-widget.net" is relative to acme-widgets.net, so it means www.acme-widget.net.acme-widgets.net: did you mean "www", or a record in zone acme-widget.net? [name-like-domain]`,
    ]);
    // Validating one zone still knows the others' files.
    const one = validate(['--zones', dir, 'acme-widgets.net']);
    expect(one.stdout).toContain(`or a record in zone other.de (${join(dir, 'other.de.yaml')})?`);
  });
});
