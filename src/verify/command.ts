/** The work of `dnssync verify`: load zones, pick nameservers, run rounds, print. */
import { useColor } from '../output.js';
import { formatIssue, painter } from '../text/terminal.js';
import { loadZones } from '../zonefile/load.js';
import { NameserverClient } from './query.js';
import { renderReports, retryLine } from './report.js';
import { allMatch, verifyUntil } from './run.js';
import { defaultNameservers, parseNameserver, resolveNameservers } from './servers.js';

/** Per try; two tries per question. */
const QUERY_TIMEOUT_MS = 2000;
const ROUND_INTERVAL_MS = 1000;

export interface VerifyOptions {
  zones: string;
  color: boolean;
  nameserver?: string[];
  wait: number;
  concurrency: number;
}

export async function verifyCommand(domains: string[], options: VerifyOptions): Promise<number> {
  const paint = painter(useColor(process.stdout, options.color));
  const specs = options.nameserver?.map(parseNameserver) ?? defaultNameservers();
  const { zones, issues } = await loadZones(options.zones, domains);
  for (const issue of issues) process.stderr.write(`${formatIssue(issue)}\n`);
  if (issues.some((issue) => issue.severity === 'error')) {
    process.stderr.write('dnssync: error: fix the zone files before verifying them\n');
    return 1;
  }
  const servers = await resolveNameservers(specs);
  const clients = servers.map(
    (server) => new NameserverClient(server, { timeoutMs: QUERY_TIMEOUT_MS, tries: 2 }),
  );
  const { reports } = await verifyUntil(zones, clients, {
    concurrency: options.concurrency,
    waitSeconds: options.wait,
    intervalMs: ROUND_INTERVAL_MS,
    onRetry: (pending, remainingMs) => process.stderr.write(retryLine(pending, remainingMs)),
  });
  process.stdout.write(renderReports(reports, paint));
  return allMatch(reports) ? 0 : 1;
}
