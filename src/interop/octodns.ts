/**
 * octoDNS zone YAML (YamlProvider format) → canonical records
 * (`dnssync import --from-octodns`). Each top-level key is a relative name (`''` is
 * the apex) holding one record or a list of them. Types dnssync does not manage are
 * left out; octoDNS-only features (`geo`, `dynamic`, `octodns:` settings) are dropped from
 * the records that carry them, keeping their plain values, and every drop is noted.
 */
import { basename } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type DnsRecord, fail, isObject, isRecordType, ok, type Result } from '../model.js';
import {
  canonicalDomain,
  canonicalName,
  canonicalValue,
  fieldMax,
  notManaged,
  quoted,
  type Rdata,
  RECORD_TYPE_DEFS,
  type RecordTypeDef,
} from '../records/index.js';
import { listed } from '../text/terminal.js';
import { domainFromFileName } from '../zonefile/parse.js';
import { fitRecords, leftOutNote } from './fit-records.js';
import type { ImportError, ImportResult } from './types.js';

export interface OctodnsOptions {
  domain?: string;
  /** TTL of records that set none (octoDNS's YamlProvider default is 3600). */
  defaultTtl?: number;
}

/** The octoDNS-only features a record may carry: each dropped, with a note. */
const FEATURE_NOTES = {
  geo: 'geo answers are an octoDNS feature VPS.org does not offer; dropped',
  dynamic: 'dynamic pools and rules are an octoDNS feature VPS.org does not offer; dropped',
  octodns: 'octodns: settings (provider-specific) do not apply to VPS.org; dropped',
};

const KNOWN_KEYS = new Set(['type', 'ttl', 'value', 'values', ...Object.keys(FEATURE_NOTES)]);
const MAX_TTL = 2147483647;

export function parseOctodnsZone(
  file: string,
  text: string,
  options: OctodnsOptions = {},
): ImportResult {
  const domainText = options.domain ?? domainFromFileName(file);
  const domain = canonicalDomain(domainText);
  if (!domain.ok) {
    const how =
      options.domain === undefined
        ? 'the file name is not a domain (name it example.com.yaml or give --domain)'
        : `--domain: ${domain.reason}`;
    return fail([{ file, line: 0, message: how }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 0;
  const errors: ImportError[] = doc.errors.map((error) => ({
    file,
    line: lineCounter.linePos(error.pos[0]).line,
    message: `YAML: ${error.message.split('\n')[0] ?? error.message}`,
  }));
  if (errors.length > 0) return fail(errors);
  // An empty document (`---` alone, or nothing) is an empty zone, as octoDNS reads it.
  const empty = isScalar(doc.contents) && doc.contents.value === null;
  if (doc.contents !== null && !empty && !isMap(doc.contents)) {
    return fail([{ file, line: 1, message: 'an octoDNS zone file is a mapping of record names' }]);
  }

  const records: DnsRecord[] = [];
  const leftOut: string[] = [];
  const defaultTtl = options.defaultTtl ?? 3600;
  for (const pair of isMap(doc.contents) ? doc.contents.items : []) {
    const keyNode = isScalar(pair.key) ? pair.key : null;
    const key = keyNode?.value ?? null;
    if (key === null || typeof key === 'object') {
      errors.push({ file, line: lineOf(keyNode), message: 'a record name must be a plain string' });
      continue;
    }
    const relative = String(key);
    const shownName = relative === '' ? "''" : relative;
    const name = canonicalName(
      relative === '' ? `${domain.value}.` : `${relative}.${domain.value}.`,
      domain.value,
    );
    const entries: Node[] = isSeq(pair.value) ? (pair.value.items as Node[]) : [pair.value as Node];
    for (const entry of entries) {
      // A record in a list is found by its item; a lone record by its name.
      const line = isSeq(pair.value) ? lineOf(entry) : lineOf(keyNode);
      const problem = (message: string) =>
        errors.push({ file, line, message: `${shownName}: ${message}` });
      if (!isMap(entry)) {
        problem('a record is a mapping with type and value(s)');
        continue;
      }
      if (!name.ok) {
        problem(name.reason);
        continue;
      }
      const data = entry.toJS(doc) as Record<string, unknown>;
      const type = typeof data['type'] === 'string' ? data['type'].toUpperCase() : null;
      if (type === null) {
        problem('type: missing');
        continue;
      }
      const where = `line ${line}: ${shownName} ${type}`;
      if (!isRecordType(type)) {
        leftOut.push(`${where}: ${notManaged(type)}`);
        continue;
      }
      const settings = data['octodns'];
      if (isObject(settings) && settings['ignored'] === true) {
        leftOut.push(
          `${where}: marked octodns.ignored (add an ignore: rule if dnssync should leave it alone too)`,
        );
        continue;
      }
      for (const [feature, note] of Object.entries(FEATURE_NOTES)) {
        if (data[feature] !== undefined)
          leftOut.push(`${where}: ${note}; the plain value(s) were imported`);
      }
      for (const extra of Object.keys(data).filter((k) => !KNOWN_KEYS.has(k))) {
        leftOut.push(`${where}: key "${extra}" is not part of octoDNS's record format; ignored`);
      }
      const ttl = data['ttl'] === undefined ? defaultTtl : uint(data['ttl'], MAX_TTL);
      if (ttl === null) {
        problem(`ttl "${String(data['ttl'])}" must be a whole number of seconds`);
        continue;
      }
      const list: unknown[] = [data['values'] ?? data['value'] ?? []].flat();
      if (list.length === 0) {
        problem(`${type} has no value or values`);
        continue;
      }
      for (const raw of list) {
        const converted = convertValue(RECORD_TYPE_DEFS[type], raw);
        if (!converted.ok) {
          problem(`${type}: ${converted.reason}`);
          continue;
        }
        if (converted.value === null) {
          leftOut.push(`${where}: an empty TXT value (dnssync needs text)`);
          continue;
        }
        const canonical = canonicalValue(type, converted.value.value);
        if (!canonical.ok) {
          problem(`${type}: ${canonical.reason}`);
          continue;
        }
        // The apex NS are the provider's (a rule about NS itself).
        if (type === 'NS' && name.value === '@') {
          leftOut.push(
            `${where} ${canonical.value}: the apex nameservers are the provider's (ns1.vps.org, ns2.vps.org)`,
          );
          continue;
        }
        records.push({
          name: name.value,
          type,
          value: canonical.value,
          ttl,
          priority: converted.value.priority,
        });
      }
    }
  }
  if (errors.length > 0) return fail(errors.sort((a, b) => a.line - b.line));
  const fitted = fitRecords(records, domain.value);
  return ok({
    domain: domain.value,
    records: fitted.records,
    leftOut,
    unwritable: fitted.leftOut.map(leftOutNote),
    adjusted: fitted.adjusted,
    source: `the octoDNS zone file ${basename(file)}`,
  });
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function uint(value: unknown, max: number): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max ? n : null;
}

/**
 * One octoDNS value → the value the type's `parse` takes, plus priority, field by field
 * (the type table's `rdata`): a string for a type of one field, else a mapping. Null
 * value means "an empty TXT": left out with a note rather than failing the import.
 */
function convertValue(def: RecordTypeDef, raw: unknown): Result<Rdata | null> {
  const [only] = def.rdata;
  if (def.rdata.length === 1 && only) {
    const value = text(raw);
    if (value === null) return fail('the value must be a string');
    if (only.kind !== 'text') return ok({ value, priority: null });
    const unescaped = octodnsText(value);
    return ok(unescaped === '' ? null : { value: unescaped, priority: null });
  }
  const keys = def.rdata.map((field) => field.octodns?.[0] ?? field.name);
  if (!isObject(raw)) return fail(`a value is a mapping with ${listed(keys)}`);
  let priority: number | null = null;
  const parts: string[] = [];
  for (const [index, field] of def.rdata.entries()) {
    const key = keys[index] as string;
    const given = (field.octodns ?? [field.name]).map((k) => raw[k]).find((v) => v !== undefined);
    const value = given ?? field.octodnsDefault;
    switch (field.kind) {
      case 'priority':
      case 'uint8':
      case 'uint16': {
        const max = fieldMax(field.kind);
        const n = uint(value, max);
        if (n === null) return fail(`${key} must be 0-${max}`);
        if (field.kind === 'priority') priority = n;
        else parts.push(String(n));
        break;
      }
      case 'word':
      case 'host':
      case 'string':
      case 'text': {
        const written = text(value);
        if (written === null) return fail(`missing ${key}`);
        parts.push(field.kind === 'string' ? quoted(written) : written);
        break;
      }
    }
  }
  return ok({ value: parts.join(' '), priority });
}

/**
 * octoDNS keeps TXT values with semicolons escaped (`\;`), and accepts a value
 * already in chunked form (`"part one" "part two"`); both are undone here.
 */
export function octodnsText(value: string): string {
  let body = value;
  if (body.length >= 2 && body.startsWith('"') && body.endsWith('"')) {
    body = body.slice(1, -1).replaceAll('" "', '');
  }
  return body.replaceAll('\\;', ';');
}
