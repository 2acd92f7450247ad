/**
 * Just enough of the DNS wire format (RFC 1035 §4) to ask one question over UDP and
 * read the NS records of the answer and authority sections. Node's dns.Resolver cannot
 * see the authority section, and that is where an authoritative server puts a
 * delegation (a referral), so verify asks for NS below the apex this way.
 */
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';

export const TYPE_NS = 2;
const CLASS_IN = 1;

interface WireRecord {
  /** Owner name, lowercase, no trailing dot. */
  name: string;
  type: number;
  ttl: number;
  /** For NS: the target name (lowercase, no trailing dot); else null. */
  target: string | null;
}

export interface WireResponse {
  id: number;
  rcode: number;
  truncated: boolean;
  answer: WireRecord[];
  authority: WireRecord[];
}

/** A query for `name`/`type`, recursion not desired: we ask the authority itself. */
export function buildQuery(id: number, name: string, type: number): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const parts: Buffer[] = [Buffer.from([id >> 8, id & 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length > 63) throw new Error(`label "${label}" is longer than 63 octets`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0, type >> 8, type & 0xff, CLASS_IN >> 8, CLASS_IN & 0xff]));
  return Buffer.concat(parts);
}

/** Reads a possibly compressed name at `offset`; returns it and the offset after it. */
function readName(message: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let at = offset;
  let next = -1;
  for (let jumps = 0; jumps < 128; jumps++) {
    const length = message.readUInt8(at);
    if (length === 0) {
      return { name: labels.join('.').toLowerCase(), next: next < 0 ? at + 1 : next };
    }
    if ((length & 0xc0) === 0xc0) {
      if (next < 0) next = at + 2;
      at = message.readUInt16BE(at) & 0x3fff;
      continue;
    }
    if (length > 63) throw new Error('bad label length in DNS message');
    labels.push(message.toString('latin1', at + 1, at + 1 + length));
    at += 1 + length;
  }
  throw new Error('DNS message name compression loops');
}

function readRecords(message: Buffer, offset: number, count: number) {
  const records: WireRecord[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const owner = readName(message, at);
    at = owner.next;
    const type = message.readUInt16BE(at);
    const ttl = message.readUInt32BE(at + 4);
    const length = message.readUInt16BE(at + 8);
    const rdata = at + 10;
    if (rdata + length > message.length) throw new Error('DNS message ends inside a record');
    const target = type === TYPE_NS ? readName(message, rdata).name : null;
    records.push({ name: owner.name, type, ttl, target });
    at = rdata + length;
  }
  return { records, next: at };
}

export function parseResponse(message: Buffer): WireResponse {
  if (message.length < 12) throw new Error('DNS message shorter than its header');
  const flags = message.readUInt16BE(2);
  const questions = message.readUInt16BE(4);
  const answers = message.readUInt16BE(6);
  const authorities = message.readUInt16BE(8);
  let at = 12;
  for (let i = 0; i < questions; i++) at = readName(message, at).next + 4;
  const answer = readRecords(message, at, answers);
  const authority = readRecords(message, answer.next, authorities);
  return {
    id: message.readUInt16BE(0),
    rcode: flags & 0x0f,
    truncated: (flags & 0x0200) !== 0,
    answer: answer.records,
    authority: authority.records,
  };
}

/** Sends one query over UDP and waits for the answer with the same id (tries twice). */
export async function queryUdp(
  server: { address: string; port: number },
  name: string,
  type: number,
  timeoutMs: number,
): Promise<WireResponse> {
  let lastError: Error = new Error('no answer');
  for (let attempt = 0; attempt < 2; attempt++) {
    const id = Math.floor(Math.random() * 0x10000);
    try {
      return await exchange(server, buildQuery(id, name, type), id, timeoutMs);
    } catch (error) {
      lastError = error as Error;
    }
  }
  throw lastError;
}

function exchange(
  server: { address: string; port: number },
  query: Buffer,
  id: number,
  timeoutMs: number,
): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(server.address) ? 'udp6' : 'udp4');
    const done = (error: Error | null, response?: WireResponse) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else if (response) resolve(response);
    };
    const timer = setTimeout(
      () => done(new Error(`no answer from ${server.address}:${server.port} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('error', (error) => done(error));
    socket.on('message', (message) => {
      try {
        const response = parseResponse(message);
        if (response.id === id) done(null, response);
      } catch (error) {
        done(error as Error);
      }
    });
    socket.send(query, server.port, server.address);
  });
}
