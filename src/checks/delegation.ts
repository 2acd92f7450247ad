/**
 * Offline checks of delegations inside a zone (NS records below the apex): records the
 * delegation hides, and nameservers inside the delegated zone without glue.
 */
import type { DesiredRecord } from '../model.js';
import type { Finding, OfflineCheck } from './types.js';
import { lineOf } from './util.js';
import { isAtOrBelow } from './zone-view.js';

export const DELEGATION_CHECKS: OfflineCheck[] = [
  {
    id: 'delegation-occluded',
    severity: 'warning',
    description:
      'A record at or below an in-zone delegation (NS below the apex) that is neither its NS records nor glue (an A/AAAA record of a name a delegation points its NS at, served in referrals): the parent zone refers resolvers to the child zone, so they never see it, and `verify` reports it as not served. A warning: such records are often kept on purpose while a delegation is being moved.',
    run({ view }) {
      const cutRecord = new Map<string, DesiredRecord>();
      for (const record of view.zone.records) {
        if (record.type === 'NS' && record.name !== '@' && !cutRecord.has(record.name)) {
          cutRecord.set(record.name, record);
        }
      }
      const findings: Finding[] = [];
      for (const record of view.zone.records) {
        const served = view.servedAs(record.name, record.type);
        if (served.kind !== 'occluded') continue;
        const cut = served.cut;
        const glueHint =
          record.type === 'A' || record.type === 'AAAA'
            ? `; it would be glue, served in referrals, if an NS record of ${cut} pointed at ${view.absolute(record.name)}`
            : '';
        findings.push({
          record,
          message: `${record.type} ${record.name} is ${record.name === cut ? 'at' : 'below'} the delegation of ${cut} (NS at ${lineOf(cutRecord.get(cut) as DesiredRecord)}): resolvers never see it, as a server answers every name there with a referral to the ${view.absolute(cut)} zone, carrying only the NS records of ${cut} and glue (A/AAAA records of the names those NS records point at); move it to the ${view.absolute(cut)} zone or remove it${glueHint}`,
        });
      }
      return findings;
    },
  },
  {
    id: 'delegation-no-glue',
    severity: 'error',
    description:
      'A delegation whose nameserver lies inside the delegated zone but has no A/AAAA (glue) here: resolvers cannot reach the child zone.',
    run({ view }) {
      const findings: Finding[] = [];
      for (const record of view.zone.records) {
        if (record.type !== 'NS' || record.name === '@') continue;
        const target = view.relative(record.value);
        if (target === null || !isAtOrBelow(target, record.name)) continue;
        if (!view.knowsAll(target, 'A') || !view.knowsAll(target, 'AAAA')) continue;
        const glue = view.byName.get(target)?.some((r) => r.type === 'A' || r.type === 'AAAA');
        if (!glue) {
          findings.push({
            record,
            message: `NS ${record.name} → ${record.value}, inside the delegated zone, has no glue: add an A (or AAAA) record for ${target}`,
          });
        }
      }
      return findings;
    },
  },
];
