/** Wire types of VPS.org's DNS API (shared/seed/vps-dns-api.txt), shared by client and sandbox. */

export interface ApiZoneSummary {
  uuid: string;
  domain: string;
  created_at: string;
  record_count: number;
}

export interface ApiRecord {
  uuid: string;
  record_type: string;
  name: string;
  value: string;
  ttl: number;
  priority: number | null;
  created_at: string;
}

export interface ApiZoneDetail extends ApiZoneSummary {
  records: ApiRecord[];
}

/** Body of POST /dns-zones/{uuid}/records/ and PUT /dns-records/{uuid}/. */
export interface ApiRecordInput {
  record_type: string;
  name: string;
  value: string;
  ttl?: number;
  priority?: number | null;
}

/** Error body of every 4xx the API answers. */
export interface ApiErrorBody {
  detail: string;
  error_code: string;
  field: string | null;
}

/** A paginated list, which the API may return instead of a bare array. */
export interface ApiPage<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export const PERMISSIONS = [
  'dns:list',
  'dns:read',
  'dns:create',
  'dns:update',
  'dns:delete',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * The small contract the rest of dnssync uses to talk to VPS.org. The real
 * client (api/client.ts) implements it over HTTP; tests drive the sandbox through it.
 */
export interface DnsApi {
  listZones(filter?: { domain?: string }): Promise<ApiZoneSummary[]>;
  getZone(zoneUuid: string): Promise<ApiZoneDetail>;
  createZone(domain: string): Promise<ApiZoneDetail>;
  deleteZone(zoneUuid: string): Promise<void>;
  listRecords(zoneUuid: string): Promise<ApiRecord[]>;
  createRecord(zoneUuid: string, input: ApiRecordInput): Promise<ApiRecord>;
  getRecord(recordUuid: string): Promise<ApiRecord>;
  replaceRecord(recordUuid: string, input: ApiRecordInput): Promise<ApiRecord>;
  updateRecord(recordUuid: string, patch: Partial<ApiRecordInput>): Promise<ApiRecord>;
  deleteRecord(recordUuid: string): Promise<void>;
  queryRecords(filter: { zone?: string; record_type?: string }): Promise<ApiRecord[]>;
}
