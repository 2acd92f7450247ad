/**
 * The pull-request comment's "DNS checks" section: what the pull request brings first,
 * what the base branch already had folded, zone file text only inside code fences.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCommentBody } from '../scripts/gha/comment-body.mjs';
import { renderChecksSection } from '../src/checks/report.js';
import type { Issue } from '../src/model.js';
import { dnssync, zoneFile, zonesDir } from './checks-helpers.js';

const issue = (
  line: number,
  code: string,
  message: string,
  severity: Issue['severity'] = 'warning',
): Issue => ({
  file: 'zones/a.test.yaml',
  line,
  col: 3,
  severity,
  code,
  message: `${message} [${code}]`,
});

describe('renderChecksSection', () => {
  it('shows what the pull request brings, folds what the base had (lines may move), leaves out non-check issues', () => {
    const base = [issue(4, 'ttl-low', 'A www has TTL 30 s')];
    const head = [
      issue(7, 'ttl-low', 'A www has TTL 30 s'),
      issue(9, 'spf-multiple', '@ has more than one SPF record', 'error'),
      issue(2, 'schema', 'records[0].tll: unknown key', 'error'),
    ];
    const markdown = renderChecksSection(head, base);
    expect(markdown).toBe(
      [
        '### DNS checks',
        '',
        '**This pull request brings 1 error:**',
        '',
        '```text',
        'zones/a.test.yaml:9:3: error: @ has more than one SPF record [spf-multiple]',
        '```',
        '',
        '<details>',
        '<summary>1 warning already on the base branch</summary>',
        '',
        '```text',
        'zones/a.test.yaml:7:3: warning: A www has TTL 30 s [ttl-low]',
        '```',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing, or when the base was not checked', () => {
    expect(renderChecksSection([], [])).toContain('No findings');
    expect(renderChecksSection([issue(1, 'ttl-low', 'x')], null)).toContain(
      'the base branch was not checked',
    );
  });

  it('keeps hostile text inside a fence it cannot close', () => {
    const hostile = issue(3, 'dmarc-syntax', '"```\n</details><img src=x> @everyone"', 'error');
    const markdown = renderChecksSection([hostile], []);
    const fence = markdown.match(/^(`{4,})text$/m)?.[1];
    expect(fence).toBeDefined();
    expect(markdown.split('\n').filter((line) => line === fence)).toHaveLength(1);
    expect(markdown.indexOf('</details><img')).toBeGreaterThan(markdown.indexOf(`${fence}text`));
  });
});

describe('dnssync checks --report, end to end', () => {
  it('compares validate --format json of base and head, and the comment carries the section', () => {
    const base = zoneFile(['{ name: www, type: A, value: 192.0.2.1, ttl: 30 }']);
    const head = zoneFile([
      '{ name: "@", type: MX, value: 192.0.2.25, priority: 10 }',
      '{ name: www, type: A, value: 192.0.2.1, ttl: 30 }',
    ]);
    const baseDir = zonesDir({ 'a.test.yaml': base });
    const headDir = zonesDir({ 'a.test.yaml': head });
    const baseJson = join(baseDir, '..', 'base.json');
    const headJson = join(headDir, '..', 'head.json');
    writeFileSync(baseJson, dnssync(['validate', '--zones', baseDir, '--format', 'json']).stdout);
    writeFileSync(headJson, dnssync(['validate', '--zones', headDir, '--format', 'json']).stdout);
    const run = dnssync(['checks', '--report', headJson, '--base', baseJson]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('**This pull request brings 1 warning:**');
    expect(run.stdout).toMatch(
      /a\.test\.yaml:2:\d+: warning: MX @ → 192\.0\.2\.25.*\[target-ip-address\]/,
    );
    expect(run.stdout).toContain('<summary>1 warning already on the base branch</summary>');

    const body = buildCommentBody({
      status: 'changes',
      planMarkdown: '### plan',
      checksMarkdown: run.stdout,
    });
    expect(body).toContain('### DNS checks');
    const invalid = buildCommentBody({
      status: 'invalid',
      validateText: 'x',
      checksMarkdown: run.stdout,
    });
    expect(invalid).not.toContain('### DNS checks');
  });

  it('refuses a file that is not validate output, naming it', () => {
    const dir = zonesDir({});
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"plan": 1}');
    const run = dnssync(['checks', '--report', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `dnssync: error: ${bad} is not the output of dnssync validate --format json\n`,
    );
  });
});
