/**
 * Zone file text → DesiredZone + Issue[]. Pure: no I/O.
 * Schema problems come first; records with schema problems are left out of the
 * semantic checks so one mistake is reported once.
 */
import type { Alias, Document } from 'yaml';
import { checkSettingsIssues } from '../checks/settings.js';
import type {
  CheckSettings,
  DesiredRecord,
  DesiredZone,
  IgnoreRule,
  Issue,
  RecordType,
} from '../model.js';
import { fail, ok, type Result, recordKey } from '../model.js';
import {
  canonicalDomain,
  canonicalName,
  RECORD_TYPE_DEFS,
  type RecordTypeDef,
} from '../records/index.js';
import { type DataPath, formatPath, Locator, linePositions } from './locate.js';
import { fastRead } from './read-yaml.js';
import { nameRule, zoneRules } from './rules.js';
import { checkSchema } from './schema.js';
import { yaml } from './yaml.js';

const DEFAULT_TTL = 3600;

export interface ParseResult {
  /** Null when the file is too broken to say what it wants. */
  zone: DesiredZone | null;
  issues: Issue[];
}

interface RawRecord {
  name: string;
  type: RecordType;
  value?: string;
  values?: string[];
  ttl?: number;
  priority?: number;
  comment?: string;
  checks?: CheckSettings;
}

interface RawZone {
  domain?: string;
  ttl?: number;
  purge?: boolean;
  ignore?: Array<{ name: string; type?: RecordType | RecordType[] }>;
  records: RawRecord[];
  checks?: CheckSettings;
}

/** The domain a zone file's name stands for: `zones/example.com.yaml` → `example.com`. */
export function domainFromFileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.ya?ml$/i, '');
}

export function parseZoneFile(file: string, text: string): ParseResult {
  const fast = fastRead(text);
  if (fast) {
    const lines = linePositions(fast.lineStarts);
    return checkZone(file, fast.data, new Locator(file, fast.contents, lines), []);
  }

  // Everything js-yaml leaves to it, errors above all: yaml words the messages.
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = new Locator(file, doc.contents, lineCounter);
  const issues: Issue[] = [];

  const errorOffsets = new Set<number>();
  for (const error of doc.errors) {
    // Later errors at the same place are consequences of the first one.
    if (errorOffsets.has(error.pos[0])) continue;
    errorOffsets.add(error.pos[0]);
    const message =
      error.code === 'DUPLICATE_KEY'
        ? 'duplicate key: each key may appear only once'
        : error.message === 'Alias cannot be an empty string'
          ? 'YAML reads a bare * as an alias; to write the wildcard name *, put it in quotes: "*"'
          : error.code === 'BAD_SCALAR_START'
            ? reservedStartMessage(text, error.pos[0])
            : yamlMessage(error.message);
    issues.push(at.issue('error', `yaml:${error.code}`, message, at.offset(error.pos[0])));
  }
  if (issues.length > 0) return { zone: null, issues };
  if (doc.contents === null || (text.trim() === '' && !yaml().isMap(doc.contents))) {
    issues.push(
      at.issue(
        'error',
        'empty',
        'the file is empty; a zone file needs at least records: []',
        at.offset(0),
      ),
    );
    return { zone: null, issues };
  }
  if (!yaml().isMap(doc.contents)) {
    const what = yaml().isSeq(doc.contents) ? 'a list' : 'a single value';
    issues.push(
      at.issue(
        'error',
        'not-a-mapping',
        `the file is ${what}; a zone file is a mapping with a records: list`,
        at.node(doc.contents),
      ),
    );
    return { zone: null, issues };
  }

  const data = toData(doc, at);
  if (!data.ok) {
    issues.push(data.reason);
    return { zone: null, issues };
  }
  return checkZone(file, data.value, at, issues);
}

/** Schema, names, values and zone rules of a file whose YAML was read without error. */
function checkZone(file: string, data: unknown, at: Locator, issues: Issue[]): ParseResult {
  const brokenRecords = new Set<number>();
  /** Top-level keys with a schema problem ('' for the file as a whole). */
  const brokenKeys = new Set<string>();
  for (const problem of checkSchema(data)) {
    issues.push(
      at.issue('error', 'schema', problem.message, at.path(problem.path, { key: problem.atKey })),
    );
    if (problem.path[0] === 'records' && typeof problem.path[1] === 'number')
      brokenRecords.add(problem.path[1]);
    else brokenKeys.add(String(problem.path[0] ?? ''));
  }
  // Without a list of records there is nothing more to check.
  if (brokenKeys.has('') || brokenKeys.has('records')) return { zone: null, issues };
  // Any other broken key still leaves the records to check, so every problem shows at
  // once; only the parts that lean on a broken key wait until it is fixed.
  const raw = { ...(data as RawZone) };
  for (const key of brokenKeys) delete (raw as Partial<Record<string, unknown>>)[key];
  const fileDomain = canonicalDomain(domainFromFileName(file));
  let domain: string;
  if (!fileDomain.ok) {
    // Checked even when `domain:` is set: other commands find zones by their file name.
    issues.push(
      at.issue(
        'error',
        'file-name',
        `the file name does not name a domain (zone files are named <domain>.yaml): ${fileDomain.reason}`,
        at.offset(0),
      ),
    );
  }
  if (raw.domain !== undefined) {
    const declared = canonicalDomain(raw.domain);
    if (!declared.ok) {
      issues.push(at.issue('error', 'domain', `domain: ${declared.reason}`, at.path(['domain'])));
      return { zone: null, issues };
    }
    domain = declared.value;
    if (fileDomain.ok && fileDomain.value !== domain) {
      issues.push(
        at.issue(
          'error',
          'domain-mismatch',
          `domain: "${raw.domain}" does not match the file name (${fileDomain.value}); name the file ${domain}.yaml`,
          at.path(['domain']),
        ),
      );
    }
  } else if (fileDomain.ok) {
    domain = fileDomain.value;
  } else {
    return { zone: null, issues };
  }

  const ttl = raw.ttl ?? DEFAULT_TTL;
  const ignore: IgnoreRule[] = (raw.ignore ?? []).map((rule) => ({
    name: ignoreGlob(rule.name, domain),
    types: rule.type === undefined ? null : Array.isArray(rule.type) ? rule.type : [rule.type],
  }));

  const records: DesiredRecord[] = [];
  raw.records.forEach((record, index) => {
    if (brokenRecords.has(index)) return;
    expandRecord(record, index, domain, ttl, at, issues, records);
  });

  // The rules across records need the file's TTL and ignore rules.
  if (!brokenKeys.has('ttl') && !brokenKeys.has('ignore')) {
    issues.push(...zoneRules(ignore, records, at));
  }
  issues.push(...checkSettingsIssues(raw, brokenRecords, at));
  // A file with a broken key is no zone to plan or to run the DNS checks on.
  if (brokenKeys.size > 0) return { zone: null, issues };
  const zone: DesiredZone = { domain, file, ttl, purge: raw.purge ?? true, ignore, records };
  if (raw.checks !== undefined) zone.checks = raw.checks;
  return { zone, issues };
}

/** An ignore glob made relative like a record name: `_acme-challenge.example.com.` → `_acme-challenge`. */
function ignoreGlob(raw: string, domain: string): string {
  const glob = raw.trim().toLowerCase().replace(/\.$/, '');
  if (glob === domain) return '@';
  return glob.endsWith(`.${domain}`) ? glob.slice(0, -(domain.length + 1)) : glob;
}

/**
 * Plain data of the document. Aliases are resolved here, so an alias without its
 * anchor (usually an unquoted wildcard such as `name: *.dev`) is reported, not thrown.
 */
function toData(doc: Document, at: Locator): Result<unknown, Issue> {
  try {
    return ok(doc.toJS() as unknown);
  } catch (error) {
    const unresolved = firstUnresolvedAlias(doc);
    if (unresolved) {
      const text = `*${unresolved.source}`;
      return fail(
        at.issue(
          'error',
          'yaml:UNRESOLVED_ALIAS',
          `YAML reads ${text} as an alias to an anchor &${unresolved.source} that is not defined above; to write the text ${text} (e.g. a wildcard name), put it in quotes: "${text}"`,
          at.node(unresolved),
        ),
      );
    }
    return fail(
      at.issue(
        'error',
        'yaml:ALIAS',
        `YAML aliases could not be expanded: ${(error as Error).message}`,
        at.offset(0),
      ),
    );
  }
}

function firstUnresolvedAlias(doc: Document): Alias | undefined {
  const anchors = new Set<string>();
  let found: Alias | undefined;
  yaml().visit(doc, {
    Node(_key, node) {
      if (yaml().isAlias(node)) {
        if (!anchors.has(node.source)) {
          found = node;
          return yaml().visit.BREAK;
        }
      } else if (node.anchor) anchors.add(node.anchor);
      return undefined;
    },
  });
  return found;
}

/**
 * `name: @` and other plain values that start with a character YAML reserves (`@`, a
 * backtick): say which, and show the value quoted. The value runs to the end of the line,
 * a comment, or (inside `{...}` and `[...]`) the next `,`, `}` or `]`.
 */
function reservedStartMessage(text: string, offset: number): string {
  const line = text.slice(offset, offset + 300).split('\n')[0] ?? '';
  const written =
    line
      .split(' #')[0]
      ?.split(/[,\]}]/)[0]
      ?.trimEnd() || '@';
  const what = written === '@' ? 'the apex name @' : written;
  return `YAML does not allow ${written[0]} at the start of a plain value; to write ${what}, quote it: ${JSON.stringify(written)}`;
}

function yamlMessage(message: string): string {
  // The yaml package appends "at line L, column C" plus a code excerpt; we print our own position.
  return `YAML syntax error: ${message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message}`;
}

/**
 * One entry of `records:` → one DesiredRecord per value, appended to `out`. This runs
 * for every record of every file, so paths and messages are only built for problems.
 */
function expandRecord(
  record: RawRecord,
  index: number,
  domain: string,
  defaultTtl: number,
  at: Locator,
  issues: Issue[],
  out: DesiredRecord[],
): void {
  const name = canonicalName(record.name, domain);
  if (!name.ok) {
    const path: DataPath = ['records', index, 'name'];
    issues.push(at.issue('error', 'name', `${formatPath(path)}: ${name.reason}`, at.path(path)));
  } else {
    const problem = nameRule(record.type, name.value, domain);
    if (problem) {
      issues.push(
        at.issue('error', problem.code, problem.message, at.path(['records', index, 'name'])),
      );
    }
  }
  const def: RecordTypeDef = RECORD_TYPE_DEFS[record.type];
  const priority = def.hasPriority ? (record.priority ?? 0) : null;
  const ttl = record.ttl ?? defaultTtl;
  const values = record.values;
  const count = values ? values.length : record.value === undefined ? 0 : 1;
  const valueNode = at.lookup(['records', index, values ? 'values' : 'value']);
  const pathOf = (valueIndex: number): DataPath =>
    values ? ['records', index, 'values', valueIndex] : ['records', index, 'value'];
  for (let valueIndex = 0; valueIndex < count; valueIndex++) {
    const rawValue = (values ? values[valueIndex] : record.value) as string;
    const node = values ? at.item(valueNode, valueIndex) : valueNode;
    const pos = node === undefined ? at.path(pathOf(valueIndex)) : at.node(node);
    const parsed = def.parse(rawValue);
    if (!parsed.ok) {
      const message = `${formatPath(pathOf(valueIndex))}: ${parsed.reason}`;
      issues.push(at.issue('error', `value:${record.type}`, message, pos));
      continue;
    }
    for (const warning of parsed.warnings ?? []) {
      const message = `${formatPath(pathOf(valueIndex))}: ${warning}`;
      issues.push(at.issue('warning', `value:${record.type}`, message, pos));
    }
    // A bad name was reported above; its values are still checked so every problem shows.
    if (!name.ok) continue;
    const desired: DesiredRecord = {
      name: name.value,
      type: record.type,
      value: parsed.value,
      ttl,
      priority,
      key: recordKey(name.value, record.type, parsed.value, priority),
      pos,
    };
    if (record.comment !== undefined) desired.comment = record.comment;
    if (record.checks !== undefined) desired.checks = record.checks;
    out.push(desired);
  }
}
