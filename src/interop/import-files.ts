/**
 * Writing imported zones to disk: every file is checked before anything is written
 * (no overwrite without --force; the text must parse back, with no errors, to exactly
 * the records it was written from), so an import either writes all its files or none.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { recordKey } from '../model.js';
import { formatIssue } from '../output.js';
import { parseZoneFile } from '../zonefile/parse.js';
import type { ImportedZone, ZoneRecord } from './types.js';
import { writeZoneFile } from './write-zone.js';

export interface WriteImportedOptions {
  outDir: string;
  force: boolean;
  date?: Date;
  /** Where the schema lives; default: ./schemas/zone.schema.json if present, else dnssync's own. */
  schemaFile?: string;
}

export interface WrittenZone {
  path: string;
  zone: ImportedZone;
  /** Warnings the zone file loader would print for this file (e.g. an unknown CAA tag). */
  warnings: string[];
}

/** The schema a written file points its editor at: the project's copy, else the package's. */
export function defaultSchemaFile(cwd: string = process.cwd()): string {
  const local = resolve(cwd, 'schemas', 'zone.schema.json');
  if (existsSync(local)) return local;
  return fileURLToPath(new URL('../../schemas/zone.schema.json', import.meta.url));
}

export function schemaRef(outDir: string, schemaFile: string): string {
  return relative(resolve(outDir), schemaFile).split(sep).join('/');
}

export async function writeImportedZones(
  zones: readonly ImportedZone[],
  options: WriteImportedOptions,
): Promise<WrittenZone[]> {
  const ref = schemaRef(options.outDir, options.schemaFile ?? defaultSchemaFile());
  const date = options.date ?? new Date();
  const planned = zones.map((zone) => ({
    zone,
    path: targetPath(options.outDir, zone.domain),
    text: writeZoneFile(zone, { schemaRef: ref, date }),
  }));

  if (!options.force) {
    // `.yml` counts too: the loader would read both and report the domain twice.
    const existing = planned
      .flatMap((file) => [file.path, file.path.replace(/\.ya?ml$/, '.yml')])
      .filter((path, index, all) => existsSync(path) && all.indexOf(path) === index);
    if (existing.length > 0) {
      throw new UserError(
        `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written (use --force to overwrite)`,
      );
    }
  }

  const written: WrittenZone[] = [];
  for (const file of planned) {
    const warnings = checkWritten(file.path, file.text, file.zone.records);
    written.push({ path: file.path, zone: file.zone, warnings });
  }
  await mkdir(options.outDir, { recursive: true });
  for (const file of planned) await writeFile(file.path, file.text);
  return written;
}

/**
 * The written text must load without errors and hold exactly the imported records.
 * A failure here is a dnssync bug (or a record the rules forbid, such as a CNAME
 * beside other data), reported before anything is written.
 */
function checkWritten(path: string, text: string, records: readonly ZoneRecord[]): string[] {
  const result = parseZoneFile(path, text);
  const errors = result.issues.filter((issue) => issue.severity === 'error');
  if (errors.length > 0 || !result.zone) {
    throw new UserError(
      `the zone file for ${path} would not validate, so nothing was written:`,
      1,
      {
        lines: errors.map((issue) => formatIssue(issue)),
      },
    );
  }
  const want = new Set(records.map(fingerprint));
  const got = new Set(result.zone.records.map(fingerprint));
  const same = want.size === got.size && [...want].every((entry) => got.has(entry));
  if (!same) {
    throw new UserError(
      `internal error: ${path} would not read back as the imported records; nothing was written`,
    );
  }
  return result.issues.map((issue) => formatIssue(issue));
}

/** `<domain>.yaml`, unless only a `<domain>.yml` exists: then that one (so --force replaces it). */
function targetPath(outDir: string, domain: string): string {
  const yaml = join(outDir, `${domain}.yaml`);
  const yml = join(outDir, `${domain}.yml`);
  return !existsSync(yaml) && existsSync(yml) ? yml : yaml;
}

function fingerprint(
  record: Pick<ZoneRecord, 'name' | 'type' | 'value' | 'ttl' | 'priority'>,
): string {
  return `${recordKey(record.name, record.type, record.value)}\u0000${record.ttl}\u0000${record.priority}`;
}
