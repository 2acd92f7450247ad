/**
 * Imported records → the ones a zone file can hold. Whatever the source allowed that the
 * zone file rules do not (a CNAME beside other data, a TTL of 0, an MX without a
 * priority, an SRV at a name without _service._proto) is left out with its reason,
 * one record at a time, so one such record never costs the rest of its zone. Then the
 * rest is made to fit: one record per identity, and one TTL per name+type. Whatever had to
 * change is said in a note naming the source lines when known, so the header of the
 * written file explains it.
 */

import { type DnsRecord, groupBy, recordKey } from '../model.js';
import { RECORD_TYPE_DEFS } from '../records/index.js';
import { clipped, listed } from '../text/terminal.js';
import { nameRule } from '../zonefile/rules.js';
import type { ImportedRecord } from './types.js';

/** The TTLs and priorities a zone file accepts. */
const MAX_TTL = 2147483647;
const MAX_PRIORITY = 65535;

export interface LeftOutRecord {
  record: ImportedRecord;
  reason: string;
}

export interface FittedRecords {
  records: ImportedRecord[];
  /** What normalising changed (duplicates, mixed TTLs), one note each. */
  adjusted: string[];
  leftOut: LeftOutRecord[];
}

export function fitRecords(records: readonly ImportedRecord[], domain: string): FittedRecords {
  const leftOut: LeftOutRecord[] = [];
  const fitting: ImportedRecord[] = [];
  for (const record of records) {
    const reason = recordProblem(record, domain);
    if (reason === null) fitting.push(record);
    else leftOut.push({ record, reason });
  }
  // Normalised after the checks, so a bad TTL cannot become the TTL of its neighbours.
  const normalised = normaliseRecords(fitting);
  const conflicts = nameConflicts(normalised.records);
  leftOut.push(...conflicts);
  const out = new Set(conflicts.map((entry) => entry.record));
  return {
    records: normalised.records.filter((record) => !out.has(record)),
    adjusted: normalised.notes,
    leftOut,
  };
}

/** Why a zone file cannot hold this record on its own, or null. */
function recordProblem(record: DnsRecord, domain: string): string | null {
  const rule = nameRule(record.type, record.name, domain);
  if (rule) return rule.message;
  if (!Number.isInteger(record.ttl) || record.ttl < 1 || record.ttl > MAX_TTL) {
    return `its TTL ${record.ttl} is not a whole number of seconds from 1 to ${MAX_TTL}`;
  }
  const what = RECORD_TYPE_DEFS[record.type].priorityName;
  if (what !== null) {
    if (record.priority === null) return `it has no ${what}, which ${record.type} records need`;
    const priority = record.priority;
    if (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
      return `its ${what} ${priority} is not a whole number from 0 to ${MAX_PRIORITY}`;
    }
  }
  // RFC 7505's null MX: rules about MX itself, as in the zone rules (zonefile/rules.ts).
  if (record.type === 'MX' && record.value === '.' && record.priority !== 0) {
    return `a null MX (".") must have preference 0, not ${record.priority}`;
  }
  return null;
}

/**
 * Records that clash with others at their name. A CNAME beside other data, or one of
 * several CNAMEs, is left out and the other data kept: the data may be several records
 * (mail, verification TXT), and the CNAME is the record the DNS rules forbid there.
 * Likewise a null MX beside other MX records.
 */
function nameConflicts(records: readonly ImportedRecord[]): LeftOutRecord[] {
  const byName = groupBy(records, (record) => record.name);
  const leftOut: LeftOutRecord[] = [];
  for (const [name, atName] of byName) {
    const cnames = atName.filter((record) => record.type === 'CNAME');
    const others = [...new Set(atName.filter((r) => r.type !== 'CNAME').map((r) => r.type))];
    if (others.length > 0) {
      for (const record of cnames) {
        leftOut.push({
          record,
          reason: `${name} also has ${listed(others)} records, and a name with a CNAME can have no other`,
        });
      }
    } else if (cnames.length > 1) {
      for (const record of cnames) {
        leftOut.push({
          record,
          reason: `${name} has ${cnames.length} CNAMEs, and a name can have only one`,
        });
      }
    }
    const mx = atName.filter((record) => record.type === 'MX');
    if (mx.some((record) => record.value !== '.')) {
      for (const record of mx.filter((r) => r.value === '.')) {
        leftOut.push({
          record,
          reason: `a null MX (".") must be the only MX at ${name}, and ${name} has others`,
        });
      }
    }
  }
  return leftOut;
}

/** `line 12: www CNAME example.net: reason`, as the header and the warning show it. */
export function leftOutNote(entry: LeftOutRecord): string {
  const { record, reason } = entry;
  const where = record.from === undefined ? '' : `${record.from}: `;
  return `${where}${clipped(record.name)} ${record.type} ${clipped(record.value)}: ${reason}`;
}

/** `line 12: ` or nothing. */
const at = (record: ImportedRecord) => (record.from === undefined ? '' : `${record.from}: `);

export function normaliseRecords(records: readonly ImportedRecord[]): {
  records: ImportedRecord[];
  notes: string[];
} {
  const notes: string[] = [];
  const seen = new Map<string, ImportedRecord>();
  const unique: ImportedRecord[] = [];
  for (const record of records) {
    const key = recordKey(record.name, record.type, record.value, record.priority);
    const first = seen.get(key);
    if (first) {
      const also = first.from === undefined ? '' : ` (as at ${first.from})`;
      notes.push(
        `${at(record)}${record.name} ${record.type} ${record.value}: a duplicate${also}, written once`,
      );
      continue;
    }
    seen.set(key, record);
    unique.push({ ...record });
  }

  const byRrset = groupBy(unique, (record) => `${record.name}\u0000${record.type}`);
  for (const members of byRrset.values()) {
    const ttls = [...new Set(members.map((record) => record.ttl))];
    if (ttls.length < 2) continue;
    // The lowest TTL is the safe choice: no resolver caches longer than before.
    const ttl = Math.min(...ttls);
    const [first] = members;
    if (first?.from === undefined) {
      notes.push(
        `${first?.name} ${first?.type}: its records had different TTLs (${ttls.join(', ')}); all use ${ttl} here, as one name and type share one TTL`,
      );
    } else {
      // One note per record whose TTL was lowered: the line it came from and by how much.
      for (const record of members.filter((r) => r.ttl !== ttl)) {
        notes.push(
          `${at(record)}${record.name} ${record.type} ${record.value}: TTL ${record.ttl} lowered to ${ttl}, as one name and type share one TTL`,
        );
      }
    }
    for (const record of members) record.ttl = ttl;
  }
  return { records: unique, notes };
}
