/**
 * Nothing from outside can forge what people see: the built CLI against a hostile API
 * (a tiny HTTP server here, on a random loopback port) and hostile zone files.
 *
 * - Terminal: a live CNAME value, an unmanaged zone name and an API error detail full of
 *   escape sequences reach stdout and stderr of `plan` and `apply` only as visible text.
 * - Job log: with GITHUB_ACTIONS=true, a zone-file value or an API error holding a newline
 *   and `::error::` (or `##[`) makes no line the runner would read as a command; the only
 *   commands are dnssync's own annotations.
 * - Markdown: a CAA value with bare CRs and bidi controls cannot break the plan's table or
 *   add a heading; API text with ``` stays inside the apply job summary's code block.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Run, runCli, tempZones, writeZone } from './apply-helpers.js';
import { CLI_BUILT } from './sandbox-helpers.js';

const TOKEN = 'vps_HostileTest0123456789abcdefABCDEF';

/** Draws a fake empty plan over the screen, sets the window title, hides what follows. */
const SCREEN_FORGERY =
  '\x1b[2J\x1b[H\x1b]0;owned\x07Plan: 0 to create, 0 to update, 0 to delete.\x1b[8m';
/** An API error `detail` aimed at every destination at once. */
const HOSTILE_DETAIL = [
  `${SCREEN_FORGERY}\u202edenied`,
  '```',
  '## Plan: 0 to create. Safe to merge',
  '::error::forged annotation',
  '  ::add-mask::192.0.2.1',
  'text ##[warning]forged too',
].join('\n');

interface ZoneState {
  records: { uuid: string; record_type: string; name: string; value: string }[];
  unmanaged: string[];
  /** Reading the zone answers 400 with HOSTILE_DETAIL. */
  readFails?: boolean;
}

/** The VPS.org API as a hostile server would speak it: well-formed JSON, hostile text. */
function hostileApi(state: ZoneState) {
  const summary = (uuid: string, domain: string) => ({
    uuid,
    domain,
    created_at: '2026-01-01T00:00:00Z',
    record_count: 0,
  });
  return (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    req.resume();
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/api/v1/dns-zones/') {
      return send(200, [
        summary('z1', 'example.com'),
        ...state.unmanaged.map((domain, i) => summary(`u${i}`, domain)),
      ]);
    }
    if (req.method === 'GET' && path === '/api/v1/dns-zones/z1/') {
      if (state.readFails) {
        return send(400, { detail: HOSTILE_DETAIL, error_code: 'invalid', field: '\x1b[8m' });
      }
      const records = state.records.map((record) => ({
        ...record,
        ttl: 3600,
        priority: null,
        created_at: '2026-01-01T00:00:00Z',
      }));
      return send(200, { ...summary('z1', 'example.com'), records });
    }
    if (req.method === 'POST' || req.method === 'PATCH' || req.method === 'DELETE') {
      return send(400, { detail: HOSTILE_DETAIL, error_code: 'invalid', field: 'value' });
    }
    send(404, { detail: 'Not found.', error_code: 'not_found', field: null });
  };
}

let url = '';
let close: () => Promise<void> = async () => {};
const state: ZoneState = { records: [], unmanaged: [] };

beforeAll(async () => {
  const server = createServer(hostileApi(state));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

async function dnssync(
  zoneYaml: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Run & { summary: string }> {
  const { dir, zonesDir, cleanup } = await tempZones('dnssync-untrusted-');
  try {
    await writeZone(zonesDir, 'example.com', zoneYaml);
    const summaryFile = join(dir, 'summary.md');
    await writeFile(summaryFile, '');
    const run = await runCli(
      {
        sandbox: { url, token: TOKEN },
        zonesDir,
        env: {
          GITHUB_STEP_SUMMARY: summaryFile,
          ...env,
        },
      },
      args,
    );
    return { ...run, summary: await readFile(summaryFile, 'utf8') };
  } finally {
    await cleanup();
  }
}

/** Characters that act on a terminal: C0 but tab and newline, DEL, C1, bidi controls. */
const ACTING = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function expectNothingActs(run: Run): void {
  expect(run.stdout).not.toMatch(ACTING);
  expect(run.stderr).not.toMatch(ACTING);
}

/** .NET's TrimStart, as the runner trims a line before looking for `::`. */
function trimStart(line: string): string {
  return line.replace(
    /^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u,
    '',
  );
}

/** Every line the runner would read as a workflow command, as it splits lines. */
function commandLines(run: Run): string[] {
  return `${run.stdout}\n${run.stderr}`
    .split(/\r\n|\r|\n/)
    .filter((line) => trimStart(line).startsWith('::') || line.includes('##['));
}

const render = (markdown: string) =>
  micromark(markdown, {
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
    allowDangerousHtml: true,
  });

const PLAIN_ZONE = 'records:\n  - { name: "@", type: A, value: 192.0.2.1 }\n';

describe.skipIf(!CLI_BUILT)('text from outside, through the built CLI', () => {
  it('plan and apply show escape sequences from live DNS and the API only as visible text', async () => {
    state.records = [{ uuid: 'r1', record_type: 'CNAME', name: 'www', value: SCREEN_FORGERY }];
    state.unmanaged = [`evil${SCREEN_FORGERY}.example`];

    const plan = await dnssync(PLAIN_ZONE, ['plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expectNothingActs(plan);
    expect(plan.stdout).toContain(
      '  - www  CNAME  \\x1b[2J\\x1b[H\\x1b]0;owned\\x07Plan: 0 to create, 0 to update, 0 to delete.\\x1b[8m  ttl 3600',
    );
    expect(plan.stdout).toContain(
      'Unmanaged: 1 live zone without a zone file, left alone: evil\\x1b[2j\\x1b[h\\x1b]0;owned\\x07plan',
    );
    expect(plan.stdout).toContain('Plan: 1 to create, 0 to update, 1 to delete in 1 zone.');

    const apply = await dnssync(PLAIN_ZONE, ['apply', '--yes']);
    expect(apply.code).toBe(1);
    expectNothingActs(apply);
    expect(apply.stdout).toContain(
      'FAILED  example.com  + @ A 192.0.2.1: POST /api/v1/dns-zones/z1/records/: 400 \\x1b[2J',
    );
    expect(apply.stdout).toContain(
      '\\u202edenied\\n```\\n## Plan: 0 to create. Safe to merge\\n::error::forged',
    );
  });

  it('an API error that ends plan is one visible line, in a terminal and in a job log', async () => {
    state.records = [];
    state.unmanaged = [];
    state.readFails = true;
    try {
      for (const env of [{}, { GITHUB_ACTIONS: 'true' }]) {
        const plan = await dnssync(PLAIN_ZONE, ['plan'], env);
        expect(plan.code).toBe(1);
        expectNothingActs(plan);
        if ('GITHUB_ACTIONS' in env) expect(commandLines(plan)).toEqual([]);
        expect(plan.stderr.trimEnd().split('\n')).toEqual([
          expect.stringMatching(
            /^dnssync: error: GET \/api\/v1\/dns-zones\/z1\/: 400 \\x1b\[2J.*\\n```\\n## Plan.*\(field: \\x1b\[8m\)$/,
          ),
        ]);
      }
    } finally {
      state.readFails = false;
    }
  });

  it('in GitHub Actions, API text makes no workflow command and stays inside the summary code block', async () => {
    state.records = [{ uuid: 'r1', record_type: 'CNAME', name: 'www', value: SCREEN_FORGERY }];
    state.unmanaged = [];
    const apply = await dnssync(PLAIN_ZONE, ['apply', '--yes'], { GITHUB_ACTIONS: 'true' });
    expect(apply.code).toBe(1);
    expectNothingActs(apply);
    expect(commandLines(apply)).toEqual([]);

    const html = render(apply.summary);
    expect(html.match(/<h\d>.*?<\/h\d>/g)).toEqual(['<h3>dnssync apply</h3>']);
    const blocks = html.match(/<pre><code[^>]*>[\s\S]*?<\/code><\/pre>/g) ?? [];
    expect(blocks).toHaveLength(1);
    // Everything after the heading is that one code block, holding the whole API text.
    expect(html.replace('<h3>dnssync apply</h3>', '').trim()).toBe(blocks[0]);
    expect(blocks[0]).toContain('## Plan: 0 to create. Safe to merge');
    expect(blocks[0]).toContain('Apply incomplete: 0 of 2 changes applied, 2 failed');
  });

  it('in GitHub Actions, a zone-file value with a newline and ::error:: forges no command', async () => {
    const zone = [
      'records:',
      '  - { name: "@", type: A, value: "192.0.2.1\\n::error file=zones/forged.yaml,line=1::forged\\n##[add-mask]192" }',
      '  - { name: "@", type: CAA, value: "0 issue \\"ca.example\\r  ::warning::forged too" }',
      '  - { name: www, type: CNAME, value: "\\u2028::notice::x\\u0085::error::y" }',
      '',
    ].join('\n');
    for (const args of [['validate'], ['plan']]) {
      const run = await dnssync(zone, args, { GITHUB_ACTIONS: 'true' });
      expect(run.code).toBe(1);
      expectNothingActs(run);
      const problems = run.stdout.split('\n').filter((line) => /: (error|warning): /.test(line));
      expect(problems.length).toBeGreaterThanOrEqual(2);
      const commands = commandLines(run);
      // One annotation per problem, each on a line of its own, and nothing else. (The
      // runner reads a line that starts with a command as that command; a `##[` after
      // it is part of its message.)
      expect(commands).toHaveLength(problems.length);
      for (const line of commands) {
        expect(line).toMatch(/^::(error|warning) file=[^:,]+,line=\d+,col=\d+::records\[\d\]/);
      }
    }
  });

  it('a CAA value with bare CRs and bidi controls cannot break the Markdown plan or add a heading', async () => {
    state.records = [];
    state.unmanaged = [];
    const zone = [
      'records:',
      '  - { name: "@", type: CAA, value: "0 issue \\"ca.example\\r\\r### Plan: 0 to create, 0 to update, 0 to delete. Safe to merge\\r| a | b |\\r\\u202e\\u2066gnp.exe\\"", checks: { caa-issue-value: off } }',
      '  - { name: "@", type: TXT, value: "v=spf1\\r# Forged\\r\\u202e -all" }',
      '  - { name: www, type: A, value: 192.0.2.80 }',
      '',
    ].join('\n');
    const plan = await dnssync(zone, ['plan', '--format', 'markdown'], { GITHUB_ACTIONS: 'true' });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).not.toMatch(ACTING);
    expect(plan.summary).toBe(plan.stdout);

    const html = render(plan.stdout);
    expect(html.match(/<h\d>.*?<\/h\d>/g)).toEqual([
      '<h3>dnssync plan</h3>',
      '<h4><code>example.com</code></h4>',
    ]);
    // The summary table and the zone's table: a header row each, and one row per change.
    const tables = html.match(/<table>[\s\S]*?<\/table>/g) ?? [];
    expect(tables).toHaveLength(2);
    const rows = (tables[1] ?? '').match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.match(/<t[dh][ >]/g)).toHaveLength(6);
    expect(html).toContain(
      '<code>0 issue &quot;ca.example\\r\\r### Plan: 0 to create, 0 to update, 0 to delete. Safe to merge\\r| a | b |\\r\\u202e\\u2066gnp.exe&quot;</code>',
    );
  });
});
