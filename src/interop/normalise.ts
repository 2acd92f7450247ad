/**
 * Makes imported records fit the zone-file rules before they are written: one
 * record per identity, and one TTL per name+type (the zone rules). Whatever had to change
 * is said in a note naming the source lines when known, so the header of the written
 * file explains it.
 */
import { groupBy, recordKey } from '../model.js';
import type { ImportedRecord } from './types.js';

export interface Normalised {
  records: ImportedRecord[];
  notes: string[];
}

/** `line 12: ` or nothing. */
const at = (record: ImportedRecord) => (record.from === undefined ? '' : `${record.from}: `);

export function normaliseRecords(records: readonly ImportedRecord[]): Normalised {
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
