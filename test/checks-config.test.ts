/**
 * Turning checks off or raising them: per record, per zone file and for the repository
 * (dnssync.yaml beside the zones directory), through the built CLI; unknown ids and bad
 * levels are errors at their place.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dnssync, validateJson, zoneFile, zonesDir } from './checks-helpers.js';

const LOW = '{ name: www, type: A, value: 192.0.2.1, ttl: 30 }';
const LOW2 = '{ name: api, type: A, value: 192.0.2.2, ttl: 30 }';

const codes = (dir: string) =>
  validateJson(dir).issues.map((issue) => `${issue.line} ${issue.severity} ${issue.code}`);

describe('check settings', () => {
  it('reports by default', () => {
    expect(codes(zonesDir({ 'a.test.yaml': zoneFile([LOW, LOW2]) }))).toEqual([
      '2 warning ttl-low',
      '3 warning ttl-low',
    ]);
  });

  it('turns a check off, or raises it, for one zone file', () => {
    const off = zonesDir({ 'a.test.yaml': zoneFile([LOW], 'checks: { ttl-low: off }\n') });
    expect(codes(off)).toEqual([]);
    const raised = zonesDir({ 'a.test.yaml': zoneFile([LOW], 'checks:\n  ttl-low: error\n') });
    const result = validateJson(raised);
    expect(result.issues.map((i) => `${i.severity} ${i.code}`)).toEqual(['error ttl-low']);
    expect(result.code).toBe(1);
  });

  it('silences one record, in flow and block style, and for every value of a values: record', () => {
    const text = zoneFile([
      '{ name: www, type: A, value: 192.0.2.1, ttl: 30, checks: { ttl-low: off } }',
      LOW2,
      'name: v\n    type: A\n    values: [192.0.2.7, 192.0.2.8]\n    ttl: 30\n    checks:\n      ttl-low: off',
    ]);
    expect(codes(zonesDir({ 'a.test.yaml': text }))).toEqual(['3 warning ttl-low']);
  });

  it('takes the repository settings from dnssync.yaml beside the zones directory; a zone file wins', () => {
    const dir = zonesDir({
      'a.test.yaml': zoneFile([LOW]),
      'b.test.yaml': zoneFile(
        [LOW, '{ name: old, type: A, value: 192.0.2.3, ttl: 100 }'],
        'checks: { ttl-low: warning }\n',
      ),
    });
    writeFileSync(
      join(dirname(dir), 'dnssync.yaml'),
      '# yaml-language-server: $schema=schemas/dnssync.schema.json\nchecks:\n  ttl-low: error\nlimits:\n  ttl-min: 120\n',
    );
    const { issues, code } = validateJson(dir);
    expect(
      issues.map((i) => `${i.file.split('/').pop()}:${i.line} ${i.severity} ${i.code}`),
    ).toEqual([
      'a.test.yaml:2 error ttl-low',
      'b.test.yaml:3 warning ttl-low',
      'b.test.yaml:4 warning ttl-low',
    ]);
    expect(issues[2]?.message).toContain('below 120 s');
    expect(code).toBe(1);
  });

  it('refuses an unknown check id with a suggestion, at its key', () => {
    const text = zoneFile(
      ['{ name: www, type: A, value: 192.0.2.1, checks: { ttl-lo: off } }'],
      'checks:\n  spf-multipel: off\n',
    );
    const run = dnssync(['validate', '--zones', zonesDir({ 'a.test.yaml': text })]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /a\.test\.yaml:2:3: error: checks\.spf-multipel: no check is called "spf-multipel" \(did you mean "spf-multiple"\?\)/,
    );
    expect(run.stdout).toMatch(
      /a\.test\.yaml:4:55: error: records\[0\]\.checks\.ttl-lo: no check is called "ttl-lo" \(did you mean "ttl-low"\?\)/,
    );
  });

  it('refuses a level that is not off, notice, warning or error', () => {
    const run = dnssync([
      'validate',
      '--zones',
      zonesDir({ 'a.test.yaml': zoneFile([LOW], 'checks: { ttl-low: silent }\n') }),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('a.test.yaml:1:');
    expect(run.stdout).toContain('checks.ttl-low');
  });

  it('reports a broken dnssync.yaml at its line, and checks nothing until it is fixed', () => {
    const dir = zonesDir({ 'a.test.yaml': zoneFile([LOW]) });
    writeFileSync(
      join(dirname(dir), 'dnssync.yaml'),
      'checks:\n  ttl-low: off\n  spf-multipel: off\nlimit:\n  ttl-min: 5\n',
    );
    const run = dnssync(['validate', '--zones', dir]);
    expect(run.code).toBe(1);
    const file = join(dirname(dir), 'dnssync.yaml');
    expect(run.stdout).toContain(
      `${file}:3:3: error: checks.spf-multipel: no check is called "spf-multipel" (did you mean "spf-multiple"?)`,
    );
    expect(run.stdout).toContain(
      `${file}:4:1: error: limit: unknown key "limit" (did you mean "limits"?); allowed: checks, limits`,
    );
  });
});
