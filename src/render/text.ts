/**
 * The default plan output (`--format text`): per zone a header and one line per change,
 * signed `+` create, `~` update, `-` delete, then what was left alone, unsafe warnings,
 * unmanaged zones and one closing sentence. Colour only when asked. Every name, value,
 * zone and file name is shown with forTerminal (live DNS and zone files are not ours to
 * trust); colour codes are added after that.
 */

import type { Change, Plan, ZonePlan } from '../plan/types.js';
import { forTerminal, type Paint, painter, plural } from '../text/terminal.js';
import {
  displayValue,
  isChanged,
  leftAlone,
  noChangesSentence,
  planSentence,
  SIGN,
  someNames,
  unmanagedSentence,
  updateParts,
  zoneCounts,
} from './words.js';

export interface TextOptions {
  color: boolean;
}

const SIGN_STYLE = { create: 'green', update: 'yellow', delete: 'red' } as const;
/** Values longer than this do not widen the value column (they just run on). */
const MAX_VALUE_COLUMN = 48;
const MAX_NAME_COLUMN = 32;
/** Unchanged zones are named up to this many, then counted. */
const MAX_LISTED = 10;

export function renderText(plan: Plan, options: TextOptions = { color: false }): string {
  const paint = painter(options.color);
  const sections = plan.zones.filter(isChanged).map((zone) => zoneSection(zone, paint).join('\n'));
  return `${[...sections, renderFooter(plan, options).trimEnd()].join('\n\n')}\n`;
}

/**
 * Everything after the zone sections: unchanged zones, unmanaged zones, unsafe zones and
 * the closing sentence. Also the tail of `plan --diff`.
 */
export function renderFooter(plan: Plan, options: TextOptions = { color: false }): string {
  const paint = painter(options.color);
  const lines: string[] = [];
  const unchanged = plan.zones.filter((zone) => !isChanged(zone)).map((zone) => zone.domain);
  if (unchanged.length > 0 && unchanged.length < plan.zones.length) {
    lines.push(`No changes in ${plural(unchanged.length, 'zone')}: ${listNames(unchanged)}.`);
  }
  const unmanaged = unmanagedSentence(plan, listNames(plan.unmanaged_zones));
  if (unmanaged !== null) lines.push(unmanaged);
  const unsafe = plan.zones.filter((zone) => zone.safety.unsafe).map((zone) => zone.domain);
  if (unsafe.length > 0) {
    lines.push(
      paint(
        'yellow',
        `⚠ Unsafe plan: ${listNames(unsafe)} (see above). apply refuses it without --force.`,
      ),
    );
  }
  lines.push(paint('bold', planSentence(plan) ?? noChangesSentence(plan)));
  return `${lines.join('\n')}\n`;
}

function zoneSection(zone: ZonePlan, paint: Paint): string[] {
  const what = zone.create_zone
    ? `new zone, will be created${zone.changes.length > 0 ? `; ${zoneCounts(zone)}` : ' (empty)'}`
    : zoneCounts(zone);
  const lines = [
    `${paint('bold', forTerminal(zone.domain))}  ${paint('dim', forTerminal(zone.file))}  ${what}`,
  ];

  const rows = zone.changes.map((change) => changeRow(change));
  const nameWidth = Math.min(MAX_NAME_COLUMN, Math.max(0, ...rows.map((r) => r.name.length)));
  const typeWidth = Math.max(0, ...rows.map((r) => r.type.length));
  const valueWidth = Math.min(MAX_VALUE_COLUMN, Math.max(0, ...rows.map((r) => r.value.length)));
  zone.changes.forEach((change, index) => {
    const row = rows[index]!;
    const text = [
      row.name.padEnd(nameWidth),
      row.type.padEnd(typeWidth),
      row.value.padEnd(valueWidth),
      row.attributes,
    ].join('  ');
    lines.push(`  ${paint(SIGN_STYLE[change.action], SIGN[change.action])} ${text}`.trimEnd());
  });

  const alone = leftAlone(zone);
  if (alone) lines.push(paint('dim', `  left alone: ${alone}`));
  for (const reason of zone.safety.reasons) {
    lines.push(paint('yellow', `  ⚠ unsafe: ${forTerminal(reason)}`));
  }
  return lines;
}

interface Row {
  name: string;
  type: string;
  value: string;
  attributes: string;
}

function changeRow(change: Change): Row {
  const parts = updateParts(change);
  const value = change.action === 'update' && parts.value ? parts.value : displayValue(change);
  const attributes = [`ttl ${parts.ttl}`];
  if (parts.priority !== null) attributes.push(`priority ${parts.priority}`);
  if (change.reason) attributes.push(`(${change.reason})`);
  return {
    name: forTerminal(change.name),
    type: forTerminal(change.type),
    value: forTerminal(value),
    attributes: forTerminal(attributes.join('  ')),
  };
}

function listNames(names: readonly string[]): string {
  return someNames(names, MAX_LISTED, forTerminal);
}
