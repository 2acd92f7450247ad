/**
 * What real-world zone files taught `import --from-bind` (one describe per finding),
 * through the built CLI: every record BIND accepts arrives exactly or is left out with
 * a header note naming its source line; a lossy change is noted the same way; only a
 * file BIND refuses (or one with no domain dnssync can hold) is an error naming the line.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseZoneFile } from '../src/zonefile/parse.js';
import { CLI } from './checks-helpers.js';
import { spawnSandbox } from './sandbox-helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dnssync-import-bind-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function dnssync(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
}

/** Imports `text` as db.example.com (plus `extra` files beside it); the written zone file. */
function importBind(text: string, extra: Record<string, string> = {}) {
  const file = join(dir, 'db.example.com');
  writeFileSync(file, text);
  for (const [name, content] of Object.entries(extra)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  const out = join(dir, 'zones');
  const run = dnssync(['import', '--from-bind', file, '--out-dir', out]);
  let zone = '';
  try {
    zone = readFileSync(join(out, 'example.com.yaml'), 'utf8');
  } catch {
    // not written
  }
  const parsed = zone === '' ? null : parseZoneFile(join(out, 'example.com.yaml'), zone);
  const records = (parsed?.zone?.records ?? []).map(
    (r) => `${r.name} ${r.type} ${r.priority === null ? '' : `${r.priority} `}${r.value} ${r.ttl}`,
  );
  const header = zone
    .split('\n')
    .filter((line) => line.startsWith('#   - '))
    .map((line) => line.slice(6));
  return { run, file, zone, records: records.sort(), header };
}

describe('1. lossy conversions are noted per record, with the source line', () => {
  it('a TXT of several character-strings is joined, and the header says so', () => {
    const long = 'k'.repeat(255);
    const { run, records, header } = importBind(
      `$TTL 300\ntxt TXT "a" "b"\nspf TXT "v=spf1 -all"\ndkim TXT "${long}" "rest"\n`,
    );
    expect(run.status).toBe(0);
    expect(records).toContain('txt TXT ab 300');
    expect(header).toContain(
      'line 2: txt.example.com TXT: its 2 character-strings (1 + 1 octets) are joined into one text, which export splits every 255 octets',
    );
    // Split exactly where export splits (every 255 octets): nothing changes, nothing to say.
    expect(header.some((note) => note.includes('dkim'))).toBe(false);
    expect(header.some((note) => note.includes('spf'))).toBe(false);
  });

  it('a TTL lowered so that one name and type share one TTL is noted with its line', () => {
    const { run, records, header } = importBind('$TTL 300\nx 60 A 192.0.2.1\nx 30 A 192.0.2.2\n');
    expect(run.status).toBe(0);
    expect(records).toEqual(['x A 192.0.2.1 30', 'x A 192.0.2.2 30']);
    expect(header).toContain(
      'line 2: x A 192.0.2.1: TTL 60 lowered to 30, as one name and type share one TTL',
    );
  });
});

describe('2. RFC 3597 generic forms of known types and classes', () => {
  it('reads \\#, TYPEnn and CLASS1 as BIND does, and leaves unknown types out with a note', () => {
    const { run, records, header } = importBind(
      [
        '$TTL 300',
        'a1 A \\# 4 0A000001',
        'a2 A \\# 4 0A 00 00 01',
        'a3 CLASS1 A 10.0.0.3',
        'a5 TYPE1 10.0.0.5',
        'a6 CLASS1 TYPE1 \\# 4 0A000006',
        'txt3 IN TYPE16 "hello"',
        'txt5 TXT \\# 6 0568656C6C6F',
        'txt9 TXT \\# text',
        'mx TYPE15 10 mail.example.net.',
        'unk TYPE123 \\# 1 00',
        '',
      ].join('\n'),
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(records).toEqual([
      'a1 A 10.0.0.1 300',
      'a2 A 10.0.0.1 300',
      'a3 A 10.0.0.3 300',
      'a5 A 10.0.0.5 300',
      'a6 A 10.0.0.6 300',
      'mx MX 10 mail.example.net 300',
      'txt3 TXT hello 300',
      'txt5 TXT hello 300',
      'txt9 TXT #text 300',
    ]);
    expect(header).toContain(
      'line 11: unk.example.com TYPE123: TYPE123 is not one of the 8 types dnssync manages',
    );
  });

  it('refuses another class and bad generic hex, as BIND does, naming the line', () => {
    const klass = importBind('$TTL 300\n\na CLASS10 A 10.0.0.1\n');
    expect(klass.run.status).toBe(1);
    expect(klass.run.stderr).toContain(
      `${klass.file}:3: error: a.example.com: class CLASS10 is not the zone's class IN`,
    );
    const hex = importBind('$TTL 300\nx TYPE731 \\# 6 ABCDEZ123456\n');
    expect(hex.run.status).toBe(1);
    expect(hex.run.stderr).toContain(`${hex.file}:2: error: x.example.com TYPE731: generic RDATA`);
  });
});

describe('3. the SOA anywhere in the file', () => {
  it('finds the domain from an SOA that comes last (a zone dump)', () => {
    const file = join(dir, 'dump.txt-file');
    writeFileSync(
      file,
      'www.dump.example. 300 IN A 192.0.2.1\ndump.example. 300 IN SOA ns. h. 1 2 3 4 5\n',
    );
    const run = dnssync(['import', '--from-bind', file, '--out-dir', dir]);
    expect(run.stderr).toBe('');
    expect(readFileSync(join(dir, 'dump.example.yaml'), 'utf8')).toContain(
      '{ name: www, type: A, value: 192.0.2.1 }',
    );
  });

  it('names the SOA line when its owner cannot be a dnssync zone (not "no SOA")', () => {
    const file = join(dir, 'zonefile');
    writeFileSync(file, 'a.net. 300 A 192.0.2.1\nnet. 300 SOA ns. h. 1 2 3 4 5\n');
    const run = dnssync(['import', '--from-bind', file, '--out-dir', dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `${file}:2: error: the SOA's owner "net" cannot be a dnssync zone: "net" is not a domain (it needs at least two labels); give --domain`,
    );
  });
});

describe('4. apex NS . is left out like every apex NS', () => {
  it('never aborts the import', () => {
    const { run, header } = importBind('$TTL 300\n@ NS .\n@ A 192.0.2.1\n');
    expect(run.status).toBe(0);
    expect(header).toContain(
      "line 2: @ NS .: the apex nameservers are the provider's (ns1.vps.org, ns2.vps.org)",
    );
  });
});

describe("5. problems found by the zone rules name the source file's line", () => {
  it('a CNAME beside other data is warned about with its line in the BIND file', () => {
    const { run, header } = importBind('$TTL 300\n\nwww A 192.0.2.1\nwww CNAME x.example.net.\n');
    expect(run.stderr).toContain(
      'dnssync: warning: example.com: left out line 4: www CNAME x.example.net: www also has A records',
    );
    expect(header[0]).toMatch(/^line 4: www CNAME x\.example\.net: /);
  });
});

describe('6. values dnssync cannot hold are left out with a note, never abort', () => {
  it('CNAME and NS to ".", a one-label target, text that is not UTF-8, odd SRV owners, MX 10 .', () => {
    const { run, records, header } = importBind(
      [
        '$TTL 300',
        'toroot CNAME .',
        'sub NS .',
        'short CNAME cname-target.',
        'bin TXT "\\255\\254"',
        '*._tcp SRV 0 0 0 .',
        '_sip+d2t._tcp SRV 10 10 5060 sip.example.net.',
        'nullmx MX 10 .',
        'ok A 192.0.2.1',
        '',
      ].join('\n'),
    );
    expect(records).toEqual(['ok A 192.0.2.1 300']);
    expect(run.stdout).toMatch(/^wrote /);
    const lines = header.map((note) => note.split(':')[0]);
    for (const line of [2, 3, 4, 5, 6, 7, 8]) expect(lines).toContain(`line ${line}`);
    expect(header).toContain(
      'line 5: bin.example.com TXT: the text is not UTF-8 (binary TXT data cannot be kept)',
    );
  });
});

describe('7. MX and SRV records that differ only in priority are distinct', () => {
  it('import keeps both, and apply and plan handle them against the sandbox', async () => {
    const { run, records, zone } = importBind(
      '$TTL 300\n@ MX 10 mail.example.net.\n@ MX 20 mail.example.net.\n_sip._tcp SRV 1 0 5060 sip.example.net.\n_sip._tcp SRV 2 0 5060 sip.example.net.\n',
    );
    expect(run.status).toBe(0);
    expect(zone).not.toContain('duplicate');
    expect(records).toEqual([
      '@ MX 10 mail.example.net 300',
      '@ MX 20 mail.example.net 300',
      '_sip._tcp SRV 1 0 5060 sip.example.net 300',
      '_sip._tcp SRV 2 0 5060 sip.example.net 300',
    ]);
    const sandbox = await spawnSandbox(['--port', '0']);
    try {
      const env = { VPS_API_URL: sandbox.url, VPS_API_TOKEN: sandbox.token };
      const zones = join(dir, 'zones');
      const applied = dnssync(['apply', '--yes', '--zones', zones], env);
      expect(applied.status, applied.stdout + applied.stderr).toBe(0);
      expect(applied.stdout).toContain('4 records');
      const planned = dnssync(['plan', '--detailed-exitcode', '--zones', zones], env);
      expect(planned.status, planned.stdout).toBe(0);
      // A changed priority is one in-place update, the other MX untouched.
      const file = join(zones, 'example.com.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('priority: 20', 'priority: 30'));
      const changed = dnssync(['plan', '--format', 'json', '--zones', zones], env);
      const plan = JSON.parse(changed.stdout);
      const changes = plan.zones[0].changes.map(
        (c: { action: string; priority: number }) => `${c.action} ${c.priority}`,
      );
      expect(changes).toEqual(['update 30']);
    } finally {
      sandbox.child.kill();
      await sandbox.exited;
    }
  });
});

describe('8. $INCLUDE', () => {
  it('reads files relative to the including file, with an optional origin, restoring origin and owner', () => {
    const { run, records } = importBind(
      '$TTL 300\na A 192.0.2.1\n$INCLUDE sub/one.db x\n  A 192.0.2.9\n',
      {
        'sub/one.db': 'b A 192.0.2.2\n$INCLUDE two.db\n',
        'sub/two.db': 'c A 192.0.2.3\n',
      },
    );
    expect(run.stderr).toBe('');
    expect(records).toEqual([
      'a A 192.0.2.1 300',
      'a A 192.0.2.9 300',
      'b.x A 192.0.2.2 300',
      'c.x A 192.0.2.3 300',
    ]);
  });

  it('names the included file and line in notes and errors', () => {
    const noted = importBind('$TTL 300\n$INCLUDE inc.db\n', { 'inc.db': '\nx PTR y.\n' });
    expect(noted.header).toContain(
      'inc.db line 2: x.example.com PTR: PTR is not one of the 8 types dnssync manages',
    );
    const broken = importBind('$TTL 300\n$INCLUDE inc.db\n', { 'inc.db': '\nx A nope\n' });
    expect(broken.run.status).toBe(1);
    expect(broken.run.stderr).toContain(`${join(dir, 'inc.db')}:2: error: x.example.com A:`);
  });

  it('refuses a missing file, a file outside the zone file’s directory, and endless nesting', () => {
    const missing = importBind('$TTL 300\n$INCLUDE nope.db\n');
    expect(missing.run.stderr).toContain(':2: error: $INCLUDE nope.db: no such file');
    writeFileSync(join(tmpdir(), `outside-${process.pid}.db`), 'x A 192.0.2.1\n');
    const outside = importBind(`$TTL 300\n$INCLUDE ../outside-${process.pid}.db\n`);
    expect(outside.run.stderr).toContain("outside the zone file's directory");
    rmSync(join(tmpdir(), `outside-${process.pid}.db`));
    symlinkSync('/etc/hostname', join(dir, 'link.db'));
    const linked = importBind('$TTL 300\n$INCLUDE link.db\n');
    expect(linked.run.stderr).toContain("outside the zone file's directory");
    const loop = importBind('$TTL 300\n$INCLUDE self.db\n', { 'self.db': '$INCLUDE self.db\n' });
    expect(loop.run.status).toBe(1);
    expect(loop.run.stderr).toContain('$INCLUDE nested more than 8 deep');
  });
});

describe('$GENERATE', () => {
  it('writes the records out, with offset, width and base modifiers as BIND does', () => {
    const { run, records } = importBind(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: BIND's $GENERATE modifiers
      '$TTL 300\n$GENERATE 1-2 host$ A 192.0.2.${10}\n$GENERATE 1024-1024 ${0,3,n} AAAA 2001:db8::${0,4,x}\n',
    );
    expect(run.stderr).toBe('');
    expect(records).toEqual([
      '0.0.4 AAAA 2001:db8::400 300',
      'host1 A 192.0.2.11 300',
      'host2 A 192.0.2.12 300',
    ]);
  });
});
