/** `--format json` and `--out FILE`: the Plan itself, pretty-printed (schemas/plan.schema.json). */
import type { Plan } from '../plan/types.js';

/**
 * Characters JSON.stringify leaves raw that a terminal or a job log would act on, or that
 * would show as nothing: DEL, C1 controls, format characters (bidi controls, zero-width
 * characters, tag characters), the other default-ignorable ones, line and paragraph
 * separators (C0 controls and lone surrogates it escapes itself), and the `[` of `##[`,
 * which the GitHub Actions runner reads as a command anywhere in a line. They can only
 * occur inside strings, where a `\uXXXX` escape reads back as the same character: the
 * JSON means exactly the same, and is safe to print.
 */
const RAW = /[\x7f-\x9f\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]|##\[/gu;

/** `value` as pretty-printed JSON for stdout or a file, with every character above escaped. */
export function printableJson(value: unknown): string {
  const json = JSON.stringify(value, null, 2).replace(RAW, (raw) =>
    raw === '##[' ? '##\\u005b' : raw.split('').map(unicodeEscape).join(''),
  );
  return `${json}\n`;
}

export function renderJson(plan: Plan): string {
  return printableJson(plan);
}

/** One UTF-16 code unit as `\uXXXX` (a character beyond U+FFFF is two of them). */
function unicodeEscape(unit: string): string {
  return `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
