/**
 * `dnssync import` of live zones, end to end: the built CLI against an in-process
 * sandbox on a random loopback port. Written files must validate and `dnssync plan`
 * right after must show no changes. Build first: `npx tsc -p .`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VpsClient } from '../src/api/client.js';
import { toLiveZone } from '../src/api/convert.js';
import type { ApiRecordInput, ApiZoneDetail } from '../src/api/types.js';
import { importLiveZone } from '../src/interop/live-import.js';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';

const CLI = 'dist/cli.js';
let sandbox: Sandbox;
let api: VpsClient;
let dir: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function dnssync(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('node', [CLI, ...args], {
      env: {
        ...process.env,
        NO_COLOR: '1',
        VPS_API_URL: sandbox.url,
        VPS_API_TOKEN: sandbox.token,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function seed(domain: string, records: ApiRecordInput[]): Promise<void> {
  const zone = await api.createZone(domain);
  for (const record of records) await api.createRecord(zone.uuid, record);
}

const rec = (
  record_type: string,
  name: string,
  value: string,
  ttl = 3600,
  priority: number | null = null,
): ApiRecordInput => ({
  record_type,
  name,
  value,
  ttl,
  ...(priority === null ? {} : { priority }),
});

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  api = new VpsClient({ baseUrl: sandbox.url, token: sandbox.token });
});
afterAll(async () => {
  await api.close();
  await sandbox.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dnssync-import-'));
});
afterEach(async () => {
  // The client has no zone deletion (dnssync never deletes a zone): over plain HTTP.
  for (const zone of await api.listZones()) {
    await fetch(`${sandbox.url}/api/v1/dns-zones/${zone.uuid}/`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${sandbox.token}` },
    });
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('dnssync import (live)', () => {
  it('writes a zone file that validates and plans zero changes, whatever the API spelling', async () => {
    await seed('shop.example', [
      rec('A', '@', '192.0.2.1', 300),
      rec('A', 'shop.example.', '192.0.2.2', 300),
      rec('AAAA', 'WWW', '2001:DB8:0:0:0:0:0:1'),
      rec('CNAME', 'blog.shop.example', 'Hosting.Example.NET.', 600),
      rec('MX', '@', 'mx1.mail.example.net.', 3600, 10),
      rec('MX', 'SHOP.example', 'mx2.mail.example.net', 3600, 20),
      rec('TXT', '@', 'v=spf1 include:_spf.example.net ~all'),
      rec('TXT', '_dmarc', 'v=DMARC1; p=reject; rua=mailto:"dmarc"@shop.example'),
      rec('SRV', '_sip._tcp', '5 5060 sip.example.net.', 3600, 10),
      rec('CAA', '@', '0 issue "letsencrypt.org"'),
      rec('NS', 'lab', 'ns1.lab.example.net'),
      rec('NS', '@', 'ns1.vps.org'),
      rec('NS', '@', 'ns2.vps.org.'),
      rec('CNAME', '*.preview', 'previews.example.net'),
    ]);
    const imported = await dnssync('import', 'shop.example', '--out-dir', dir);
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain(
      `wrote ${join(dir, 'shop.example.yaml')} (12 records, 2 left out`,
    );
    const text = readFileSync(join(dir, 'shop.example.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\S+\/schemas\/zone\.schema\.json\n/);
    expect(text).toContain("#   - @ NS ns1.vps.org: the provider's nameservers");
    expect(text).toContain('\nttl: 3600\n');
    expect(text).toContain(
      '  - { name: "@", type: A, values: [192.0.2.1, 192.0.2.2], ttl: 300 }\n',
    );
    expect(text).toContain(
      '  - { name: blog, type: CNAME, value: hosting.example.net, ttl: 600 }\n',
    );
    expect(text).toContain('  - { name: www, type: AAAA, value: "2001:db8::1" }\n');

    const validated = await dnssync('validate', '--zones', dir);
    expect(validated.stdout).toContain('1 zone file valid');
    expect(validated.status).toBe(0);
    const plan = await dnssync('plan', '--zones', dir, '--detailed-exitcode', '--format', 'json');
    expect(plan.stderr).toBe('');
    expect(plan.status).toBe(0);
    expect(JSON.parse(plan.stdout).summary).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect(JSON.parse(plan.stdout).zones[0].changes).toEqual([]);
  });

  it('declares every apex NS when someone added their own, so the plan still shows no changes', async () => {
    await seed('own-ns.example', [
      rec('A', '@', '192.0.2.1'),
      rec('NS', '@', 'ns1.vps.org'),
      rec('NS', '@', 'ns2.vps.org'),
      rec('NS', '@', 'ns.other-dns.example.net'),
    ]);
    const imported = await dnssync('import', 'own-ns.example', '--out-dir', dir);
    expect(imported.status).toBe(0);
    const text = readFileSync(join(dir, 'own-ns.example.yaml'), 'utf8');
    expect(text).toContain(
      '  - { name: "@", type: NS, values: [ns.other-dns.example.net, ns1.vps.org, ns2.vps.org] }',
    );
    const plan = await dnssync('plan', '--zones', dir, '--detailed-exitcode');
    expect(plan.status).toBe(0);
  });

  it('imports every live zone with --all', async () => {
    await seed('a.example', [rec('A', '@', '192.0.2.1')]);
    await seed('b.example', [rec('TXT', '@', 'hello')]);
    await seed('empty.example', []);
    const imported = await dnssync('import', '--all', '--out-dir', dir);
    expect(imported.status).toBe(0);
    for (const domain of ['a.example', 'b.example', 'empty.example']) {
      expect(existsSync(join(dir, `${domain}.yaml`)), domain).toBe(true);
    }
    expect(readFileSync(join(dir, 'empty.example.yaml'), 'utf8')).toContain('\nrecords: []\n');
    const plan = await dnssync('plan', '--zones', dir, '--detailed-exitcode');
    expect(plan.status).toBe(0);
  });

  it('leaves out the records a zone file cannot hold, writes every zone, and the plan deletes just those', async () => {
    await seed('fine.example', [rec('A', '@', '192.0.2.1')]);
    await seed('clash.example', [
      rec('A', '@', '192.0.2.2'),
      rec('CNAME', '@', 'apex.example.net'),
      rec('A', 'www', '192.0.2.3'),
      rec('CNAME', 'www', 'web.example.net'),
      rec('TXT', 'www', 'kept'),
    ]);
    const imported = await dnssync('import', '--all', '--out-dir', dir);
    expect(imported.status).toBe(1);
    expect(imported.stdout).toBe(
      [
        `wrote ${join(dir, 'clash.example.yaml')} (3 records, 2 left out: see its header)`,
        `wrote ${join(dir, 'fine.example.yaml')} (1 record)`,
        '',
      ].join('\n'),
    );
    expect(imported.stderr).toBe(
      [
        "dnssync: warning: clash.example: left out @ CNAME apex.example.net: a CNAME cannot be at the apex of clash.example (it would hide the zone's SOA and NS); dnssync plan will propose deleting it (add an ignore rule for @ CNAME to keep it)",
        'dnssync: warning: clash.example: left out www CNAME web.example.net: www also has A and TXT records, and a name with a CNAME can have no other; dnssync plan will propose deleting it (add an ignore rule for www CNAME to keep it)',
        'dnssync: error: import incomplete: left out 2 records a zone file cannot hold (see the warnings above); 2 zone files written',
        '',
      ].join('\n'),
    );
    const validated = await dnssync('validate', '--zones', dir);
    expect(validated.stdout).toContain('2 zone files valid');
    // What the warnings promise: the plan deletes exactly the records left out.
    const plan = await dnssync('plan', '--zones', dir, '--format', 'json');
    expect(plan.status).toBe(0);
    const zones = JSON.parse(plan.stdout).zones as Array<{
      domain: string;
      changes: Array<{ action: string; name: string; type: string; value: string }>;
    }>;
    const changes = zones.flatMap((zone) =>
      zone.changes.map((c) => `${zone.domain} ${c.action} ${c.name} ${c.type} ${c.value}`),
    );
    expect(changes.sort()).toEqual([
      'clash.example delete @ CNAME apex.example.net',
      'clash.example delete www CNAME web.example.net',
    ]);
  });

  it('refuses to overwrite a zone file without --force, writing nothing at all', async () => {
    await seed('a.example', [rec('A', '@', '192.0.2.1')]);
    await seed('b.example', [rec('A', '@', '192.0.2.2')]);
    const existing = join(dir, 'b.example.yaml');
    writeFileSync(existing, 'records: []\n');
    const refused = await dnssync('import', '--all', '--out-dir', dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `${existing} already exists; nothing was written (use --force`,
    );
    expect(readFileSync(existing, 'utf8')).toBe('records: []\n');
    expect(existsSync(join(dir, 'a.example.yaml'))).toBe(false);

    const forced = await dnssync('import', '--all', '--out-dir', dir, '--force');
    expect(forced.status).toBe(0);
    expect(readFileSync(existing, 'utf8')).toContain('value: 192.0.2.2');
  });

  it('names a domain that has no live zone, and checks its arguments', async () => {
    const missing = await dnssync('import', 'nowhere.example', '--out-dir', dir);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no live zone for nowhere.example');
    const nothing = await dnssync('import', '--out-dir', dir);
    expect(nothing.status).toBe(1);
    expect(nothing.stderr).toContain('name the live zones to import, or give --all');
    const both = await dnssync('import', '--from-bind', 'x', '--from-octodns', 'y');
    expect(both.status).toBe(1);
    expect(both.stderr).toContain('not both');
  });
});

describe('importLiveZone', () => {
  const detail = (
    records: Array<[string, string, string, number, number | null]>,
  ): ApiZoneDetail => ({
    uuid: 'z',
    domain: 'example.com',
    created_at: '',
    record_count: records.length,
    records: records.map(([record_type, name, value, ttl, priority], index) => ({
      uuid: `r${index}`,
      record_type,
      name,
      value,
      ttl,
      priority,
      created_at: '',
    })),
  });

  it('leaves out SOA, other types, unreadable values and the provider NS, each with a reason', () => {
    const zone = importLiveZone(
      toLiveZone(
        detail([
          ['SOA', '@', 'ns1.vps.org. hostmaster.vps.org. 1 2 3 4 5', 3600, null],
          ['PTR', '1', 'host.example.com', 3600, null],
          ['A', 'bad', '999.1.1.1', 3600, null],
          ['NS', '@', 'ns1.vps.org', 3600, null],
          ['A', 'ok', '192.0.2.1', 3600, null],
        ]),
      ),
    );
    expect(zone.records).toEqual([
      { name: 'ok', type: 'A', value: '192.0.2.1', ttl: 3600, priority: null },
    ]);
    expect(zone.leftOut).toEqual([
      "@ SOA ns1.vps.org. hostmaster.vps.org. 1 2 3 4 5: the SOA is the provider's",
      '1 PTR host.example.com: PTR is not one of the 8 types dnssync manages',
      "@ NS ns1.vps.org: the provider's nameservers (dnssync leaves apex NS alone)",
    ]);
    expect(zone.unwritable).toEqual([
      'bad A 999.1.1.1: its value is not valid in a zone file; dnssync plan will propose deleting it (add an ignore rule for bad A to keep it)',
    ]);
  });

  it('suggests an ignore rule only where the file declares nothing else of that name and type', () => {
    const zone = importLiveZone(
      toLiveZone(
        detail([
          ['A', 'www', '192.0.2.1', 3600, null],
          ['A', 'www', '192.0.2.2', 0, null],
          ['A', 'zero', '192.0.2.3', 0, null],
        ]),
      ),
    );
    expect(zone.unwritable).toEqual([
      'www A 192.0.2.2: its TTL 0 is not a whole number of seconds from 1 to 2147483647; dnssync plan will propose deleting it',
      'zero A 192.0.2.3: its TTL 0 is not a whole number of seconds from 1 to 2147483647; dnssync plan will propose deleting it (add an ignore rule for zero A to keep it)',
    ]);
  });

  it('gives one name and type one TTL (the lowest) and drops duplicates, saying so', () => {
    const zone = importLiveZone(
      toLiveZone(
        detail([
          ['A', 'www', '192.0.2.1', 600, null],
          ['A', 'www', '192.0.2.2', 300, null],
          ['A', 'www', '192.0.2.2', 300, null],
        ]),
      ),
    );
    expect(zone.records.map((r) => [r.value, r.ttl])).toEqual([
      ['192.0.2.1', 300],
      ['192.0.2.2', 300],
    ]);
    expect(zone.adjusted).toEqual([
      'www A 192.0.2.2: a duplicate, written once',
      'www A: its records had different TTLs (600, 300); all use 300 here, as one name and type share one TTL',
    ]);
  });
});
