/**
 * Asking one nameserver for one name+type, and turning the answer into canonical
 * values so it compares with the zone file exactly. Node's dns.Resolver
 * does the asking; it reports TTLs for A and AAAA only, so only those TTLs are
 * compared. NS below the apex is a delegation, answered in the authority section,
 * which the Resolver cannot read: wire.ts asks that one question itself.
 */
import { promises as dns } from 'node:dns';
import type { RecordType } from '../model.js';
import { canonicalValue } from '../records/index.js';
import { queryUdp, TYPE_NS } from './wire.js';

export interface Nameserver {
  /** As the user wrote it (or the provider's hostname). */
  label: string;
  address: string;
  port: number;
}

export interface ObservedValue {
  value: string;
  priority: number | null;
}

export type Observation =
  | { status: 'answer'; values: ObservedValue[]; ttl: number | null }
  /** The name exists but has no records of the type (NODATA). */
  | { status: 'nodata' }
  /** The name does not exist (NXDOMAIN). */
  | { status: 'nxdomain' }
  /** No usable answer: timeout, refused (not authoritative), server failure. */
  | { status: 'error'; message: string };

export interface QueryOptions {
  timeoutMs: number;
  tries: number;
}

export class NameserverClient {
  private readonly resolver: dns.Resolver;

  constructor(
    readonly server: Nameserver,
    private readonly options: QueryOptions,
  ) {
    this.resolver = new dns.Resolver({ timeout: options.timeoutMs, tries: options.tries });
    const host = server.address.includes(':') ? `[${server.address}]` : server.address;
    this.resolver.setServers([`${host}:${server.port}`]);
  }

  /** Asks for `fqdn` (absolute, no trailing dot); `delegation` for NS below the apex. */
  async observe(fqdn: string, type: RecordType, delegation: boolean): Promise<Observation> {
    if (type === 'NS' && delegation) return this.observeDelegation(fqdn);
    try {
      const answer = await this.ask(fqdn, type);
      const values: ObservedValue[] = [];
      for (const raw of answer.values) {
        const canonical = canonicalValue(type, raw.value);
        // A value dnssync cannot parse is still shown, as the server spelled it.
        values.push({ value: canonical.ok ? canonical.value : raw.value, priority: raw.priority });
      }
      return { status: 'answer', values, ttl: answer.ttl };
    } catch (error) {
      return dnsFailure(error as NodeJS.ErrnoException, 'server');
    }
  }

  private async ask(
    fqdn: string,
    type: RecordType,
  ): Promise<{ values: ObservedValue[]; ttl: number | null }> {
    const r = this.resolver;
    const plain = (values: string[]) => ({
      values: values.map((value) => ({ value, priority: null })),
      ttl: null,
    });
    switch (type) {
      case 'A':
      case 'AAAA': {
        const answers =
          type === 'A'
            ? await r.resolve4(fqdn, { ttl: true })
            : await r.resolve6(fqdn, { ttl: true });
        const ttls = new Set(answers.map((answer) => answer.ttl));
        return {
          values: answers.map((answer) => ({ value: answer.address, priority: null })),
          ttl: ttls.size === 1 ? (answers[0]?.ttl ?? null) : Math.min(...ttls),
        };
      }
      case 'CNAME':
        return plain(await r.resolveCname(fqdn));
      case 'NS':
        return plain(await r.resolveNs(fqdn));
      case 'MX':
        return {
          values: (await r.resolveMx(fqdn)).map((mx) => ({
            value: mx.exchange === '' ? '.' : mx.exchange,
            priority: mx.priority,
          })),
          ttl: null,
        };
      case 'SRV':
        return {
          values: (await r.resolveSrv(fqdn)).map((srv) => ({
            value: `${srv.weight} ${srv.port} ${srv.name === '' ? '.' : srv.name}`,
            priority: srv.priority,
          })),
          ttl: null,
        };
      case 'TXT':
        return plain((await r.resolveTxt(fqdn)).map(joinChunks));
      case 'CAA':
        return plain((await r.resolveCaa(fqdn)).map((caa) => caaValue({ ...caa })));
    }
  }

  private async observeDelegation(fqdn: string): Promise<Observation> {
    let response: Awaited<ReturnType<typeof queryUdp>>;
    try {
      response = await queryUdp(this.server, fqdn, TYPE_NS, this.options.timeoutMs);
    } catch (error) {
      return { status: 'error', message: (error as Error).message };
    }
    if (response.rcode === 3) return { status: 'nxdomain' };
    if (response.rcode === 5)
      return {
        status: 'error',
        message: 'the server refused the query (is it authoritative for this zone?)',
      };
    if (response.rcode !== 0)
      return { status: 'error', message: `the server answered rcode ${response.rcode}` };
    if (response.truncated)
      return { status: 'error', message: 'the answer was truncated (TCP is not supported here)' };
    // The child's own NS when this server also serves the child zone, else the referral.
    const own = (records: typeof response.answer) =>
      records.filter((record) => record.type === TYPE_NS && record.name === fqdn.toLowerCase());
    const found = own(response.answer).length > 0 ? own(response.answer) : own(response.authority);
    if (found.length === 0) return { status: 'nodata' };
    return {
      status: 'answer',
      values: found.map((record) => {
        const canonical = canonicalValue('NS', record.target ?? '');
        return { value: canonical.ok ? canonical.value : (record.target ?? ''), priority: null };
      }),
      ttl: Math.min(...found.map((record) => record.ttl)),
    };
  }
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

/** resolveCaa gives `{ critical: flags, <tag>: value }`; back to `flags tag "value"`. */
export function caaValue(record: Record<string, unknown>): string {
  const flags = typeof record['critical'] === 'number' ? record['critical'] : 0;
  const tag = Object.keys(record).find((key) => key !== 'critical' && key !== 'type') ?? '';
  const raw = String(record[tag] ?? '');
  const value = joinChunks([raw]).replace(/["\\]/g, (char) => `\\${char}`);
  return `${flags} ${tag} "${value}"`;
}

/**
 * A failed question to Node's DNS resolver as an outcome: no records of the type, no such
 * name, or why there is no answer. `asked` is whom: an authoritative `server` (verify) or
 * a `resolver` (the online checks), for the hints a refusal or a SERVFAIL deserves.
 */
export function dnsFailure(
  error: NodeJS.ErrnoException,
  asked: 'server' | 'resolver',
): { status: 'nodata' } | { status: 'nxdomain' } | { status: 'error'; message: string } {
  const server = asked === 'server';
  const why = (message: string) => ({ status: 'error', message }) as const;
  switch (error.code) {
    case 'ENODATA':
      return { status: 'nodata' };
    case 'ENOTFOUND':
      return { status: 'nxdomain' };
    case 'EREFUSED':
      return why(
        `the ${asked} refused the query${server ? ' (is it authoritative for this zone?)' : ''}`,
      );
    case 'ETIMEOUT':
      return why('no answer (timed out)');
    case 'ECONNREFUSED':
      return why('connection refused');
    case 'ESERVFAIL':
      return why(`the ${asked} failed (SERVFAIL${server ? '; is the zone loaded?' : ''})`);
    default:
      return why(
        server ? `${error.code ?? 'error'}: ${error.message}` : (error.code ?? error.message),
      );
  }
}
