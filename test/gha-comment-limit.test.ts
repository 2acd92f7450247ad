/**
 * The pull-request comment must stay under GitHub's 65,536-character limit,
 * or pr-comment.mjs gets a 422 and the pull request shows no plan at all. The plan part is
 * cut to fit; the "DNS checks" section after it is not, and its findings quote zone-file
 * values (SPF terms, DKIM keys) at any length.
 */
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT, buildCommentBody, MARKER } from '../scripts/gha/comment-body.mjs';
import { renderChecksSection } from '../src/checks/report.js';
import type { Issue } from '../src/model.js';

const PLAN_MD = `${MARKER}\n### dnssync plan\n\n**No changes. Live DNS matches the zone files (1 zone checked).**\n`;

/** What `validate` reports for an SPF record with one long unknown term, 150 times. */
function longFindings(count: number, termLength: number): Issue[] {
  return Array.from({ length: count }, (_, i) => {
    const term = `bogus${'y'.repeat(termLength)}${i}:thing`;
    return {
      code: 'spf-syntax',
      severity: 'error' as const,
      message: `SPF: "${term}": unknown mechanism "${term.split(':')[0]}"; receivers fail SPF for this record (permerror): fix the term`,
      file: 'zones/example.com.yaml',
      line: i + 2,
      col: 35,
    };
  });
}

describe('the plan comment with a large DNS checks section', () => {
  it('stays under GitHub’s comment limit', () => {
    const checksMarkdown = renderChecksSection(longFindings(150, 1500), null);
    const body = buildCommentBody({
      status: 'no-changes',
      planMarkdown: PLAN_MD,
      plan: { zones: [] },
      checksMarkdown,
    });
    expect(body.startsWith(MARKER)).toBe(true);
    // Today: about 474,000 characters; GitHub refuses the comment (422, body is too long).
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
  });

  it('stays under the limit with a plan near its own cap and ordinary findings', () => {
    // `plan --format markdown` caps itself at 60,000 bytes; a large onboarding plan gets there.
    const rows = Array.from(
      { length: 900 },
      (_, i) =>
        `| + create | <code>host${i}</code> | A | <code>198.51.100.${i % 250}</code> | 60 |  |`,
    );
    const planMarkdown =
      `${PLAN_MD}\n| | name | type | value | ttl | priority |\n|:--|:--|:--|:--|--:|--:|\n${rows.join('\n')}\n`.slice(
        0,
        59_000,
      );
    // ttl-low on each of those records: short messages, 150 of them shown.
    const findings: Issue[] = Array.from({ length: 150 }, (_, i) => ({
      code: 'ttl-low',
      severity: 'warning' as const,
      message: `host${i} A: TTL 60 is below ttl-min (60 s would be fine; this is an example finding text of ordinary length)`,
      file: 'zones/example.com.yaml',
      line: i + 2,
      col: 5,
    }));
    const body = buildCommentBody({
      status: 'changes',
      planMarkdown,
      plan: { zones: [] },
      checksMarkdown: renderChecksSection(findings, null),
    });
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
  });
});
