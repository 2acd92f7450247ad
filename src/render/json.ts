/** `--format json` and `--out FILE`: the Plan itself, pretty-printed (schemas/plan.schema.json). */
import type { Plan } from '../plan/types.js';

export function renderJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
