/**
 * One zone walked through a long sequence of states with the built CLI: each
 * state is written to the zone file and applied; then the next plan must be empty and
 * the sandbox must hold exactly the desired records, while the records dnssync must
 * never touch (ignored, unmanaged types, provider NS, an unmanaged zone) stay
 * byte-identical. The tests run in order and build on each other.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRecord } from '../src/api/types.js';
import { type Sandbox, startSandbox } from '../src/sandbox/server.js';
import {
  type CliTarget,
  line,
  liveLines,
  runCli,
  seedZone,
  tempZones,
  writeProviderState,
  writeZone,
} from './apply-helpers.js';
import { CLI_BUILT } from './sandbox-helpers.js';

const DOMAIN = 'scenario.example';
const TOKEN = 'vps_scenario_full_access_token';
const HEADER = `# The zone walked through every state below.
ignore:
  - { name: "_acme-challenge*", type: TXT }
`;

/** A TXT value of `length` characters full of what quoting gets wrong: quotes, semicolons, backslashes. */
function awkwardTxt(length: number, tag: string): string {
  const pattern = `${tag} "quoted"; semi;colon \\back\\slash\\ `;
  return pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);
}

interface State {
  title: string;
  /** Flow mappings under `records:` (none: `records: []`). */
  records: string[];
  /** The managed records the sandbox must hold afterwards, as `line(...)`. */
  want: string[];
  /** Exact write requests, when the state is about how few are needed. */
  writes?: Partial<Record<'POST' | 'PATCH' | 'DELETE', number>>;
  /** The plan is unsafe on purpose (a large share deleted at once). */
  force?: boolean;
}

const base = [
  '{ name: "@", type: MX, value: mail.scenario.example, priority: 10 }',
  '{ name: mail, type: A, value: 192.0.2.25 }',
  '{ name: www, type: CNAME, value: scenario.example. }',
  '{ name: "@", type: TXT, value: "v=spf1 mx -all" }',
];
const baseWant = [
  line('@', 'MX', 'mail.scenario.example', 3600, 10),
  line('mail', 'A', '192.0.2.25'),
  line('www', 'CNAME', 'scenario.example'),
  line('@', 'TXT', 'v=spf1 mx -all'),
];
const apex = [
  '{ name: "@", type: AAAA, value: "2001:DB8:0:0::10" }',
  '{ name: "scenario.example.", type: CAA, value: 0 issue "letsencrypt.org" }',
  '{ name: "@", type: CAA, value: 0 iodef "mailto:hostmaster@scenario.example" }',
  '{ name: "@", type: TXT, value: "google-site-verification=abc123" }',
];
const apexWant = [
  line('@', 'AAAA', '2001:db8::10'),
  line('@', 'CAA', '0 issue "letsencrypt.org"'),
  line('@', 'CAA', '0 iodef "mailto:hostmaster@scenario.example"'),
  line('@', 'TXT', 'google-site-verification=abc123'),
];
const txt = {
  254: awkwardTxt(254, 'a'),
  255: awkwardTxt(255, 'b'),
  256: awkwardTxt(256, 'c'),
  600: awkwardTxt(600, 'd'),
};
const txtRecords = Object.entries(txt).map(
  ([length, value]) => `{ name: txt${length}, type: TXT, value: ${JSON.stringify(value)} }`,
);
const txtWant = Object.entries(txt).map(([length, value]) => line(`txt${length}`, 'TXT', value));
const many = Array.from({ length: 250 }, (_, i) => ({
  name: `h${String(i).padStart(3, '0')}`,
  value: `198.51.100.${(i % 250) + 1}`,
}));

const STATES: State[] = [
  {
    title: 'create the zone’s first records',
    records: ['{ name: "@", type: A, value: 192.0.2.1 }', ...base],
    want: [line('@', 'A', '192.0.2.1'), ...baseWant],
    writes: { POST: 5 },
  },
  {
    title: 'change a TTL',
    records: ['{ name: "@", type: A, value: 192.0.2.1, ttl: 300 }', ...base],
    want: [line('@', 'A', '192.0.2.1', 300), ...baseWant],
    writes: { PATCH: 1 },
  },
  {
    title: 'add values to a set',
    records: [
      '{ name: "@", type: A, values: [192.0.2.1, 192.0.2.2, 192.0.2.3], ttl: 300 }',
      ...base,
    ],
    want: ['192.0.2.1', '192.0.2.2', '192.0.2.3']
      .map((v) => line('@', 'A', v, 300))
      .concat(baseWant),
    writes: { POST: 2 },
  },
  {
    title: 'change one value of the set (one in-place update)',
    records: [
      '{ name: "@", type: A, values: [192.0.2.1, 192.0.2.4, 192.0.2.3], ttl: 300 }',
      ...base,
    ],
    want: ['192.0.2.1', '192.0.2.4', '192.0.2.3']
      .map((v) => line('@', 'A', v, 300))
      .concat(baseWant),
    writes: { PATCH: 1 },
  },
  {
    title: 'remove values from the set',
    records: ['{ name: "@", type: A, values: [192.0.2.4], ttl: 300 }', ...base],
    want: [line('@', 'A', '192.0.2.4', 300), ...baseWant],
    writes: { DELETE: 2 },
  },
  {
    title: 'wildcards',
    records: [
      '{ name: "@", type: A, value: 192.0.2.4, ttl: 300 }',
      ...base,
      '{ name: "*", type: A, value: 192.0.2.80 }',
      '{ name: "*.dev", type: CNAME, value: www.scenario.example }',
    ],
    want: [
      line('@', 'A', '192.0.2.4', 300),
      ...baseWant,
      line('*', 'A', '192.0.2.80'),
      line('*.dev', 'CNAME', 'www.scenario.example'),
    ],
    writes: { POST: 2 },
  },
  {
    title: 'apex records of every kind',
    records: ['{ name: "@", type: A, value: 192.0.2.4, ttl: 300 }', ...base, ...apex],
    want: [line('@', 'A', '192.0.2.4', 300), ...baseWant, ...apexWant],
    writes: { POST: 4, DELETE: 2 },
  },
  {
    title: 'a null MX replaces the mail exchanger',
    records: [
      '{ name: "@", type: A, value: 192.0.2.4, ttl: 300 }',
      ...base.slice(1),
      ...apex,
      '{ name: "@", type: MX, value: ".", priority: 0 }',
    ],
    want: [
      line('@', 'A', '192.0.2.4', 300),
      ...baseWant.slice(1),
      ...apexWant,
      line('@', 'MX', '.', 3600, 0),
    ],
    // Paired: one PATCH turns the old MX into the null MX.
    writes: { PATCH: 1 },
  },
  {
    title: 'TXT values of 254, 255, 256 and 600 characters with quotes, semicolons and backslashes',
    records: [
      '{ name: "@", type: A, value: 192.0.2.4, ttl: 300 }',
      '{ name: "@", type: MX, value: ".", priority: 0 }',
      ...txtRecords,
    ],
    want: [line('@', 'A', '192.0.2.4', 300), line('@', 'MX', '.', 3600, 0), ...txtWant],
    force: true,
  },
  {
    title: 'a TXT value changes by one backslash',
    records: [
      '{ name: "@", type: A, value: 192.0.2.4, ttl: 300 }',
      '{ name: "@", type: MX, value: ".", priority: 0 }',
      ...txtRecords.slice(0, 3),
      `{ name: txt600, type: TXT, value: ${JSON.stringify(txt[600].replace('\\back', 'back'))} }`,
    ],
    want: [
      line('@', 'A', '192.0.2.4', 300),
      line('@', 'MX', '.', 3600, 0),
      ...txtWant.slice(0, 3),
      line('txt600', 'TXT', txt[600].replace('\\back', 'back')),
    ],
    writes: { PATCH: 1 },
  },
  {
    title: 'mixed-case names and fully-qualified spellings',
    records: [
      '{ name: "@", type: A, value: 192.0.2.4, ttl: 300 }',
      '{ name: "@", type: MX, value: ".", priority: 0 }',
      '{ name: Mixed.Case, type: A, value: 192.0.2.5 }',
      '{ name: WWW2.Scenario.Example., type: CNAME, value: Target.EXAMPLE.net. }',
      '{ name: Mail, type: MX, value: MX1.Scenario.Example, priority: 5 }',
    ],
    want: [
      line('@', 'A', '192.0.2.4', 300),
      line('@', 'MX', '.', 3600, 0),
      line('mixed.case', 'A', '192.0.2.5'),
      line('www2', 'CNAME', 'target.example.net'),
      line('mail', 'MX', 'mx1.scenario.example', 3600, 5),
    ],
  },
  {
    title: 'the same records spelled in another case plan nothing',
    records: [
      '{ name: "@", type: A, value: 192.0.2.4, ttl: 300 }',
      '{ name: "@", type: MX, value: ".", priority: 0 }',
      '{ name: MIXED.case.SCENARIO.example, type: A, value: 192.0.2.5 }',
      '{ name: www2, type: CNAME, value: target.example.net }',
      '{ name: MAIL, type: MX, value: mx1.scenario.example., priority: 5 }',
    ],
    want: [
      line('@', 'A', '192.0.2.4', 300),
      line('@', 'MX', '.', 3600, 0),
      line('mixed.case', 'A', '192.0.2.5'),
      line('www2', 'CNAME', 'target.example.net'),
      line('mail', 'MX', 'mx1.scenario.example', 3600, 5),
    ],
    writes: {},
  },
  {
    title: 'IDN names: Unicode in the file, punycode live',
    records: [
      '{ name: "@", type: A, value: 192.0.2.4, ttl: 300 }',
      '{ name: bücher, type: A, value: 192.0.2.6 }',
      '{ name: "café.menü", type: AAAA, value: "2001:db8::c4fe" }',
      '{ name: shop, type: CNAME, value: "bücher.scenario.example." }',
      '{ name: "@", type: MX, value: "mx.münchen.example", priority: 20 }',
    ],
    want: [
      line('@', 'A', '192.0.2.4', 300),
      line('xn--bcher-kva', 'A', '192.0.2.6'),
      line('xn--caf-dma.xn--men-joa', 'AAAA', '2001:db8::c4fe'),
      line('shop', 'CNAME', 'xn--bcher-kva.scenario.example'),
      line('@', 'MX', 'mx.xn--mnchen-3ya.example', 3600, 20),
    ],
  },
  {
    title: '250 records at once',
    records: many.map(({ name, value }) => `{ name: ${name}, type: A, value: ${value} }`),
    want: many.map(({ name, value }) => line(name, 'A', value)),
    writes: { POST: 250, DELETE: 5 },
  },
  {
    title: 'emptied: records: []',
    records: [],
    want: [],
    writes: { DELETE: 250 },
    force: true,
  },
  {
    title: 'and back from empty',
    records: ['{ name: "@", type: A, value: 192.0.2.1 }', ...base],
    want: [line('@', 'A', '192.0.2.1'), ...baseWant],
    writes: { POST: 5 },
  },
];

let sandbox: Sandbox;
let temp: Awaited<ReturnType<typeof tempZones>>;
let target: CliTarget;
/** Records dnssync must never touch, as the API shows them before the first state. */
let handsOff: ApiRecord[];
let otherZone: unknown;

/** The API's view of the records dnssync leaves alone: ignored, unmanaged types, provider NS. */
function handsOffRecords(): ApiRecord[] {
  const managedTypes = new Set(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA']);
  return sandbox
    .zone(DOMAIN)!
    .records.filter(
      (r) =>
        !managedTypes.has(r.record_type) ||
        r.name.startsWith('_acme-challenge') ||
        (r.record_type === 'NS' && r.name === '@'),
    )
    .sort((a, b) => a.uuid.localeCompare(b.uuid));
}

beforeAll(async () => {
  temp = await tempZones('dnssync-scenario-');
  // Types the API cannot create (SOA, SSHFP) come from a state file, as a provider has them.
  const stateFile = join(temp.dir, 'sandbox-state.json');
  await writeProviderState(stateFile, {
    token: TOKEN,
    domain: DOMAIN,
    idPrefix: 'a',
    records: [
      ['SOA', '@', 'ns1.vps.org. hostmaster.vps.org. 2024010100 3600 600 604800 300'],
      ['SSHFP', 'host', '4 2 123456789abcdef67890123456789abcdef67890123456789abcdef123456'],
    ],
  });
  sandbox = await startSandbox({ port: 0, stateFile });
  target = { sandbox, zonesDir: temp.zonesDir, cwd: temp.dir };
  await seedZone(sandbox, DOMAIN, [
    ['_acme-challenge', 'TXT', 'kept-by-the-ignore-rule'],
    ['_acme-challenge.www', 'TXT', 'also-ignored'],
    ['@', 'NS', 'ns1.vps.org.'],
    ['@', 'NS', 'NS2.VPS.ORG'],
  ]);
  await seedZone(sandbox, 'other.example', [
    ['@', 'A', '203.0.113.1'],
    ['www', 'CNAME', 'other.example.'],
  ]);
  handsOff = handsOffRecords();
  expect(handsOff).toHaveLength(6);
  otherZone = sandbox.zone('other.example');
});
afterAll(async () => {
  await sandbox?.close();
  await temp?.cleanup();
});

describe.skipIf(!CLI_BUILT)('one zone through a long sequence of states (built CLI)', () => {
  for (const [index, state] of STATES.entries()) {
    it(`state ${index + 1}: ${state.title}`, async () => {
      const body =
        state.records.length === 0
          ? 'records: []\n'
          : `records:\n${state.records.map((r) => `  - ${r}\n`).join('')}`;
      await writeZone(temp.zonesDir, DOMAIN, `${HEADER}${body}`);
      sandbox.resetStats();

      const args = ['apply', '--yes', ...(state.force ? ['--force'] : [])];
      const run = await runCli(target, args);
      const context = `dnssync ${args.join(' ')} (state ${index + 1}: ${state.title}):\n${run.stdout}${run.stderr}`;
      expect(run.code, context).toBe(0);
      if (state.writes) {
        const by = sandbox.stats.byMethod;
        expect(
          { POST: by.POST ?? 0, PATCH: by.PATCH ?? 0, DELETE: by.DELETE ?? 0 },
          context,
        ).toEqual({ POST: 0, PATCH: 0, DELETE: 0, ...state.writes });
        expect(by.PUT, context).toBeUndefined();
      }

      const managed = liveLines(sandbox, DOMAIN).filter(
        (text) =>
          !/^_acme-challenge/.test(text) && !/^@ NS /.test(text) && !/^\S+ (SOA|SSHFP) /.test(text),
      );
      expect(managed, context).toEqual([...state.want].sort());
      expect(
        handsOffRecords(),
        'ignored, unmanaged-type and provider NS records are untouched',
      ).toEqual(handsOff);
      expect(sandbox.zone('other.example'), 'the unmanaged zone is untouched').toEqual(otherZone);

      const again = await runCli(target, ['plan', '--detailed-exitcode']);
      expect(
        again.code,
        `the next plan after state ${index + 1}:\n${again.stdout}${again.stderr}`,
      ).toBe(0);
      expect(again.stdout).toContain('No changes.');
      expect(again.stdout).toContain('Unmanaged: 1 live zone without a zone file');
    });
  }
});
