/** Offline TTL checks: values so low they load resolvers, or so high a fix takes days to show. */
import type { DesiredRecord } from '../model.js';
import type { CheckContext, CheckLimits, Finding, OfflineCheck } from './types.js';

/** A finding for each record set whose TTL is `out` of the limits. */
function ttlFindings(
  context: CheckContext,
  out: (ttl: number, limits: CheckLimits) => boolean,
  message: (record: DesiredRecord, limits: CheckLimits) => string,
): Finding[] {
  return context.view
    .recordSets()
    .filter((record) => out(record.ttl, context.limits))
    .map((record) => ({ record, message: message(record, context.limits) }));
}

function duration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${seconds} s`;
}

export const TTL_CHECKS: OfflineCheck[] = [
  {
    id: 'ttl-low',
    severity: 'warning',
    description:
      'A TTL below `ttl-min` (default 60 s): many resolvers raise it anyway, and every query goes to the nameservers.',
    run: (context) =>
      ttlFindings(
        context,
        (ttl, { ttlMin }) => ttl < ttlMin,
        (record, { ttlMin }) =>
          `${record.type} ${record.name} has TTL ${record.ttl} s (below ${duration(ttlMin)}): raise it, or silence this check for the record if it is meant`,
      ),
  },
  {
    id: 'ttl-high',
    severity: 'warning',
    description:
      'A TTL above `ttl-max` (default one week): resolvers may cap it, and a mistake stays cached for that long.',
    run: (context) =>
      ttlFindings(
        context,
        (ttl, { ttlMax }) => ttl > ttlMax,
        (record, { ttlMax }) =>
          `${record.type} ${record.name} has TTL ${duration(record.ttl)} (above ${duration(ttlMax)}): lower it`,
      ),
  },
  {
    id: 'ttl-apex-low',
    severity: 'warning',
    description:
      'Apex NS or MX records with a TTL below `apex-ttl-min` (default 300 s): every resolver asks again within minutes, and an outage of the nameservers is felt at once.',
    run(context) {
      const { apexTtlMin } = context.limits;
      const findings: Finding[] = [];
      for (const record of context.view.recordSets()) {
        if (record.name !== '@' || (record.type !== 'NS' && record.type !== 'MX')) continue;
        // ttl-low already speaks for TTLs under its own threshold.
        if (record.ttl >= apexTtlMin || record.ttl < context.limits.ttlMin) continue;
        findings.push({
          record,
          message: `apex ${record.type} has TTL ${record.ttl} s (below ${duration(apexTtlMin)}): raise it to an hour or more`,
        });
      }
      return findings;
    },
  },
];
