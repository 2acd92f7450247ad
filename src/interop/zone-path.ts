/**
 * Where an imported zone's file goes. The domain may come from an untrusted API answer,
 * so the path is built only from a domain that is already canonical (lowercase ASCII
 * labels of letters, digits, `-` and `_`, joined by single dots): such a name has no
 * `/`, no `..`, no NUL and no upper case, so it stays inside `outDir` and no two
 * canonical domains share a file, even on a case-insensitive file system.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fail, ok, type Result } from '../model.js';
import { canonicalDomain } from '../records/index.js';

/** The longest file name most file systems allow, in bytes (ext4, APFS, NTFS). */
const MAX_FILE_NAME = 255;

/** `<outDir>/<domain>.yaml`, unless only a `<domain>.yml` exists: then that one (so --force replaces it). */
export function zoneFilePath(outDir: string, domain: string): Result<string> {
  const canonical = canonicalDomain(domain);
  if (!canonical.ok || canonical.value !== domain) {
    return fail('its domain is not a canonical domain name');
  }
  const name = `${domain}.yaml`;
  if (Buffer.byteLength(name) > MAX_FILE_NAME) {
    return fail(
      `its file name would be ${Buffer.byteLength(name)} bytes long, and file systems allow ${MAX_FILE_NAME}`,
    );
  }
  const yaml = join(outDir, name);
  const yml = join(outDir, `${domain}.yml`);
  const path = !existsSync(yaml) && existsSync(yml) ? yml : yaml;
  // The canonical form already guarantees this; checked again because a path outside
  // the output directory must be impossible, not merely unlikely.
  if (resolve(dirname(path)) !== resolve(outDir) || !basename(path).startsWith(`${domain}.`)) {
    return fail('its file would lie outside the output directory');
  }
  return ok(path);
}
