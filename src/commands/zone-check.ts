/**
 * The zone files loaded and checked as `validate` checks them: every issue, and the zones
 * of the valid files. `plan` runs it on a worker thread while this one reads the live
 * zones (zone-check-worker.ts); `apply` runs it here, before it sends anything.
 */
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import type { DesiredZone, Issue } from '../model.js';

export interface CheckedZones {
  desired: DesiredZone[];
  issues: Issue[];
}

export async function checkZoneFiles(
  dir: string,
  domains: readonly string[],
): Promise<CheckedZones> {
  // Loaded when called, not with this module: a thread that only starts the worker
  // never loads the parser and the checks.
  const [{ loadZones }, { zoneChecks }] = await Promise.all([
    import('../zonefile/load.js'),
    import('../checks/index.js'),
  ]);
  const { zones: desired, issues } = await loadZones(dir, [...domains]);
  // The offline DNS checks, as validate runs them: an error among them stops the plan too.
  issues.push(...(await zoneChecks(desired, dir)));
  return { desired, issues };
}

/** What the worker posts back: the result, or the error it ended with. */
export type WorkerAnswer =
  | { ok: true; checked: CheckedZones }
  | { ok: false; message: string; stack?: string | undefined; exitCode?: number | undefined };

/** checkZoneFiles on a worker thread, so this one stays free for the network. */
export function checkZoneFilesAside(
  dir: string,
  domains: readonly string[],
): Promise<CheckedZones> {
  const worker = new Worker(new URL('./zone-check-worker.js', import.meta.url), {
    workerData: { dir, domains },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (answer: WorkerAnswer) => {
      if (answer.ok) resolve(answer.checked);
      else if (answer.exitCode !== undefined)
        reject(new UserError(answer.message, answer.exitCode));
      else reject(Object.assign(new Error(answer.message), { stack: answer.stack }));
    });
    worker.once('error', reject);
    // Settles nothing once the answer came; otherwise says the thread died without one.
    worker.once('exit', (code) => reject(new Error(`the zone file check ended (exit ${code})`)));
  });
}
