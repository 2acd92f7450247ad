/** `dnssync validate`'s work (how every command prints issues is in issues.ts). */
import { zoneChecks } from '../checks/index.js';
import type { Issue } from '../model.js';
import { useColor } from '../output.js';
import { printableJson } from '../render/json.js';
import { painter, plural } from '../text/terminal.js';
import { parseServerSpec, resolveNameservers } from '../verify/servers.js';
import { loadZones } from '../zonefile/load.js';
import type { CommonOptions } from './common.js';
import { reportIssues, sortIssues } from './issues.js';

export interface ValidateOptions extends CommonOptions {
  online?: boolean;
  resolver?: string;
  format?: 'text' | 'json';
}

/** `3 warnings, 1 notice` (empty when there are none of either). */
function lesserCounts(issues: Issue[]): string {
  const warnings = issues.filter((issue) => issue.severity === 'warning').length;
  const notices = issues.filter((issue) => issue.severity === 'notice').length;
  return [warnings ? plural(warnings, 'warning') : '', notices ? plural(notices, 'notice') : '']
    .filter(Boolean)
    .join(', ');
}

/** The DNS checks' `host:port` servers for `--resolver`, or undefined without --online. */
async function onlineServers(options: ValidateOptions): Promise<{ servers: string[] } | undefined> {
  if (options.resolver === undefined) return options.online ? { servers: [] } : undefined;
  const [server] = await resolveNameservers([parseServerSpec(options.resolver, '--resolver')]);
  if (!server) return { servers: [] };
  const host = server.address.includes(':') ? `[${server.address}]` : server.address;
  return { servers: [`${host}:${server.port}`] };
}

export async function validateCommand(
  domains: string[],
  options: ValidateOptions,
): Promise<number> {
  const online = await onlineServers(options);
  const { zones, issues, files } = await loadZones(options.zones, domains);
  // Checks read records the parser accepted; a file with errors is still checked.
  issues.push(...(await zoneChecks(zones, options.zones, online ? { online } : {})));
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  if (options.format === 'json') {
    process.stdout.write(renderIssuesJson(issues, files));
    return errors > 0 ? 1 : 0;
  }
  const color = useColor(process.stdout, options.color);
  const paint = painter(color);
  reportIssues(issues, color);
  const lesser = lesserCounts(issues);
  const records = zones.reduce((sum, zone) => sum + zone.records.length, 0);
  if (errors > 0) {
    const badFiles = new Set(issues.filter((i) => i.severity === 'error').map((i) => i.file)).size;
    process.stdout.write(
      `${paint('red', '✗')} ${plural(errors, 'error')}${lesser ? `, ${lesser}` : ''} in ${plural(badFiles, 'file')} (${plural(files.length, 'zone file')} checked)\n`,
    );
    return 1;
  }
  process.stdout.write(
    `${paint('green', '✓')} ${plural(files.length, 'zone file')} valid (${plural(records, 'record')})${lesser ? `, ${lesser}` : ''}\n`,
  );
  return 0;
}

/** Every issue as JSON, sorted like the text output; `code` is the check id for DNS checks. */
function renderIssuesJson(issues: Issue[], files: string[]): string {
  const sorted = sortIssues(issues);
  const count = (severity: Issue['severity']) =>
    sorted.filter((i) => i.severity === severity).length;
  const body = {
    version: 1,
    valid: count('error') === 0,
    files,
    counts: { error: count('error'), warning: count('warning'), notice: count('notice') },
    issues: sorted.map(({ file, line, col, severity, code, message }) => ({
      file,
      line,
      col,
      severity,
      code,
      message,
    })),
  };
  // Messages quote zone files and file names are anyone's: written as plan's JSON is.
  return printableJson(body);
}
