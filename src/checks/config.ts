/**
 * The repository's check settings: `dnssync.yaml` in the directory that holds the zones
 * directory (the repository root for `zones/`), described by schemas/dnssync.schema.json.
 * A missing file means the defaults; a broken one is reported like a broken zone file.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import type { CheckSettings, Issue } from '../model.js';
import { loadValidator } from '../schemas.js';
import { closest } from '../text/suggest.js';
import { type DataPath, formatPath, Locator } from '../zonefile/locate.js';
import { yaml } from '../zonefile/yaml.js';
import { CHECK_IDS } from './catalog.js';
import { type ChecksConfig, DEFAULT_CONFIG } from './engine.js';
import { unknownCheckMessage } from './settings.js';
import type { CheckLimits } from './types.js';

const CONFIG_FILE = 'dnssync.yaml';

const schemaUrl = new URL('../../schemas/dnssync.schema.json', import.meta.url);
const validateConfig = await loadValidator('dnssync');

export function configSchema(): object {
  return JSON.parse(readFileSync(schemaUrl, 'utf8')) as object;
}

/** Where the settings for zones in `zonesDir` live, as a path to print. */
function configPath(zonesDir: string): string {
  const path = join(dirname(resolve(zonesDir)), CONFIG_FILE);
  const shown = relative(process.cwd(), path);
  return shown.startsWith('..') || shown === '' ? path : shown;
}

interface RawConfig {
  checks?: CheckSettings;
  limits?: { 'ttl-min'?: number; 'ttl-max'?: number; 'apex-ttl-min'?: number };
}

/** Reads the settings beside `zonesDir`; problems come back as issues in that file. */
export function loadChecksConfig(zonesDir: string): {
  config: ChecksConfig;
  issues: Issue[];
  file: string | null;
} {
  const file = configPath(zonesDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { config: DEFAULT_CONFIG, issues: [], file: null };
    return {
      config: DEFAULT_CONFIG,
      issues: [fileIssue(file, `cannot read ${CONFIG_FILE}: ${(error as Error).message}`)],
      file,
    };
  }
  return { ...parseChecksConfig(file, text), file };
}

function parseChecksConfig(file: string, text: string): { config: ChecksConfig; issues: Issue[] } {
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = new Locator(file, doc.contents, lineCounter);
  const issues: Issue[] = doc.errors.map((error) =>
    at.issue(
      'error',
      `yaml:${error.code}`,
      `YAML syntax error: ${error.message.split('\n')[0]}`,
      at.offset(error.pos[0]),
    ),
  );
  if (issues.length > 0) return { config: DEFAULT_CONFIG, issues };
  // An empty file (or only comments) is the defaults.
  const data: unknown = doc.contents === null ? {} : doc.toJS();
  if (doc.contents !== null && !yaml().isMap(doc.contents)) {
    return {
      config: DEFAULT_CONFIG,
      issues: [
        at.issue(
          'error',
          'config',
          `${CONFIG_FILE} must be a mapping (checks:, limits:)`,
          at.offset(0),
        ),
      ],
    };
  }
  if (!validateConfig(data)) {
    for (const error of validateConfig.errors ?? []) {
      const problem = describe(error);
      issues.push(
        at.issue('error', 'config', problem.message, at.path(problem.path, { key: problem.atKey })),
      );
    }
  }
  const raw = data as RawConfig;
  // The schema leaves check ids open (editors need not be told of every new check).
  const checks: unknown = raw.checks;
  for (const id of checks !== null && typeof checks === 'object' ? Object.keys(checks) : []) {
    if (CHECK_IDS.includes(id)) continue;
    const path = ['checks', id];
    issues.push(
      at.issue('error', 'config', unknownCheckMessage(path, id), at.path(path, { key: true })),
    );
  }
  if (issues.length > 0) return { config: DEFAULT_CONFIG, issues };
  const limits: CheckLimits = {
    ttlMin: raw.limits?.['ttl-min'] ?? DEFAULT_CONFIG.limits.ttlMin,
    ttlMax: raw.limits?.['ttl-max'] ?? DEFAULT_CONFIG.limits.ttlMax,
    apexTtlMin: raw.limits?.['apex-ttl-min'] ?? DEFAULT_CONFIG.limits.apexTtlMin,
  };
  return { config: { levels: raw.checks ?? {}, limits }, issues };
}

function describe(error: ErrorObject): { path: DataPath; atKey: boolean; message: string } {
  const path: Array<string | number> = error.instancePath
    .split('/')
    .slice(1)
    .map((step) => step.replace(/~1/g, '/').replace(/~0/g, '~'));
  const where = path.length === 0 ? CONFIG_FILE : formatPath(path);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    const key = String(params['additionalProperty']);
    const allowed = Object.keys(
      (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
    );
    const hint = closest(key, allowed);
    return {
      path: [...path, key],
      atKey: true,
      message: `${formatPath([...path, key])}: unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; allowed: ${allowed.join(', ')}`,
    };
  }
  if (error.keyword === 'enum') {
    const allowed = (params['allowedValues'] as unknown[]).map(String).join(', ');
    return { path, atKey: false, message: `${where}: must be one of ${allowed}` };
  }
  return { path, atKey: false, message: `${where}: ${error.message ?? 'is not valid'}` };
}

function fileIssue(file: string, message: string): Issue {
  return { code: 'config', severity: 'error', message, file, line: 1, col: 1 };
}
