/** `--format json` and `--out FILE`: the Plan itself, pretty-printed (schemas/plan.schema.json). */
import type { Plan } from '../plan/types.js';

/**
 * Characters JSON.stringify leaves raw that a terminal or a job log would act on: DEL, C1
 * controls, bidi controls, line and paragraph separators (C0 controls and lone surrogates
 * it escapes itself), and the `[` of `##[`, which the GitHub Actions runner reads as a
 * command anywhere in a line. They can only occur inside strings, where a `\uXXXX` escape
 * reads back as the same character: the JSON means exactly the same, and is safe to print.
 */
const RAW = /[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|##\[/g;

export function renderJson(plan: Plan): string {
  return jsonText(plan);
}

/** Any JSON-able value, pretty-printed and safe to print as renderJson's plans are. */
export function jsonText(value: unknown): string {
  const json = JSON.stringify(value, null, 2).replace(RAW, (raw) =>
    raw === '##[' ? '##\\u005b' : `\\u${raw.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${json}\n`;
}
