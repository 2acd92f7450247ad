/**
 * Asking one nameserver for one name+type, and turning the answer into canonical
 * values so it compares with the zone file exactly. The question goes over UDP, not
 * recursive (the authority itself is asked); dns-packet writes it and reads the answer,
 * and the type table reads each record's data (`fromAnswer`). NS below the apex is a
 * delegation: an authoritative server answers it with a referral, in the authority section.
 */
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type Question } from 'dns-packet';
import type { RecordType } from '../model.js';
import { RECORD_TYPE_DEFS } from '../records/index.js';

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
  /** Per try. */
  timeoutMs: number;
  tries: number;
}

export class NameserverClient {
  constructor(
    readonly server: Nameserver,
    private readonly options: QueryOptions,
  ) {}

  /** Asks for `fqdn` (absolute, no trailing dot); `delegation` for NS below the apex. */
  async observe(fqdn: string, type: RecordType, delegation: boolean): Promise<Observation> {
    let response: DecodedPacket;
    try {
      response = await queryUdp(this.server, fqdn, type, this.options);
    } catch (error) {
      return { status: 'error', message: (error as Error).message };
    }
    switch (response.rcode) {
      case 'NOERROR':
        break;
      case 'NXDOMAIN':
        return { status: 'nxdomain' };
      case 'REFUSED':
        return {
          status: 'error',
          message: 'the server refused the query (is it authoritative for this zone?)',
        };
      case 'SERVFAIL':
        return { status: 'error', message: 'the server failed (SERVFAIL; is the zone loaded?)' };
      default:
        return { status: 'error', message: `the server answered ${response.rcode}` };
    }
    if (response.flag_tc) {
      return { status: 'error', message: 'the answer was truncated (TCP is not supported here)' };
    }
    // The records of the name itself; for a delegation, the child's own NS when this
    // server also serves the child zone, else the referral's.
    const own = (records: Answer[] = []) =>
      records.filter(
        (record) => record.type === type && record.name.toLowerCase() === fqdn.toLowerCase(),
      );
    let found = own(response.answers);
    if (found.length === 0 && delegation) found = own(response.authorities);
    if (found.length === 0) return { status: 'nodata' };
    const def = RECORD_TYPE_DEFS[type];
    const values = found.map((record): ObservedValue => {
      const read = def.fromAnswer('data' in record ? record.data : undefined);
      if (!read.ok) return { value: `(unreadable: ${read.reason})`, priority: null };
      const canonical = def.parse(read.value.value);
      // A value dnssync cannot parse is still shown, as the server spelled it.
      return { ...read.value, value: canonical.ok ? canonical.value : read.value.value };
    });
    return {
      status: 'answer',
      values,
      ttl: Math.min(...found.map((record) => (record as { ttl?: number }).ttl ?? 0)),
    };
  }
}

/** Sends one question over UDP and waits for the answer with its id, `tries` times. */
async function queryUdp(
  server: { address: string; port: number },
  name: string,
  type: string,
  options: QueryOptions,
): Promise<DecodedPacket> {
  let lastError = new Error('no answer');
  for (let attempt = 0; attempt < options.tries; attempt++) {
    const id = Math.floor(Math.random() * 0x10000);
    const question = dnsPacket.encode({
      id,
      flags: 0,
      questions: [{ name, type: type as Question['type'], class: 'IN' }],
    });
    try {
      return await exchange(server, question, id, options.timeoutMs);
    } catch (error) {
      lastError = error as Error;
    }
  }
  throw lastError;
}

function exchange(
  server: { address: string; port: number },
  question: Buffer,
  id: number,
  timeoutMs: number,
): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(server.address) ? 'udp6' : 'udp4');
    let finished = false;
    const done = (error: Error | null, response?: DecodedPacket) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else if (response) resolve(response);
    };
    const timer = setTimeout(() => done(new Error('no answer (timed out)')), timeoutMs);
    // A connected socket hears of a closed port (ICMP) at once, rather than timing out.
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? new Error('connection refused') : error),
    );
    socket.on('message', (message) => {
      let response: DecodedPacket;
      try {
        response = dnsPacket.decode(message);
      } catch (error) {
        done(new Error(`a malformed answer (${(error as Error).message})`));
        return;
      }
      if (response.id === id && response.type === 'response') done(null, response);
    });
    socket.connect(server.port, server.address, () => socket.send(question));
  });
}
