/** Wording shared by the plan renderers, so text and Markdown say the same thing. */

import type { DnsRecord } from '../model.js';
import type { Change, Plan, ZonePlan } from '../plan/types.js';
import { typeDef } from '../records/index.js';
import { plural } from '../text/terminal.js';

/** How a change is marked in text: `+` create, `~` update, `-` delete. */
export const SIGN = { create: '+', update: '~', delete: '-' } as const;

/**
 * A value as a reviewer should read it: free text (TXT) quoted with JSON escapes (so
 * spaces, quotes and control characters are visible), every other type as its canonical form.
 */
export function displayValue(record: Pick<DnsRecord, 'type' | 'value'>): string {
  const text = typeDef(record.type)?.rdata.some((field) => field.kind === 'text');
  return text ? JSON.stringify(record.value) : record.value;
}

/**
 * `Plan: 3 to create, 1 to update, 2 to delete in 2 zones.`, or null when nothing changes.
 * Creating a zone is a change like the others, so the counts add up to the changes apply
 * counts: `Plan: 4 to create (1 new zone, 3 records), 1 to update, 2 to delete in 2 zones.`
 */
export function planSentence(plan: Plan): string | null {
  const { create, update, delete: remove, zones_changed, zones_to_create } = plan.summary;
  if (zones_changed === 0) return null;
  const creates =
    zones_to_create > 0
      ? `${create + zones_to_create} to create (${plural(zones_to_create, 'new zone')}, ${plural(create, 'record')})`
      : `${create} to create`;
  return `Plan: ${creates}, ${update} to update, ${remove} to delete in ${plural(zones_changed, 'zone')}.`;
}

export function noChangesSentence(plan: Plan): string {
  return `No changes. Live DNS matches the zone files (${plural(plan.zones.length, 'zone')} checked).`;
}

/** Whether the plan creates the zone or changes a record in it. */
export function isChanged(zone: ZonePlan): boolean {
  return zone.create_zone || zone.changes.length > 0;
}

export function countOf(zone: ZonePlan, action: Change['action']): number {
  return zone.changes.filter((change) => change.action === action).length;
}

/** The first `max` names, each shown by `show`, comma-separated, then how many more. */
export function someNames(
  names: readonly string[],
  max: number,
  show: (name: string) => string,
): string {
  const shown = names.slice(0, max).map(show).join(', ');
  return names.length <= max ? shown : `${shown} and ${names.length - max} more`;
}

/** `Unmanaged: 2 live zones without a zone file, left alone: <names>.`, or null when none. */
export function unmanagedSentence(plan: Plan, names: string): string | null {
  const count = plan.unmanaged_zones.length;
  if (count === 0) return null;
  return `Unmanaged: ${plural(count, 'live zone')} without a zone file, left alone: ${names}.`;
}

/** `2 to create, 1 to delete`, or `no changes`. */
export function zoneCounts(zone: ZonePlan): string {
  const parts = (['create', 'update', 'delete'] as const)
    .map((action) => [action, countOf(zone, action)] as const)
    .filter(([, n]) => n > 0)
    .map(([action, n]) => `${n} to ${action}`);
  return parts.length > 0 ? parts.join(', ') : 'no record changes';
}

/** Records the plan leaves alone, e.g. `2 kept (purge: false), 1 ignored`; null when none. */
export function leftAlone(zone: ZonePlan): string | null {
  const parts: string[] = [];
  if (zone.kept.length > 0) parts.push(`${zone.kept.length} kept (purge: false)`);
  if (zone.ignored > 0) parts.push(`${zone.ignored} matched by ignore rules`);
  if (zone.unmanaged_types > 0) {
    parts.push(`${zone.unmanaged_types} of unmanaged types (e.g. SOA)`);
  }
  if (zone.provider_ns > 0) parts.push(`${zone.provider_ns} provider NS at the apex`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** What an update changes: value, TTL, priority, each as `old → new`. */
export function updateParts(change: Change): {
  value: string | null;
  ttl: string;
  priority: string | null;
} {
  const before = change.before;
  const value =
    before && before.value !== change.value
      ? `${displayValue(before)} → ${displayValue(change)}`
      : null;
  const ttl =
    before && before.ttl !== change.ttl ? `${before.ttl} → ${change.ttl}` : String(change.ttl);
  let priority: string | null = change.priority === null ? null : String(change.priority);
  if (before && before.priority !== change.priority) {
    priority = `${before.priority ?? 'none'} → ${change.priority ?? 'none'}`;
  }
  return { value, ttl, priority };
}
