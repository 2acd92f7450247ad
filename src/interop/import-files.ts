/**
 * Writing imported zones to disk. Existing files are looked for before anything is
 * written (no overwrite without --force, and then nothing at all is written). Each file
 * is then checked (it must parse back, with no errors, to exactly the records it was
 * written from) and written on its own: a zone that cannot be written is skipped, with
 * its reason, and never costs the others their files.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { type DnsRecord, fail, ok, type Result, recordKey } from '../model.js';
import { replaceFile } from '../replace-file.js';
import { formatIssue } from '../text/terminal.js';
import { parseZoneFile } from '../zonefile/parse.js';
import type { ImportedZone } from './types.js';
import { writeZoneFile } from './write-zone.js';
import { zoneFilePath } from './zone-path.js';

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

/** A zone whose file was not written, and why. `domain` is as the source gave it. */
export interface SkippedZone {
  domain: string;
  reason: string;
}

export interface WriteOutcome {
  written: WrittenZone[];
  skipped: SkippedZone[];
}

/** The schema a written file points its editor at: the project's copy, else the package's. */
function defaultSchemaFile(cwd: string = process.cwd()): string {
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
): Promise<WriteOutcome> {
  const skipped: SkippedZone[] = [];
  const placed: Array<{ zone: ImportedZone; path: string }> = [];
  for (const zone of zones) {
    const target = zoneFilePath(options.outDir, zone.domain);
    if (target.ok) placed.push({ zone, path: target.value });
    else skipped.push({ domain: zone.domain, reason: target.reason });
  }
  // Callers pass each domain once; should two zones still meet at one file, neither is
  // written, rather than one silently replacing the other.
  const planned = placed.filter((file) => {
    const shared = placed.some((other) => other !== file && other.path === file.path);
    if (shared) {
      skipped.push({
        domain: file.zone.domain,
        reason: 'another zone of this import would be written to the same file',
      });
    }
    return !shared;
  });

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

  const ref = schemaRef(options.outDir, options.schemaFile ?? defaultSchemaFile());
  const date = options.date ?? new Date();
  const checked: Array<WrittenZone & { text: string }> = [];
  for (const file of planned) {
    const text = writeZoneFile(file.zone, { schemaRef: ref, date });
    const check = checkWritten(file.path, text, file.zone.records);
    if (check.ok) checked.push({ ...file, text, warnings: check.value });
    else skipped.push({ domain: file.zone.domain, reason: check.reason });
  }
  if (checked.length > 0) await mkdir(options.outDir, { recursive: true });
  const written: WrittenZone[] = [];
  for (const { text, ...file } of checked) {
    try {
      await replaceFile(file.path, text);
      written.push(file);
    } catch (error) {
      // Node's message ends by naming the temporary file; the code and its words are what matter.
      const message = (error as Error).message;
      const reason = `its file could not be written (${message.split(', ')[0] ?? message})`;
      skipped.push({ domain: file.zone.domain, reason });
    }
  }
  return { written, skipped };
}

/**
 * The written text must load without errors and hold exactly the imported records; the
 * value is the warnings the zone file loader would print for it.
 * The importers leave out what a zone file cannot hold, so a failure here is a dnssync
 * bug; the zone is skipped, and the reason quotes the first problems by line.
 */
function checkWritten(path: string, text: string, records: readonly DnsRecord[]): Result<string[]> {
  const result = parseZoneFile(path, text);
  const errors = result.issues.filter((issue) => issue.severity === 'error');
  if (errors.length > 0 || !result.zone) {
    const problems = errors.slice(0, 3).map((issue) => `line ${issue.line}: ${issue.message}`);
    return fail(`internal error: its zone file would not validate (${problems.join('; ')})`);
  }
  const want = new Set(records.map(fingerprint));
  const got = new Set(result.zone.records.map(fingerprint));
  const same = want.size === got.size && [...want].every((entry) => got.has(entry));
  if (!same) {
    return fail('internal error: its zone file would not read back as the imported records');
  }
  return ok(result.issues.map((issue) => formatIssue(issue)));
}

function fingerprint(
  record: Pick<DnsRecord, 'name' | 'type' | 'value' | 'ttl' | 'priority'>,
): string {
  return `${recordKey(record.name, record.type, record.value, record.priority)}\u0000${record.ttl}`;
}
