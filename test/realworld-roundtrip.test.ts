/**
 * The real-world round trip (test/fixtures/realworld, README there): every corpus file
 * is taken through the built CLI as a new user would — `import` → `validate` (no
 * error-severity finding, DNS checks included) → `apply` to a `dnssync sandbox` on a
 * free loopback port → `plan` (no changes) → `export --format bind` — and the records
 * BIND itself reads from the original (`named-checkzone -D`), of the types dnssync
 * manages, are compared with BIND's reading of the export: equal, except the records
 * the written zone file's header notes name. Files BIND refuses must be refused by
 * import too, naming the line, or (for refusals about the zone as a whole) have that
 * line's record left out with a note. Last, `named` serves the export and `dnssync
 * verify` must find every record of the zone file served as written.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORD_TYPES } from '../src/model.js';
import { CLI, ROOT, validateJson } from './checks-helpers.js';
import { HAS_CHECKZONE } from './named-checkzone.js';
import { hasNamed, startNamed } from './named-helpers.js';
import { type SandboxChild, spawnSandbox } from './sandbox-helpers.js';

const CORPUS = join(ROOT, 'test', 'fixtures', 'realworld');

interface Entry {
  file: string;
  format: 'bind' | 'octodns';
  origin: string;
  dnssync_origin: string | null;
  named_checkzone: 'ok' | 'refused' | null;
  named_checkzone_error: string | null;
}

const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as Entry[];

/**
 * Files BIND refuses, and how dnssync answers: `refused` names the line import refuses
 * (the line BIND names, or the SOA line when no dnssync domain can be told), `noted`
 * names the line whose record import leaves out with a note, for refusals about the zone
 * as a whole that dnssync's zone rules settle by leaving the record out.
 */
const REFUSED: Record<string, { refused: string } | { noted: string }> = {
  // CLASS10 records in an IN zone: the class is wrong, as BIND says.
  'bind/bind9-example-class10.db': { refused: 'bind9-example-class10.db:12:' },
  // `$TTL` without a value.
  'bind/bind9-badttl.db': { refused: 'bind9-badttl.db:1:' },
  // BIND: an NS without address records; dnssync cannot hold the zone `test.` at all.
  'bind/bind9-master17.db': { refused: 'bind9-master17.db:3:' },
  // BIND: a syntax error at line 110; dnssync cannot hold the zone `example.` at all.
  'bind/dnspython-example.zone': { refused: 'dnspython-example.zone:20:' },
  // A 279-octet character-string.
  'bind/pdns-test.com.zone': { refused: 'pdns-test.com.zone:36:' },
  // Character-strings over 255 octets.
  'bind/pdns-secpoll.zone': { refused: 'pdns-secpoll.zone:33:' },
  // Bad hex in generic RDATA.
  'bind/nsd-bug107-bad-hex-3597.zone': { refused: 'nsd-bug107-bad-hex-3597.zone:10:' },
  // A CNAME beside other data: the CNAME is left out (zone rules).
  'bind/pdns-example.com.zone': { noted: 'line 86:' },
  // ANAME, a type BIND does not know: left out like every type dnssync does not manage.
  'bind/hickory-example.com.zone': { noted: 'line 14:' },
  // A DS at the apex: DS is not a type dnssync manages.
  'bind/octodns-bind-unit.tests.zone': { noted: 'line 66:' },
};

/**
 * Files BIND loads that dnssync cannot hold at all: a top-level zone (`net.`), whose
 * names are absolute and so pin it to its one label (VPS.org zones have two labels or
 * more), and a zone with an underscore in its name. Import refuses them naming the SOA
 * line (or --domain, when the manifest gives one).
 */
const NOT_A_DNSSYNC_ZONE: Record<string, string> = {
  'bind/bind9-glue-net.db': 'bind9-glue-net.db:3:',
  // An underscore in the zone's name: VPS.org's zones are letters, digits and hyphens.
  'bind/nsd-bug236-rrs-before-soa.zone': 'nsd-bug236-rrs-before-soa.zone: error: --domain:',
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let sandbox: SandboxChild;
const work = mkdtempSync(join(tmpdir(), 'dnssync-realworld-'));

function dnssync(args: string[], cwd = ROOT): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      NO_COLOR: '1',
      VPS_API_URL: sandbox.url,
      VPS_API_TOKEN: sandbox.token,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `named-checkzone -D`: the records BIND reads, one canonical line each. */
function bindReads(origin: string, file: string, cwd: string): { ok: boolean; lines: string[] } {
  const result = spawnSync('named-checkzone', ['-D', '-o', '-', origin, file], {
    cwd,
    encoding: 'latin1',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { ok: result.status === 0, lines: result.stdout.split('\n') };
}

/** An owner as dnssync shows it: `\DDD` escapes undone, octets read as UTF-8, lowercase. */
function ownerText(owner: string): string {
  const octets: number[] = [];
  for (let i = 0; i < owner.length; i++) {
    const digits = owner.slice(i + 1, i + 4);
    if (owner[i] === '\\' && /^\d{3}$/.test(digits)) {
      octets.push(Number(digits));
      i += 3;
    } else if (owner[i] === '\\') {
      octets.push(owner.charCodeAt(i + 1));
      i += 1;
    } else octets.push(owner.charCodeAt(i));
  }
  return Buffer.from(octets).toString('utf8').toLowerCase().replace(/\.$/, '');
}

interface Rr {
  owner: string;
  type: string;
  line: string;
}

/** The records of the managed types inside `origin`, apex NS and SOA aside. */
function managedRecords(lines: string[], origin: string): Rr[] {
  const out: Rr[] = [];
  for (const text of lines) {
    const match = /^(\S+)\s+(\d+)\s+IN\s+(\S+)\s+(.*)$/.exec(text);
    if (!match) continue;
    const [, rawOwner = '', ttl, type = '', rdata = ''] = match;
    if (!(RECORD_TYPES as readonly string[]).includes(type)) continue;
    const owner = ownerText(rawOwner);
    if (type === 'NS' && owner === origin) continue;
    const value = type === 'TXT' || type === 'CAA' ? rdata.trim() : rdata.trim().toLowerCase();
    out.push({ owner, type, line: `${owner} ${ttl} ${type} ${value.replace(/\s+/g, ' ')}` });
  }
  return out;
}

/** The (owner, type) pairs the written zone file's header names in its notes. */
function notedRecords(zoneText: string, origin: string): Set<string> {
  const noted = new Set<string>();
  for (const line of zoneText.split('\n')) {
    const match = /^#\s+- (?:\S+ )?line \d+: (\S+) ([A-Z][A-Z0-9-]*)\b/.exec(line);
    if (!match) continue;
    const [, name = '', type = ''] = match;
    const lower = name.toLowerCase();
    const absolute =
      lower === '@'
        ? origin
        : lower === origin || lower.endsWith(`.${origin}`)
          ? lower
          : `${lower}.${origin}`;
    noted.add(`${absolute} ${type}`);
  }
  return noted;
}

function headerOf(zoneText: string): string {
  return zoneText
    .split('\n')
    .filter((line) => line.startsWith('#'))
    .join('\n');
}

/**
 * Files with a record set larger than one DNS message can carry (5,000 A records at one
 * name): named answers it truncated even over TCP, and verify says it cannot be checked.
 */
const TOO_LARGE_FOR_ONE_MESSAGE = new Set(['bind/bind9-limits-example.db']);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!HAS_CHECKZONE)('real-world zone files round-trip through dnssync', () => {
  for (const entry of manifest) {
    it(`${entry.file}`, { timeout: 600_000 }, async () => {
      // A sandbox of its own: several files hold the same domain (example.com, example.test).
      sandbox = await spawnSandbox(['--port', '0']);
      try {
        await roundTrip(entry);
      } finally {
        sandbox.child.kill();
        await sandbox.exited;
      }
    });
  }
});

async function roundTrip(entry: Entry): Promise<void> {
  {
    const dir = mkdtempSync(join(work, 'zones-'));
    const sourceDir = join(CORPUS, dirname(entry.file));
    const file = basename(entry.file);
    const origin = entry.dnssync_origin ?? entry.origin;
    const args = ['import', `--from-${entry.format}`, file, '--out-dir', dir];
    if (entry.dnssync_origin) args.push('--domain', entry.dnssync_origin);
    const imported = dnssync(args, sourceDir);
    const notAZone = NOT_A_DNSSYNC_ZONE[entry.file];
    const expected = REFUSED[entry.file] ?? (notAZone ? { refused: notAZone } : undefined);

    if (entry.format === 'bind') {
      const original = bindReads(origin, file, sourceDir);
      expect(original.ok, `named-checkzone's verdict on ${entry.file}`).toBe(
        entry.named_checkzone === 'ok',
      );
      expect(entry.named_checkzone === 'refused', 'a refused file has an expectation').toBe(
        REFUSED[entry.file] !== undefined,
      );
    }
    if (expected && 'refused' in expected) {
      expect(imported.status).toBe(1);
      expect(imported.stderr).toContain(expected.refused);
      expect(imported.stderr).toContain('nothing was written');
      return;
    }

    // Written: exit 0, or 1 when records of the managed types broke the zone rules
    // (each warned about and noted in the header).
    expect(imported.stdout, imported.stderr).toMatch(/^wrote /);
    if (imported.status !== 0) {
      expect(imported.stderr).toMatch(/^dnssync: error: import incomplete: left out \d+ record/m);
    }
    const [written] = readdirSync(dir);
    const zoneText = readFileSync(join(dir, written ?? ''), 'utf8');
    if (expected && 'noted' in expected) expect(headerOf(zoneText)).toContain(expected.noted);

    const { issues } = validateJson(dir);
    expect(issues.filter((issue) => issue.severity === 'error')).toEqual([]);

    const applied = dnssync(['apply', '--yes', '--zones', dir, origin]);
    expect(applied.status, `${applied.stdout}\n${applied.stderr}`).toBe(0);
    const planned = dnssync(['plan', '--detailed-exitcode', '--zones', dir, origin]);
    expect(planned.status, `${planned.stdout}\n${planned.stderr}`).toBe(0);

    const exportFile = join(dir, `${origin}.zone`);
    const exported = dnssync(['export', '--format', 'bind', '--zones', dir, '--out-dir', dir]);
    expect(exported.status, exported.stderr).toBe(0);
    const reread = bindReads(origin, exportFile, dir);
    expect(reread.ok, reread.lines.join('\n')).toBe(true);

    // named serving the export answers everything the zone file says, as verify reads it
    // (delegations through referrals and glue, large sets over TCP, every TTL).
    if (hasNamed) {
      const served = await startNamed([{ domain: origin, file: exportFile }]);
      try {
        const verified = dnssync([
          'verify',
          '--zones',
          dir,
          '--nameserver',
          served.nameserver,
          origin,
        ]);
        const output = `${verified.stdout}\n${verified.stderr}`;
        if (TOO_LARGE_FOR_ONE_MESSAGE.has(entry.file)) {
          // Not served whole by any server: verify says so instead of calling records missing.
          expect(output).toContain('does not fit in one DNS message');
          expect(output).not.toMatch(/differs|missing/);
        } else expect(verified.status, output).toBe(0);
      } finally {
        await served.stop();
      }
    }

    // A file BIND refuses has no reading of BIND's to compare with.
    if (entry.format !== 'bind' || entry.named_checkzone !== 'ok') return;
    const noted = notedRecords(zoneText, origin);
    const keep = (rr: Rr) => !noted.has(`${rr.owner} ${rr.type}`);
    const want = managedRecords(bindReads(origin, file, sourceDir).lines, origin)
      .filter(keep)
      .map((rr) => rr.line)
      .sort();
    const got = managedRecords(reread.lines, origin)
      .filter(keep)
      .map((rr) => rr.line)
      .sort();
    expect(got).toEqual(want);
  }
}
