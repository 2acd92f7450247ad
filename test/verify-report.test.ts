/**
 * What `dnssync verify` prints: a check that could not be made (no answer, refused) is
 * counted apart from one that does not match, and when nothing could be compared the
 * last line says so instead of calling every record set different.
 */
import { describe, expect, it } from 'vitest';
import { painter } from '../src/text/terminal.js';
import type { ExpectedSet, SetVerdict } from '../src/verify/compare.js';
import { renderReports, retryLine } from '../src/verify/report.js';
import { allMatch, tally, type ZoneReport } from '../src/verify/run.js';

const set = (name: string): ExpectedSet => ({
  name,
  type: 'A',
  fqdn: `${name}.example.com`,
  values: [{ value: '192.0.2.1', priority: null }],
  ttl: 300,
  served: { kind: 'answer' },
  glueFor: [],
  cut: null,
});

const MATCH: SetVerdict = { kind: 'match', ttlChecked: false };
const DIFFERS: SetVerdict = {
  kind: 'differs',
  missingValues: ['192.0.2.1'],
  extraValues: [],
  ttl: null,
};
const MISSING: SetVerdict = { kind: 'missing', why: 'the name does not exist' };
const refused = (message = 'connection refused'): SetVerdict => ({ kind: 'error', message });
const NOT_SERVED: SetVerdict = { kind: 'not-served', cut: 'sub.example.com' };

/** One zone at one nameserver per list of verdicts. */
function reports(...servers: SetVerdict[][]): ZoneReport[] {
  return [
    {
      domain: 'example.com',
      file: 'zones/example.com.yaml',
      servers: servers.map((verdicts, i) => ({
        server: `127.0.0.1:${5300 + i}`,
        results: verdicts.map((verdict, j) => ({ set: set(`n${j}`), verdict })),
      })),
    },
  ];
}

const render = (r: ZoneReport[]) => renderReports(r, painter(false));
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

describe('tally', () => {
  it('counts matched, mismatched and unchecked apart', () => {
    const results = reports([MATCH, DIFFERS, MISSING, refused(), refused(), NOT_SERVED])[0]!
      .servers[0]!.results;
    expect(tally(results)).toEqual({
      checks: 5,
      matched: 1,
      mismatched: 2,
      unchecked: 2,
      notServed: 1,
    });
  });
});

describe('renderReports', () => {
  it('says nothing was compared when no nameserver could be asked', () => {
    const text = render(
      reports([refused(), refused(), refused('no answer from 127.0.0.1:5300 in 2000 ms')]),
    );
    expect(text).toContain('example.com at 127.0.0.1:5300: none of 3 record sets could be checked');
    expect(lastLine(text)).toBe(
      '✗ nothing was compared: none of 3 checks could be made (127.0.0.1:5300: connection refused; 127.0.0.1:5300: no answer from 127.0.0.1:5300 in 2000 ms)',
    );
    expect(text).not.toContain('do not match');
  });

  it('names at most three reasons', () => {
    const text = render(reports(['a', 'b', 'c', 'd', 'e'].map((why) => refused(why))));
    expect(lastLine(text)).toBe(
      '✗ nothing was compared: none of 5 checks could be made (127.0.0.1:5300: a; 127.0.0.1:5300: b; 127.0.0.1:5300: c; 2 more reasons)',
    );
  });

  it('counts what could not be checked apart from what does not match', () => {
    const text = render(reports([MATCH, DIFFERS], [refused(), refused()]));
    expect(text).toContain('example.com at 127.0.0.1:5300: 1 of 2 record sets match');
    expect(text).toContain('example.com at 127.0.0.1:5301: none of 2 record sets could be checked');
    expect(lastLine(text)).toBe(
      '✗ 1 of 4 checks do not match, 2 could not be made (127.0.0.1:5301: connection refused)',
    );
  });

  it('does not call a check that could not be made a mismatch', () => {
    const text = render(reports([MATCH, MATCH, refused()]));
    expect(text).toContain('2 of 3 record sets match, 1 could not be checked');
    expect(lastLine(text)).toBe(
      '✗ 1 of 3 checks could not be made (127.0.0.1:5300: connection refused); the other 2 match',
    );
  });

  it('keeps the wording of a plain mismatch and of a full match', () => {
    expect(lastLine(render(reports([MATCH, MISSING])))).toBe('✗ 1 of 2 checks do not match');
    expect(lastLine(render(reports([MATCH, MATCH], [MATCH, MATCH])))).toBe(
      '✓ every record set matches (4 checks)',
    );
  });

  it('lists record sets below a delegation as not served, apart, and does not fail on them', () => {
    const text = render(reports([MATCH, NOT_SERVED]));
    expect(text).toContain('example.com at 127.0.0.1:5300: 1 of 1 record set match; 1 not served');
    expect(text).toContain(
      '  - n1 A: not served: below the delegation of sub.example.com, where servers answer with a referral carrying only its NS records and glue (not asked; not a failure)',
    );
    expect(lastLine(text)).toBe(
      '✓ every record set matches (1 check); 1 record set below a delegation is not served and not asked',
    );
    expect(allMatch(reports([MATCH, NOT_SERVED]))).toBe(true);
    expect(lastLine(render(reports([MISSING, NOT_SERVED, NOT_SERVED])))).toBe(
      '✗ 1 of 1 check do not match; 2 record sets below a delegation are not served and not asked',
    );
  });
});

describe('retryLine', () => {
  it('counts checks not matching yet apart from those that could not be made', () => {
    expect(retryLine(reports([MATCH, DIFFERS, refused()]), 4500)).toBe(
      'dnssync: 1 check not matching yet, 1 check could not be made; trying again (5 s left)\n',
    );
    expect(retryLine(reports([refused(), refused()]), 1000)).toBe(
      'dnssync: 2 checks could not be made; trying again (1 s left)\n',
    );
  });
});
