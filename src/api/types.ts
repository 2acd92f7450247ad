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

/** Options of every API call. */
export interface CallOptions {
  /**
   * Once aborted, a call that has not started is not sent: it rejects with the signal's
   * reason. A call already sent finishes, retries included.
   */
  signal?: AbortSignal;
  /**
   * Once aborted, a call that failed is not tried again (and a wait before trying again
   * ends): it fails with its last error. Apply aborts it when the run stops on a failure
   * every request would meet.
   */
  stopRetries?: AbortSignal;
  /**
   * Once aborted, the call ends at once with the signal's reason: not sent if it has not
   * started, and its request aborted (the connection closed) if it has, with no retry.
   * For reads whose answer is no longer wanted: a write cut off midway may have happened.
   */
  cancel?: AbortSignal;
}

/**
 * The small contract the rest of dnssync uses to talk to VPS.org: list zones, read a
 * zone, create a zone, and create, update or delete a record. The real client
 * (api/client.ts) implements it over HTTP; the sandbox's conformance tests check every
 * endpoint of the API over plain HTTP.
 */
export interface DnsApi {
  listZones(filter?: { domain?: string }, options?: CallOptions): Promise<ApiZoneSummary[]>;
  getZone(zoneUuid: string, options?: CallOptions): Promise<ApiZoneDetail>;
  createZone(domain: string, options?: CallOptions): Promise<ApiZoneDetail>;
  createRecord(zoneUuid: string, input: ApiRecordInput, options?: CallOptions): Promise<ApiRecord>;
  updateRecord(
    recordUuid: string,
    patch: Partial<ApiRecordInput>,
    options?: CallOptions,
  ): Promise<ApiRecord>;
  deleteRecord(recordUuid: string, options?: CallOptions): Promise<void>;
}
