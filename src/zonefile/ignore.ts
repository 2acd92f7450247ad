import type { IgnoreRule } from '../model.js';
import { globToRegExp } from '../records/names.js';

const compiled = new Map<string, RegExp>();

/** Whether a record (canonical relative name, type) falls under an ignore rule. */
export function matchesIgnore(rule: IgnoreRule, name: string, type: string): boolean {
  if (rule.types !== null && !(rule.types as readonly string[]).includes(type)) return false;
  let pattern = compiled.get(rule.name);
  if (!pattern) {
    pattern = globToRegExp(rule.name);
    compiled.set(rule.name, pattern);
  }
  return pattern.test(name);
}
