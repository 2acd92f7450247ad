/**
 * Which files of the zones directory are zone files. Apart from load.ts so that plan can
 * list them (and start reading live zones) before the parser is loaded.
 */
import { readdir } from 'node:fs/promises';
import { UserError } from '../errors.js';

/** A zone file's name: without the extension, it is the domain. */
export const ZONE_FILE = /\.ya?ml$/i;

/** The zone file names of `dir`, sorted; none is a UserError. */
export async function zoneFilesIn(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    // Only files (or links to them): a directory called `old.yaml` is not a zone file.
    entries = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() || entry.isSymbolicLink())
      .map((entry) => entry.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new UserError(`zones directory ${dir}/ does not exist (use --zones DIR)`);
    if (code === 'ENOTDIR') throw new UserError(`${dir} is not a directory (use --zones DIR)`);
    throw new UserError(`cannot read ${dir}/: ${(error as Error).message}`);
  }
  const files = entries.filter((entry) => ZONE_FILE.test(entry)).sort();
  if (files.length === 0) throw new UserError(`no zone files (*.yaml) in ${dir}/`);
  return files;
}
