/** Small builders shared by the planner and renderer tests: canonical records by hand. */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
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
  return { name, type, value, ttl, priority, key: recordKey(name, type, value, priority) };
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
  const manageable = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA'].includes(type);
  return { uuid, name, type, value, ttl, priority, manageable };
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

/** The planner's inputs for one plan that shows every kind of line the renderers draw. */
export function richInputs() {
  const desired = [
    desiredZone(
      'example.com',
      [
        want('@', 'A', '192.0.2.1', 300),
        want('mail', 'A', '192.0.2.9', 300),
        want('@', 'MX', 'mail.example.com', 3600, 20),
        want('www', 'CNAME', 'example.com'),
        want('@', 'TXT', 'v=spf1 include:_spf.example.net ~all'),
        want('_sip._tcp', 'SRV', '5 5060 sip.example.com', 3600, 10),
        want('@', 'CAA', '0 issue "letsencrypt.org"'),
        want('dup', 'A', '192.0.2.5'),
      ],
      { ignore: [{ name: '_acme-challenge*', types: ['TXT'] }] },
    ),
    desiredZone('new.example', [
      want('@', 'A', '198.51.100.7'),
      want('www', 'CNAME', 'new.example'),
    ]),
    desiredZone(
      'big.example',
      Array.from({ length: 6 }, (_, i) => want(`host${i}`, 'A', `203.0.113.${i + 1}`)),
      { purge: true },
    ),
    desiredZone('quiet.example', [want('@', 'A', '192.0.2.50')]),
    desiredZone('keep.example', [want('@', 'A', '192.0.2.60')], { purge: false }),
  ];
  const live = [
    liveZone('example.com', [
      have('ex-01', '@', 'A', '192.0.2.1', 3600),
      have('ex-02', 'mail', 'A', '192.0.2.1', 300),
      have('ex-03', '@', 'MX', 'mail.example.com', 3600, 10),
      have('ex-04', 'www', 'A', '192.0.2.1'),
      have('ex-05', '@', 'CAA', '0 issue "letsencrypt.org"'),
      have('ex-06', 'old', 'TXT', 'bye | `tick` <b>bold</b> *star* @team'),
      have('ex-07', 'dup', 'A', '192.0.2.5'),
      have('ex-08', 'dup', 'A', '192.0.2.5'),
      have('ex-09', '_acme-challenge', 'TXT', 'token-123'),
      have('ex-10', '@', 'SOA', 'ns1.vps.org. hostmaster.vps.org. 1 3600 900 1209600 300'),
      have('ex-11', '@', 'NS', 'ns1.vps.org'),
      have('ex-12', '@', 'NS', 'ns2.vps.org'),
    ]),
    liveZone(
      'big.example',
      Array.from({ length: 10 }, (_, i) => have(`big-${i}`, `host${i}`, 'A', `203.0.113.${i + 1}`)),
    ),
    liveZone('quiet.example', [have('q-1', '@', 'A', '192.0.2.50')]),
    liveZone('keep.example', [
      have('k-1', '@', 'A', '192.0.2.61'),
      have('k-2', 'legacy', 'TXT', 'v=old'),
    ]),
    liveZone('legacy.example', [have('l-1', '@', 'A', '192.0.2.70')]),
  ];
  return { desired, live: new Map(live.map((zone) => [zone.domain, zone])) };
}

/** An ajv validator of schemas/plan.schema.json (strict mode, every error). */
export function planValidator() {
  const schema = JSON.parse(
    readFileSync(new URL('../schemas/plan.schema.json', import.meta.url), 'utf8'),
  ) as object;
  return new Ajv({ allErrors: true, strict: true }).compile(schema);
}
