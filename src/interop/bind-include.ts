/**
 * The files `$INCLUDE` names: read relative to the including file's directory, and only
 * from inside the zone file's own directory tree (after following symbolic links), so
 * a zone file cannot make import read anything else on the machine.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fail, ok, type Result } from '../model.js';

/** Reads `path` as an $INCLUDE of `from` (a file of the zone `zoneFile`): its path and text. */
export type IncludeReader = (
  zoneFile: string,
  from: string,
  path: string,
) => Result<{ file: string; text: string }>;

export const readIncludeFile: IncludeReader = (zoneFile, from, path) => {
  const file = isAbsolute(path) ? path : join(dirname(from), path);
  let real: string;
  let root: string;
  try {
    root = realpathSync(dirname(zoneFile));
    real = realpathSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? 'error'})`);
  }
  const inside = relative(root, real);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return fail(`outside the zone file's directory ${dirname(zoneFile)} (not read)`);
  }
  try {
    return ok({ file, text: readFileSync(real, 'utf8') });
  } catch (error) {
    return fail(`cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
};
