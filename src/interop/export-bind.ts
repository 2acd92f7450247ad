/** The work of `dnssync export --format bind`: load, validate, render, write. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { DesiredZone } from '../model.js';
import { renderBindZone } from '../render/bind.js';
import { formatIssue, plural } from '../text/terminal.js';
import { loadZones } from '../zonefile/load.js';

export interface ExportBindOptions {
  zones: string;
  outDir?: string;
  nameservers?: string[] | undefined;
  serial?: number;
}

/** Today as YYYYMMDD01, the usual date-based SOA serial. */
function defaultSerial(now: Date = new Date()): number {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return Number(`${day}01`);
}

export async function exportCommand(
  domains: string[],
  options: ExportBindOptions,
): Promise<number> {
  const { zones, issues } = await loadZones(options.zones, domains);
  // Issues go to stderr: stdout may be the zone file itself.
  for (const issue of issues) process.stderr.write(`${formatIssue(issue)}\n`);
  if (issues.some((issue) => issue.severity === 'error')) {
    process.stderr.write('dnssync: error: fix the zone files before exporting them\n');
    return 1;
  }
  const serial = options.serial ?? defaultSerial();
  const render = (zone: DesiredZone) => {
    const head = `; ${zone.domain}: exported by dnssync from ${zone.file}\n`;
    const { nameservers } = options;
    return (
      head +
      renderBindZone(zone.domain, zone.records, { nameservers, serial, defaultTtl: zone.ttl })
    );
  };

  if (options.outDir === undefined) {
    const [only] = zones;
    if (zones.length !== 1 || !only) {
      throw new UserError(
        `${plural(zones.length, 'zone')} to export: give --out-dir DIR, or name one domain for stdout`,
      );
    }
    process.stdout.write(render(only));
    return 0;
  }
  const outDir = options.outDir;
  await mkdir(outDir, { recursive: true });
  for (const zone of zones) {
    const path = join(outDir, `${zone.domain}.zone`);
    await writeFile(path, render(zone));
    process.stdout.write(`wrote ${path} (${plural(zone.records.length, 'record')})\n`);
  }
  return 0;
}
