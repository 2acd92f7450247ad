/**
 * API records to the canonical model and back. The API may spell equal things
 * differently (names `@`, empty, relative or fully qualified with or without a dot;
 * hostnames in any case; IPv6 in any notation); after conversion they compare equal.
 */
import {
  type DnsRecord,
  isRecordType,
  type LiveRecord,
  type LiveZone,
  recordKey,
} from '../model.js';
import { canonicalDomain, canonicalName, canonicalValue, typeDef } from '../records/index.js';
import type { ApiRecord, ApiRecordInput, ApiZoneDetail } from './types.js';

/** The zone's domain in canonical form (lowercase, no trailing dot). */
export function zoneDomain(raw: string): string {
  const domain = canonicalDomain(raw);
  return domain.ok ? domain.value : raw.toLowerCase().replace(/\.$/, '');
}

/**
 * True when an identifier the API gave (a zone's or a record's uuid) can address a
 * request as one path segment. Empty, `.` and `..` would name another path; `/`, `\`,
 * `?`, `#` and `%` would be read by the server, or a proxy before it, as something else
 * than part of the identifier; white space, controls and invisible characters have no
 * place in one. A real uuid is none of these.
 */
export function isUsableUuid(uuid: string): boolean {
  return uuid !== '' && uuid !== '.' && uuid !== '..' && !/[\s\p{Cc}\p{Cf}/\\?#%]/u.test(uuid);
}

/**
 * One API record in canonical form for the zone `domain` (canonical). Records of the
 * managed types with a valid name are `manageable`; anything else (SOA, PTR, a
 * name outside the zone) keeps the API's spelling and `manageable: false`, so the
 * planner leaves it alone.
 */
export function toLiveRecord(record: ApiRecord, domain: string): LiveRecord {
  const rawType = record.record_type.trim();
  const type = rawType.toUpperCase();
  const name = canonicalName(record.name, domain);
  if (!isRecordType(type) || !name.ok) {
    const looseName = name.ok ? name.value : record.name;
    return {
      uuid: record.uuid,
      name: looseName,
      type: rawType,
      value: record.value,
      ttl: record.ttl,
      priority: record.priority ?? null,
      manageable: false,
      createdAt: record.created_at,
    };
  }
  const priority = typeDef(type)?.hasPriority ? (record.priority ?? null) : null;
  // A managed type with a value dnssync cannot parse (e.g. a CNAME to `localhost`) is
  // still dnssync's to manage: it keeps its spelling, matches no desired record, and so
  // is planned for deletion (or kept with purge: false) instead of lingering unseen.
  const value = canonicalValue(type, record.value);
  const canonical = value.ok ? value.value : record.value;
  return {
    uuid: record.uuid,
    name: name.value,
    type,
    value: canonical,
    ttl: record.ttl,
    priority,
    manageable: true,
    createdAt: record.created_at,
  };
}

export function toLiveZone(detail: ApiZoneDetail): LiveZone {
  const domain = zoneDomain(detail.domain);
  return {
    uuid: detail.uuid,
    domain,
    records: detail.records.map((record) => toLiveRecord(record, domain)),
  };
}

/**
 * The body the API expects for a canonical record: name `@` or relative, the canonical
 * value, the TTL, and a priority only for the types that carry one (MX, SRV).
 */
export function toApiRecordInput(record: DnsRecord, domain?: string): ApiRecordInput {
  const input: ApiRecordInput = {
    record_type: record.type,
    name: domain === undefined ? record.name : apiName(record.name, domain),
    value: record.value,
    ttl: record.ttl,
  };
  if (typeDef(record.type)?.hasPriority) input.priority = record.priority;
  return input;
}

/**
 * The name as sent to the API. Relative names are what the provider shows; but a
 * relative name that itself ends in the zone's domain (`example.com` inside
 * example.com, i.e. example.com.example.com) would be read back as a different name, so
 * it goes fully qualified with a trailing dot.
 */
function apiName(name: string, domain: string): string {
  if (name !== domain && !name.endsWith(`.${domain}`)) return name;
  return `${name}.${domain}.`;
}

/**
 * The identity of a record as sent or received, canonical for `domain`:
 * two spellings of one record have the same key.
 */
function identityOf(
  record: Pick<ApiRecord, 'record_type' | 'name' | 'value'> & { priority?: number | null },
  domain: string,
): string {
  const live = toLiveRecord(
    { uuid: '', created_at: '', ttl: 0, ...record, priority: record.priority ?? null },
    domain,
  );
  return recordKey(live.name, live.type, live.value, live.priority);
}

/**
 * The live record of `zone` with the identity of `input`, or null. Used after a create
 * whose outcome is unknown: if it is there, the create took effect. Among several, the
 * one that also has the requested TTL and priority is preferred.
 */
export function findSameRecord(zone: ApiZoneDetail, input: ApiRecordInput): ApiRecord | null {
  const domain = zoneDomain(zone.domain);
  const key = identityOf(input, domain);
  const same = zone.records.filter((record) => identityOf(record, domain) === key);
  const exact = same.find(
    (record) =>
      (input.ttl === undefined || record.ttl === input.ttl) &&
      (input.priority === undefined || (record.priority ?? null) === (input.priority ?? null)),
  );
  return exact ?? same[0] ?? null;
}
