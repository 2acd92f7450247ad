/**
 * `dnssync apply FILE` treats a saved plan as an assertion, not a program: it plans the
 * same zones afresh and applies the fresh plan only when its changes are the saved ones.
 * Each edited plan below carries the right fingerprints (they are not secret) and must
 * be refused with no request but reads. Built CLI against an in-process sandbox; build
 * first: `npx tsc -p .`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { savedPlanDifferences } from '../src/apply/saved.js';
import { computePlan } from '../src/plan/index.js';
import type { Change, Plan } from '../src/plan/types.js';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import {
  type CliTarget,
  emptySandbox,
  line,
  liveLines,
  runCli,
  seedZone,
  tempZones,
  writeZone,
} from './apply-helpers.js';
import { desiredZone, have, liveZone, want } from './plan-fixtures.js';
import { CLI_BUILT, call } from './sandbox-helpers.js';

let sandbox: Sandbox;
let temp: Awaited<ReturnType<typeof tempZones>>;
let target: CliTarget;
let planFile: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  temp = await tempZones('dnssync-apply-saved-');
  target = { sandbox, zonesDir: temp.zonesDir, cwd: temp.dir };
  planFile = join(temp.dir, 'plan.json');
});
afterEach(async () => {
  await emptySandbox(sandbox);
  await temp.cleanup();
});

const dnssync = (args: string[]) => runCli(target, args);

/** example.com with one record to update and an ignored ACME token; `plan --out` saved. */
async function reviewedPlan(): Promise<Plan> {
  await seedZone(sandbox, 'example.com', [
    ['@', 'A', '192.0.2.1'],
    ['www', 'A', '192.0.2.2'],
    ['_acme-challenge', 'TXT', 'token'],
  ]);
  await writeZone(
    temp.zonesDir,
    'example.com',
    [
      'ignore:',
      '  - { name: "_acme-challenge*" }',
      'records:',
      '  - { name: "@", type: A, value: 192.0.2.1 }',
      '  - { name: www, type: A, value: 192.0.2.3 }',
      '',
    ].join('\n'),
  );
  const planned = await dnssync(['plan', '--out', planFile]);
  expect(planned.code).toBe(0);
  return JSON.parse(await readFile(planFile, 'utf8')) as Plan;
}

function recordUuid(domain: string, name: string): string {
  const record = sandbox.zone(domain)?.records.find((r) => r.name === name);
  if (!record) throw new Error(`no ${name} in ${domain}`);
  return record.uuid;
}

function deleteOf(id: string, name: string, type: Change['type'], value: string, uuid: string) {
  return {
    id,
    action: 'delete',
    name,
    type,
    value,
    ttl: 3600,
    priority: null,
    record_uuid: uuid,
    phase: 'delete',
    depends_on: [],
  } satisfies Change;
}

/** Runs `apply FILE` on the edited plan: refused, exit 1, and the sandbox saw only reads. */
async function expectRefused(plan: Plan, args: string[] = []): Promise<string> {
  await writeFile(planFile, JSON.stringify(plan, null, 2));
  const before = sandbox.zones().map((zone) => liveLines(sandbox, zone.domain));
  sandbox.resetStats();
  const run = await dnssync(['apply', planFile, ...args]);
  expect(run.code).toBe(1);
  expect(Object.keys(sandbox.stats.byMethod)).toEqual(['GET']);
  expect(sandbox.zones().map((zone) => liveLines(sandbox, zone.domain))).toEqual(before);
  expect(run.stdout).toContain('Nothing was changed.');
  return run.stdout;
}

describe.skipIf(!CLI_BUILT)('apply FILE: a saved plan is checked against a fresh one', () => {
  it('refuses a plan with one value changed, naming the zone and the change', async () => {
    const plan = await reviewedPlan();
    const update = plan.zones[0]?.changes[0];
    expect(update).toMatchObject({ action: 'update', name: 'www', value: '192.0.2.3' });
    update!.value = '203.0.113.66';

    const stdout = await expectRefused(plan);
    expect(stdout).toContain(`Refusing to apply ${planFile}: the plan is stale.`);
    expect(stdout).toContain(
      '  example.com: the zone file and the live zone are as they were, so the plan file itself was edited (or made by another dnssync version): change 1 differs in value: the plan file has update "www" A "203.0.113.66" ttl 3600',
    );
    expect(stdout).toContain('a fresh plan update "www" A "192.0.2.3" ttl 3600');
    expect(liveLines(sandbox, 'example.com')).toContain(line('www', 'A', '192.0.2.2'));
  });

  it('refuses a plan with an added delete of an ignored record', async () => {
    const plan = await reviewedPlan();
    const uuid = recordUuid('example.com', '_acme-challenge');
    plan.zones[0]?.changes.push(deleteOf('example.com#2', '_acme-challenge', 'TXT', 'token', uuid));
    plan.summary.delete = 1;

    const stdout = await expectRefused(plan);
    expect(stdout).toContain(
      `example.com: the zone file and the live zone are as they were, so the plan file itself was edited (or made by another dnssync version): the plan file has change 2 (delete "_acme-challenge" TXT "token" ttl 3600, record "${uuid}"), which a fresh plan does not make`,
    );
  });

  it('refuses a plan with an added delete of a record in a zone that has no zone file', async () => {
    const plan = await reviewedPlan();
    const pristine = structuredClone(plan);
    await seedZone(sandbox, 'unmanaged.example', [['@', 'A', '192.0.2.9']]);
    const uuid = recordUuid('unmanaged.example', '@');
    plan.zones[0]?.changes.push(deleteOf('example.com#2', '@', 'A', '192.0.2.9', uuid));

    const stdout = await expectRefused(plan);
    expect(stdout).toContain(`which a fresh plan does not make`);
    expect(stdout).toContain(`record "${uuid}"`);
    expect(liveLines(sandbox, 'unmanaged.example')).toEqual([line('@', 'A', '192.0.2.9')]);

    // Nor can the file name that zone itself: it has no zone file, so it is not planned.
    pristine.zones.push({ ...structuredClone(pristine.zones[0]!), domain: 'unmanaged.example' });
    await writeFile(planFile, JSON.stringify(pristine));
    sandbox.resetStats();
    const run = await dnssync(['apply', planFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no zone file for unmanaged.example');
    expect(sandbox.stats.requests).toBe(0);
  });

  it('decides safety afresh: a plan edited to look safe is refused, and --force is still needed', async () => {
    const live = Array.from(
      { length: 10 },
      (_, i) => [`h${i}`, 'A', `192.0.2.${i + 1}`] as [string, string, string],
    );
    await seedZone(sandbox, 'big.example', live);
    // Keep 6 of 10: 4 deletes = 40% > 30%.
    await writeZone(
      temp.zonesDir,
      'big.example',
      `records:\n${live
        .slice(0, 6)
        .map(([name, , value]) => `  - { name: ${name}, type: A, value: ${value} }\n`)
        .join('')}`,
    );
    expect((await dnssync(['plan', '--out', planFile])).code).toBe(0);
    const plan = JSON.parse(await readFile(planFile, 'utf8')) as Plan;
    expect(plan.zones[0]?.safety.unsafe).toBe(true);
    plan.zones[0]!.safety = { ...plan.zones[0]!.safety, unsafe: false, reasons: [] };
    plan.summary.unsafe_zones = 0;
    // Loosened thresholds in the file decide nothing either.
    plan.safety_options = { update_threshold: 1, delete_threshold: 1, min_records: 1000 };

    const stdout = await expectRefused(plan);
    expect(stdout).toContain('Refusing to apply an unsafe plan:');
    expect(stdout).toContain('big.example: would delete 4 of 10 managed records (40% > 30%)');

    // With --force the (fresh, unchanged) plan applies.
    const forced = await dnssync(['apply', planFile, '--force']);
    expect(forced.code).toBe(0);
    expect(liveLines(sandbox, 'big.example')).toHaveLength(6);
  });

  it('applies a plan whose changes still hold, though an ignored record changed meanwhile', async () => {
    await reviewedPlan();
    const zone = sandbox.zone('example.com')!;
    const added = await call(sandbox.url, 'POST', `/api/v1/dns-zones/${zone.uuid}/records/`, {
      token: sandbox.token,
      json: { record_type: 'TXT', name: '_acme-challenge.www', value: 'other', ttl: 60 },
    });
    expect(added.status).toBe(201);

    const run = await dnssync(['apply', planFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Apply complete: 1 change applied/);
    expect(liveLines(sandbox, 'example.com')).toContain(line('www', 'A', '192.0.2.3'));
  });
});

describe('savedPlanDifferences', () => {
  const desired = [desiredZone('a.example', [want('www', 'A', '192.0.2.1')])];
  const live = [liveZone('a.example', [have('r1', 'www', 'A', '192.0.2.1')])];

  it('a plan equal to the fresh one has no differences', () => {
    expect(savedPlanDifferences(computePlan(desired, live), computePlan(desired, live))).toEqual(
      [],
    );
  });

  it('zone creation and the set of zones are part of the comparison', () => {
    const fresh = computePlan(desired, live);
    expect(savedPlanDifferences(computePlan(desired, []), fresh)).toEqual([
      'a.example: the live zone changed since the plan was made: the plan file creates the zone; a fresh plan does not (it exists now)',
    ]);
    const more = [...desired, desiredZone('b.example', [])];
    expect(savedPlanDifferences(fresh, computePlan(more, live))).toEqual([
      'b.example: a fresh plan includes this zone; the plan file does not',
    ]);
  });

  it('names the zone file when it changed, and the dependencies when only they differ', () => {
    // One update and a delete that waits for it, so the www A records never run out.
    const fresh = computePlan(
      [desiredZone('a.example', [want('www', 'A', '192.0.2.1')])],
      [
        liveZone('a.example', [
          have('r1', 'www', 'A', '192.0.2.3'),
          have('r2', 'www', 'A', '192.0.2.4'),
        ]),
      ],
    );
    expect(fresh.zones[0]?.changes.at(-1)?.depends_on).toEqual(['a.example#1']);
    const saved = structuredClone(fresh);
    saved.zones[0]!.changes.at(-1)!.depends_on = [];
    saved.zones[0]!.desired_fingerprint = '0'.repeat(64);
    expect(savedPlanDifferences(saved, fresh)).toEqual([
      expect.stringMatching(
        /^a\.example: zones\/a\.example\.yaml changed since the plan was made: change \d differs in depends_on: /,
      ),
    ]);
  });

  /** An update of www and a delete that waits for it; `edit` changes the saved copy. */
  function editedPlan(edit: (change: Change) => void): { saved: Plan; fresh: Plan } {
    const fresh = computePlan(
      [desiredZone('a.example', [want('www', 'A', '192.0.2.1')])],
      [
        liveZone('a.example', [
          have('r1', 'www', 'A', '192.0.2.3'),
          have('r2', 'www', 'A', '192.0.2.4'),
        ]),
      ],
    );
    const saved = structuredClone(fresh);
    edit(saved.zones[0]!.changes.at(-1)!);
    return { saved, fresh };
  }

  it('when only depends_on differs, shows both lists, not two equal descriptions', () => {
    const { saved, fresh } = editedPlan((change) => {
      change.depends_on = [];
    });
    const [difference] = savedPlanDifferences(saved, fresh);
    expect(difference).toMatch(
      /change 2 differs in depends_on: the plan file has \[\], a fresh plan \["a\.example#1"\] \(both: delete "www" A "192\.0\.2\.\d" ttl 3600, record "r\d"\)$/,
    );
  });

  it('when only the id differs, shows both ids', () => {
    const { saved, fresh } = editedPlan((change) => {
      change.id = 'a.example#9';
    });
    const [difference] = savedPlanDifferences(saved, fresh);
    expect(difference).toMatch(
      /change 2 differs in id: the plan file has "a\.example#9", a fresh plan "a\.example#2" \(both: delete /,
    );
  });

  it('when several fields differ, shows each side of each', () => {
    const { saved, fresh } = editedPlan((change) => {
      change.id = 'a.example#9';
      change.ttl = 60;
    });
    const [difference] = savedPlanDifferences(saved, fresh);
    expect(difference).toMatch(
      /change 2 differs in id, ttl: the plan file has delete "www" A "[\d.]+" ttl 60, record "r\d", a fresh plan delete "www" A "[\d.]+" ttl 3600, record "r\d"; id: the plan file has "a\.example#9", a fresh plan "a\.example#2"$/,
    );
  });
});
