import { describe, expect, it } from 'vitest';
import { computePlan } from '../src/plan/index.js';
import type { Plan } from '../src/plan/types.js';
import { renderDiff } from '../src/render/diff.js';
import { renderJson } from '../src/render/json.js';
import { renderMarkdown } from '../src/render/markdown.js';
import { renderFooter, renderText } from '../src/render/text.js';
import { markdownText } from '../src/text/markdown.js';
import { desiredZone, have, liveZone, richInputs, want } from './plan-fixtures.js';

function richPlan(): Plan {
  const inputs = richInputs();
  return computePlan(inputs.desired, inputs.live, { unmanagedZones: ['parked.example'] });
}

const ANSI = /\u001b\[\d+m/;

describe('text rendering', () => {
  it('renders a rich plan (snapshot reviewed by eye)', () => {
    expect(renderText(richPlan())).toMatchSnapshot();
  });

  it('shows exactly what an update changes', () => {
    const text = renderText(richPlan());
    expect(text).toMatch(/^ {2}~ @ +A +192\.0\.2\.1 +ttl 3600 → 300$/m);
    expect(text).toMatch(/^ {2}~ mail +A +192\.0\.2\.1 → 192\.0\.2\.9 +ttl 300$/m);
    expect(text).toMatch(/^ {2}~ @ +MX +mail\.example\.com +ttl 3600 {2}priority 10 → 20$/m);
    expect(text).toMatch(
      /^ {2}\+ _sip\._tcp +SRV +5 5060 sip\.example\.com +ttl 3600 {2}priority 10$/m,
    );
    expect(text).toMatch(/^ {2}- dup +A +192\.0\.2\.5 +ttl 3600 {2}\(duplicate live record\)$/m);
  });

  it('counts what it left alone and warns about unsafe zones', () => {
    const text = renderText(richPlan());
    expect(text).toContain(
      'left alone: 1 matched by ignore rules, 1 of unmanaged types (e.g. SOA), 2 provider NS at the apex',
    );
    expect(text).toContain('left alone: 2 kept (purge: false)');
    expect(text).toContain('⚠ unsafe: would delete 4 of 10 managed records (40% > 30%)');
    expect(text).toContain(
      'Unmanaged: 2 live zones without a zone file, left alone: legacy.example, parked.example.',
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'Plan: 7 to create (1 new zone, 6 records), 3 to update, 7 to delete in 4 zones.',
    );
  });

  it('says clearly when nothing changes', () => {
    const plan = computePlan(
      [desiredZone('a.example', [want('@', 'A', '192.0.2.1')])],
      [liveZone('a.example', [have('r1', '@', 'A', '192.0.2.1')])],
    );
    expect(renderText(plan)).toBe(
      'No changes. Live DNS matches the zone files (1 zone checked).\n',
    );
  });

  it('uses colour only when asked: green +, yellow ~, red -', () => {
    const plan = richPlan();
    expect(renderText(plan, { color: false })).not.toMatch(ANSI);
    const colored = renderText(plan, { color: true });
    expect(colored).toContain('\u001b[32m+\u001b[39m');
    expect(colored).toContain('\u001b[33m~\u001b[39m');
    expect(colored).toContain('\u001b[31m-\u001b[39m');
  });

  it('shows TXT values quoted, with control characters escaped, on one line', () => {
    const plan = computePlan(
      [desiredZone('a.example', [want('t', 'TXT', 'line1\nline2 "q"')])],
      [liveZone('a.example', [])],
    );
    expect(renderText(plan)).toContain('+ t  TXT  "line1\\nline2 \\"q\\""  ttl 3600');
  });

  it('the footer alone ends with the same sentence', () => {
    const plan = richPlan();
    expect(renderFooter(plan).trimEnd().split('\n').at(-1)).toBe(
      renderText(plan).trimEnd().split('\n').at(-1),
    );
  });
});

describe('Markdown rendering', () => {
  it('renders a rich plan (snapshot reviewed by eye)', () => {
    expect(renderMarkdown(richPlan())).toMatchSnapshot();
  });

  it('puts the summary first', () => {
    const lines = renderMarkdown(richPlan()).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '<!-- dnssync:plan -->',
      '### dnssync plan',
      '',
      '**Plan: 7 to create (1 new zone, 6 records), 3 to update, 7 to delete in 4 zones.**',
    ]);
  });

  it('escapes pipes, backticks, HTML and Markdown in values so the table stays intact', () => {
    const markdown = renderMarkdown(richPlan());
    const row = markdown.split('\n').find((line) => line.includes('| <code>old</code> |'));
    expect(row).toBeDefined();
    expect(row!.split('|')).toHaveLength(8);
    expect(row).not.toMatch(/<b>|`tick`|\*star\*|@team/);
    expect(row).toContain('&#124;');
    expect(markdownText('a|b`c<d>&e*_[x]\\~#@')).toBe(
      'a&#124;b&#96;c&lt;d&gt;&amp;e&#42;&#95;&#91;x&#93;&#92;&#126;&#35;&#64;',
    );
  });

  it('folds zones with many changes in <details>', () => {
    const records = Array.from({ length: 20 }, (_, i) => want(`h${i}`, 'A', '192.0.2.1'));
    const plan = computePlan(
      [desiredZone('many.example', records)],
      [liveZone('many.example', [])],
    );
    const markdown = renderMarkdown(plan);
    expect(markdown).toContain(
      '<details><summary><b><code>many.example</code></b>: 20 to create</summary>',
    );
    expect(markdown).toContain('</details>');
    expect(renderMarkdown(plan, { foldAfter: 50 })).not.toContain('<details>');
  });

  it('stays under the size cap and says what it cut', () => {
    const desired = [];
    const live = [];
    for (let z = 0; z < 40; z++) {
      const domain = `zone${String(z).padStart(2, '0')}.example`;
      desired.push(
        desiredZone(
          domain,
          Array.from({ length: 100 }, (_, i) => want(`host-${i}`, 'TXT', `${'x'.repeat(40)} ${i}`)),
        ),
      );
      live.push(liveZone(domain, []));
    }
    const plan = computePlan(desired, live);
    const markdown = renderMarkdown(plan);
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(60_000);
    expect(Buffer.byteLength(markdown)).toBeGreaterThan(50_000);
    expect(markdown).toMatch(/> Cut to fit a GitHub comment: \d+ changes in \d+ zones not shown/);
    const shownRows = markdown.split('\n').filter((line) => line.startsWith('| + create')).length;
    const cut = Number(/: (\d+) changes in/.exec(markdown)?.[1]);
    expect(shownRows + cut).toBe(4000);

    const small = renderMarkdown(plan, { maxBytes: 5_000 });
    expect(Buffer.byteLength(small)).toBeLessThanOrEqual(5_000);
    expect(small).toContain('Cut to fit');
    expect(renderMarkdown(computePlan(desired.slice(0, 1), live))).not.toContain('Cut to fit');
  });

  it('works for a plan without changes', () => {
    const plan = computePlan(
      [desiredZone('a.example', [])],
      [liveZone('a.example', []), liveZone('b.example', [])],
    );
    expect(renderMarkdown(plan)).toBe(
      [
        '<!-- dnssync:plan -->',
        '### dnssync plan',
        '',
        '**No changes. Live DNS matches the zone files (1 zone checked).**',
        '',
        'Unmanaged: 1 live zone without a zone file, left alone: <code>b.example</code>.',
        '',
      ].join('\n'),
    );
  });
});

describe('JSON rendering', () => {
  it('is the plan itself, pretty-printed', () => {
    const plan = richPlan();
    const json = renderJson(plan);
    expect(JSON.parse(json)).toStrictEqual(plan);
    expect(json).toMatch(/^\{\n {2}"format_version": 1,/);
  });

  it('escapes what a terminal or a job log would act on, and still reads back the same', () => {
    const plan = richPlan();
    const hostile = 'x\x7f\x9b\u202e\u2066\u2028 ##[add-mask]y';
    plan.unmanaged_zones = [hostile];
    const json = renderJson(plan);
    expect(json).not.toMatch(/[\x7f-\x9f\u202e\u2066\u2028]|##\[/);
    expect(json).toContain('"x\\u007f\\u009b\\u202e\\u2066\\u2028 ##\\u005badd-mask]y"');
    expect(JSON.parse(json)).toStrictEqual(plan);
  });
});

describe('diff rendering', () => {
  it('renders a unified diff per changed zone (snapshot reviewed by eye)', () => {
    const inputs = richInputs();
    expect(renderDiff(computePlan(inputs.desired, inputs.live), inputs)).toMatchSnapshot();
  });

  it('leaves out hands-off records and shows kept ones on both sides', () => {
    const inputs = richInputs();
    const diff = renderDiff(computePlan(inputs.desired, inputs.live), inputs);
    expect(diff).not.toMatch(/SOA|_acme-challenge|ns1\.vps\.org/);
    expect(diff).toContain(' legacy 3600 IN TXT "v=old"');
    expect(diff).not.toContain('quiet.example');
  });

  it('applying the diff turns the live side into the desired side', async () => {
    const { applyPatch } = await import('diff');
    const desired = [
      desiredZone('a.example', [want('@', 'A', '192.0.2.2'), want('www', 'CNAME', 'a.example')]),
    ];
    const live = new Map([
      [
        'a.example',
        liveZone('a.example', [
          have('r1', '@', 'A', '192.0.2.1'),
          have('r2', 'www', 'A', '192.0.2.1'),
        ]),
      ],
    ]);
    const diff = renderDiff(computePlan(desired, live), { desired, live });
    const liveText = '@   3600 IN A     192.0.2.1\nwww 3600 IN A     192.0.2.1\n';
    expect(applyPatch(liveText, diff)).toBe(
      '@   3600 IN A     192.0.2.2\nwww 3600 IN CNAME a.example.\n',
    );
  });

  it('colours only when asked', () => {
    const inputs = richInputs();
    const plan = computePlan(inputs.desired, inputs.live);
    expect(renderDiff(plan, inputs)).not.toMatch(ANSI);
    expect(renderDiff(plan, inputs, { color: true })).toMatch(/\u001b\[32m\+@ +300 IN A/);
  });

  it('is empty when nothing changes', () => {
    const desired = [desiredZone('a.example', [want('@', 'A', '192.0.2.1')])];
    const live = new Map([
      ['a.example', liveZone('a.example', [have('r1', '@', 'A', '192.0.2.1')])],
    ]);
    expect(renderDiff(computePlan(desired, live), { desired, live })).toBe('');
  });
});
