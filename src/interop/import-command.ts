/** The work of `dnssync import`: read the source, convert, write checked zone files. */
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import { toLiveZone, zoneDomain } from '../api/convert.js';
import { createClientFromEnv } from '../api/live.js';
import { clientOptions } from '../commands/common.js';
import type { ImportOptions } from '../commands/import.js';
import { UserError } from '../errors.js';
import type { LiveZone } from '../model.js';
import { plural } from '../output.js';
import { canonicalDomain } from '../records/index.js';
import { parseBindZone } from './bind-parse.js';
import { type WrittenZone, writeImportedZones } from './import-files.js';
import { importLiveZone } from './live-import.js';
import { parseOctodnsZone } from './octodns.js';
import { formatImportError, type ImportedZone, type ImportResult } from './types.js';

export async function importCommand(domains: string[], options: ImportOptions): Promise<number> {
  let zones: ImportedZone[];
  if (options.fromBind !== undefined || options.fromOctodns !== undefined) {
    const zone = await convertFile(options);
    if (!zone) return 1;
    zones = [zone];
  } else {
    const live = await readLive(domains, options);
    zones = live.map((zone) => importLiveZone(zone));
  }
  const written = await writeImportedZones(zones, {
    outDir: options.outDir,
    force: options.force === true,
  });
  for (const file of written) report(file);
  return 0;
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
    for (const error of result.errors) {
      process.stderr.write(`${formatImportError(error)}\n`);
    }
    process.stderr.write(
      `dnssync: error: ${plural(result.errors.length, 'problem')} in ${file}; nothing was written\n`,
    );
    return null;
  }
  return result.zone;
}

/** One list request, then one detail request per wanted zone (SPEC §5). */
async function readLive(domains: string[], options: ImportOptions): Promise<LiveZone[]> {
  const api = createClientFromEnv(clientOptions(options));
  const wanted = domains.map((raw) => {
    const domain = canonicalDomain(raw);
    if (!domain.ok) throw new UserError(`${raw}: ${domain.reason}`);
    return domain.value;
  });
  const summaries = await api.listZones();
  const byDomain = new Map(summaries.map((summary) => [zoneDomain(summary.domain), summary]));
  const missing = wanted.filter((domain) => !byDomain.has(domain));
  if (missing.length > 0) {
    throw new UserError(`no live zone for ${missing.join(', ')} at VPS.org`);
  }
  const chosen = options.all ? [...byDomain.keys()].sort() : [...new Set(wanted)];
  if (chosen.length === 0) throw new UserError('the account has no live zones to import');
  const limit = pLimit(options.concurrency);
  return Promise.all(
    chosen.map((domain) =>
      limit(async () => {
        const summary = byDomain.get(domain);
        if (!summary) throw new UserError(`no live zone for ${domain}`);
        return toLiveZone(await api.getZone(summary.uuid));
      }),
    ),
  );
}

function report(file: WrittenZone): void {
  const left = file.zone.leftOut.length;
  process.stdout.write(
    `wrote ${file.path} (${plural(file.zone.records.length, 'record')}${left > 0 ? `, ${left} left out: see its header` : ''})\n`,
  );
  for (const warning of file.warnings) process.stdout.write(`  ${warning}\n`);
}
