/**
 * A stored zone as VPS.org's nameservers would serve it: the API's spellings are made
 * canonical, then rendered as a BIND zone file. Records the nameservers could not load
 * (a name outside the zone, a value that is not valid for its type) are left out and
 * listed in comments at the top, as a provider's deploy log would report them.
 */
import { type DnsRecord, isRecordType } from '../model.js';
import { canonicalName, canonicalValue } from '../records/index.js';
import { renderBindZone, VPS_NAMESERVERS } from '../render/bind.js';
import type { StoredZone } from './state.js';
import { VPS_RECORD_TYPES } from './validate.js';

export function renderStoredZone(zone: StoredZone): string {
  const records: DnsRecord<string>[] = [];
  const skipped: string[] = [];
  for (const record of zone.records) {
    const type = record.record_type;
    const name = canonicalName(record.name, zone.domain);
    const value = isRecordType(type) ? canonicalValue(type, record.value) : null;
    const accepted = Object.hasOwn(VPS_RECORD_TYPES, type) ? VPS_RECORD_TYPES[type] : undefined;
    if (!name.ok || value === null || !value.ok) {
      const reason = !name.ok
        ? name.reason
        : value?.ok === false
          ? value.reason
          : 'unsupported type';
      skipped.push(`; skipped ${type} record ${record.uuid} (${oneLine(reason)})`);
      continue;
    }
    records.push({
      name: name.value,
      type,
      value: value.value,
      ttl: record.ttl,
      priority: accepted?.priority ? record.priority : null,
    });
  }
  const zoneText = renderBindZone(zone.domain, records, {
    nameservers: VPS_NAMESERVERS,
    serial: zone.serial,
  });
  return skipped.length === 0 ? zoneText : `${skipped.join('\n')}\n${zoneText}`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
