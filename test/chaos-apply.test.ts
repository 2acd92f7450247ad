/**
 * Chaos: an apply of 500 changes with 10% of writes failing before they take
 * effect, 5% failing after (the ambiguous case), and a rate limit that forces 429s.
 * It must converge within two runs, never create a duplicate, never touch what it must
 * leave alone, and never have more requests in flight than --concurrency. The fault
 * sequence is seeded, so a failure replays.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRecord } from '../src/api/types.js';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import {
  type CliTarget,
  duplicateIdentities,
  line,
  liveLines,
  type Run,
  runCli,
  type Seed,
  seedZone,
  tempZones,
  writeProviderState,
  writeZone,
} from './apply-helpers.js';
import { CLI_BUILT } from './sandbox-helpers.js';

const TOKEN = 'vps_chaos_full_access_token';
const CONCURRENCY = 8;
const SEED = 20240601;
const MANAGED = ['chaos-a.example', 'chaos-b.example', 'chaos-c.example'] as const;
const HEADER = 'ignore:\n  - { name: "_acme-challenge*", type: TXT }\n';

const pad = (n: number) => String(n).padStart(3, '0');
const ip = (n: number, net = 0) => `10.${net}.${Math.floor(n / 250)}.${(n % 250) + 1}`;

interface Desired {
  name: string;
  type: string;
  value: string;
  ttl?: number;
}

/**
 * chaos-a: 200 live A records → 100 TTL updates, 50 value changes (paired updates),
 *          50 deletes, plus 100 TXT creates                                = 300 changes
 * chaos-b: 60 live A records → 40 deleted, 10 names turned into CNAMEs (10 clearing
 *          deletes + 10 creates), 30 new AAAA                               =  90 changes
 * chaos-c: a new zone with 109 records                            = 1 zone + 109 changes
 * 500 in all.
 */
const liveA: Seed[] = Array.from({ length: 200 }, (_, i) => [`r${pad(i)}`, 'A', ip(i)]);
const desiredA: Desired[] = [
  ...Array.from({ length: 100 }, (_, i) => ({
    name: `r${pad(i)}`,
    type: 'A',
    value: ip(i),
    ttl: 300,
  })),
  ...Array.from({ length: 50 }, (_, i) => ({
    name: `r${pad(100 + i)}`,
    type: 'A',
    value: ip(100 + i, 1),
  })),
  ...Array.from({ length: 100 }, (_, i) => ({
    name: `t${pad(i)}`,
    type: 'TXT',
    value: `chaos; "txt" ${i}`,
  })),
];
const liveB: Seed[] = Array.from({ length: 60 }, (_, i) => [`b${pad(i)}`, 'A', ip(i, 2)]);
const desiredB: Desired[] = [
  ...Array.from({ length: 10 }, (_, i) => ({
    name: `b${pad(i)}`,
    type: 'CNAME',
    value: `target${i}.example.net`,
  })),
  ...Array.from({ length: 10 }, (_, i) => ({
    name: `b${pad(10 + i)}`,
    type: 'A',
    value: ip(10 + i, 2),
  })),
  ...Array.from({ length: 30 }, (_, i) => ({
    name: `v${pad(i)}`,
    type: 'AAAA',
    value: `2001:db8::${(i + 1).toString(16)}`,
  })),
];
const desiredC: Desired[] = Array.from({ length: 109 }, (_, i) => ({
  name: `c${pad(i)}`,
  type: 'A',
  value: ip(i, 3),
}));
const DESIRED: Record<(typeof MANAGED)[number], Desired[]> = {
  'chaos-a.example': desiredA,
  'chaos-b.example': desiredB,
  'chaos-c.example': desiredC,
};

function zoneYaml(records: Desired[]): string {
  const lines = records.map(
    (r) =>
      `  - { name: ${r.name}, type: ${r.type}, value: ${JSON.stringify(r.value)}${r.ttl ? `, ttl: ${r.ttl}` : ''} }\n`,
  );
  return `${HEADER}records:\n${lines.join('')}`;
}

let sandbox: Sandbox;
let temp: Awaited<ReturnType<typeof tempZones>>;
let target: CliTarget;
let handsOff: ApiRecord[];
let unmanagedZone: unknown;

/** Records of the managed zones that dnssync must leave alone, as the API shows them. */
function handsOffRecords(): ApiRecord[] {
  const managedTypes = new Set(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA']);
  return MANAGED.flatMap((domain) => sandbox.zone(domain)?.records ?? [])
    .filter(
      (r) =>
        !managedTypes.has(r.record_type) ||
        r.name.startsWith('_acme-challenge') ||
        (r.record_type === 'NS' && r.name === '@'),
    )
    .sort((a, b) => a.uuid.localeCompare(b.uuid));
}

/** After every run: no duplicate, nothing hands-off touched, never over the concurrency. */
function checkInvariants(run: Run, label: string): void {
  const context = `${label}:\n${run.stdout.slice(-3000)}${run.stderr}`;
  for (const domain of MANAGED) {
    expect(duplicateIdentities(sandbox, domain), `${domain} after ${context}`).toEqual([]);
  }
  expect(handsOffRecords(), `ignored, unmanaged-type and provider NS after ${label}`).toEqual(
    handsOff,
  );
  expect(sandbox.zone('bystander.example'), `the unmanaged zone after ${label}`).toEqual(
    unmanagedZone,
  );
  expect(sandbox.stats.peakInFlight, `peak requests in flight during ${label}`).toBeLessThanOrEqual(
    CONCURRENCY,
  );
}

beforeAll(async () => {
  temp = await tempZones('dnssync-chaos-');
  const stateFile = join(temp.dir, 'sandbox-state.json');
  await writeProviderState(stateFile, {
    token: TOKEN,
    domain: 'chaos-a.example',
    idPrefix: 'c',
    records: [
      ['SOA', '@', 'ns1.vps.org. hostmaster.vps.org. 2024010100 3600 600 604800 300'],
      ['PTR', 'r000', 'legacy.example.net.'],
    ],
  });
  sandbox = await startSandbox({ port: 0, stateFile, seed: SEED });
  target = { sandbox, zonesDir: temp.zonesDir, cwd: temp.dir };

  const handsOffSeeds: Seed[] = [
    ['_acme-challenge', 'TXT', 'ignored-1'],
    ['_acme-challenge.r001', 'TXT', 'ignored-2'],
    ['@', 'NS', 'ns1.vps.org'],
    ['@', 'NS', 'ns2.vps.org'],
  ];
  await seedZone(sandbox, 'chaos-a.example', [...liveA, ...handsOffSeeds]);
  await seedZone(sandbox, 'chaos-b.example', [...liveB, ...handsOffSeeds]);
  await seedZone(sandbox, 'bystander.example', [
    ['@', 'A', '203.0.113.7'],
    ['r000', 'A', '203.0.113.8'],
  ]);
  for (const domain of MANAGED) await writeZone(temp.zonesDir, domain, zoneYaml(DESIRED[domain]));
  handsOff = handsOffRecords();
  expect(handsOff).toHaveLength(10);
  unmanagedZone = sandbox.zone('bystander.example');

  const planned = await runCli(target, ['plan', '--format', 'json']);
  const summary = JSON.parse(planned.stdout).summary;
  expect(summary.create + summary.update + summary.delete + summary.zones_to_create).toBe(500);
});
afterAll(async () => {
  await sandbox?.close();
  await temp?.cleanup();
});

describe.skipIf(!CLI_BUILT)('apply under faults (built CLI)', () => {
  it('converges within two runs, with no duplicate, nothing hands-off touched, within the concurrency', async () => {
    sandbox.setFaults({ failBefore: 0.1, failAfter: 0.05, rateLimit: 30, seed: SEED });
    sandbox.resetStats();
    const args = ['apply', '--yes', '--force', '--concurrency', String(CONCURRENCY)];

    const first = await runCli(target, args);
    const faults = sandbox.stats.faults;
    expect(
      [0, 1],
      `run 1 ends with a result:\n${first.stdout.slice(-3000)}${first.stderr}`,
    ).toContain(first.code);
    checkInvariants(first, 'run 1');
    // The run really met every kind of fault.
    expect(faults.failBefore).toBeGreaterThan(20);
    expect(faults.failAfter).toBeGreaterThan(10);
    expect(faults.rateLimited).toBeGreaterThan(0);

    if (first.code !== 0) {
      sandbox.resetStats();
      const second = await runCli(target, args);
      checkInvariants(second, 'run 2');
      expect(second.code, `run 2:\n${second.stdout.slice(-3000)}${second.stderr}`).toBe(0);
    } else {
      expect(first.stdout).toMatch(/Apply complete: 500 changes applied/);
      expect(first.stdout).toContain('✓ Verified: 3 zones now match their zone files.');
    }

    const plan = await runCli(target, ['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    for (const domain of MANAGED) {
      const want = DESIRED[domain].map((r) => line(r.name, r.type, r.value, r.ttl ?? 3600));
      const managed = liveLines(sandbox, domain).filter(
        (text) =>
          !/^_acme-challenge/.test(text) && !/^@ (NS|SOA) /.test(text) && !/ PTR /.test(text),
      );
      expect(managed, domain).toEqual(want.sort());
    }
  }, 300_000);

  it('a run that ends with failed and skipped changes leaves no duplicate; the next run finishes', async () => {
    // Half of all writes fail before, 30% after taking effect: some changes run out of
    // their five attempts, and what depends on them is skipped.
    const domain = 'chaos-d.example';
    const managedZones = new Map(MANAGED.map((other) => [other, sandbox.zone(other)]));
    const live: Seed[] = Array.from({ length: 50 }, (_, i) => [`d${pad(i)}`, 'A', ip(i, 4)]);
    const desired: Desired[] = [
      ...Array.from({ length: 10 }, (_, i) => ({
        name: `d${pad(i)}`,
        type: 'CNAME',
        value: `alias${i}.example.net`,
      })),
      ...Array.from({ length: 20 }, (_, i) => ({
        name: `d${pad(10 + i)}`,
        type: 'A',
        value: ip(10 + i, 4),
        ttl: 60,
      })),
      ...Array.from({ length: 80 }, (_, i) => ({
        name: `n${pad(i)}`,
        type: 'TXT',
        value: `new ${i}`,
      })),
    ];
    sandbox.setFaults({ failBefore: 0, failAfter: 0, rateLimit: null });
    await seedZone(sandbox, domain, live);
    // A zones dir of its own: the zones of the first test are unmanaged here, and stay untouched.
    const zonesDir = join(temp.dir, 'zones-d');
    await mkdir(zonesDir);
    await writeZone(zonesDir, domain, zoneYaml(desired));
    const target = { sandbox, zonesDir, cwd: temp.dir };
    const args = ['apply', '--yes', '--force', '--concurrency', String(CONCURRENCY)];

    sandbox.setFaults({ failBefore: 0.5, failAfter: 0.3, seed: SEED + 1 });
    sandbox.resetStats();
    const first = await runCli(target, args);
    const output = `${first.stdout.slice(-4000)}${first.stderr}`;
    checkInvariants(first, 'the harsh run');
    for (const other of MANAGED)
      expect(sandbox.zone(other), other).toEqual(managedZones.get(other));
    expect(duplicateIdentities(sandbox, domain), output).toEqual([]);
    expect([0, 1], output).toContain(first.code);
    if (first.code === 1) {
      // Failures are counted under the API's answer, and the run says how to finish.
      expect(first.stdout).toMatch(
        /^ {2}502 Bad Gateway: [\d,]+ changes? not made in chaos-d\.example/m,
      );
      expect(first.stdout).toMatch(/Apply incomplete: \d+ of \d+ changes applied, [1-9]\d* failed/);
      expect(first.stdout).toContain('Run dnssync apply again to finish');
    }

    sandbox.setFaults({ failBefore: 0.1, failAfter: 0.05, seed: SEED + 2 });
    sandbox.resetStats();
    const second = await runCli(target, args);
    checkInvariants(second, 'the run after it');
    for (const other of MANAGED)
      expect(sandbox.zone(other), other).toEqual(managedZones.get(other));
    expect(second.code, `${second.stdout.slice(-4000)}${second.stderr}`).toBe(0);

    sandbox.setFaults({ failBefore: 0, failAfter: 0 });
    const plan = await runCli(target, ['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(liveLines(sandbox, domain)).toEqual(
      desired.map((r) => line(r.name, r.type, r.value, r.ttl ?? 3600)).sort(),
    );
  }, 300_000);
});
