/**
 * What `verify` does with answers it cannot trust: a small nameserver here (UDP and TCP
 * on one loopback port) answers with whatever each test hands it. Every bad answer
 * becomes a clear error, counted as a check that could not be made, never a crash.
 */
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket, { type Answer, type Packet } from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordType } from '../src/model.js';
import { type Ask, NameserverClient } from '../src/verify/query.js';

type Reply = Buffer | Partial<Packet> | null;
interface Question {
  id: number;
  name: string;
  type: string;
  questions: Packet['questions'];
}

/** What the server sends back for a question: a raw message, a packet (id, question and AA filled in), or nothing. */
function encode(question: Question, reply: Partial<Packet>): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: question.id,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: question.questions,
    ...reply,
  });
}

interface Fake {
  port: number;
  client: NameserverClient;
  tcpAsked: number;
  close(): Promise<void>;
}

const open: Fake[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((fake) => fake.close()));
});

async function fakeServer(handlers: {
  udp: (question: Question) => Reply;
  /** Raw bytes to write on the TCP connection (length prefix included), then close. */
  tcp?: (question: Question) => Buffer | null;
}): Promise<Fake> {
  const tcp: Server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length < 2 || buffer.length < buffer.readUInt16BE(0) + 2) return;
      const query = dnsPacket.streamDecode(buffer);
      fake.tcpAsked++;
      const bytes = handlers.tcp?.(questionOf(query)) ?? null;
      if (bytes === null) socket.destroy();
      else socket.end(bytes);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const address = tcp.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const udp: Socket = createSocket('udp4');
  udp.on('message', (message, peer) => {
    const reply = handlers.udp(questionOf(dnsPacket.decode(message)));
    if (reply === null) return;
    const question = questionOf(dnsPacket.decode(message));
    const bytes = Buffer.isBuffer(reply) ? reply : encode(question, reply);
    udp.send(bytes, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => udp.bind(port, '127.0.0.1', resolve));
  const fake: Fake = {
    port,
    tcpAsked: 0,
    client: new NameserverClient(
      { label: `127.0.0.1:${port}`, address: '127.0.0.1', port },
      { timeoutMs: 1000, tries: 1 },
    ),
    close: () =>
      new Promise((resolve) => {
        udp.close();
        tcp.close(() => resolve());
      }),
  };
  open.push(fake);
  return fake;
}

function questionOf(packet: Packet): Question {
  const first = packet.questions?.[0] ?? { name: '', type: 'A' };
  return { id: packet.id ?? 0, name: first.name, type: first.type, questions: packet.questions };
}

const ask = (fqdn: string, type: RecordType = 'A'): Ask => ({
  fqdn,
  type,
  served: { kind: 'answer' },
  glueFor: [],
});
const a = (name: string, address: string, ttl = 300) =>
  ({ name, type: 'A', ttl, class: 'IN', data: address }) as Answer;
const stream = (bytes: Buffer) => {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(bytes.length);
  return Buffer.concat([prefix, bytes]);
};
const MANY = Array.from({ length: 300 }, (_, i) => `10.1.${i >> 8}.${i & 0xff}`);

describe('NameserverClient over UDP, then TCP when truncated', () => {
  it('asks again over TCP when the UDP answer is truncated, and reads all of it with its TTL', async () => {
    const fake = await fakeServer({
      udp: () => ({ flags: dnsPacket.TRUNCATED_RESPONSE | dnsPacket.AUTHORITATIVE_ANSWER }),
      tcp: (q) => stream(encode(q, { answers: MANY.map((address) => a(q.name, address, 1234)) })),
    });
    const observed = await fake.client.observe(ask('big.example.com'));
    expect(observed).toMatchObject({ status: 'answer', ttl: 1234 });
    expect(observed.status === 'answer' && observed.values.length).toBe(300);
    expect(fake.tcpAsked).toBe(1);
  });

  it('names what went wrong over TCP: another id, a connection closed early, a malformed answer', async () => {
    let mode = 'id';
    const fake = await fakeServer({
      udp: () => ({ flags: dnsPacket.TRUNCATED_RESPONSE }),
      tcp: (q) => {
        if (mode === 'id') return stream(encode({ ...q, id: (q.id + 1) & 0xffff }, {}));
        if (mode === 'short')
          return stream(encode(q, { answers: [a(q.name, '192.0.2.1')] })).subarray(0, 20);
        return stream(Buffer.from([q.id >> 8, q.id & 0xff, 0x84, 0, 0, 1, 0, 0]));
      },
    });
    const prefix = 'the UDP answer was truncated, and over TCP: ';
    expect(await fake.client.observe(ask('x.example.com'))).toEqual({
      status: 'error',
      message: `${prefix}the answer has another id than the question`,
    });
    mode = 'short';
    expect(await fake.client.observe(ask('x.example.com'))).toEqual({
      status: 'error',
      message: `${prefix}the connection closed before the whole answer arrived`,
    });
    mode = 'malformed';
    expect(await fake.client.observe(ask('x.example.com'))).toMatchObject({
      status: 'error',
      message: expect.stringMatching(
        /^the UDP answer was truncated, and over TCP: a malformed answer \(/,
      ),
    });
  });
});

describe('NameserverClient with hostile UDP answers', () => {
  it('refuses an answer to another question', async () => {
    const fake = await fakeServer({
      udp: (q) =>
        encode(
          { ...q, questions: [{ name: 'evil.example.net', type: 'A', class: 'IN' }] },
          {
            answers: [a('evil.example.net', '203.0.113.66')],
          },
        ),
    });
    expect(await fake.client.observe(ask('www.example.com'))).toEqual({
      status: 'error',
      message: 'the answer is for another question (evil.example.net A, not www.example.com A)',
    });
  });

  it('takes only the records of the name asked, ignoring the rest of a huge answer', async () => {
    const fake = await fakeServer({
      udp: (q) => ({
        answers: [
          ...Array.from({ length: 1500 }, (_, i) => a(`other${i}.example.net`, '203.0.113.1')),
          a(q.name, '192.0.2.7', 60),
        ],
      }),
    });
    expect(await fake.client.observe(ask('www.example.com'))).toEqual({
      status: 'answer',
      values: [{ value: '192.0.2.7', priority: null }],
      ttl: 60,
    });
  });

  it('calls cut-off, looping and nonsense answers malformed', async () => {
    let bytes = (_id: number) => Buffer.alloc(0);
    const fake = await fakeServer({ udp: (q) => bytes(q.id) });
    const full = (id: number) =>
      encode(
        {
          id,
          name: 'www.example.com',
          type: 'A',
          questions: [{ name: 'www.example.com', type: 'A' }],
        },
        { answers: [a('www.example.com', '192.0.2.1')] },
      );
    // Cut in the middle of the answer record.
    bytes = (id) => full(id).subarray(0, full(id).length - 3);
    expect(await fake.client.observe(ask('www.example.com'))).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^a malformed answer \(/),
    });
    // A name that points at itself (a compression loop).
    bytes = (id) =>
      Buffer.from([id >> 8, id & 0xff, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    expect(await fake.client.observe(ask('www.example.com'))).toMatchObject({
      message: expect.stringMatching(/^a malformed answer \(Cannot decode name/),
    });
    // Header claims thousands of records it does not hold.
    bytes = (id) => Buffer.from([id >> 8, id & 0xff, 0x84, 0, 0, 1, 0xff, 0xff, 0, 0, 0, 0]);
    expect(await fake.client.observe(ask('www.example.com'))).toMatchObject({
      message: expect.stringMatching(/^a malformed answer/),
    });
  });

  it('waits for its own id and says how many other packets it ignored', async () => {
    const fake = await fakeServer({
      udp: (q) => encode({ ...q, id: (q.id + 7) & 0xffff }, { answers: [a(q.name, '192.0.2.1')] }),
    });
    expect(await fake.client.observe(ask('www.example.com'))).toEqual({
      status: 'error',
      message: "no answer (timed out; ignored 1 packet not answering the question's id)",
    });
  });
});

describe('dnssync verify (built CLI) against a hostile nameserver', () => {
  it('names the server in the summary and shows nothing the server wrote raw', async () => {
    const fake = await fakeServer({
      udp: (q) =>
        encode(
          { ...q, questions: [{ name: 'a\u001b[2J\u0007.example.net', type: 'A', class: 'IN' }] },
          {},
        ),
    });
    const work = mkdtempSync(join(tmpdir(), 'dnssync-verify-hostile-'));
    try {
      mkdirSync(join(work, 'zones'));
      writeFileSync(
        join(work, 'zones', 'example.com.yaml'),
        'records:\n  - { name: www, type: A, value: 192.0.2.1 }\n',
      );
      // Asynchronous: the fake server answers from this process.
      const result = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const child = spawn(
          'node',
          [
            'dist/cli.js',
            'verify',
            '--zones',
            join(work, 'zones'),
            '--nameserver',
            `127.0.0.1:${fake.port}`,
          ],
          { env: { ...process.env, NO_COLOR: '1' } },
        );
        let stdout = '';
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
        });
        child.on('close', (status) => resolve({ status, stdout }));
      });
      expect(result.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
      expect(result.stdout).toContain(
        `✗ nothing was compared: none of 1 check could be made (127.0.0.1:${fake.port}: the answer is for another question (a\\x1b[2J\\x07.example.net A, not www.example.com A))`,
      );
      expect(result.status).toBe(1);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
