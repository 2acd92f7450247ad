/**
 * The work of `dnssync import`: read the source, convert, write checked zone files.
 * A zone or record that cannot be written is left out with a warning and never stops
 * the others; the exit code is 1 when anything was left out that way.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { forTerminal, plural, quoted } from '../text/terminal.js';
import { parseBindZone } from './bind-parse.js';
import { type SkippedZone, type WrittenZone, writeImportedZones } from './import-files.js';
import { importLiveZone } from './live-import.js';
import { readLiveForImport } from './live-read.js';
import { parseOctodnsZone } from './octodns.js';
import { formatImportError, type ImportedZone, type ImportResult } from './types.js';

export interface ImportOptions {
  all?: boolean;
  outDir: string;
  force?: boolean;
  fromBind?: string;
  fromOctodns?: string;
  domain?: string;
  /** For live zones: requests in flight and the time limit of one request. */
  client: { concurrency: number; timeoutMs: number };
}

export async function importCommand(domains: string[], options: ImportOptions): Promise<number> {
  let zones: ImportedZone[];
  const skipped: SkippedZone[] = [];
  if (options.fromBind !== undefined || options.fromOctodns !== undefined) {
    const zone = await convertFile(options);
    if (!zone) return 1;
    zones = [zone];
  } else {
    const live = await readLiveForImport(domains, options);
    skipped.push(...live.skipped);
    zones = live.zones.map((zone) => importLiveZone(zone));
  }
  const outcome = await writeImportedZones(zones, {
    outDir: options.outDir,
    force: options.force === true,
  });
  skipped.push(...outcome.skipped);
  for (const file of outcome.written) report(file);
  for (const zone of skipped) {
    process.stderr.write(
      `dnssync: warning: skipped the zone ${quoted(zone.domain)}: ${forTerminal(zone.reason)}\n`,
    );
  }
  return summarise(outcome.written, skipped);
}

async function convertFile(options: ImportOptions): Promise<ImportedZone | null> {
  const bind = options.fromBind !== undefined;
  const file = options.fromBind ?? options.fromOctodns ?? '';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const parseOptions = options.domain === undefined ? {} : { domain: options.domain };
  const result: ImportResult = bind
    ? parseBindZone(file, text, parseOptions)
    : parseOctodnsZone(file, text, parseOptions);
  if (!result.ok) {
    for (const error of result.reason) {
      process.stderr.write(`${forTerminal(formatImportError(error))}\n`);
    }
    process.stderr.write(
      `dnssync: error: ${plural(result.reason.length, 'problem')} in ${file}; nothing was written\n`,
    );
    return null;
  }
  return result.value;
}

/** One line per written file on stdout; one warning per record it could not hold. */
function report(file: WrittenZone): void {
  const left = file.zone.leftOut.length + file.zone.unwritable.length;
  process.stdout.write(
    `wrote ${file.path} (${plural(file.zone.records.length, 'record')}${left > 0 ? `, ${left} left out: see its header` : ''})\n`,
  );
  for (const warning of file.warnings) process.stdout.write(`  ${forTerminal(warning)}\n`);
  for (const note of file.zone.unwritable) {
    process.stderr.write(`dnssync: warning: ${file.zone.domain}: left out ${forTerminal(note)}\n`);
  }
}

/**
 * The closing line when the import is incomplete. It names no file: the `wrote` lines
 * above are the only files written. Returns the exit code.
 */
function summarise(written: readonly WrittenZone[], skipped: readonly SkippedZone[]): number {
  const records = written.reduce((sum, file) => sum + file.zone.unwritable.length, 0);
  if (skipped.length === 0 && records === 0) return 0;
  const parts = [
    ...(skipped.length > 0 ? [`skipped ${plural(skipped.length, 'zone')}`] : []),
    ...(records > 0 ? [`left out ${plural(records, 'record')} a zone file cannot hold`] : []),
  ];
  process.stderr.write(
    `dnssync: error: import incomplete: ${parts.join(' and ')} (see the warnings above); ${plural(written.length, 'zone file')} written\n`,
  );
  return 1;
}
