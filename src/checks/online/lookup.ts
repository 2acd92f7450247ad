/**
 * Name lookups for the online checks. Names inside the zone files being checked are
 * answered from those files (they are what will be live once the change is applied);
 * every other name is asked of the system's resolvers, or of `--resolver HOST[:PORT]`,
 * through Node's dns.Resolver (UDP, TCP when an answer is truncated), a few at a time,
 * each question once.
 */
import { promises as dns } from 'node:dns';
import pLimit from 'p-limit';
import type { DesiredRecord, DesiredZone } from '../../model.js';
import { type ZoneView, zoneView } from '../zone-view.js';

export type Answer =
  | { status: 'ok'; values: string[] }
  /** The name does not exist. */
  | { status: 'nxdomain' }
  /** The name exists, without records of that type. */
  | { status: 'nodata' }
  /** No usable answer: timeout, SERVFAIL, refused. */
  | { status: 'error'; message: string };

type QueryType = 'TXT' | 'A' | 'AAAA' | 'MX';

export interface Lookup {
  query(name: string, type: QueryType): Promise<Answer>;
}

export interface DnsOptions {
  /** `host:port` strings for dns.Resolver#setServers; empty for the system's resolvers. */
  servers: string[];
  timeoutMs: number;
  tries: number;
  concurrency: number;
}

export const DEFAULT_DNS: DnsOptions = { servers: [], timeoutMs: 3000, tries: 2, concurrency: 8 };

/** Lookups over DNS, cached per name and type for one run. */
export function dnsLookup(options: DnsOptions): Lookup {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs, tries: options.tries });
  if (options.servers.length > 0) resolver.setServers(options.servers);
  const limit = pLimit(options.concurrency);
  const cache = new Map<string, Promise<Answer>>();
  const ask = async (name: string, type: QueryType): Promise<Answer> => {
    try {
      switch (type) {
        case 'TXT':
          return ok((await resolver.resolveTxt(name)).map(joinChunks));
        case 'A':
          return ok(await resolver.resolve4(name));
        case 'AAAA':
          return ok(await resolver.resolve6(name));
        case 'MX':
          return ok((await resolver.resolveMx(name)).map((mx) => mx.exchange || '.'));
      }
    } catch (error) {
      return dnsFailure(error as NodeJS.ErrnoException);
    }
  };
  return {
    query(name, type) {
      const key = `${name.toLowerCase()} ${type}`;
      let answer = cache.get(key);
      if (!answer) {
        answer = limit(() => ask(name, type));
        cache.set(key, answer);
      }
      return answer;
    },
  };
}

/**
 * resolveTxt hands each character-string over as one JS character per octet (latin1);
 * the octets of all chunks, joined, are the UTF-8 text the zone file holds.
 */
export function joinChunks(chunks: string[]): string {
  const joined = chunks.join('');
  // Should a Node version ever decode the text itself, there is nothing to undo.
  if ([...joined].some((char) => (char.codePointAt(0) ?? 0) > 0xff)) return joined;
  return Buffer.from(joined, 'latin1').toString('utf8');
}

/** A failed question to Node's resolver as an answer: no records, no such name, or why none came. */
function dnsFailure(error: NodeJS.ErrnoException): Answer {
  const why = (message: string) => ({ status: 'error', message }) as const;
  switch (error.code) {
    case 'ENODATA':
      return { status: 'nodata' };
    case 'ENOTFOUND':
      return { status: 'nxdomain' };
    case 'EREFUSED':
      return why('the resolver refused the query');
    case 'ETIMEOUT':
      return why('no answer (timed out)');
    case 'ECONNREFUSED':
      return why('connection refused');
    case 'ESERVFAIL':
      return why('the resolver failed (SERVFAIL)');
    default:
      return why(error.code ?? error.message);
  }
}

function ok(values: string[]): Answer {
  return values.length === 0 ? { status: 'nodata' } : { status: 'ok', values };
}

/**
 * Answers names inside `zones` from their files, and asks `fallback` for the rest. A
 * name the files cannot vouch for (below a delegation, under an ignore rule, in a file
 * with `purge: false`) goes to `fallback` too.
 */
export function localFirst(zones: readonly DesiredZone[], fallback: Lookup): Lookup {
  const views = zones.map(zoneView).sort((a, b) => b.zone.domain.length - a.zone.domain.length);
  const viewOf = (fqdn: string): { view: ZoneView; name: string } | null => {
    for (const view of views) {
      const name = view.relative(fqdn);
      if (name !== null) return { view, name };
    }
    return null;
  };
  return {
    query(fqdn, type) {
      const found = viewOf(fqdn);
      if (
        found &&
        found.view.delegationOf(found.name) === null &&
        found.view.knowsAll(found.name, type)
      ) {
        return Promise.resolve(localAnswer(found.view, found.name, type));
      }
      return fallback.query(fqdn, type);
    },
  };
}

function localAnswer(view: ZoneView, name: string, type: QueryType): Answer {
  const records = view.answer(name);
  if (records === null) return { status: 'nxdomain' };
  const values = records
    .filter((record: DesiredRecord) => record.type === type)
    .map((record) => record.value);
  // A CNAME here would be followed by a resolver; the checks ask about ends of chains
  // outside the zone, so an in-zone alias is reported as "exists" with no data.
  return values.length > 0 ? { status: 'ok', values } : { status: 'nodata' };
}
