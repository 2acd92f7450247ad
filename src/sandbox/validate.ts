/**
 * Request validation as the seed documents it: invalid domain, unsupported record
 * type, MX/SRV without priority, bad IPv4/IPv6, plus the structural checks any such
 * API makes (required fields, types, positive TTL). Results are values.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { fail, ok, type Result } from '../model.js';
import { type SandboxResponse, validationError } from './http.js';
import type { RecordFields } from './store.js';

/**
 * The record types VPS.org accepts and what it checks of their values, as its
 * documentation lists them ("Supported DNS Record Types": the type, and whether a
 * priority is required). Kept apart from dnssync's own table (src/records/) on purpose:
 * the product and this double of the API must not change together.
 */
export const VPS_RECORD_TYPES: Readonly<
  Record<string, { priority: boolean; valid?: (value: string) => boolean; what?: string }>
> = {
  A: { priority: false, valid: isIPv4, what: 'IPv4 address' },
  AAAA: { priority: false, valid: (v) => isIPv6(v) && !v.includes('%'), what: 'IPv6 address' },
  CNAME: { priority: false },
  MX: { priority: true },
  TXT: { priority: false },
  NS: { priority: false },
  SRV: { priority: true },
  CAA: { priority: false },
};

/** A value, or the 400 response that refuses it. */
export type Checked<T> = Result<T, SandboxResponse>;

const DEFAULT_TTL = 3600;
const MAX_TTL = 2147483647;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function refuse(detail: string, field: string | null): { ok: false; reason: SandboxResponse } {
  return fail(validationError(detail, field));
}

/** A zone domain: LDH labels, at least two, a non-numeric TLD; stored lowercase. */
export function checkDomain(raw: unknown): Checked<string> {
  if (raw === undefined || raw === null) return refuse('domain is required', 'domain');
  if (typeof raw !== 'string') return refuse('domain must be a string', 'domain');
  const domain = raw.toLowerCase();
  const labels = domain.split('.');
  const valid =
    domain.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => LABEL.test(label)) &&
    !/^\d+$/.test(labels[labels.length - 1] ?? '');
  return valid ? ok(domain) : refuse('Invalid domain name', 'domain');
}

/**
 * The fields of a record create (POST), replace (PUT, `base` absent) or partial update
 * (PATCH, `base` = the current record): given fields are checked one by one, then the
 * resulting record as a whole.
 */
export function checkRecord(
  body: Record<string, unknown>,
  base?: RecordFields,
): Checked<RecordFields> {
  const recordType = requiredString(body, 'record_type', base?.record_type);
  if (!recordType.ok) return recordType;
  const accepted = Object.hasOwn(VPS_RECORD_TYPES, recordType.value)
    ? VPS_RECORD_TYPES[recordType.value]
    : undefined;
  if (!accepted) {
    const supported = Object.keys(VPS_RECORD_TYPES).join(', ');
    return refuse(
      `Unsupported record type "${recordType.value}"; supported: ${supported}`,
      'record_type',
    );
  }
  const name = requiredString(body, 'name', base?.name);
  if (!name.ok) return name;
  const value = requiredString(body, 'value', base?.value);
  if (!value.ok) return value;

  let ttl = base?.ttl ?? DEFAULT_TTL;
  if ('ttl' in body && body.ttl !== null) {
    if (!Number.isInteger(body.ttl) || (body.ttl as number) < 1 || (body.ttl as number) > MAX_TTL) {
      return refuse('ttl must be a positive integer', 'ttl');
    }
    ttl = body.ttl as number;
  }

  let priority = base?.priority ?? null;
  if ('priority' in body) {
    const given = body.priority;
    if (
      given !== null &&
      (!Number.isInteger(given) || (given as number) < 0 || (given as number) > 65535)
    ) {
      return refuse('priority must be an integer between 0 and 65535', 'priority');
    }
    priority = given as number | null;
  }

  const type = recordType.value;
  if (accepted.valid && !accepted.valid(value.value)) {
    return refuse(`Invalid ${accepted.what}: ${value.value}`, 'value');
  }
  if (accepted.priority && priority === null) {
    return refuse(`${type} records require a priority value`, 'priority');
  }
  return ok({ record_type: type, name: name.value, value: value.value, ttl, priority });
}

/** A required non-empty string field, or its current value on a partial update. */
function requiredString(
  body: Record<string, unknown>,
  field: string,
  current: string | undefined,
): Checked<string> {
  const given = body[field];
  if (given === undefined) {
    return current === undefined ? refuse(`${field} is required`, field) : ok(current);
  }
  if (typeof given !== 'string') return refuse(`${field} must be a string`, field);
  if (given.trim() === '') return refuse(`${field} must not be empty`, field);
  return ok(given);
}
