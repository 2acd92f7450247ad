/**
 * Offline checks of what CNAME, MX, NS and SRV records point at, inside the zone:
 * addresses written as names, targets that are aliases or do not exist, CNAME chains.
 */
import type { DesiredRecord } from '../model.js';
import { canonicalValue } from '../records/index.js';
import type { Finding, OfflineCheck } from './types.js';
import { targetOf } from './util.js';
import type { ZoneView } from './zone-view.js';

/** Longest chain of CNAMEs inside the zone before we call it too long. */
const MAX_CHAIN = 8;

type InZoneTarget = {
  record: DesiredRecord;
  target: string;
  name: string;
  answer: readonly DesiredRecord[] | null;
};

/** inZoneTargets of each view: two checks ask for them. */
const targetsOf = new WeakMap<ZoneView, InZoneTarget[]>();

/** Records whose target is inside the zone, outside any delegation, where the file is the whole truth. */
function inZoneTargets(view: ZoneView): InZoneTarget[] {
  let found = targetsOf.get(view);
  if (found) return found;
  found = [];
  targetsOf.set(view, found);
  for (const record of view.zone.records) {
    const target = targetOf(record);
    if (target === null || isIPv4(target)) continue;
    const name = view.relative(target);
    if (name === null || view.delegationOf(name) !== null || !view.knowsAll(name)) continue;
    found.push({ record, target, name, answer: view.answer(name) });
  }
  return found;
}

/** The CNAME a query for `target` meets first in this zone, if any. */
function cnameAt(view: ZoneView, target: string): DesiredRecord | undefined {
  const name = view.relative(target);
  if (name === null || view.delegationOf(name) !== null) return undefined;
  return view.answer(name)?.find((record) => record.type === 'CNAME');
}

export const TARGET_CHECKS: OfflineCheck[] = [
  {
    id: 'target-ip-address',
    severity: 'warning',
    description:
      "A CNAME, MX, NS or SRV value that is an IPv4 address: it is read as a hostname (`192.0.2.1.`) that does not exist. A warning, not an error: a few mail servers can be set to read an MX address as an address (Exim's `allow_mx_to_ip`).",
    run(context) {
      return context.view.zone.records
        .filter((record) => {
          const target = targetOf(record);
          return target !== null && isIPv4(target);
        })
        .map((record) => ({
          record,
          message: `${record.type} ${record.name} → ${targetOf(record)}: an address is not a valid ${record.type} target (it is read as a hostname): point it at a name with an A record`,
        }));
    },
  },
  {
    id: 'target-is-cname',
    severity: 'warning',
    description:
      'An MX, NS or SRV target in the zone that is a CNAME: not allowed (RFC 2181 §10.3, RFC 2782); some mail servers and resolvers refuse it.',
    run(context) {
      return inZoneTargets(context.view)
        .filter(
          ({ record, answer }) =>
            record.type !== 'CNAME' && answer?.some((r) => r.type === 'CNAME'),
        )
        .map(({ record, target }) => ({
          record,
          message: `${record.type} ${record.name} → ${target}, which is a CNAME (RFC 2181 §10.3): point it at the canonical name instead`,
        }));
    },
  },
  {
    id: 'target-dangling',
    severity: 'warning',
    description:
      'A CNAME target in the zone with no records, or an MX, NS or SRV target in the zone with no A/AAAA: it points at nothing. Skipped where ignore rules or `purge: false` leave the name to others, and for CNAMEs to `_underscore` names (they usually hold types dnssync does not manage, such as TLSA).',
    run(context) {
      const findings: Finding[] = [];
      for (const { record, target, answer } of inZoneTargets(context.view)) {
        if (record.type === 'CNAME') {
          // An underscore name (`_ca-tlsa`, `_25._tcp`) usually holds types dnssync does not
          // manage (TLSA, SMIMEA), which the file never shows: it cannot tell it is empty.
          if (target.startsWith('_')) continue;
          if (answer === null || answer.length === 0) {
            findings.push({
              record,
              message: `CNAME ${record.name} → ${target}, which has no records in this zone: add them or fix the target`,
            });
          }
        } else if (
          !answer?.some((r) => r.type === 'A' || r.type === 'AAAA' || r.type === 'CNAME')
        ) {
          findings.push({
            record,
            message: `${record.type} ${record.name} → ${target}, which has no A or AAAA record in this zone: add one or fix the target`,
          });
        }
      }
      return findings;
    },
  },
  {
    id: 'cname-loop',
    // A warning, not an error: the zone loads and serves (BIND and VPS.org accept it),
    // only the names in the loop fail to resolve; real zones carry such test loops.
    severity: 'warning',
    description:
      'CNAMEs in the zone that point at each other in a loop: no name in the loop resolves (the rest of the zone is unaffected, so this is a warning).',
    run({ view }) {
      const findings: Finding[] = [];
      const reported = new Set<DesiredRecord>();
      for (const start of view.zone.records) {
        if (start.type !== 'CNAME' || reported.has(start)) continue;
        const path: DesiredRecord[] = [start];
        for (let next = cnameAt(view, start.value); next; next = cnameAt(view, next.value)) {
          const at = path.indexOf(next);
          if (at >= 0) {
            const loop = path.slice(at);
            if (!loop.some((record) => reported.has(record))) {
              for (const record of loop) reported.add(record);
              const first = loop[0] as DesiredRecord;
              findings.push({
                record: first,
                message: `CNAME loop: ${[...loop, first].map((record) => record.name).join(' → ')}: none of these names resolves; break the loop`,
              });
            }
            break;
          }
          if (path.length > MAX_CHAIN * 4) break;
          path.push(next);
        }
      }
      return findings;
    },
  },
  {
    id: 'cname-chain-long',
    severity: 'warning',
    description: `A chain of more than ${MAX_CHAIN} CNAMEs inside the zone: resolvers give up on long chains; point the first name nearer the end.`,
    run({ view }) {
      const pointedAt = new Set<DesiredRecord>();
      for (const record of view.zone.records) {
        if (record.type !== 'CNAME') continue;
        const next = cnameAt(view, record.value);
        if (next && next !== record) pointedAt.add(next);
      }
      const findings: Finding[] = [];
      for (const start of view.zone.records) {
        if (start.type !== 'CNAME' || pointedAt.has(start)) continue;
        const path: DesiredRecord[] = [start];
        for (
          let next = cnameAt(view, start.value);
          next && !path.includes(next);
          next = cnameAt(view, next.value)
        )
          path.push(next);
        if (path.length > MAX_CHAIN) {
          findings.push({
            record: start,
            message: `CNAME ${start.name} starts a chain of ${path.length} CNAMEs in this zone (at most ${MAX_CHAIN}): point it at ${path[path.length - 1]?.value} directly`,
          });
        }
      }
      return findings;
    },
  },
];

/** A hostname value that is really an IPv4 address (`192.0.2.1` read as a name). */
function isIPv4(target: string): boolean {
  return canonicalValue('A', target).ok;
}
