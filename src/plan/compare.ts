/**
 * Orderings the planner sorts by. Plain code-unit comparison, never localeCompare:
 * the plan must not depend on the machine's locale.
 */
import type { RecordState } from './types.js';

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The apex (`@`) first, then names in code-unit order. */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '@') return -1;
  if (b === '@') return 1;
  return compareText(a, b);
}

export function compareRecords(a: RecordState, b: RecordState): number {
  return (
    compareNames(a.name, b.name) ||
    compareText(a.type, b.type) ||
    compareText(a.value, b.value) ||
    a.ttl - b.ttl ||
    (a.priority ?? -1) - (b.priority ?? -1)
  );
}
