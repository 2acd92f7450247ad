/** The zone rules (README, "Zone files"), over records already canonical. */
import type { DesiredRecord, IgnoreRule, Issue, RecordType } from '../model.js';
import { matchesIgnore } from '../plan/filter.js';
import { type NameProblem, RECORD_TYPE_DEFS } from '../records/index.js';
import type { Locator } from './locate.js';

function display(record: DesiredRecord): string {
  return `${record.name} ${record.type} ${record.value}`;
}

function lineOf(record: DesiredRecord): string {
  return record.pos ? `line ${record.pos.line}` : 'another record';
}

export function zoneRules(ignore: IgnoreRule[], records: DesiredRecord[], at: Locator): Issue[] {
  const issues: Issue[] = [];
  const error = (code: string, record: DesiredRecord, message: string) => {
    const pos = record.pos ?? { file: at.file, line: 1, col: 1 };
    issues.push(at.issue('error', code, message, pos));
  };

  const byKey = new Map<string, DesiredRecord>();
  const byName = new Map<string, DesiredRecord[]>();
  const ttlOf = new Map<string, DesiredRecord>();

  for (const record of records) {
    const first = byKey.get(record.key);
    if (first) {
      error(
        'duplicate',
        record,
        `duplicate record: ${display(record)} is already defined at ${lineOf(first)}`,
      );
      continue;
    }
    byKey.set(record.key, record);

    const atName = byName.get(record.name);
    if (atName) atName.push(record);
    else byName.set(record.name, [record]);

    const rrset = `${record.name}\u0000${record.type}`;
    const setFirst = ttlOf.get(rrset);
    if (!setFirst) ttlOf.set(rrset, record);
    else if (setFirst.ttl !== record.ttl) {
      error(
        'ttl-mismatch',
        record,
        `${record.type} records at ${record.name} must share one TTL (${record.ttl} here, ${setFirst.ttl} at ${lineOf(setFirst)})`,
      );
    }

    if (record.type === 'MX' && record.value === '.' && record.priority !== 0) {
      error('null-mx', record, `a null MX (".") must have priority 0, not ${record.priority}`);
    }
    const rule = ignore.find((candidate) => matchesIgnore(candidate, record.name, record.type));
    if (rule) {
      error(
        'ignored',
        record,
        `${display(record)} matches the ignore rule "${rule.name}"; dnssync never touches ignored records, so it cannot also manage this one`,
      );
    }
  }

  for (const [name, atName] of byName) {
    const [cname, ...extraCnames] = atName.filter((record) => record.type === 'CNAME');
    if (cname) {
      for (const extra of extraCnames) {
        error(
          'cname-multiple',
          extra,
          `${name} already has a CNAME (${cname.value} at ${lineOf(cname)}); a name can have only one`,
        );
      }
      const other = atName.find((record) => record.type !== 'CNAME');
      if (other) {
        error(
          'cname-exclusive',
          cname,
          `${name} has a CNAME, so it can have no other record (also ${other.type} ${other.value} at ${lineOf(other)})`,
        );
      }
    }
    // RFC 7505: a domain that says "no mail" with a null MX says nothing else about mail.
    const nullMx = atName.find((record) => record.type === 'MX' && record.value === '.');
    const otherMx = atName.find((record) => record.type === 'MX' && record.value !== '.');
    if (nullMx && otherMx) {
      error(
        'null-mx-alone',
        nullMx,
        `a null MX (".") must be the only MX record at ${name} (also MX ${otherMx.value} at ${lineOf(otherMx)})`,
      );
    }
  }
  return issues;
}

/**
 * Rules about a record's name given its type (the type table's `nameRule`); checked per
 * record so the issue can point at the name itself. `name` is canonical and relative.
 */
export function nameRule(type: RecordType, name: string, domain: string): NameProblem | null {
  return RECORD_TYPE_DEFS[type].nameRule?.(name, domain) ?? null;
}
