import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import type { DesiredZone } from '../src/model.js';
import { recordKey } from '../src/model.js';
import { compareSet, type ExpectedSet, expectedSets } from '../src/verify/compare.js';
import {
  caaValue,
  joinChunks,
  type NameserverClient,
  type Observation,
} from '../src/verify/query.js';
import { allMatch, verifyUntil } from '../src/verify/run.js';
import { parseNameserver, resolveNameservers } from '../src/verify/servers.js';
import { buildQuery, parseResponse, queryUdp, TYPE_NS } from '../src/verify/wire.js';

const set = (over: Partial<ExpectedSet> = {}): ExpectedSet => ({
  name: 'www',
  type: 'A',
  fqdn: 'www.example.com',
  values: [{ value: '192.0.2.1', priority: null }],
  ttl: 300,
  delegation: false,
  ...over,
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
  it('groups records by name and type, asks wildcards literally, marks delegations', () => {
    const rec = (name: string, type: 'A' | 'NS' | 'CNAME', value: string) => ({
      name,
      type,
      value,
      ttl: 60,
      priority: null,
      key: recordKey(name, type, value),
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
      ],
    };
    expect(expectedSets(zone).map((s) => [s.fqdn, s.type, s.values.length, s.delegation])).toEqual([
      ['example.com', 'A', 2, false],
      ['example.com', 'NS', 1, false],
      ['lab.example.com', 'NS', 1, true],
      ['*.preview.example.com', 'CNAME', 1, false],
    ]);
  });
});

describe('answers as Node hands them over', () => {
  it('joins TXT chunks and decodes their octets as UTF-8', () => {
    const octets = Buffer.from('ünï ☃', 'utf8').toString('latin1');
    expect(joinChunks([octets.slice(0, 3), octets.slice(3)])).toBe('ünï ☃');
    expect(joinChunks(['v=spf1 ', '-all'])).toBe('v=spf1 -all');
    expect(joinChunks(['already decoded ☃'])).toBe('already decoded ☃');
  });

  it('rebuilds CAA values in canonical form, escaping quotes', () => {
    expect(caaValue({ critical: 0, issue: 'letsencrypt.org' })).toBe('0 issue "letsencrypt.org"');
    expect(caaValue({ critical: 128, issuewild: ';' })).toBe('128 issuewild ";"');
    expect(caaValue({ critical: 0, iodef: 'say "hi"' })).toBe('0 iodef "say \\"hi\\""');
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

describe('DNS wire format', () => {
  it('builds a non-recursive query for one name and type', () => {
    const query = buildQuery(0x1234, 'Lab.example.com.', TYPE_NS);
    expect(query.toString('hex')).toBe(
      `123400000001000000000000${'034c6162076578616d706c6503636f6d00'}00020001`,
    );
  });

  it('reads NS records from the authority section through compression pointers', () => {
    const response = referral(0x1234);
    expect(parseResponse(response)).toEqual({
      id: 0x1234,
      rcode: 0,
      truncated: false,
      answer: [],
      authority: [
        { name: 'lab.example.com', type: TYPE_NS, ttl: 3600, target: 'ns1.lab.example.net' },
        { name: 'lab.example.com', type: TYPE_NS, ttl: 3600, target: 'ns2.lab.example.net' },
      ],
    });
  });

  it('asks over UDP and ignores answers with another id', async () => {
    const server = createSocket('udp4');
    server.on('message', (message, peer) => {
      const id = message.readUInt16BE(0);
      server.send(referral((id + 1) & 0xffff), peer.port, peer.address);
      server.send(referral(id), peer.port, peer.address);
    });
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
    try {
      const port = server.address().port;
      const response = await queryUdp(
        { address: '127.0.0.1', port },
        'lab.example.com',
        TYPE_NS,
        2000,
      );
      expect(response.authority.map((r) => r.target)).toEqual([
        'ns1.lab.example.net',
        'ns2.lab.example.net',
      ]);
    } finally {
      server.close();
    }
  });

  it('rejects a message whose record runs past its end', () => {
    expect(() => parseResponse(referral(1).subarray(0, 40))).toThrow();
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

/** A referral for lab.example.com NS, as an authoritative server for example.com sends it. */
function referral(id: number): Buffer {
  const name = (labels: string[]) =>
    Buffer.concat([
      ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
      Buffer.from([0]),
    ]);
  const header = Buffer.from([id >> 8, id & 0xff, 0x84, 0x00, 0, 1, 0, 0, 0, 2, 0, 0]);
  const question = Buffer.concat([name(['lab', 'example', 'com']), Buffer.from([0, 2, 0, 1])]);
  // Owner: pointer to the question name at offset 12. Targets: "ns1" + pointer, "ns2" + pointer to "lab.example.net" inside the first.
  const rr = (rdata: Buffer) =>
    Buffer.concat([Buffer.from([0xc0, 12, 0, 2, 0, 1, 0, 0, 0x0e, 0x10, 0, rdata.length]), rdata]);
  const first = Buffer.concat([name(['ns1', 'lab', 'example', 'net'])]);
  const firstOffset = header.length + question.length + 12;
  const second = Buffer.concat([
    Buffer.from([3]),
    Buffer.from('ns2'),
    Buffer.from([0xc0, firstOffset + 4]),
  ]);
  return Buffer.concat([header, question, rr(first), rr(second)]);
}
