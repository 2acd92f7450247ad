/**
 * The online checks (`validate --online`): what the zone files point at outside
 * themselves, asked of DNS. Each finding is about one record, like the offline checks,
 * and takes its level the same way.
 */
import type { DesiredRecord, DesiredZone, Issue } from '../../model.js';
import { groupBy } from '../../model.js';
import { type ChecksConfig, findingIssue, levelOf } from '../engine.js';
import { isSpf, LOOKUP_TERMS, parseSpf } from '../spf-record.js';
import type { Finding } from '../types.js';
import { type ZoneView, zoneView } from '../zone-view.js';
import { ONLINE_CHECKS } from './info.js';
import type { Answer, Lookup } from './lookup.js';
import { LOOKUP_LIMIT, spfCost, VOID_LIMIT } from './spf-eval.js';
import { takeoverService } from './takeover-suffixes.js';

type OnlineFinding = Finding & { id: string };

export async function runOnlineChecks(
  zones: readonly DesiredZone[],
  config: ChecksConfig,
  lookup: Lookup,
): Promise<Issue[]> {
  const perZone = await Promise.all(
    zones.map(async (zone) => {
      const view = zoneView(zone);
      const findings = (
        await Promise.all([
          ...cnameChecks(view, lookup),
          ...mxChecks(view, lookup),
          ...spfChecks(view, lookup),
        ])
      ).flat();
      const issues: Issue[] = [];
      for (const finding of findings) {
        const check = ONLINE_CHECKS.find((candidate) => candidate.id === finding.id);
        if (!check) throw new Error(`online check ${finding.id} is not in the catalog`);
        const level = levelOf(check.id, check.severity, zone, finding, config);
        if (level !== 'off') issues.push(findingIssue(check.id, level, zone, finding));
      }
      return issues;
    }),
  );
  return perZone.flat();
}

function failed(
  record: DesiredRecord,
  what: string,
  answer: Answer & { status: 'error' },
): OnlineFinding {
  return {
    id: 'lookup-failed',
    record,
    message: `could not look up ${what}: ${answer.message}; that check was not made`,
  };
}

/** CNAMEs to names outside the zone: does the target exist? */
function cnameChecks(view: ZoneView, lookup: Lookup): Array<Promise<OnlineFinding[]>> {
  return view.zone.records
    .filter((record) => record.type === 'CNAME' && view.relative(record.value) === null)
    .map(async (record) => {
      const answer = await lookup.query(record.value, 'A');
      if (answer.status === 'error') return [failed(record, `${record.value} A`, answer)];
      if (answer.status !== 'nxdomain') return [];
      const service = takeoverService(record.value);
      if (service) {
        return [
          {
            id: 'cname-takeover',
            record,
            message: `CNAME ${record.name} → ${record.value}, which does not exist (NXDOMAIN) at ${service.service}: anyone who creates that name there takes over ${view.absolute(record.name)}; remove the record or re-create the resource now`,
          },
        ];
      }
      return [
        {
          id: 'cname-nxdomain',
          record,
          message: `CNAME ${record.name} → ${record.value}, which does not exist (NXDOMAIN): remove the record or fix the target`,
        },
      ];
    });
}

/** MX targets outside the zone: do they have an address? */
function mxChecks(view: ZoneView, lookup: Lookup): Array<Promise<OnlineFinding[]>> {
  return view.zone.records
    .filter(
      (record) =>
        record.type === 'MX' && record.value !== '.' && view.relative(record.value) === null,
    )
    .map(async (record) => {
      const [v4, v6] = await Promise.all([
        lookup.query(record.value, 'A'),
        lookup.query(record.value, 'AAAA'),
      ]);
      if (v4.status === 'ok' || v6.status === 'ok') return [];
      if (v4.status === 'error') return [failed(record, `${record.value} A`, v4)];
      if (v6.status === 'error') return [failed(record, `${record.value} AAAA`, v6)];
      const why =
        v4.status === 'nxdomain' ? 'does not exist (NXDOMAIN)' : 'has no A or AAAA record';
      return [
        {
          id: 'mx-no-address',
          record,
          message: `MX ${record.name} → ${record.value}, which ${why}: mail cannot be delivered there; fix the target`,
        },
      ];
    });
}

/** Each SPF record that is well-formed and alone at its name, followed through DNS. */
function spfChecks(view: ZoneView, lookup: Lookup): Array<Promise<OnlineFinding[]>> {
  const spfRecords = view.zone.records.filter(
    (record) => record.type === 'TXT' && isSpf(record.value),
  );
  return [...groupBy(spfRecords, (record) => record.name).values()]
    .filter((group) => group.length === 1)
    .map((group) => group[0] as DesiredRecord)
    .filter((record) => parseSpf(record.value).errors.length === 0)
    .map(async (record) => {
      const own = parseSpf(record.value).terms.filter((term) => LOOKUP_TERMS.has(term.name)).length;
      const cost = await spfCost(view.absolute(record.name), record.value, lookup);
      const findings: OnlineFinding[] = [];
      // Over the limit on its own terms already: spf-lookups says so offline.
      if (cost.lookups > LOOKUP_LIMIT && own <= LOOKUP_LIMIT) {
        findings.push({
          id: 'spf-lookups-total',
          record,
          message: `SPF: evaluating this record takes ${cost.lookups > 30 ? 'more than 30' : cost.lookups} DNS lookups through its includes (at most ${LOOKUP_LIMIT}); receivers fail SPF (permerror): flatten or drop includes`,
        });
      }
      if (cost.voids.length > VOID_LIMIT) {
        findings.push({
          id: 'spf-void-lookups',
          record,
          message: `SPF: ${cost.voids.length} lookups find nothing (at most ${VOID_LIMIT}): ${cost.voids.join(', ')}; receivers fail SPF (permerror): remove those terms`,
        });
      }
      for (const { target, message } of cost.unresolved) {
        // A target in this zone is the offline spf-include-no-spf check's to report.
        if (view.relative(target) !== null) continue;
        findings.push({
          id: 'spf-include-unresolved',
          record,
          message: `SPF: ${message}; receivers fail SPF (permerror): fix or remove that term`,
        });
      }
      if (cost.failed.length > 0) {
        findings.push({
          id: 'lookup-failed',
          record,
          message: `SPF: could not look up ${cost.failed.join(', ')}; the SPF lookup counts may be too low`,
        });
      }
      return findings;
    });
}
