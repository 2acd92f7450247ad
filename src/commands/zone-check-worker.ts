/** The worker thread of checkZoneFilesAside (zone-check.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { checkZoneFiles, type WorkerAnswer } from './zone-check.js';

const { dir, domains } = workerData as { dir: string; domains: string[] };
let answer: WorkerAnswer;
try {
  answer = { ok: true, checked: await checkZoneFiles(dir, domains) };
} catch (error) {
  const { message, stack } = error instanceof Error ? error : new Error(String(error));
  answer = { ok: false, message, stack };
  if (error instanceof UserError) answer.exitCode = error.exitCode;
}
parentPort?.postMessage(answer);
