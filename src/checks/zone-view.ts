/**
 * One zone as a resolver would see it, from the zone file alone: which names exist,
 * what a query for a name would find (wildcards included, RFC 4592), where the zone
 * delegates, and where the file cannot tell (ignored records, `purge: false`).
 */
import type { DesiredRecord, DesiredZone, RecordType } from '../model.js';
import { absoluteName, groupBy } from '../model.js';
import { matchesIgnore } from '../plan/filter.js';

export interface ZoneView {
  zone: DesiredZone;
  /** Records by relative name. */
  byName: ReadonlyMap<string, readonly DesiredRecord[]>;
  /** Relative names that have NS records (the apex excluded). */
  delegations: ReadonlySet<string>;
  /** The relative name of an absolute one, or null when it is outside the zone. */
  relative(fqdn: string): string | null;
  /** The absolute name of a relative one. */
  absolute(name: string): string;
  /** The delegation point at or above `name` (never the apex), or null. */
  delegationOf(name: string): string | null;
  /**
   * What a query for `name` finds here: its own records; else, when the name does not
   * exist, a wildcard's records; [] for a name that exists without records (an empty
   * non-terminal); null for a name that does not exist.
   */
  answer(name: string): readonly DesiredRecord[] | null;
  /**
   * Whether the file is the whole truth about `name` (of `type`, or of any type): not
   * when an ignore rule leaves such records to someone else, or the file has `purge: false`.
   */
  knowsAll(name: string, type?: RecordType): boolean;
  /** How an authoritative server serves the records of `name` and `type` (see Served). */
  servedAs(name: string, type: RecordType): Served;
  /** The first record of each record set (one name, one type: they share a TTL). */
  recordSets(): readonly DesiredRecord[];
}

/**
 * How a server authoritative for the zone serves records, following the zone cuts
 * (RFC 1034 4.2.1, 4.3.2). At or below a delegation (NS below the apex) the server
 * answers with a referral: no answer, the delegation's NS records in the authority
 * section (AA clear), and glue in the additional section. Glue is an A or AAAA record
 * at or below a delegation whose name one of the zone's delegations points its NS at:
 * it is served, but only in referrals. Everything else at or below a delegation is
 * occluded: never served, as the child zone holds that part of the tree.
 * `validate` (delegation-occluded) and `verify` both read the zone this way.
 */
export type Served =
  | { kind: 'answer' }
  /** The NS records of a delegation (`cut`, relative): read from a referral. */
  | { kind: 'delegation'; cut: string }
  /** Glue below `cut`; `for` lists the delegations (relative) whose NS point at it. */
  | { kind: 'glue'; cut: string; for: string[] }
  | { kind: 'occluded'; cut: string };

/** `a.b` → `b`, `b` → `@`, `@` → null. */
function parentName(name: string): string | null {
  if (name === '@') return null;
  const dot = name.indexOf('.');
  return dot < 0 ? '@' : name.slice(dot + 1);
}

/** Whether `name` is `ancestor` or below it (relative names). */
export function isAtOrBelow(name: string, ancestor: string): boolean {
  return ancestor === '@' || name === ancestor || name.endsWith(`.${ancestor}`);
}

export function zoneView(zone: DesiredZone): ZoneView {
  const byName = groupBy(zone.records, (record) => record.name);
  const exists = new Set<string>(['@']);
  for (const name of byName.keys()) {
    for (let at: string | null = name; at !== null && !exists.has(at); at = parentName(at)) {
      exists.add(at);
    }
  }
  const delegations = new Set<string>();
  for (const record of zone.records) {
    if (record.type === 'NS' && record.name !== '@') delegations.add(record.name);
  }
  const domain = zone.domain;
  const delegationOf = (name: string): string | null => {
    // The highest cut wins: everything below it belongs to the child zone.
    let found: string | null = null;
    for (let at: string | null = name; at !== null && at !== '@'; at = parentName(at)) {
      if (delegations.has(at)) found = at;
    }
    return found;
  };
  // Absolute NS target → the delegations pointing at it (an occluded NS set is no delegation).
  const glueFor = new Map<string, string[]>();
  for (const record of zone.records) {
    if (record.type !== 'NS' || !delegations.has(record.name)) continue;
    if (delegationOf(record.name) !== record.name) continue;
    const cuts = glueFor.get(record.value) ?? [];
    if (!cuts.includes(record.name)) cuts.push(record.name);
    glueFor.set(record.value, cuts);
  }
  let recordSets: DesiredRecord[] | undefined;

  return {
    zone,
    byName,
    delegations,
    relative(fqdn) {
      const name = fqdn.toLowerCase().replace(/\.$/, '');
      if (name === domain) return '@';
      return name.endsWith(`.${domain}`) ? name.slice(0, -(domain.length + 1)) : null;
    },
    absolute: (name) => absoluteName(name, domain),
    delegationOf,
    servedAs(name, type) {
      const cut = delegationOf(name);
      if (cut === null) return { kind: 'answer' };
      if (type === 'NS' && name === cut) return { kind: 'delegation', cut };
      const cuts = type === 'A' || type === 'AAAA' ? glueFor.get(absoluteName(name, domain)) : [];
      return cuts?.length ? { kind: 'glue', cut, for: cuts } : { kind: 'occluded', cut };
    },
    answer(name) {
      const own = byName.get(name);
      if (own) return own;
      if (exists.has(name)) return [];
      let encloser = parentName(name);
      while (encloser !== null && !exists.has(encloser)) encloser = parentName(encloser);
      const wildcard = encloser === null || encloser === '@' ? '*' : `*.${encloser}`;
      return byName.get(wildcard) ?? null;
    },
    recordSets() {
      recordSets ??= [...groupBy(zone.records, (r) => `${r.name}\u0000${r.type}`).values()].map(
        (set) => set[0] as DesiredRecord,
      );
      return recordSets;
    },
    knowsAll(name, type) {
      if (!zone.purge) return false;
      return !zone.ignore.some((rule) => {
        // Any type: the rule's own types (every type when it names none) are all candidates.
        const types = type !== undefined ? [type] : (rule.types ?? ['A']);
        return types.some((candidate) => matchesIgnore(rule, name, candidate));
      });
    },
  };
}
