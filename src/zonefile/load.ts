/** Reading zone files from disk (files.ts lists them): the zonefile stage's I/O. */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import type { DesiredZone, Issue } from '../model.js';
import { canonicalDomain } from '../records/index.js';
import { ZONE_FILE, zoneFilesIn } from './files.js';
import { domainFromFileName, parseZoneFile } from './parse.js';

export interface LoadResult {
  zones: DesiredZone[];
  issues: Issue[];
  /** Files read: those of the zones directory in name order, then any named elsewhere. */
  files: string[];
}

/**
 * Whether a command-line argument names a zone file rather than a domain: it ends in
 * `.yaml` or `.yml`, or it holds a path separator. No domain does either (there is no
 * `yaml` top-level domain), so `zones/example.com.yaml` (what pre-commit passes) and
 * `example.com` both work.
 */
function isZoneFilePath(argument: string): boolean {
  return ZONE_FILE.test(argument) || argument.includes('/') || argument.includes(sep);
}

/**
 * Loads every zone file of `dir`, or only those `selected`: domains (their file in
 * `dir`) and zone file paths (isZoneFilePath; in `dir` or anywhere else). A missing
 * directory, an empty one, a named domain without a file or a path that is no zone file
 * is a UserError (exit 1).
 */
export async function loadZones(dir: string, selected: string[] = []): Promise<LoadResult> {
  const domains = selected.filter((argument) => !isZoneFilePath(argument));
  const elsewhere: string[] = [];
  const inDir: string[] = [];
  for (const path of selected.filter(isZoneFilePath)) {
    if (!ZONE_FILE.test(path)) {
      throw new UserError(`${path} is not a zone file: zone files are named <domain>.yaml`);
    }
    if (resolve(dirname(path)) === resolve(dir)) {
      if (!inDir.includes(basename(path))) inDir.push(basename(path));
    } else if (!elsewhere.includes(path)) {
      elsewhere.push(path);
    }
  }
  const wanted = new Set<string>();
  if (selected.length === 0 || domains.length > 0 || inDir.length > 0) {
    const files = await zoneFilesIn(dir);
    if (selected.length === 0) for (const file of files) wanted.add(file);
    for (const file of inDir) {
      if (!files.includes(file)) throw new UserError(`zone file ${join(dir, file)} does not exist`);
      wanted.add(file);
    }
    if (domains.length > 0) {
      const byDomain = domainsOf(files);
      for (const raw of domains) {
        const domain = canonicalDomain(raw);
        const file = domain.ok ? byDomain.get(domain.value) : undefined;
        if (!file)
          throw new UserError(`no zone file for ${raw} in ${dir}/ (expected ${dir}/${raw}.yaml)`);
        wanted.add(file);
      }
    }
  }
  for (const path of elsewhere) {
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
      throw new UserError(`zone file ${path} does not exist (or is not a file)`);
    }
  }

  const paths = [...[...wanted].sort().map((file) => join(dir, file)), ...elsewhere];
  const issues: Issue[] = [];
  const zones: DesiredZone[] = [];
  const seenDomains = new Map<string, string>();
  // One file at a time, read synchronously: for a thousand small files that takes a
  // fraction of the time of promise-based reads, and no text outlives its parse.
  for (const path of paths) {
    const source = sourceOf(path);
    if (!('text' in source)) {
      issues.push(source);
      continue;
    }
    const result = parseZoneFile(path, source.text);
    issues.push(...result.issues);
    if (!result.zone) continue;
    const other = seenDomains.get(result.zone.domain);
    if (other) {
      issues.push(
        fileIssue(path, 'duplicate-zone', `${result.zone.domain} is already defined by ${other}`),
      );
      continue;
    }
    seenDomains.set(result.zone.domain, path);
    zones.push(result.zone);
  }
  return { zones, issues, files: paths };
}

/**
 * The domains of the zone files of `dir` → their path (`zones/example.com.yaml`); empty
 * when there are none or the directory cannot be read (loadZones says why).
 */
export async function zoneFileDomains(dir: string): Promise<Map<string, string>> {
  try {
    const byDomain = domainsOf(await zoneFilesIn(dir));
    for (const [domain, file] of byDomain) byDomain.set(domain, join(dir, file));
    return byDomain;
  } catch {
    return new Map();
  }
}

/** File names → the domain each names (files that name none are left out). */
function domainsOf(files: string[]): Map<string, string> {
  const byDomain = new Map<string, string>();
  for (const file of files) {
    const domain = canonicalDomain(domainFromFileName(file));
    if (domain.ok) byDomain.set(domain.value, file);
  }
  return byDomain;
}

/** The text of a file, or the issue that says why there is none. */
function sourceOf(path: string): { text: string } | Issue {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return fileIssue(
      path,
      'unreadable',
      `cannot read the file: ${READ_ERRORS[code ?? ''] ?? message}`,
    );
  }
  const text = decode(bytes);
  if (text === null) {
    return fileIssue(path, 'binary', 'the file is not UTF-8 text (is it a binary file?)');
  }
  return { text };
}

function fileIssue(file: string, code: string, message: string): Issue {
  return { code, severity: 'error', message, file, line: 1, col: 1 };
}

/** UTF-8 text, or null for bytes that are not (or that hold NUL characters). */
function decode(bytes: Buffer): string | null {
  if (bytes.includes(0)) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'it does not exist (a broken symbolic link?)',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
