/**
 * The plan's output formats, one renderer each, picked by `plan --format`. Each renders
 * a Plan and nothing else; the diff also reads the planner's inputs, since a plan holds
 * the changes but not the unchanged records a diff shows around them.
 */
import type { DesiredZone, LiveZone } from '../model.js';
import type { Plan } from '../plan/types.js';
import { renderDiff } from './diff.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderFooter, renderText } from './text.js';

export interface RenderContext {
  color: boolean;
  /** The zone files the plan was made from (the diff's desired side). */
  desired: readonly DesiredZone[];
  /** The live zones the plan was made from (the diff's live side). */
  live: ReadonlyMap<string, LiveZone>;
}

export const PLAN_RENDERERS = {
  text: (plan, { color }) => renderText(plan, { color }),
  markdown: (plan) => renderMarkdown(plan),
  json: (plan) => renderJson(plan),
  diff: (plan, context) => {
    const diff = renderDiff(plan, context, context);
    return `${diff}${diff ? '\n' : ''}${renderFooter(plan, context)}`;
  },
} as const satisfies Record<string, (plan: Plan, context: RenderContext) => string>;

export type PlanFormat = keyof typeof PLAN_RENDERERS;
export const PLAN_FORMATS = Object.keys(PLAN_RENDERERS) as PlanFormat[];
