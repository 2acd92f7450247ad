/** Zone file JSON Schema check, with ajv's errors turned into plain words at YAML positions. */
import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { RECORD_TYPES } from '../model.js';
import { RECORD_TYPE_DEFS } from '../records/index.js';
import { loadValidator } from '../schemas.js';
import { closest } from '../text/suggest.js';
import { type DataPath, formatPath } from './locate.js';

export interface SchemaProblem {
  path: DataPath;
  /** Point at the key of the last path step rather than its value. */
  atKey: boolean;
  message: string;
}

const schemaUrl = new URL('../../schemas/zone.schema.json', import.meta.url);
const validate = await loadValidator('zone');

export function zoneSchema(): object {
  return JSON.parse(readFileSync(schemaUrl, 'utf8')) as object;
}

/** Checks parsed YAML data against schemas/zone.schema.json. */
export function checkSchema(data: unknown): SchemaProblem[] {
  if (validate(data)) return [];
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = translate(error, data);
    if (!problem) continue;
    const id = `${formatPath(problem.path)}|${problem.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(problem);
  }
  return problems;
}

function parsePointer(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(data: unknown, path: DataPath): unknown {
  let node = data;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

/** `MX and SRV`: the types that carry a priority, from the type table. */
const WITH_PRIORITY = RECORD_TYPES.filter((type) => RECORD_TYPE_DEFS[type].hasPriority).join(
  ' and ',
);

const TYPE_WORDS: Record<string, string> = {
  string: 'text (put it in quotes if YAML read it as a number or boolean)',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
};

function describe(path: DataPath): string {
  return path.length === 0 ? 'the file' : formatPath(path);
}

function translate(error: ErrorObject, data: unknown): SchemaProblem | undefined {
  const path = parsePointer(error.instancePath);
  const where = describe(path);
  const params = error.params as Record<string, unknown>;
  const inRecord = path[0] === 'records' && typeof path[1] === 'number';
  const recordType = inRecord ? valueAt(data, path.slice(0, 2).concat('type')) : undefined;
  // Branch errors of oneOf and the bare `if` failure are summarised by their parent.
  if (error.schemaPath.includes('/oneOf/') || error.keyword === 'if') return undefined;
  // An ignore rule's `type` is one type or a list of them (a oneOf over a $ref): its
  // branch errors land on the same path, so only the oneOf speaks for that path.
  if (isIgnoreType(path) && error.keyword !== 'oneOf') return undefined;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      if (missing === 'priority') {
        return {
          path: [...path, 'priority'],
          atKey: false,
          message: `${where}.priority: ${String(recordType)} records need a priority (0-65535)`,
        };
      }
      if (path.length === 0 && missing === 'records') {
        return {
          path,
          atKey: false,
          message: 'the file needs a records: list (it may be empty: records: [])',
        };
      }
      return { path, atKey: false, message: `${where}: missing required key "${missing}"` };
    }
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys(
        ((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object,
      );
      const hint = closest(key, allowed);
      return {
        path: [...path, key],
        atKey: true,
        message: `${formatPath([...path, key])}: unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; allowed: ${allowed.join(', ')}`,
      };
    }
    case 'type':
      return {
        path,
        atKey: false,
        message: `${where}: must be ${TYPE_WORDS[String(params['type'])] ?? String(params['type'])}`,
      };
    case 'enum':
      return { path, atKey: false, message: `${where}: ${notAType(valueAt(data, path))}` };
    case 'minimum':
    case 'maximum': {
      const schema = error.parentSchema as { minimum?: number; maximum?: number };
      const field = path[path.length - 1];
      const unit = field === 'ttl' ? ' seconds' : '';
      return {
        path,
        atKey: false,
        message: `${where}: must be between ${schema.minimum} and ${schema.maximum}${unit}`,
      };
    }
    case 'minLength':
      return { path, atKey: false, message: `${where}: must not be empty` };
    case 'minItems':
      return { path, atKey: false, message: `${where}: must list at least one entry` };
    case 'oneOf': {
      const target = valueAt(data, path);
      if (isIgnoreType(path)) return ignoreTypeProblem(path, target);
      // Not a mapping at all: the `type` error at the same path says so.
      if (target === null || typeof target !== 'object' || Array.isArray(target)) return undefined;
      const has = (key: string) =>
        target !== null && typeof target === 'object' && key in (target as object);
      if (has('value') && has('values')) {
        return {
          path: [...path, 'values'],
          atKey: true,
          message: `${where}: use either value or values, not both`,
        };
      }
      return {
        path,
        atKey: false,
        message: `${where}: a record needs a value (or a values: list)`,
      };
    }
    case 'not':
      return {
        path: [...path, 'priority'],
        atKey: true,
        message: `${where}.priority: ${String(recordType)} records take no priority (only ${WITH_PRIORITY} do)`,
      };
    default:
      return { path, atKey: false, message: `${where}: ${error.message ?? 'is invalid'}` };
  }
}

function notAType(value: unknown): string {
  const upper = typeof value === 'string' ? value.toUpperCase() : '';
  if (upper !== value && (RECORD_TYPES as readonly string[]).includes(upper)) {
    return `${JSON.stringify(value)} is not a record type; types are written in capitals: ${upper}`;
  }
  return `${JSON.stringify(value)} is not a record type dnssync manages (${RECORD_TYPES.join(', ')})`;
}

function isIgnoreType(path: DataPath): boolean {
  return path.length === 3 && path[0] === 'ignore' && path[2] === 'type';
}

function ignoreTypeProblem(path: DataPath, target: unknown): SchemaProblem {
  const where = formatPath(path);
  const managed = RECORD_TYPES.join(', ');
  if (typeof target === 'string') {
    return {
      path,
      atKey: false,
      message: `${where}: ${notAType(target)}`,
    };
  }
  if (Array.isArray(target)) {
    if (target.length === 0) {
      return { path, atKey: false, message: `${where}: must list at least one record type` };
    }
    const index = target.findIndex(
      (item) => typeof item !== 'string' || !(RECORD_TYPES as readonly string[]).includes(item),
    );
    if (index >= 0) {
      return {
        path: [...path, index],
        atKey: false,
        message: `${formatPath([...path, index])}: ${notAType(target[index])}`,
      };
    }
  }
  return {
    path,
    atKey: false,
    message: `${where}: must be a record type or a list of record types (${managed})`,
  };
}
