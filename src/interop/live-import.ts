/**
 * A live zone → the records a zone file should hold so that `plan` right after the
 * import shows no changes. Records the planner never touches are left out and noted:
 * types outside the eight, values dnssync cannot read, and the provider's apex NS.
 */
import { isRecordType, type LiveZone } from '../model.js';
import { canonicalValue } from '../records/index.js';
import { VPS_NAMESERVERS } from '../render/bind.js';
import { normaliseRecords } from './normalise.js';
import type { ImportedZone, ZoneRecord } from './types.js';

const PROVIDER_NS: readonly string[] = VPS_NAMESERVERS;

export function importLiveZone(zone: LiveZone, source = 'the live zone at VPS.org'): ImportedZone {
  const records: ZoneRecord[] = [];
  const leftOut: string[] = [];
  const apexNs = zone.records.filter((r) => r.managed && r.type === 'NS' && r.name === '@');
  // Apex NS stay out of the file unless someone added their own: then the file must
  // declare all of them (the provider's too), or the plan would delete the rest.
  const keepApexNs = apexNs.some((r) => !PROVIDER_NS.includes(r.value));

  for (const record of zone.records) {
    const shown = `${record.name} ${record.type} ${record.value}`;
    if (!record.managed || !isRecordType(record.type)) {
      const why =
        record.type.toUpperCase() === 'SOA'
          ? "the SOA is the provider's"
          : isRecordType(record.type.toUpperCase())
            ? 'its name is not valid for dnssync, so it is never touched'
            : `${record.type} is not one of the eight types dnssync manages`;
      leftOut.push(`${shown}: ${why}`);
      continue;
    }
    if (!canonicalValue(record.type, record.value).ok) {
      // The planner manages it (it is of one of the eight types), but a zone file cannot
      // hold it; say so rather than write a file that does not validate.
      leftOut.push(
        `${shown}: its value is not valid in a zone file; dnssync plan will propose deleting it (add an ignore rule for ${record.name} ${record.type} to keep it)`,
      );
      continue;
    }
    if (record.type === 'NS' && record.name === '@' && !keepApexNs) {
      leftOut.push(`${shown}: the provider's nameservers (dnssync leaves apex NS alone)`);
      continue;
    }
    records.push({
      name: record.name,
      type: record.type,
      value: record.value,
      ttl: record.ttl,
      priority: record.priority,
    });
  }
  const normalised = normaliseRecords(records);
  const adjusted = [...normalised.notes];
  if (keepApexNs) {
    adjusted.push(
      "the zone has apex NS records besides the provider's, so every apex NS is declared here and dnssync manages them",
    );
  }
  return {
    domain: zone.domain,
    records: normalised.records,
    leftOut,
    adjusted,
    source: `${source} (${zone.domain})`,
  };
}
