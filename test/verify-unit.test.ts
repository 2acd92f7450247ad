import { createSocket } from 'node:dgram';
import dnsPacket, { type Answer } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { joinChunks } from '../src/checks/online/lookup.js';
import type { DesiredZone, RecordType } from '../src/model.js';
import { recordKey } from '../src/model.js';
import { compareSet, type ExpectedSet, expectedSets } from '../src/verify/compare.js';
import { type Ask, NameserverClient, type Observation } from '../src/verify/query.js';
import { allMatch, verifyUntil } from '../src/verify/run.js';
import { parseNameserver, resolveNameservers } from '../src/verify/servers.js';

const set = (over: Partial<ExpectedSet> = {}): ExpectedSet => ({
  name: 'www',
  type: 'A',
  fqdn: 'www.example.com',
  values: [{ value: '192.0.2.1', priority: null }],
  ttl: 300,
  served: { kind: 'answer' },
  glueFor: [],
  cut: null,
  ...over,
});

/** A question as verify asks it: data answered, or NS of a delegation (from the referral). */
const q = (fqdn: string, type: RecordType, delegation = false): Ask => ({
  fqdn,
  type,
  served: delegation ? { kind: 'delegation', cut: fqdn } : { kind: 'answer' },
  glueFor: [],
});

const answer = (
  values: string[],
  ttl: number | null = null,
  priority: number | null = null,
): Observation => ({
  status: 'answer',
  values: values.map((value) => ({ value, priority })),
  ttl,
});

describe('compareSet', () => {
  it('matches equal values, checking the TTL only when the answer has one', () => {
    expect(compareSet(set(), answer(['192.0.2.1'], 300))).toEqual({
      kind: 'match',
      ttlChecked: true,
    });
    expect(compareSet(set(), answer(['192.0.2.1']))).toEqual({ kind: 'match', ttlChecked: false });
  });

  it('lists missing and unexpected values and a differing TTL', () => {
    expect(compareSet(set(), answer(['192.0.2.2'], 60))).toEqual({
      kind: 'differs',
      missingValues: ['192.0.2.1'],
      extraValues: ['192.0.2.2'],
      ttl: { expected: 300, actual: 60 },
    });
  });

  it('compares MX and SRV priorities as part of the value', () => {
    const mx = set({ type: 'MX', values: [{ value: 'mx.example.com', priority: 10 }] });
    expect(compareSet(mx, answer(['mx.example.com'], null, 10)).kind).toBe('match');
    expect(compareSet(mx, answer(['mx.example.com'], null, 20))).toMatchObject({
      kind: 'differs',
      missingValues: ['10 mx.example.com'],
      extraValues: ['20 mx.example.com'],
    });
  });

  it('tells a missing name from a missing type, and an error from both', () => {
    expect(compareSet(set(), { status: 'nxdomain' })).toEqual({
      kind: 'missing',
      why: 'the name does not exist',
    });
    expect(compareSet(set(), { status: 'nodata' })).toEqual({
      kind: 'missing',
      why: 'the name has no A records',
    });
    expect(compareSet(set(), { status: 'error', message: 'boom' })).toEqual({
      kind: 'error',
      message: 'boom',
    });
  });
});

describe('expectedSets', () => {
  it('groups records by name and type, asks wildcards literally, marks delegations, glue and occluded data', () => {
    const rec = (name: string, type: 'A' | 'AAAA' | 'NS' | 'CNAME' | 'TXT', value: string) => ({
      name,
      type,
      value,
      ttl: 60,
      priority: null,
      key: recordKey(name, type, value, null),
    });
    const zone: DesiredZone = {
      domain: 'example.com',
      file: 'zones/example.com.yaml',
      ttl: 60,
      purge: true,
      ignore: [],
      records: [
        rec('@', 'A', '192.0.2.1'),
        rec('@', 'A', '192.0.2.2'),
        rec('@', 'NS', 'ns.example.net'),
        rec('lab', 'NS', 'ns.lab.example.net'),
        rec('*.preview', 'CNAME', 'p.example.net'),
        rec('sub', 'NS', 'ns1.sub.example.com'),
        rec('sub', 'NS', 'ns.lab.example.com'),
        rec('ns1.sub', 'A', '192.0.2.53'),
        rec('ns1.sub', 'AAAA', '2001:db8::53'),
        rec('ns.lab', 'A', '192.0.2.54'),
        rec('www.sub', 'A', '192.0.2.80'),
        rec('ns1.sub', 'TXT', 'not glue'),
        rec('sub', 'TXT', 'at the cut'),
      ],
    };
    const served = expectedSets(zone).map((s) => [
      s.fqdn,
      s.type,
      s.values.length,
      s.served.kind,
      s.cut,
      s.glueFor,
    ]);
    expect(served).toEqual([
      ['example.com', 'A', 2, 'answer', null, []],
      ['example.com', 'NS', 1, 'answer', null, []],
      ['lab.example.com', 'NS', 1, 'delegation', 'lab.example.com', []],
      ['*.preview.example.com', 'CNAME', 1, 'answer', null, []],
      ['sub.example.com', 'NS', 2, 'delegation', 'sub.example.com', []],
      ['ns1.sub.example.com', 'A', 1, 'glue', 'sub.example.com', ['sub.example.com']],
      ['ns1.sub.example.com', 'AAAA', 1, 'glue', 'sub.example.com', ['sub.example.com']],
      // Below lab, pointed at by sub: glue that comes with sub's referral.
      ['ns.lab.example.com', 'A', 1, 'glue', 'lab.example.com', ['sub.example.com']],
      ['www.sub.example.com', 'A', 1, 'occluded', 'sub.example.com', []],
      ['ns1.sub.example.com', 'TXT', 1, 'occluded', 'sub.example.com', []],
      ['sub.example.com', 'TXT', 1, 'occluded', 'sub.example.com', []],
    ]);
  });
});

describe('answers as Node hands them over (online checks)', () => {
  it('joins TXT chunks and decodes their octets as UTF-8', () => {
    const octets = Buffer.from('ünï ☃', 'utf8').toString('latin1');
    expect(joinChunks([octets.slice(0, 3), octets.slice(3)])).toBe('ünï ☃');
    expect(joinChunks(['v=spf1 ', '-all'])).toBe('v=spf1 -all');
    expect(joinChunks(['already decoded ☃'])).toBe('already decoded ☃');
  });
});

describe('parseNameserver', () => {
  it('reads hosts, ports and bracketed IPv6', () => {
    expect(parseNameserver('127.0.0.1:5353')).toMatchObject({ host: '127.0.0.1', port: 5353 });
    expect(parseNameserver('192.0.2.53')).toMatchObject({ host: '192.0.2.53', port: 53 });
    expect(parseNameserver('[::1]:5353')).toMatchObject({ host: '::1', port: 5353 });
    expect(parseNameserver('2001:db8::53')).toMatchObject({ host: '2001:db8::53', port: 53 });
    expect(parseNameserver('ns1.example.net.:53')).toMatchObject({
      host: 'ns1.example.net',
      port: 53,
    });
    expect(() => parseNameserver('ns:99999')).toThrow(/port must be 1-65535/);
    expect(() => parseNameserver('a:b:c:x')).toThrow(/HOST:PORT/);
  });
});

describe('resolveNameservers', () => {
  it('keeps addresses as they are and looks hostnames up, preferring IPv4', async () => {
    const servers = await resolveNameservers([
      parseNameserver('127.0.0.1:5353'),
      parseNameserver('localhost:5300'),
    ]);
    expect(servers).toEqual([
      { label: '127.0.0.1:5353', address: '127.0.0.1', port: 5353 },
      { label: 'localhost:5300 (127.0.0.1)', address: '127.0.0.1', port: 5300 },
    ]);
  });

  it('names a nameserver it cannot find', async () => {
    await expect(resolveNameservers([parseNameserver('no-such-host.invalid')])).rejects.toThrow(
      /cannot find the address of nameserver no-such-host\.invalid/,
    );
  });
});

/**
 * A nameserver on a random loopback port that answers each question with what `reply`
 * gives (answers, authorities, flags), or with a raw message.
 */
async function fakeServer(
  reply: (question: { name: string; type: string }, id: number) => Buffer | Partial<Packet>,
): Promise<{ client: NameserverClient; close: () => void; asked: string[] }> {
  const server = createSocket('udp4');
  const asked: string[] = [];
  server.on('message', (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0] ?? { name: '', type: 'A' };
    asked.push(`${question.name} ${question.type} rd=${query.flag_rd}`);
    const answer = reply(question, query.id ?? 0);
    const bytes = Buffer.isBuffer(answer)
      ? answer
      : dnsPacket.encode({
          type: 'response',
          id: query.id ?? 0,
          flags: dnsPacket.AUTHORITATIVE_ANSWER,
          questions: query.questions ?? [],
          ...answer,
        });
    server.send(bytes, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  const port = server.address().port;
  const client = new NameserverClient(
    { label: 'fake', address: '127.0.0.1', port },
    { timeoutMs: 2000, tries: 2 },
  );
  return { client, close: () => server.close(), asked };
}

type Packet = dnsPacket.Packet;

describe('NameserverClient: one question over UDP, read with dns-packet', () => {
  const at = (name: string, type: string, ttl: number, data: unknown) =>
    ({ name, type, ttl, class: 'IN', data }) as Answer;

  it('reads each type through the type table, with its TTL, asking without recursion', async () => {
    const zone: Record<string, Answer[]> = {
      A: [
        at('www.example.com', 'A', 300, '192.0.2.1'),
        at('www.example.com', 'A', 60, '192.0.2.2'),
      ],
      AAAA: [at('www.example.com', 'AAAA', 300, '2001:0DB8:0:0::1')],
      MX: [at('www.example.com', 'MX', 300, { preference: 10, exchange: 'MX.Example.com' })],
      SRV: [at('www.example.com', 'SRV', 300, { priority: 1, weight: 2, port: 443, target: '.' })],
      // One UTF-8 character split across two character-strings.
      TXT: [
        at('www.example.com', 'TXT', 300, [
          Buffer.from('v=spf1 ☃').subarray(0, 8),
          Buffer.from('v=spf1 ☃').subarray(8),
        ]),
      ],
      CAA: [at('www.example.com', 'CAA', 300, { flags: 128, tag: 'issue', value: 'say "hi"' })],
      CNAME: [at('www.example.com', 'CNAME', 300, 'localhost')],
    };
    const fake = await fakeServer((question) => ({ answers: zone[question.type] ?? [] }));
    try {
      const observe = (type: keyof typeof zone) =>
        fake.client.observe(q('www.example.com', type as 'A'));
      expect(await observe('A')).toEqual({
        status: 'answer',
        values: [
          { value: '192.0.2.1', priority: null },
          { value: '192.0.2.2', priority: null },
        ],
        ttl: 60,
      });
      expect(await observe('AAAA')).toMatchObject({ values: [{ value: '2001:db8::1' }], ttl: 300 });
      expect(await observe('MX')).toMatchObject({
        values: [{ value: 'mx.example.com', priority: 10 }],
      });
      expect(await observe('SRV')).toMatchObject({ values: [{ value: '2 443 .', priority: 1 }] });
      expect(await observe('TXT')).toMatchObject({ values: [{ value: 'v=spf1 ☃' }] });
      expect(await observe('CAA')).toMatchObject({
        values: [{ value: '128 issue "say \\"hi\\""' }],
      });
      // Not a valid hostname for dnssync: shown as the server spelled it.
      expect(await observe('CNAME')).toMatchObject({ values: [{ value: 'localhost' }] });
      expect(fake.asked[0]).toBe('www.example.com A rd=false');
    } finally {
      fake.close();
    }
  });

  it('reads a delegation from the referral, and only records of the name and type asked', async () => {
    const fake = await fakeServer((question) =>
      question.type === 'NS'
        ? {
            flags: 0,
            authorities: [
              at('lab.example.com', 'NS', 3600, 'ns1.lab.example.net'),
              at('lab.example.com', 'NS', 3600, 'NS2.lab.example.net'),
            ],
          }
        : // A CNAME where an A was asked for, and the A of its target.
          {
            answers: [
              at('lab.example.com', 'CNAME', 60, 'other.example.com'),
              at('other.example.com', 'A', 60, '192.0.2.9'),
            ],
          },
    );
    try {
      expect(await fake.client.observe(q('lab.example.com', 'NS', true))).toEqual({
        status: 'answer',
        values: [
          { value: 'ns1.lab.example.net', priority: null },
          { value: 'ns2.lab.example.net', priority: null },
        ],
        ttl: 3600,
      });
      // Asked as data (NS at an apex must be in the answer itself), a referral is told as one.
      expect(await fake.client.observe(q('lab.example.com', 'NS'))).toEqual({
        status: 'referral',
        cut: 'lab.example.com',
      });
      expect(await fake.client.observe(q('lab.example.com', 'A'))).toEqual({
        status: 'nodata',
      });
    } finally {
      fake.close();
    }
  });

  it('turns rcodes and truncation into outcomes', async () => {
    const replies: Record<string, Partial<Packet>> = {
      'gone.example.com': { flags: 3 },
      'refused.example.com': { flags: 5 },
      'failed.example.com': { flags: 2 },
      'big.example.com': { flags: dnsPacket.TRUNCATED_RESPONSE },
    };
    const fake = await fakeServer((question) => replies[question.name] ?? {});
    try {
      const observe = (name: string) => fake.client.observe(q(name, 'MX'));
      expect(await observe('gone.example.com')).toEqual({ status: 'nxdomain' });
      expect(await observe('refused.example.com')).toEqual({
        status: 'error',
        message: 'the server refused the query (is it authoritative for this zone?)',
      });
      expect(await observe('failed.example.com')).toMatchObject({ message: /SERVFAIL/ });
      // Truncated over UDP, and this server has no TCP.
      expect(await observe('big.example.com')).toEqual({
        status: 'error',
        message: 'the UDP answer was truncated, and over TCP: connection refused',
      });
      expect(await observe('empty.example.com')).toEqual({ status: 'nodata' });
    } finally {
      fake.close();
    }
  });

  it('ignores answers with another id, and a malformed answer is an error', async () => {
    let malformed = false;
    const fake = await fakeServer((question, id) => {
      if (malformed) return Buffer.from([id >> 8, id & 0xff, 0x84, 0, 0, 1]);
      return { id: (id + 1) & 0xffff, answers: [at(question.name, 'A', 60, '192.0.2.66')] };
    });
    try {
      const client = new NameserverClient(fake.client.server, { timeoutMs: 300, tries: 1 });
      expect(await client.observe(q('www.example.com', 'A'))).toEqual({
        status: 'error',
        message: "no answer (timed out; ignored 1 packet not answering the question's id)",
      });
      malformed = true;
      expect(await client.observe(q('www.example.com', 'A'))).toMatchObject({
        status: 'error',
        message: /^a malformed answer/,
      });
    } finally {
      fake.close();
    }
  });

  it('says so at once when nothing listens on the port', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const port = socket.address().port;
    socket.close();
    const client = new NameserverClient(
      { label: 'closed', address: '127.0.0.1', port },
      { timeoutMs: 5000, tries: 1 },
    );
    expect(await client.observe(q('www.example.com', 'A'))).toEqual({
      status: 'error',
      message: 'connection refused',
    });
  });
});

describe('verifyUntil', () => {
  const zone: DesiredZone = {
    domain: 'example.com',
    file: 'f',
    ttl: 60,
    purge: true,
    ignore: [],
    records: [{ name: 'www', type: 'A', value: '192.0.2.1', ttl: 60, priority: null, key: 'k' }],
  };

  function fakeClient(answers: Observation[]): NameserverClient & { asked: number } {
    const fake = {
      server: { label: 'fake', address: '127.0.0.1', port: 53 },
      asked: 0,
      async observe() {
        const next = answers[Math.min(fake.asked, answers.length - 1)];
        fake.asked++;
        return next ?? { status: 'nodata' as const };
      },
    };
    return fake as unknown as NameserverClient & { asked: number };
  }

  it('asks again until everything matches', async () => {
    const client = fakeClient([
      { status: 'nxdomain' },
      answer(['192.0.2.2'], 60),
      answer(['192.0.2.1'], 60),
    ]);
    const result = await verifyUntil([zone], [client], {
      concurrency: 1,
      waitSeconds: 10,
      intervalMs: 1,
    });
    expect(result.rounds).toBe(3);
    expect(allMatch(result.reports)).toBe(true);
  });

  it('stops when the time is up, returning the last round', async () => {
    let clock = 0;
    const client = fakeClient([{ status: 'nxdomain' }]);
    const result = await verifyUntil([zone], [client], {
      concurrency: 1,
      waitSeconds: 5,
      intervalMs: 1,
      now: () => {
        clock += 2000;
        return clock;
      },
    });
    expect(result.rounds).toBe(3);
    expect(allMatch(result.reports)).toBe(false);
  });

  it('asks once without --wait', async () => {
    const client = fakeClient([{ status: 'nxdomain' }]);
    const result = await verifyUntil([zone], [client], {
      concurrency: 1,
      waitSeconds: 0,
      intervalMs: 1,
    });
    expect(result.rounds).toBe(1);
    expect(client.asked).toBe(1);
  });
});
