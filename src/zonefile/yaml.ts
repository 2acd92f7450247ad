/**
 * The `yaml` package, loaded the first time something needs it. Zone files are read by
 * js-yaml (read-yaml.ts); `yaml` only words the errors and positions of the files js-yaml
 * leaves to it, and reads `dnssync.yaml`. Most runs never need it, and loading its
 * modules is a large share of `dnssync validate`'s start-up.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
  loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return loaded;
}
