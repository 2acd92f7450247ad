/**
 * Asking one nameserver for one name+type, and turning the answer into canonical
 * values so it compares with the zone file exactly. The question goes over UDP, not
 * recursive (the authority itself is asked), and again over TCP when the UDP answer is
 * truncated (TC), so a record set of any size is read whole; dns-packet writes the
 * question and reads the answer, and the type table reads each record's data
 * (`fromAnswer`). Below a delegation a server answers with a referral: the delegation's
 * NS records in the authority section, glue in the additional section (zone-view.ts,
 * `Served`); those are read from there.
 *
 * An answer is anyone's bytes: one that cannot be read, is for another question, or
 * does not arrive becomes an error naming what went wrong, never a crash.
 */
import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type Question } from 'dns-packet';
import type { Served } from '../checks/zone-view.js';
import type { RecordType } from '../model.js';
import { RECORD_TYPE_DEFS } from '../records/index.js';
import { plural } from '../text/terminal.js';

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
  /** The server refers the name to a delegation (`cut`, absolute) the files do not have there. */
  | { status: 'referral'; cut: string }
  /** No usable answer: timeout, refused (not authoritative), server failure, unreadable. */
  | { status: 'error'; message: string };

export interface QueryOptions {
  /** Per try. */
  timeoutMs: number;
  tries: number;
}

/** What to ask: the set's absolute name and type, and how the zone says it is served. */
export interface Ask {
  fqdn: string;
  type: RecordType;
  served: Served;
  /** For glue: the absolute names of the delegations whose NS point at it. */
  glueFor: readonly string[];
}

const sameName = (a: string, b: string) =>
  a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');

/** Whether `name` is `ancestor` or below it (absolute names). */
const isAtOrBelow = (name: string, ancestor: string) =>
  sameName(name, ancestor) || name.toLowerCase().endsWith(`.${ancestor.toLowerCase()}`);

export class NameserverClient {
  constructor(
    readonly server: Nameserver,
    private readonly options: QueryOptions,
  ) {}

  async observe(ask: Ask): Promise<Observation> {
    const first = await this.question(ask.fqdn, ask.type);
    if ('status' in first) return first;
    const own = (records: Answer[] = []) =>
      records.filter((record) => record.type === ask.type && sameName(record.name, ask.fqdn));
    // An answer of its own, also for a delegation or glue when this server serves the
    // child zone too.
    let found = own(first.answers);
    if (found.length === 0 && ask.served.kind === 'delegation') found = own(first.authorities);
    if (found.length === 0 && ask.served.kind === 'glue') {
      found = own(first.additionals);
      // Glue of another delegation's nameserver comes with that delegation's referral.
      for (const cut of ask.glueFor) {
        if (found.length > 0) break;
        const referral = await this.question(cut, 'NS');
        if ('status' in referral) return referral;
        found = own(referral.additionals);
      }
    }
    if (found.length > 0) return readRecords(ask.type, found);
    const cut = referralCut(first, ask.fqdn);
    return cut !== null && ask.served.kind === 'answer'
      ? { status: 'referral', cut }
      : { status: 'nodata' };
  }

  /** The answer to one question, or the observation it already is (an rcode, an error). */
  private async question(fqdn: string, type: RecordType): Promise<DecodedPacket | Observation> {
    let response: DecodedPacket;
    try {
      response = await query(this.server, fqdn, type, this.options);
    } catch (error) {
      return { status: 'error', message: (error as Error).message };
    }
    switch (response.rcode) {
      case 'NOERROR':
        return response;
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
        return { status: 'error', message: `the server answered ${String(response.rcode)}` };
    }
  }
}

/** The delegation a referral (no answer, AA clear, NS above the name) points at, or null. */
function referralCut(response: DecodedPacket, fqdn: string): string | null {
  if (response.flag_aa || (response.answers ?? []).length > 0) return null;
  const ns = (response.authorities ?? []).find(
    (record) => record.type === 'NS' && isAtOrBelow(fqdn, record.name),
  );
  return ns ? ns.name : null;
}

function readRecords(type: RecordType, found: Answer[]): Observation {
  const def = RECORD_TYPE_DEFS[type];
  const values = found.map((record): ObservedValue => {
    const read = def.fromAnswer('data' in record ? record.data : undefined);
    if (!read.ok) return { value: `(unreadable: ${read.reason})`, priority: null };
    const canonical = def.parse(read.value.value);
    // A value dnssync cannot parse is still shown, as the server spelled it.
    return { ...read.value, value: canonical.ok ? canonical.value : read.value.value };
  });
  const ttls = found.map((record) => (record as { ttl?: number }).ttl);
  const ttl = ttls.every((t) => Number.isInteger(t)) ? Math.min(...(ttls as number[])) : null;
  return { status: 'answer', values, ttl };
}

/**
 * Sends one question over UDP and waits for the answer with its id, `tries` times; an
 * answer with TC set is asked again over TCP.
 */
async function query(
  server: { address: string; port: number },
  name: string,
  type: string,
  options: QueryOptions,
): Promise<DecodedPacket> {
  let lastError = new Error('no answer');
  for (let attempt = 0; attempt < options.tries; attempt++) {
    const id = Math.floor(Math.random() * 0x10000);
    const packet = {
      id,
      type: 'query' as const,
      flags: 0,
      questions: [{ name, type: type as Question['type'], class: 'IN' as const }],
    };
    let response: DecodedPacket;
    try {
      response = await exchangeUdp(server, dnsPacket.encode(packet), id, options.timeoutMs);
    } catch (error) {
      lastError = error as Error;
      continue;
    }
    checkQuestion(response, name, type);
    if (!response.flag_tc) return response;
    try {
      response = await exchangeTcp(server, dnsPacket.streamEncode(packet), id, options.timeoutMs);
    } catch (error) {
      throw new Error(`the UDP answer was truncated, and over TCP: ${(error as Error).message}`);
    }
    checkQuestion(response, name, type);
    // Over TCP too: the set is larger than one DNS message (65,535 octets) can carry, so
    // no server can serve it whole and what came is only part of it.
    if (response.flag_tc) throw new Error(TOO_LARGE);
    return response;
  }
  throw lastError;
}

/** An answer must repeat the question it answers. */
function checkQuestion(response: DecodedPacket, name: string, type: string): void {
  const [asked] = response.questions ?? [];
  if (response.rcode !== 'NOERROR' && response.rcode !== 'NXDOMAIN' && asked === undefined) return;
  if (!asked || !sameName(asked.name, name) || asked.type !== type) {
    const what = asked ? `${asked.name} ${asked.type}` : 'no question';
    throw new Error(`the answer is for another question (${what}, not ${name} ${type})`);
  }
}

/** Reads a packet; a malformed one is an error saying why. */
function decode(message: Buffer): DecodedPacket {
  let packet: DecodedPacket;
  try {
    packet = dnsPacket.decode(message);
  } catch (error) {
    throw new Error(`a malformed answer (${(error as Error).message})`);
  }
  // dns-packet reads some fields past the end without complaint: a cut-off answer.
  if (dnsPacket.decode.bytes > message.length) {
    throw new Error(`a malformed answer (it ends at octet ${message.length}, inside its records)`);
  }
  return packet;
}

const exchangeUdp: Exchange = (server, question, id, timeoutMs) => {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(server.address) ? 'udp6' : 'udp4');
    let strays = 0;
    const done = settleOnce(resolve, reject, () => {
      clearTimeout(timer);
      socket.close();
    });
    const timer = setTimeout(() => {
      const ignored =
        strays > 0 ? `; ignored ${plural(strays, 'packet')} not answering the question's id` : '';
      done(new Error(`no answer (timed out${ignored})`));
    }, timeoutMs);
    // A connected socket hears of a closed port (ICMP) at once, rather than timing out.
    socket.on('error', (error: NodeJS.ErrnoException) => done(socketError(error)));
    socket.on('message', (message) => {
      // Anyone can send a datagram to this port: only the answer with the question's id
      // counts, and the first two octets are the id.
      if (message.length < 2 || message.readUInt16BE(0) !== id) {
        strays++;
        return;
      }
      let response: DecodedPacket;
      try {
        response = decode(message);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (response.type === 'response') done(null, response);
      else strays++;
    });
    socket.connect(server.port, server.address, () => socket.send(question));
  });
};

/** One question to a server, its answer (with the question's id), or an error saying why. */
type Exchange = (
  server: { address: string; port: number },
  question: Buffer,
  id: number,
  timeoutMs: number,
) => Promise<DecodedPacket>;

/** The first outcome of an exchange settles it, after `cleanup`; later ones are ignored. */
function settleOnce(
  resolve: (response: DecodedPacket) => void,
  reject: (error: Error) => void,
  cleanup: () => void,
): (error: Error | null, response?: DecodedPacket) => void {
  let finished = false;
  return (error, response) => {
    if (finished) return;
    finished = true;
    cleanup();
    if (error) reject(error);
    else if (response) resolve(response);
  };
}

function socketError(error: NodeJS.ErrnoException): Error {
  return error.code === 'ECONNREFUSED' ? new Error('connection refused') : error;
}

const TOO_LARGE =
  'the answer was truncated over TCP as well: the record set does not fit in one DNS message';

/** One question over TCP: two octets of length, then the message (RFC 1035 4.2.2). */
const exchangeTcp: Exchange = (server, question, id, timeoutMs) => {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.address, port: server.port });
    const chunks: Buffer[] = [];
    let received = 0;
    const done = settleOnce(resolve, reject, () => {
      clearTimeout(timer);
      socket.destroy();
    });
    const timer = setTimeout(() => done(new Error('no answer (timed out)')), timeoutMs);
    socket.on('error', (error: NodeJS.ErrnoException) => done(socketError(error)));
    socket.on('close', () =>
      done(new Error('the connection closed before the whole answer arrived')),
    );
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 2) return;
      const buffer = Buffer.concat(chunks);
      const length = buffer.readUInt16BE(0);
      if (buffer.length < length + 2) return;
      let response: DecodedPacket;
      try {
        response = decode(buffer.subarray(2, length + 2));
      } catch (error) {
        done(error as Error);
        return;
      }
      if (response.id !== id || response.type !== 'response') {
        done(new Error('the answer has another id than the question'));
      } else {
        done(null, response);
      }
    });
    socket.on('connect', () => socket.write(question));
  });
};
