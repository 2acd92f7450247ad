/**
 * `dnssync import` against an API that cannot be trusted: the built CLI reads a tiny
 * HTTP server on a random loopback port that lists zones with hostile domains and serves
 * records no zone file can hold. Every other zone must still be written and validate,
 * nothing may appear outside --out-dir, and the output names only files that exist.
 * Build first: `npx tsc -p .`.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const CLI = resolve('dist/cli.js');
/** Anything a terminal would act on: C0/C1 controls except the line feed, DEL, bidi overrides. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function dnssync(cwd: string, url: string, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn('node', [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', VPS_API_URL: url, VPS_API_TOKEN: 'vps_hostile' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

type Rec = [type: string, name: string, value: string, ttl?: number, priority?: number | null];

interface HostileZone {
  uuid: string;
  /** The domain in the zone list. */
  listed: string;
  /** The domain its detail names (default: as listed). */
  detail?: string;
  records?: Rec[];
  /** Answer the detail with this status and an error body instead. */
  status?: number;
  /** Answer the detail with this body as it is. */
  body?: unknown;
}

/** A server that answers the zone list and zone details from `zones`, and 404 otherwise. */
async function hostileApi(zones: HostileZone[]): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/api/v1/dns-zones/') {
      send(
        200,
        zones.map((zone) => ({
          uuid: zone.uuid,
          domain: zone.listed,
          created_at: '2025-01-01T00:00:00Z',
          record_count: zone.records?.length ?? 0,
        })),
      );
      return;
    }
    const zone = zones.find((z) => path === `/api/v1/dns-zones/${encodeURIComponent(z.uuid)}/`);
    if (!zone) return send(404, { detail: 'Not found.', error_code: 'not_found', field: null });
    if (zone.status !== undefined) {
      return send(zone.status, { detail: 'boom', error_code: 'server_error', field: null });
    }
    if (zone.body !== undefined) return send(200, zone.body);
    send(200, {
      uuid: zone.uuid,
      domain: zone.detail ?? zone.listed,
      created_at: '2025-01-01T00:00:00Z',
      record_count: zone.records?.length ?? 0,
      records: (zone.records ?? []).map(([record_type, name, value, ttl, priority], index) => ({
        uuid: `${zone.uuid}-r${index}`,
        record_type,
        name,
        value,
        ttl: ttl ?? 3600,
        priority: priority ?? null,
        created_at: '2025-01-01T00:00:00Z',
      })),
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => !lstatSync(join(dir, path)).isDirectory())
    .sort();
}

/** The paths the output says it wrote. */
function wrotePaths(stdout: string): string[] {
  return [...stdout.matchAll(/^wrote (\S+) /gm)].map((match) => match[1] ?? '');
}

const LONG = `${['a', 'b', 'c'].map((c) => c.repeat(63)).join('.')}.${'d'.repeat(53)}.example`;
const GOOD: HostileZone = {
  uuid: 'good',
  listed: 'good.example',
  records: [
    ['A', '@', '192.0.2.1', 300],
    ['TXT', '@', 'hello'],
    ['NS', '@', 'ns1.vps.org'],
  ],
};

const servers: Server[] = [];
let root: string;
let outDir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dnssync-import-hostile-'));
  outDir = join(root, 'deep', 'er', 'zones');
  mkdirSync(join(root, 'work'));
});
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  }
  rmSync(root, { recursive: true, force: true });
});

describe('import --all from a hostile API', () => {
  it('writes every zone it can, leaves out what it cannot with notes, and writes nothing else', async () => {
    const { url } = await hostileApi([
      GOOD,
      {
        uuid: 'mixed',
        listed: 'mixed.example',
        records: [
          ['A', 'ok', '192.0.2.3'],
          ['A', 'www', '192.0.2.1'],
          ['CNAME', 'www', 'web.example.net'],
          ['CNAME', '@', 'apex.example.net'],
          ['A', 'zero', '192.0.2.2', 0],
          ['MX', '@', 'mx.example.net', 3600, null],
          ['SRV', 'sip', '5 5060 sip.example.net', 3600, 10],
          ['A', 'evil', '\u001b[31m192.0.2.9'],
          ['TXT', 'title', '\u001b]0;pwned\u0007'],
          ['PTR', '9\nrecords: []', '\u202eexample.com'],
        ],
      },
      { uuid: 'dotdot', listed: '../../etc/evil.example' },
      { uuid: 'slash', listed: 'a/b.example' },
      { uuid: 'dots', listed: '..' },
      { uuid: 'absolute', listed: '/tmp/abs.example' },
      { uuid: 'nul', listed: 'nul\u0000.example' },
      { uuid: 'osc', listed: '\u001b]0;pwned\u0007.example' },
      { uuid: 'huge', listed: 'x/'.repeat(5000) },
      { uuid: 'long', listed: LONG },
    ]);
    const run = await dnssync(join(root, 'work'), url, 'import', '--all', '--out-dir', outDir);

    expect(run.status, run.stderr).toBe(1);
    // Only the two writable zones have files, and nothing else appeared anywhere.
    expect(readdirSync(outDir).sort()).toEqual(['good.example.yaml', 'mixed.example.yaml']);
    expect(filesUnder(root)).toEqual([
      join('deep', 'er', 'zones', 'good.example.yaml'),
      join('deep', 'er', 'zones', 'mixed.example.yaml'),
    ]);
    expect(existsSync('/tmp/abs.example.yaml')).toBe(false);
    // The output names only files that exist.
    expect(wrotePaths(run.stdout)).toEqual([
      join(outDir, 'good.example.yaml'),
      join(outDir, 'mixed.example.yaml'),
    ]);
    expect(run.stdout).toContain(
      `wrote ${join(outDir, 'mixed.example.yaml')} (3 records, 7 left out: see its header)`,
    );
    for (const path of run.stderr.match(/\S+\.ya?ml\b/g) ?? []) expect(existsSync(path)).toBe(true);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stderr).not.toMatch(CONTROL);

    // Each written file validates.
    const validated = await dnssync(root, url, 'validate', '--zones', outDir);
    expect(validated.stderr).toBe('');
    expect(validated.stdout).toContain('2 zone files valid');

    // The header says what was left out and why, escaped.
    const mixed = readFileSync(join(outDir, 'mixed.example.yaml'), 'utf8');
    for (const note of [
      '#   - www CNAME web.example.net: www also has A records, and a name with a CNAME can have no other; dnssync plan will propose deleting it (add an ignore rule for www CNAME to keep it)',
      "#   - @ CNAME apex.example.net: a CNAME cannot be at the apex of mixed.example (it would hide the zone's SOA and NS); dnssync plan will propose deleting it",
      '#   - zero A 192.0.2.2: its TTL 0 is not a whole number of seconds from 1 to 2147483647;',
      '#   - @ MX mx.example.net: it has no preference, which MX records need;',
      '#   - sip SRV 5 5060 sip.example.net: SRV name "sip" must start with _service._proto',
      '#   - evil A \\x1b[31m192.0.2.9: its value is not valid in a zone file;',
      '#   - 9\\nrecords: [] PTR \\u202eexample.com: PTR is not one of the 8 types',
    ]) {
      expect(mixed).toContain(note);
    }
    expect(mixed).toContain('  - { name: title, type: TXT, value: "\\x1B]0;pwned\\x07" }');
    expect(mixed).not.toMatch(CONTROL);

    // One warning per record left out that dnssync manages, naming zone, record and reason.
    const warnings = run.stderr.split('\n');
    const recordWarnings = warnings.filter((line) => line.includes(': left out '));
    expect(recordWarnings).toHaveLength(6);
    expect(recordWarnings).toContain(
      'dnssync: warning: mixed.example: left out www CNAME web.example.net: www also has A records, and a name with a CNAME can have no other; dnssync plan will propose deleting it (add an ignore rule for www CNAME to keep it)',
    );
    // One warning per zone skipped, naming it quoted and escaped.
    const skipped = warnings.filter((line) => line.startsWith('dnssync: warning: skipped '));
    expect(skipped).toHaveLength(8);
    for (const name of [
      '"../../etc/evil.example": its domain is not a valid domain name',
      '"a/b.example": its domain is not a valid domain name',
      '"..": its domain is not a valid domain name',
      '"/tmp/abs.example": its domain is not a valid domain name',
      '"nul\\x00.example": its domain is not a valid domain name',
      '"\\x1b]0;pwned\\x07.example": its domain is not a valid domain name',
      `"${LONG}": its file name would be 258 bytes long, and file systems allow 255`,
    ]) {
      expect(
        skipped.some((line) => line.includes(`skipped the zone ${name}`)),
        name,
      ).toBe(true);
    }
    const huge = skipped.find((line) => line.includes('"x/x/'));
    expect(huge).toContain('… (10000 characters in all)');
    expect(huge?.length).toBeLessThan(1000);
    expect(run.stderr).toContain(
      'dnssync: error: import incomplete: skipped 8 zones and left out 6 records a zone file cannot hold (see the warnings above); 2 zone files written\n',
    );
  });

  it('imports a named zone alone', async () => {
    const { url } = await hostileApi([GOOD, { uuid: 'dotdot', listed: '../../etc/evil.example' }]);
    const good = await dnssync(
      join(root, 'work'),
      url,
      'import',
      'good.example',
      '--out-dir',
      outDir,
    );
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(wrotePaths(good.stdout)).toEqual([join(outDir, 'good.example.yaml')]);
  });

  // An answer that contradicts itself, or a zone that cannot be read, ends the import
  // before any file is written, as it ends plan and apply (test/api-inconsistent.test.ts).
  it.each([
    [
      'one domain listed twice',
      [
        { uuid: 'dup1', listed: 'Dup.Example', records: [['A', '@', '192.0.2.10']] },
        { uuid: 'dup2', listed: 'dup.example.', records: [['A', '@', '192.0.2.11']] },
      ],
      'the zone list names "dup.example" twice, as zones "dup1" and "dup2"',
    ],
    [
      'a detail that names another domain',
      [{ uuid: 'swap', listed: 'swap.example', detail: '../../etc/swap.example' }],
      'is "swap.example" in the zone list but',
    ],
    [
      'a zone that cannot be read',
      [{ uuid: 'broken', listed: 'broken.example', status: 500 }],
      'GET /api/v1/dns-zones/broken/: 500 boom',
    ],
    [
      'a malformed detail',
      [{ uuid: 'shape', listed: 'shape.example', body: { uuid: 'shape', records: 'none' } }],
      'GET /api/v1/dns-zones/shape/: 200 unexpected response',
    ],
  ] as Array<[string, HostileZone[], string]>)(
    '%s stops the import',
    async (_title, zones, error) => {
      const { url } = await hostileApi([GOOD, ...zones]);
      const run = await dnssync(join(root, 'work'), url, 'import', '--all', '--out-dir', outDir);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(error);
      expect(run.stdout).toBe('');
      expect(filesUnder(root)).toEqual([]);
    },
  );

  it('replaces a symbolic link with --force instead of writing through it', async () => {
    const { url } = await hostileApi([GOOD]);
    mkdirSync(outDir, { recursive: true });
    const target = join(root, 'work', 'not-a-zone.txt');
    writeFileSync(target, 'keep me\n');
    symlinkSync(target, join(outDir, 'good.example.yaml'));
    const run = await dnssync(
      join(root, 'work'),
      url,
      'import',
      '--all',
      '--out-dir',
      outDir,
      '--force',
    );
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
    expect(lstatSync(join(outDir, 'good.example.yaml')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(outDir, 'good.example.yaml'), 'utf8')).toContain(
      'domain: good.example',
    );
  });
});
