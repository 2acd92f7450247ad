/**
 * A live zone → the records a zone file should hold so that `plan` right after the
 * import shows no changes. Records the planner never touches are left out and noted:
 * types dnssync does not manage, and the provider's apex NS. Records it does manage but a
 * zone file cannot hold (a value dnssync cannot read, a CNAME beside other data) are
 * left out as `unwritable`: for those the plan will show changes, and the import says so.
 */
import { type DnsRecord, isRecordType, type LiveZone } from '../model.js';
import { plainRecord } from '../plan/diff.js';
import { canonicalValue, notManaged } from '../records/index.js';
import { VPS_NAMESERVERS } from '../render/bind.js';
import { clipped } from '../text/terminal.js';
import { fitRecords, type LeftOutRecord, leftOutNote } from './fit-records.js';
import type { ImportedZone } from './types.js';

export function importLiveZone(zone: LiveZone, source = 'the live zone at VPS.org'): ImportedZone {
  const records: DnsRecord[] = [];
  const leftOut: string[] = [];
  const unreadable: LeftOutRecord[] = [];
  const apexNs = zone.records.filter((r) => r.manageable && r.type === 'NS' && r.name === '@');
  // Apex NS stay out of the file unless someone added their own: then the file must
  // declare all of them (the provider's too), or the plan would delete the rest.
  const keepApexNs = apexNs.some((r) => !(VPS_NAMESERVERS as readonly string[]).includes(r.value));

  for (const record of zone.records) {
    // Names, types and values here are the API's, unchecked: clipped, and made printable
    // where they are shown.
    const shown = `${clipped(record.name)} ${clipped(record.type)} ${clipped(record.value)}`;
    if (!record.manageable || !isRecordType(record.type)) {
      const why =
        record.type.toUpperCase() === 'SOA'
          ? "the SOA is the provider's"
          : isRecordType(record.type.toUpperCase())
            ? 'its name is not valid for dnssync, so it is never touched'
            : notManaged(clipped(record.type));
      leftOut.push(`${shown}: ${why}`);
      continue;
    }
    const candidate = plainRecord(record);
    if (!canonicalValue(record.type, record.value).ok) {
      // The planner manages it (it is of a managed type), but a zone file cannot
      // hold it; say so rather than write a file that does not validate.
      unreadable.push({ record: candidate, reason: 'its value is not valid in a zone file' });
      continue;
    }
    if (record.type === 'NS' && record.name === '@' && !keepApexNs) {
      leftOut.push(`${shown}: the provider's nameservers (dnssync leaves apex NS alone)`);
      continue;
    }
    records.push(candidate);
  }
  const fitted = fitRecords(records, zone.domain);
  const adjusted = [...fitted.adjusted];
  if (keepApexNs) {
    adjusted.push(
      "the zone has apex NS records besides the provider's, so every apex NS is declared here and dnssync manages them",
    );
  }
  const written = new Set(fitted.records.map((record) => `${record.name} ${record.type}`));
  const unwritable = [...unreadable, ...fitted.leftOut].map((entry) =>
    unwritableNote(entry, written),
  );
  return {
    domain: zone.domain,
    records: fitted.records,
    leftOut,
    unwritable,
    adjusted,
    source: `${source} (${zone.domain})`,
  };
}

/**
 * The note for a live record the file cannot hold: the planner manages it, so the plan
 * right after the import proposes deleting it. An ignore rule keeps it instead, but only
 * when the file declares nothing else of that name and type (an ignore rule may not
 * cover a declared record).
 */
function unwritableNote(entry: LeftOutRecord, written: ReadonlySet<string>): string {
  const { name, type } = entry.record;
  const keep = written.has(`${name} ${type}`)
    ? ''
    : ` (add an ignore rule for ${name} ${type} to keep it)`;
  return `${leftOutNote(entry)}; dnssync plan will propose deleting it${keep}`;
}
