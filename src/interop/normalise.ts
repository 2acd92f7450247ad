/**
 * Makes imported records fit the zone-file rules before they are written: one
 * record per identity, and one TTL per name+type (the zone rules). Whatever had to change
 * is said in a note, so the header of the written file explains it.
 */
import { type DnsRecord, groupBy, recordKey } from '../model.js';

export interface Normalised {
  records: DnsRecord[];
  notes: string[];
}

export function normaliseRecords(records: readonly DnsRecord[]): Normalised {
  const notes: string[] = [];
  const seen = new Set<string>();
  const unique: DnsRecord[] = [];
  for (const record of records) {
    const key = recordKey(record.name, record.type, record.value);
    if (seen.has(key)) {
      notes.push(`${record.name} ${record.type} ${record.value}: a duplicate, written once`);
      continue;
    }
    seen.add(key);
    unique.push({ ...record });
  }

  const byRrset = groupBy(unique, (record) => `${record.name}\u0000${record.type}`);
  for (const members of byRrset.values()) {
    const ttls = [...new Set(members.map((record) => record.ttl))];
    if (ttls.length < 2) continue;
    // The lowest TTL is the safe choice: no resolver caches longer than before.
    const ttl = Math.min(...ttls);
    for (const record of members) record.ttl = ttl;
    const [first] = members;
    if (first) {
      notes.push(
        `${first.name} ${first.type}: its records had different TTLs (${ttls.join(', ')}); all use ${ttl} here, as one name and type share one TTL`,
      );
    }
  }
  return { records: unique, notes };
}
