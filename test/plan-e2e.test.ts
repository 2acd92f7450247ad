/**
 * End-to-end: the built CLI (`node dist/cli.js plan`) against an in-process sandbox on a
 * random loopback port, seeded over plain HTTP. Build first: `npx tsc -p .`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../src/plan/types.js';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import { planValidator } from './plan-fixtures.js';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const READ_ONLY_TOKEN = 'vps_readonly_but_no_list_permission';

let sandbox: Sandbox;
let dir: string;
let zonesDir: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    tokens: [
      {
        token: 'vps_e2e_full_access_token',
        permissions: ['dns:list', 'dns:read', 'dns:create', 'dns:update', 'dns:delete'],
        owner: 'me',
      },
      { token: READ_ONLY_TOKEN, permissions: ['dns:read'], owner: 'me' },
    ],
  });
});
afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dnssync-plan-e2e-'));
  zonesDir = join(dir, 'zones');
  await rm(zonesDir, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(zonesDir));
});
afterEach(async () => {
  for (const zone of sandbox.zones()) {
    await api('DELETE', `/api/v1/dns-zones/${zone.uuid}/`);
  }
  sandbox.resetStats();
  await rm(dir, { recursive: true, force: true });
});

async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${sandbox.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

type Seed = [name: string, type: string, value: string, ttl?: number, priority?: number];

/** A live zone with records, exactly as spelled here (the API keeps spellings). */
async function seedZone(domain: string, records: Seed[]): Promise<void> {
  const zone = (await api('POST', '/api/v1/dns-zones/', { domain })) as { uuid: string };
  for (const [name, record_type, value, ttl = 3600, priority] of records) {
    await api('POST', `/api/v1/dns-zones/${zone.uuid}/records/`, {
      record_type,
      name,
      value,
      ttl,
      ...(priority === undefined ? {} : { priority }),
    });
  }
}

async function zoneFile(domain: string, yaml: string): Promise<void> {
  await writeFile(join(zonesDir, `${domain}.yaml`), yaml);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function dnssync(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const base: Record<string, string | undefined> = {
    ...process.env,
    VPS_API_URL: sandbox.url,
    VPS_API_TOKEN: sandbox.token,
    NO_COLOR: '1',
    GITHUB_ACTIONS: undefined,
    GITHUB_STEP_SUMMARY: undefined,
    FORCE_COLOR: undefined,
    ...env,
  };
  const cleanEnv = Object.fromEntries(
    Object.entries(base).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args, '--zones', zonesDir],
      { env: cleanEnv, cwd: dir },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

const EXAMPLE = `records:
  - { name: "@", type: A, value: 192.0.2.1, ttl: 300 }
  - { name: mail, type: A, value: 192.0.2.9 }
  - { name: "@", type: MX, value: mail.example.com, priority: 20 }
  - { name: www, type: CNAME, value: example.com. }
  - { name: "@", type: TXT, value: "v=spf1 -all" }
`;
const EXAMPLE_LIVE: Seed[] = [
  ['@', 'A', '192.0.2.1', 3600],
  ['mail', 'A', '192.0.2.1'],
  ['@', 'MX', 'mail.example.com', 3600, 10],
  ['www', 'A', '192.0.2.1'],
  ['@', 'TXT', 'v=spf1 -all'],
  ['old', 'TXT', 'bye'],
];

describe('dnssync plan (built CLI against the sandbox)', () => {
  it('prints a text plan with every kind of change; --detailed-exitcode exits 2', async () => {
    await zoneFile('example.com', EXAMPLE);
    await seedZone('example.com', EXAMPLE_LIVE);
    const run = await dnssync(['plan']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^example\.com {2}\S+example\.com\.yaml {2}1 to create, 3 to update, 2 to delete$/m,
    );
    expect(run.stdout).toMatch(
      /^ {2}- www +A +192\.0\.2\.1 +ttl 3600 {2}\(makes room for the new CNAME/m,
    );
    expect(run.stdout).toMatch(/^ {2}\+ www +CNAME +example\.com +ttl 3600$/m);
    expect(run.stdout).toMatch(/^ {2}~ @ +A +192\.0\.2\.1 +ttl 3600 → 300$/m);
    expect(run.stdout).toMatch(/^ {2}~ mail +A +192\.0\.2\.1 → 192\.0\.2\.9 +ttl 3600$/m);
    expect(run.stdout).toMatch(/^ {2}~ @ +MX +mail\.example\.com +ttl 3600 {2}priority 10 → 20$/m);
    expect(run.stdout).toMatch(/^ {2}- old +TXT +"bye" +ttl 3600$/m);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Plan: 1 to create, 3 to update, 2 to delete in 1 zone.',
    );
    expect((await dnssync(['plan', '--detailed-exitcode'])).code).toBe(2);
  });

  it('reads with one list request and one detail request per managed zone; unmanaged zones are listed, not read', async () => {
    await zoneFile('example.com', EXAMPLE);
    await zoneFile('second.example', 'records: []\n');
    await seedZone('example.com', EXAMPLE_LIVE);
    await seedZone('second.example', []);
    await seedZone('legacy.example', [['@', 'A', '192.0.2.70']]);
    await seedZone('parked.example', []);
    sandbox.resetStats();
    const run = await dnssync(['plan', '--format', 'json']);
    expect(run.code).toBe(0);
    expect(sandbox.stats.byMethod).toEqual({ GET: 3 });
    const plan = JSON.parse(run.stdout) as Plan;
    expect(plan.unmanaged_zones).toEqual(['legacy.example', 'parked.example']);

    const text = await dnssync(['plan']);
    expect(text.stdout).toContain(
      'Unmanaged: 2 live zones without a zone file, left alone: legacy.example, parked.example.',
    );
    // Naming one domain still does not call the other zone file's zone unmanaged.
    const one = JSON.parse(
      (await dnssync(['plan', 'example.com', '--format', 'json'])).stdout,
    ) as Plan;
    expect(one.zones.map((z) => z.domain)).toEqual(['example.com']);
    expect(one.unmanaged_zones).toEqual(['legacy.example', 'parked.example']);
  });

  it('takes zone file paths as well as domains (zones/example.com.yaml)', async () => {
    await seedZone('example.com', EXAMPLE_LIVE);
    await seedZone('legacy.example', []);
    await zoneFile('example.com', EXAMPLE);
    await zoneFile('other.example', 'records: []\n');
    const run = await dnssync(['plan', 'zones/example.com.yaml', '--format', 'json']);
    expect(run.stderr).toBe('');
    const plan = JSON.parse(run.stdout) as Plan;
    expect(plan.zones.map((z) => z.domain)).toEqual(['example.com']);
    expect(plan.unmanaged_zones).toEqual(['legacy.example']);
  });

  it('--format json prints a plan that matches the schema', async () => {
    await zoneFile('example.com', EXAMPLE);
    await seedZone('example.com', EXAMPLE_LIVE);
    const run = await dnssync(['plan', '--format', 'json']);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    const validate = planValidator();
    expect(validate(plan), JSON.stringify(validate.errors)).toBe(true);
    expect(plan.summary).toMatchObject({ create: 1, update: 3, delete: 2, zones_changed: 1 });
    expect(plan.zones[0]?.live_fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('--out saves the JSON plan (valid against the schema) and still prints the text plan', async () => {
    await zoneFile('example.com', EXAMPLE);
    await seedZone('example.com', EXAMPLE_LIVE);
    const out = join(dir, 'plan.json');
    const run = await dnssync(['plan', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Plan: 1 to create, 3 to update, 2 to delete in 1 zone.');
    expect(run.stdout).toContain(`Saved the plan to ${out}`);
    const saved = JSON.parse(await readFile(out, 'utf8')) as Plan;
    const validate = planValidator();
    expect(validate(saved), JSON.stringify(validate.errors)).toBe(true);
    expect(saved.zones[0]?.changes).toHaveLength(6);

    const json = await dnssync(['plan', '--format', 'json', '--out', out]);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(await readFile(out, 'utf8')));
    expect(json.stderr).toContain('Saved the plan');
  });

  it('--format markdown prints the PR comment form', async () => {
    await zoneFile('example.com', EXAMPLE);
    await seedZone('example.com', EXAMPLE_LIVE);
    const run = await dnssync(['plan', '--format', 'markdown']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 4)).toEqual([
      '<!-- dnssync:plan -->',
      '### dnssync plan',
      '',
      '**Plan: 1 to create, 3 to update, 2 to delete in 1 zone.**',
    ]);
    expect(run.stdout).toContain(
      '| ~ update | <code>mail</code> | A | <code>192.0.2.1</code> → <code>192.0.2.9</code> | 3600 |  |',
    );
  });

  it('--diff prints a unified diff per zone, then the summary', async () => {
    await zoneFile('example.com', EXAMPLE);
    await seedZone('example.com', EXAMPLE_LIVE);
    const run = await dnssync(['plan', '--diff']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--- live/example.com\n+++ desired/example.com\n@@');
    expect(run.stdout).toMatch(/^-mail 3600 IN A +192\.0\.2\.1$/m);
    expect(run.stdout).toMatch(/^\+mail 3600 IN A +192\.0\.2\.9$/m);
    expect(run.stdout).toMatch(/^\+www +3600 IN CNAME example\.com\.$/m);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Plan: 1 to create, 3 to update, 2 to delete in 1 zone.',
    );
    const bad = await dnssync(['plan', '--diff', '--format', 'json']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'dnssync: error: --diff prints text; it cannot be combined with --format json\n',
    );
  });

  it('--format diff is the diff, and --diff an alias of it (also beside --format text)', async () => {
    await zoneFile('example.com', EXAMPLE);
    await seedZone('example.com', EXAMPLE_LIVE);
    const diff = await dnssync(['plan', '--format', 'diff']);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('--- live/example.com\n+++ desired/example.com\n@@');
    expect(diff.stdout).toMatch(/^\+mail 3600 IN A +192\.0\.2\.9$/m);
    expect((await dnssync(['plan', '--diff'])).stdout).toBe(diff.stdout);
    expect((await dnssync(['plan', '--diff', '--format', 'text'])).stdout).toBe(diff.stdout);
    expect((await dnssync(['plan', '--diff', '--format', 'diff'])).stdout).toBe(diff.stdout);
    const help = await dnssync(['plan', '--help']);
    expect(help.stdout).toMatch(/choices:\s+"text", "markdown", "json", "diff"/);
  });

  it('converges: equivalent spellings from the API plan no changes (exit 0 with --detailed-exitcode)', async () => {
    await zoneFile(
      'example.com',
      `records:
  - { name: "@", type: A, value: 192.0.2.1 }
  - { name: www, type: CNAME, value: target.example.net }
  - { name: "@", type: MX, value: mail.example.net, priority: 10 }
  - { name: v6, type: AAAA, value: "2001:db8::1" }
  - { name: sub, type: NS, value: ns1.other-dns.net }
  - { name: _sip._tcp, type: SRV, value: 5 5060 sip.example.net, priority: 10 }
`,
    );
    await seedZone('example.com', [
      ['example.com.', 'A', '192.0.2.1'],
      ['WWW.example.com', 'CNAME', 'Target.EXAMPLE.net.'],
      ['@', 'MX', 'MAIL.Example.NET.', 3600, 10],
      ['v6.example.com.', 'AAAA', '2001:0DB8:0000:0000:0000:0000:0000:0001'],
      ['sub', 'NS', 'NS1.Other-DNS.net.'],
      ['_sip._tcp.example.com', 'SRV', '5 5060 SIP.Example.net.', 3600, 10],
    ]);
    const run = await dnssync(['plan', '--detailed-exitcode']);
    expect(run.stdout).toBe('No changes. Live DNS matches the zone files (1 zone checked).\n');
    expect(run.code).toBe(0);
  });

  it('leaves ignored records, provider NS and unmanaged types alone; purge: false keeps records', async () => {
    await zoneFile(
      'example.com',
      `purge: false
ignore:
  - { name: "_acme-challenge*", type: TXT }
records:
  - { name: "@", type: A, value: 192.0.2.1 }
`,
    );
    await seedZone('example.com', [
      ['@', 'A', '192.0.2.1'],
      ['_acme-challenge', 'TXT', 'token'],
      ['@', 'NS', 'ns1.vps.org'],
      ['@', 'NS', 'ns2.vps.org'],
      ['legacy', 'A', '192.0.2.99'],
    ]);
    const run = await dnssync(['plan', '--format', 'json']);
    const zone = (JSON.parse(run.stdout) as Plan).zones[0]!;
    expect(zone.changes).toEqual([]);
    expect(zone).toMatchObject({
      ignored: 1,
      provider_ns: 2,
      kept: [{ name: 'legacy', value: '192.0.2.99' }],
    });

    await zoneFile(
      'example.com',
      `ignore:
  - { name: "_acme-challenge*", type: TXT }
records:
  - { name: "@", type: A, value: 192.0.2.1 }
`,
    );
    const purged = await dnssync(['plan']);
    expect(purged.stdout).toMatch(/^ {2}- legacy +A +192\.0\.2\.99/m);
    expect(purged.stdout).not.toContain('_acme-challenge');
    expect(purged.stdout).toContain(
      'left alone: 1 matched by ignore rules, 2 provider NS at the apex',
    );
  });

  it('declared apex NS are managed, and changing them makes the plan unsafe', async () => {
    await zoneFile(
      'example.com',
      `records:
  - { name: "@", type: NS, value: ns1.other-dns.net }
  - { name: "@", type: NS, value: ns2.vps.org }
`,
    );
    await seedZone('example.com', [
      ['@', 'NS', 'ns1.vps.org'],
      ['@', 'NS', 'ns2.vps.org'],
    ]);
    const run = await dnssync(['plan']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}~ @ +NS +ns1\.vps\.org → ns1\.other-dns\.net/m);
    expect(run.stdout).toContain(
      '⚠ unsafe: would change the apex NS records, which delegate the zone (1 to update)',
    );
    expect(run.stdout).toContain('⚠ Unsafe plan: example.com');
  });

  it('an unsafe share of deletes is flagged; the flags move the threshold', async () => {
    const hosts = Array.from({ length: 10 }, (_, i): Seed => [`h${i}`, 'A', `192.0.2.${i + 1}`]);
    await seedZone('big.example', hosts);
    await zoneFile(
      'big.example',
      `records:\n${hosts
        .slice(4)
        .map(([n, , v]) => `  - { name: ${n}, type: A, value: ${v} }\n`)
        .join('')}`,
    );
    const run = await dnssync(['plan']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('⚠ unsafe: would delete 4 of 10 managed records (40% > 30%)');
    const json = JSON.parse((await dnssync(['plan', '--format', 'json'])).stdout) as Plan;
    expect(json.summary.unsafe_zones).toBe(1);

    const relaxed = await dnssync(['plan', '--max-delete-percent', '40']);
    expect(relaxed.stdout).not.toContain('unsafe');
    const small = await dnssync(['plan', '--safety-min-records', '11']);
    expect(small.stdout).not.toContain('unsafe');
    const strict = JSON.parse(
      (
        await dnssync([
          'plan',
          '--format',
          'json',
          '--max-update-percent',
          '5',
          '--max-delete-percent',
          '10',
        ])
      ).stdout,
    ) as Plan;
    expect(strict.safety_options).toEqual({
      update_threshold: 0.05,
      delete_threshold: 0.1,
      min_records: 10,
    });
    const wrong = await dnssync(['plan', '--max-delete-percent', '120']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--max-delete-percent needs a percentage from 0 to 100');
    // A bare `%` is no number (it was once read as 0%, making every deletion unsafe).
    const bare = await dnssync(['plan', '--max-delete-percent', '%']);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('--max-delete-percent needs a percentage from 0 to 100');
  });

  it('plans a zone to create', async () => {
    await zoneFile('new.example', 'records:\n  - { name: "@", type: A, value: 198.51.100.7 }\n');
    const run = await dnssync(['plan', '--detailed-exitcode']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('new.example');
    expect(run.stdout).toContain('new zone, will be created; 1 to create');
    expect(run.stdout).toContain(
      'Plan: 2 to create (1 new zone, 1 record), 0 to update, 0 to delete in 1 zone.',
    );
    const plan = JSON.parse((await dnssync(['plan', '--format', 'json'])).stdout) as Plan;
    expect(plan.zones[0]).toMatchObject({
      create_zone: true,
      zone_uuid: null,
      live_fingerprint: null,
    });
  });

  it('with GITHUB_ACTIONS=true, appends the Markdown plan to $GITHUB_STEP_SUMMARY', async () => {
    await zoneFile('example.com', EXAMPLE);
    await seedZone('example.com', EXAMPLE_LIVE);
    const summary = join(dir, 'summary.md');
    await writeFile(summary, '## earlier step\n');
    const run = await dnssync(['plan'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(run.code).toBe(0);
    const text = await readFile(summary, 'utf8');
    expect(text.startsWith('## earlier step\n<!-- dnssync:plan -->\n### dnssync plan\n')).toBe(
      true,
    );
    expect(text).toContain('| ~ update | <code>mail</code> | A |');
    await dnssync(['plan', '--format', 'json'], {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summary,
    });
    expect((await readFile(summary, 'utf8')).split('<!-- dnssync:plan -->')).toHaveLength(3);
    // Outside Actions, the file is not touched.
    await dnssync(['plan'], { GITHUB_STEP_SUMMARY: summary });
    expect((await readFile(summary, 'utf8')).split('<!-- dnssync:plan -->')).toHaveLength(3);
  });

  it('validation errors: exit 1, the issues, no plan, and no request but reads', async () => {
    await zoneFile(
      'example.com',
      'records:\n  - { name: "@", type: MX, value: mail.example.com }\n',
    );
    sandbox.resetStats();
    const run = await dnssync(['plan'], { VPS_API_TOKEN: undefined });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/example\.com\.yaml:2:\d+: error: .*priority/);
    expect(run.stdout).toContain('✗ 1 error in 1 file: no plan was made.');
    expect(sandbox.stats.requests).toBe(0);
    // With a token, the reads may have started beside the validation: reads only.
    const json = await dnssync(['plan', '--format', 'json']);
    expect(json.code).toBe(1);
    expect(json.stdout).toBe('');
    expect(json.stderr).toMatch(/error: .*priority/);
    expect(Object.keys(sandbox.stats.byMethod).filter((method) => method !== 'GET')).toEqual([]);
  });

  it.each([
    ['no token', { VPS_API_TOKEN: undefined }, /^dnssync: error: VPS_API_TOKEN is not set/],
    [
      'a token without vps_',
      { VPS_API_TOKEN: 'abc123' },
      /^dnssync: error: VPS_API_TOKEN .*must start with vps_/,
    ],
    [
      'a token the API rejects (401)',
      { VPS_API_TOKEN: 'vps_not_a_known_token' },
      /^dnssync: error: .*(401|token)/i,
    ],
    [
      'a token without dns:list (403)',
      { VPS_API_TOKEN: READ_ONLY_TOKEN },
      /^dnssync: error: .*dns:list/,
    ],
  ])('%s: one clear line, exit 1', async (_title, env, message) => {
    await zoneFile('example.com', EXAMPLE);
    const run = await dnssync(['plan'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain(READ_ONLY_TOKEN);
  });

  it('an unreachable API: one clear line, exit 1', async () => {
    await zoneFile('example.com', EXAMPLE);
    const closed = await startSandbox({ port: 0 });
    const url = closed.url;
    await closed.close();
    const run = await dnssync(['plan'], { VPS_API_URL: url });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^dnssync: error: .*127\.0\.0\.1/);
  });
});
