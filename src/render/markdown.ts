/**
 * `--format markdown`: the plan as a compact pull-request comment (and job summary).
 * Summary first, then a table per zone; zones with many changes folded in <details>.
 * Every name, value and zone name is inline code made inert (markdownCode): nothing from a
 * zone file or live DNS can break a table, open a block, add HTML or a link, or mention
 * anyone. The whole text stays under a byte cap, by default below GitHub's 65,536-character
 * comment limit, with a note of what was cut.
 */

import type { Change, Plan, ZonePlan } from '../plan/types.js';
import { markdownCode, markdownText } from '../text/markdown.js';
import { plural } from '../text/terminal.js';
import * as words from './words.js';

export interface MarkdownOptions {
  /** Upper bound on the output's size in UTF-8 bytes (default 60,000). */
  maxBytes?: number;
  /** Zones with more changes than this are folded (default 15). */
  foldAfter?: number;
  /** What the cap is for, in the note when something is cut (default: a GitHub comment). */
  cutToFit?: string;
}

/** An invisible marker, so a workflow can find and update its own comment. */
export const MARKDOWN_MARKER = '<!-- dnssync:plan -->';
const DEFAULT_MAX_BYTES = 60_000;
/**
 * For the job summary: GitHub drops a step's whole summary when it passes 1 MiB
 * (1,048,576 bytes), so the plan leaves room for what a workflow writes around it.
 */
export const JOB_SUMMARY: MarkdownOptions = {
  maxBytes: 1_000_000,
  cutToFit: 'the job summary (GitHub keeps at most 1 MiB of it per step)',
};
const DEFAULT_FOLD_AFTER = 15;
/** Summary rows and unsafe-zone bullets shown before "and N more". */
const MAX_SUMMARY_ROWS = 50;
/** Room kept for the note that says what was cut. */
const CUT_NOTE_RESERVE = 600;

export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const foldAfter = options.foldAfter ?? DEFAULT_FOLD_AFTER;
  const changed = plan.zones.filter(words.isChanged);
  const sentence = words.planSentence(plan);

  const head = [
    MARKDOWN_MARKER,
    '### dnssync plan',
    '',
    `**${sentence ?? words.noChangesSentence(plan)}**`,
    '',
  ];
  head.push(...unsafeBlock(plan));
  if (changed.length > 0) head.push(...summaryTable(changed), '');
  const tail = unmanagedLines(plan);

  let budget = maxBytes - bytes(join(head)) - bytes(join(tail)) - CUT_NOTE_RESERVE;
  const body: string[] = [];
  let cutZones: ZonePlan[] = [];
  let cutChanges = 0;
  for (const [index, zone] of changed.entries()) {
    const section = zoneSection(zone, foldAfter, budget);
    if (section.text !== '') {
      body.push(section.text);
      budget -= bytes(section.text) + 1;
    }
    if (section.cutRows > 0 || section.text === '') {
      // Stop at the first zone that does not fit whole, so what is shown stays in order.
      const rest = changed.slice(index + 1);
      cutZones = [zone, ...rest];
      cutChanges = section.cutRows + rest.reduce((sum, z) => sum + z.changes.length, 0);
      break;
    }
  }
  const cut =
    cutZones.length > 0
      ? [
          '> [!NOTE]',
          `> Cut to fit ${options.cutToFit ?? 'a GitHub comment'}: ${plural(cutChanges, 'change')} in ${plural(cutZones.length, 'zone')} not shown (${listNames(
            cutZones.map((z) => z.domain),
            10,
          )}). \`dnssync plan\` shows the full plan as text.`,
          '',
        ]
      : [];
  return `${join([...head, ...body, ...cut, ...tail]).trimEnd()}\n`;
}

function unsafeBlock(plan: Plan): string[] {
  const unsafe = plan.zones.filter((zone) => zone.safety.unsafe);
  if (unsafe.length === 0) return [];
  const lines = [
    '> [!WARNING]',
    `> **Unsafe plan:** \`dnssync apply\` refuses it without \`--force\` (${plural(unsafe.length, 'zone')}).`,
  ];
  for (const zone of unsafe.slice(0, MAX_SUMMARY_ROWS)) {
    lines.push(
      `> - **${markdownCode(zone.domain)}**: ${zone.safety.reasons.map(markdownText).join('; ')}`,
    );
  }
  if (unsafe.length > MAX_SUMMARY_ROWS)
    lines.push(`> - and ${unsafe.length - MAX_SUMMARY_ROWS} more`);
  return [...lines, ''];
}

function summaryTable(changed: ZonePlan[]): string[] {
  const lines = ['| zone | create | update | delete | |', '|:--|--:|--:|--:|:--|'];
  for (const zone of changed.slice(0, MAX_SUMMARY_ROWS)) {
    const notes = [zone.create_zone ? 'new zone' : '', zone.safety.unsafe ? '⚠️ unsafe' : '']
      .filter(Boolean)
      .join(', ');
    lines.push(
      `| ${markdownCode(zone.domain)} | ${words.countOf(zone, 'create')} | ${words.countOf(zone, 'update')} | ${words.countOf(zone, 'delete')} | ${notes} |`,
    );
  }
  if (changed.length > MAX_SUMMARY_ROWS) {
    lines.push(`| and ${changed.length - MAX_SUMMARY_ROWS} more zones | | | | |`);
  }
  return lines;
}

interface Section {
  /** Empty when not even the heading fits. */
  text: string;
  cutRows: number;
}

/** One zone's heading and table, with as many rows as `budget` bytes allow. */
function zoneSection(zone: ZonePlan, foldAfter: number, budget: number): Section {
  const domain = markdownCode(zone.domain);
  const what = `${zone.create_zone ? 'new zone, ' : ''}${words.zoneCounts(zone)}`;
  const fold = zone.changes.length > foldAfter;
  const open = fold
    ? [`<details><summary><b>${domain}</b>: ${what}</summary>`, '']
    : [`#### ${domain}`, `_${what}_`, ''];
  const table =
    zone.changes.length > 0
      ? ['| | name | type | value | ttl | priority |', '|:--|:--|:--|:--|--:|--:|']
      : [];
  const notes: string[] = [];
  const alone = words.leftAlone(zone);
  if (alone) notes.push(`Left alone: ${markdownText(alone)}.`);
  for (const reason of zone.safety.reasons) notes.push(`⚠️ Unsafe: ${markdownText(reason)}.`);
  const close = [
    ...(notes.length > 0 ? ['', notes.join('<br>')] : []),
    ...(fold ? ['', '</details>'] : []),
    '',
  ];

  let used = bytes(join([...open, ...table, ...close])) + 200;
  if (used > budget) return { text: '', cutRows: zone.changes.length };
  const rows: string[] = [];
  for (const change of zone.changes) {
    const row = changeRow(change);
    const size = bytes(row) + 1;
    if (used + size > budget) break;
    rows.push(row);
    used += size;
  }
  const cutRows = zone.changes.length - rows.length;
  const more =
    cutRows > 0 ? ['', `_…and ${plural(cutRows, 'more change')} in this zone, not shown._`] : [];
  return { text: join([...open, ...table, ...rows, ...more, ...close]), cutRows };
}

function changeRow(change: Change): string {
  const parts = words.updateParts(change);
  let value = markdownCode(words.displayValue(change));
  if (change.action === 'update' && change.before && change.before.value !== change.value) {
    value = `${markdownCode(words.displayValue(change.before))} → ${markdownCode(words.displayValue(change))}`;
  }
  if (change.reason) value += ` _(${markdownText(change.reason)})_`;
  const cells = [
    `${words.SIGN[change.action]} ${change.action}`,
    markdownCode(change.name),
    markdownText(change.type),
    value,
    parts.ttl,
    parts.priority ?? '',
  ];
  return `| ${cells.join(' | ')} |`;
}

function unmanagedLines(plan: Plan): string[] {
  const sentence = words.unmanagedSentence(plan, listNames(plan.unmanaged_zones, 30));
  return sentence === null ? [] : [sentence];
}

/** Zone names as inline code, comma-separated, the first `max` of them. */
function listNames(names: readonly string[], max: number): string {
  return words.someNames(names, max, markdownCode);
}

function join(lines: readonly string[]): string {
  return lines.join('\n');
}

const encoder = new TextEncoder();
function bytes(text: string): number {
  return encoder.encode(text).length;
}
