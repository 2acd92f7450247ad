#!/usr/bin/env node
/**
 * CPU time of the pure planner on 1,000 zones x 100 records (target < 1 s):
 *   npx tsc -p . && node bench/plan-planner.mjs [--zones 1000] [--records 100] [--runs 5]
 * The inputs are loaded first (zone files from gen-zones.mjs, live zones with drift);
 * only computePlan is timed, then, for information, the text and JSON renderers.
 */
import { parseArgs } from 'node:util';
import { computePlan } from '../dist/plan/index.js';
import { renderJson } from '../dist/render/json.js';
import { renderMarkdown } from '../dist/render/markdown.js';
import { renderText } from '../dist/render/text.js';
import { desiredZones, liveZonesFor, median } from './plan-inputs.mjs';

const { values } = parseArgs({
  options: {
    zones: { type: 'string', default: '1000' },
    records: { type: 'string', default: '100' },
    runs: { type: 'string', default: '5' },
  },
});
const zones = Number(values.zones);
const records = Number(values.records);
const runs = Number(values.runs);
const TARGET_MS = 1000;

const { desired } = await desiredZones({ zones, records });
const live = liveZonesFor(desired);
const liveRecords = live.reduce((sum, zone) => sum + zone.records.length, 0);

/** CPU (user + system) and wall milliseconds of one call. */
function measure(fn) {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const result = fn();
  const cpu = process.cpuUsage(cpuStart);
  return { result, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - wallStart };
}

const cpuTimes = [];
let plan;
for (let run = 0; run < runs; run++) {
  const { result, cpuMs } = measure(() => computePlan(desired, live));
  plan = result;
  cpuTimes.push(cpuMs);
}
const text = measure(() => renderText(plan));
const json = measure(() => renderJson(plan));
const markdown = measure(() => renderMarkdown(plan));

const { create, update, delete: deletes } = plan.summary;
const first = cpuTimes[0];
const typical = median(cpuTimes);
console.log(
  `pure planner: ${zones} zones, ${zones * records} desired / ${liveRecords} live records`,
);
console.log(`  plan: ${create} to create, ${update} to update, ${deletes} to delete`);
console.log(
  `  computePlan CPU: first run ${first.toFixed(0)} ms, median of ${runs} ${typical.toFixed(0)} ms`,
);
console.log(
  `  ratio to the ${TARGET_MS} ms target: first ${(first / TARGET_MS).toFixed(2)}x, median ${(typical / TARGET_MS).toFixed(2)}x ${typical < TARGET_MS ? '(ok)' : '(OVER TARGET)'}`,
);
console.log(
  `  renderers (CPU): text ${text.cpuMs.toFixed(0)} ms (${(text.result.length / 1e6).toFixed(1)} MB), json ${json.cpuMs.toFixed(0)} ms (${(json.result.length / 1e6).toFixed(1)} MB), markdown ${markdown.cpuMs.toFixed(0)} ms (${(markdown.result.length / 1e3).toFixed(1)} kB)`,
);
console.log(`  peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
