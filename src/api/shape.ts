/**
 * Checks that an API answer has the documented shape before the client hands it on:
 * a wrong shape becomes a ResponseShapeError naming the request, not a crash later.
 */
import { isObject } from '../model.js';
import type { ApiPage, ApiRecord, ApiZoneDetail, ApiZoneSummary } from './types.js';

export function isPage(value: unknown): value is ApiPage<unknown> {
  return (
    isObject(value) &&
    Array.isArray(value.results) &&
    (value.next === null || value.next === undefined || typeof value.next === 'string')
  );
}

export function isZoneSummary(value: unknown): value is ApiZoneSummary {
  return isObject(value) && typeof value.uuid === 'string' && typeof value.domain === 'string';
}

export function isZoneDetailOrSummary(
  value: unknown,
): value is ApiZoneSummary & { records?: ApiRecord[] } {
  return (
    isZoneSummary(value) &&
    ((value as { records?: unknown }).records === undefined || isZoneDetail(value))
  );
}

export function isZoneDetail(value: unknown): value is ApiZoneDetail {
  if (!isZoneSummary(value)) return false;
  const records = (value as { records?: unknown }).records;
  return Array.isArray(records) && records.every(isRecord);
}

export function isRecord(value: unknown): value is ApiRecord {
  return (
    isObject(value) &&
    typeof value.uuid === 'string' &&
    typeof value.record_type === 'string' &&
    typeof value.name === 'string' &&
    typeof value.value === 'string' &&
    typeof value.ttl === 'number' &&
    (value.priority === null || value.priority === undefined || typeof value.priority === 'number')
  );
}
