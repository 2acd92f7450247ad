/** Small builders shared by the planner and renderer tests: canonical records by hand. */
import type {
  DesiredRecord,
  DesiredZone,
  IgnoreRule,
  LiveRecord,
  LiveZone,
  RecordType,
} from '../src/model.js';
import { recordKey } from '../src/model.js';
import type { Change } from '../src/plan/types.js';

export function want(
  name: string,
  type: RecordType,
  value: string,
  ttl = 3600,
  priority: number | null = null,
): DesiredRecord {
  return { name, type, value, ttl, priority, key: recordKey(name, type, value) };
}

export function desiredZone(
  domain: string,
  records: DesiredRecord[],
  extra: { purge?: boolean; ignore?: IgnoreRule[] } = {},
): DesiredZone {
  return {
    domain,
    file: `zones/${domain}.yaml`,
    ttl: 3600,
    purge: extra.purge ?? true,
    ignore: extra.ignore ?? [],
    records,
  };
}

export function have(
  uuid: string,
  name: string,
  type: string,
  value: string,
  ttl = 3600,
  priority: number | null = null,
): LiveRecord {
  const managed = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA'].includes(type);
  return { uuid, name, type, value, ttl, priority, key: recordKey(name, type, value), managed };
}

export function liveZone(domain: string, records: LiveRecord[], uuid = `zone-${domain}`): LiveZone {
  return { uuid, domain, records };
}

/**
 * One line per change, easy to compare in a table:
 * `+ www A 192.0.2.1 300`, `- old TXT x 3600`, `~ @ MX mx 3600 p20 (was mx 3600 p10)`.
 */
export function brief(change: Change): string {
  const sign = { create: '+', update: '~', delete: '-' }[change.action];
  const state = (s: { value: string; ttl: number; priority: number | null }) =>
    `${s.value} ${s.ttl}${s.priority === null ? '' : ` p${s.priority}`}`;
  const was = change.before ? ` (was ${state(change.before)})` : '';
  return `${sign} ${change.name} ${change.type} ${state(change)}${was}`;
}
