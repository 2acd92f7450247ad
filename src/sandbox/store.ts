/**
 * The sandbox's zones, records and tokens in memory, with the indexes the routes need.
 * Names and values are stored exactly as the client sent them; only the zone's domain
 * is lowercased, as the provider does.
 */
import { randomUUID } from 'node:crypto';
import type { ApiRecord, ApiZoneDetail, ApiZoneSummary } from '../api/types.js';
import type { SandboxState, SandboxToken, StoredRecord, StoredZone } from './state.js';

/** The writable fields of a record, after validation. */
export interface RecordFields {
  record_type: string;
  name: string;
  value: string;
  ttl: number;
  priority: number | null;
}

export interface RecordEntry {
  zone: StoredZone;
  record: StoredRecord;
}

/** The last timestamp made: a burst of writes within one second formats it once. */
let lastStamp = { second: Number.NaN, text: '' };

/** ISO 8601 in UTC to the second, as the seed's examples are written. */
function timestamp(date = new Date()): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastStamp.second) {
    lastStamp = { second, text: date.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }
  return lastStamp.text;
}

export class SandboxStore {
  private readonly tokens = new Map<string, SandboxToken>();
  private readonly zones = new Map<string, StoredZone>();
  private readonly records = new Map<string, RecordEntry>();

  constructor(state: SandboxState) {
    for (const token of state.tokens) this.tokens.set(token.token, token);
    for (const zone of state.zones) {
      this.zones.set(zone.uuid, zone);
      for (const record of zone.records) this.records.set(record.uuid, { zone, record });
    }
  }

  token(token: string): SandboxToken | undefined {
    return this.tokens.get(token);
  }

  allTokens(): SandboxToken[] {
    return [...this.tokens.values()];
  }

  zonesOf(owner: string): StoredZone[] {
    return [...this.zones.values()].filter((zone) => zone.owner === owner);
  }

  allZones(): StoredZone[] {
    return [...this.zones.values()];
  }

  /** A zone by uuid, only when `owner` owns it. */
  zone(uuid: string, owner: string): StoredZone | undefined {
    const zone = this.zones.get(uuid);
    return zone?.owner === owner ? zone : undefined;
  }

  /** Any owner's zone for `domain`: a domain is hosted once, whoever owns it. */
  zoneByDomain(domain: string): StoredZone | undefined {
    for (const zone of this.zones.values()) if (zone.domain === domain) return zone;
    return undefined;
  }

  createZone(domain: string, owner: string): StoredZone {
    const now = new Date();
    const zone: StoredZone = {
      uuid: randomUUID(),
      domain,
      owner,
      created_at: timestamp(now),
      serial: Math.floor(now.getTime() / 1000),
      records: [],
    };
    this.zones.set(zone.uuid, zone);
    return zone;
  }

  deleteZone(zone: StoredZone): void {
    for (const record of zone.records) this.records.delete(record.uuid);
    this.zones.delete(zone.uuid);
  }

  /** A record by uuid, only when `owner` owns its zone. */
  record(uuid: string, owner: string): RecordEntry | undefined {
    const entry = this.records.get(uuid);
    return entry?.zone.owner === owner ? entry : undefined;
  }

  /** Every record of `owner`'s zones, zone by zone. */
  recordsOf(owner: string): RecordEntry[] {
    return this.zonesOf(owner).flatMap((zone) => zone.records.map((record) => ({ zone, record })));
  }

  addRecord(zone: StoredZone, fields: RecordFields): StoredRecord {
    const record: StoredRecord = { uuid: randomUUID(), ...fields, created_at: timestamp() };
    zone.records.push(record);
    this.records.set(record.uuid, { zone, record });
    bumpSerial(zone);
    return record;
  }

  updateRecord(entry: RecordEntry, fields: RecordFields): StoredRecord {
    Object.assign(entry.record, fields);
    bumpSerial(entry.zone);
    return entry.record;
  }

  deleteRecord(entry: RecordEntry): void {
    const index = entry.zone.records.indexOf(entry.record);
    if (index >= 0) entry.zone.records.splice(index, 1);
    this.records.delete(entry.record.uuid);
    bumpSerial(entry.zone);
  }

  toJSON(): SandboxState {
    return { version: 1, tokens: this.allTokens(), zones: this.allZones() };
  }
}

/** Serials only grow; they follow the clock when it is ahead (RFC 1912 style). */
function bumpSerial(zone: StoredZone): void {
  zone.serial = Math.max(zone.serial + 1, Math.floor(Date.now() / 1000));
}

export function zoneSummary(zone: StoredZone): ApiZoneSummary {
  return {
    uuid: zone.uuid,
    domain: zone.domain,
    created_at: zone.created_at,
    record_count: zone.records.length,
  };
}

export function zoneDetail(zone: StoredZone): ApiZoneDetail {
  return { ...zoneSummary(zone), records: zone.records.map(recordBody) };
}

export function recordBody(record: StoredRecord): ApiRecord {
  return {
    uuid: record.uuid,
    record_type: record.record_type,
    name: record.name,
    value: record.value,
    ttl: record.ttl,
    priority: record.priority,
    created_at: record.created_at,
  };
}
