import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DnsRecord } from '../src/model.js';
import { quoteCharacterString, rdata, renderBindZone, txtChunks } from '../src/render/bind.js';
import { checkZone, HAS_CHECKZONE, txtFromDump } from './named-checkzone.js';

const record = (
  name: string,
  type: string,
  value: string,
  priority: number | null = null,
  ttl = 3600,
): DnsRecord<string> => ({ name, type, value, ttl, priority });

const octets = (text: string) => Buffer.byteLength(text, 'utf8');

describe('txtChunks', () => {
  it('keeps short text in one string and splits long text at 255 octets', () => {
    expect(txtChunks('v=spf1 -all')).toEqual(['v=spf1 -all']);
    expect(txtChunks('a'.repeat(255))).toEqual(['a'.repeat(255)]);
    expect(txtChunks('a'.repeat(300)).map(octets)).toEqual([255, 45]);
    expect(txtChunks('b'.repeat(600)).map(octets)).toEqual([255, 255, 90]);
  });

  it('never tears a multi-byte character', () => {
    const accented = 'é'.repeat(200); // 2 octets each: 127 fit in 254 octets, not 127.5
    expect(txtChunks(accented).map(octets)).toEqual([254, 146]);
    const emoji = `a${'😀'.repeat(70)}`; // 1 + 4 * 63 = 253; the 64th would make 257
    expect(txtChunks(emoji).map(octets)).toEqual([253, 28]);
  });

  it('splits any text into <=255-octet strings that join back to it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
        const chunks = txtChunks(text);
        expect(chunks.join('')).toBe(text);
        for (const chunk of chunks) expect(octets(chunk)).toBeLessThanOrEqual(255);
      }),
    );
  });
});

describe('quoteCharacterString', () => {
  it('escapes quotes and backslashes, and control octets as \\DDD', () => {
    expect(quoteCharacterString('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteCharacterString('C:\\dir')).toBe('"C:\\\\dir"');
    expect(quoteCharacterString('tab\there\nnl\u007f')).toBe('"tab\\009here\\010nl\\127"');
    expect(quoteCharacterString('a; b (c)')).toBe('"a; b (c)"');
    expect(quoteCharacterString('hyvää päivää')).toBe('"hyvää päivää"');
  });
});

describe('rdata', () => {
  it('writes hostnames absolute and each type in presentation format', () => {
    expect(rdata(record('www', 'CNAME', 'example.com'))).toBe('example.com.');
    expect(rdata(record('sub', 'NS', 'ns1.other-dns.net'))).toBe('ns1.other-dns.net.');
    expect(rdata(record('@', 'MX', 'mail.example.com', 10))).toBe('10 mail.example.com.');
    expect(rdata(record('@', 'MX', '.', 0))).toBe('0 .');
    expect(rdata(record('_sip._tcp', 'SRV', '5 5060 sip.example.com', 10))).toBe(
      '10 5 5060 sip.example.com.',
    );
    expect(rdata(record('_x._udp', 'SRV', '0 0 .', 0))).toBe('0 0 0 .');
    expect(rdata(record('@', 'CAA', '0 issue "letsencrypt.org"'))).toBe(
      '0 issue "letsencrypt.org"',
    );
    expect(rdata(record('@', 'CAA', '128 iodef "mailto:a\\"b@example.com"'))).toBe(
      '128 iodef "mailto:a\\"b@example.com"',
    );
    expect(rdata(record('@', 'AAAA', '2001:db8::1'))).toBe('2001:db8::1');
    expect(rdata(record('@', 'TXT', 'x'.repeat(300)))).toBe(
      `"${'x'.repeat(255)}" "${'x'.repeat(45)}"`,
    );
  });

  it('never writes ##[, which a GitHub Actions log would read as a command', () => {
    expect(rdata(record('@', 'TXT', 'a ###[add-mask]x'))).toBe('"a ###\\091add-mask]x"');
    expect(rdata(record('@', 'CAA', '0 issue "##[error]x"'))).toBe('0 issue "##\\091error]x"');
  });
});

describe('renderBindZone', () => {
  it('writes $ORIGIN, $TTL, the SOA and the provider nameservers', () => {
    const text = renderBindZone('example.com', [record('@', 'A', '192.0.2.1')], {
      serial: 2024011501,
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('$ORIGIN example.com.');
    expect(lines[1]).toBe('$TTL 3600');
    expect(lines[2]).toMatch(/^@\s+3600\s+IN SOA\s+ns1\.vps\.org\. hostmaster\.vps\.org\. \($/);
    expect(text).toMatch(/^\s+2024011501 ; serial$/m);
    expect(text).toMatch(/^@\s+3600\s+IN NS\s+ns1\.vps\.org\.$/m);
    expect(text).toMatch(/^@\s+3600\s+IN NS\s+ns2\.vps\.org\.$/m);
    expect(text).toMatch(/^@\s+3600\s+IN A\s+192\.0\.2\.1$/m);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('uses the given nameservers, TTL and hostmaster', () => {
    const text = renderBindZone('example.org', [], {
      serial: 7,
      nameservers: ['a.ns.example.net', 'b.ns.example.net'],
      defaultTtl: 300,
      hostmaster: 'dns.admin@example.org',
    });
    expect(text).toContain('$TTL 300');
    expect(text).toMatch(/IN SOA\s+a\.ns\.example\.net\. dns\\\.admin\.example\.org\. \(/);
    expect(text).toMatch(/^@\s+300\s+IN NS\s+b\.ns\.example\.net\.$/m);
  });

  it('leaves out the provider NS when the records declare apex NS themselves', () => {
    const text = renderBindZone(
      'example.com',
      [record('@', 'NS', 'ns1.mine.net'), record('@', 'NS', 'ns2.mine.net')],
      { serial: 1 },
    );
    expect(text).not.toMatch(/IN NS\s+ns\d\.vps\.org/);
    expect(text).toMatch(/IN NS\s+ns1\.mine\.net\.$/m);
    // A delegation below the apex does not count as apex NS.
    const delegated = renderBindZone('example.com', [record('sub', 'NS', 'ns1.other.net')], {
      serial: 1,
    });
    expect(delegated).toMatch(/^@\s+\d+\s+IN NS\s+ns1\.vps\.org\.$/m);
  });

  it('sorts records: apex first, then names; is independent of input order', () => {
    const records = [
      record('www', 'A', '192.0.2.2'),
      record('@', 'TXT', 'hello'),
      record('@', 'A', '192.0.2.1'),
      record('api', 'A', '192.0.2.3'),
    ];
    const text = renderBindZone('example.com', records, { serial: 1 });
    const owners = text
      .split('\n')
      .filter((l) => / IN (A|TXT) /.test(l))
      .map((l) => l.split(/\s+/)[0]);
    expect(owners).toEqual(['@', '@', 'api', 'www']);
    expect(renderBindZone('example.com', records.toReversed(), { serial: 1 })).toBe(text);
  });
});

const FULL_ZONE: DnsRecord<string>[] = [
  record('@', 'A', '192.0.2.1'),
  record('@', 'AAAA', '2001:db8::1'),
  record('@', 'MX', 'mail.example.com', 10, 300),
  record('@', 'TXT', 'v=spf1 include:_spf.example.net ~all'),
  record('@', 'CAA', '0 issue "letsencrypt.org"'),
  record('@', 'CAA', '0 issuewild ";"'),
  record('@', 'CAA', '128 iodef "mailto:security@example.com"'),
  record('mail', 'A', '192.0.2.25'),
  record('mail', 'AAAA', '2001:db8::25'),
  record('www', 'CNAME', 'example.com'),
  record('*', 'A', '192.0.2.80'),
  record('*.apps', 'CNAME', 'lb.example.net'),
  record('sub', 'NS', 'ns1.other-dns.net'),
  record('sub', 'NS', 'ns2.other-dns.net'),
  record('_sip._tcp', 'SRV', '5 5060 sip.example.net', 10),
  record('_xmpp._tcp', 'SRV', '0 0 .', 0),
  record('nomail', 'MX', '.', 0),
  record('long300', 'TXT', 'a'.repeat(300)),
  record('long600', 'TXT', `${'0123456789'.repeat(60)}`),
  record('quotes', 'TXT', 'say "hello"; C:\\path\\ (not a comment)'),
  record('utf8', 'TXT', 'ääkköset ja 😀 '.repeat(30)),
  record('ctrl', 'TXT', 'tab\there\u0001end'),
  record(
    'dkim._domainkey',
    'TXT',
    `v=DKIM1; k=rsa; p=${'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A'.repeat(12)}`,
  ),
];

describe('named-checkzone accepts the rendering', () => {
  it.skipIf(!HAS_CHECKZONE)(
    'of every record type, wildcards, SRV, CAA, null MX and long TXT',
    () => {
      const text = renderBindZone('example.com', FULL_ZONE, { serial: 2026011801 });
      const result = checkZone('example.com', text);
      expect(result.output).toContain('loaded serial 2026011801');
      expect(result.ok, result.output).toBe(true);
      for (const type of ['SOA', 'NS', 'A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'CAA']) {
        expect(result.dump).toMatch(new RegExp(`\\sIN ${type}\\s`));
      }
      expect(result.dump).toMatch(/^\*\.example\.com\.\s+3600\s+IN A\s+192\.0\.2\.80$/m);
      expect(result.dump).toMatch(/^nomail\.example\.com\.\s+3600\s+IN MX\s+0 \.$/m);
      expect(result.dump).toMatch(
        /^_sip\._tcp\.example\.com\.\s+3600\s+IN SRV\s+10 5 5060 sip\.example\.net\.$/m,
      );
    },
  );

  it.skipIf(!HAS_CHECKZONE)(
    'keeping every TXT octet: BIND reads back exactly the text given',
    () => {
      const text = renderBindZone('example.com', FULL_ZONE, { serial: 1 });
      const txt = txtFromDump(checkZone('example.com', text).dump);
      for (const r of FULL_ZONE.filter((r) => r.type === 'TXT')) {
        const owner = r.name === '@' ? 'example.com.' : `${r.name}.example.com.`;
        expect(txt.get(owner)?.toString('utf8'), owner).toBe(r.value);
      }
    },
  );

  it.skipIf(!HAS_CHECKZONE)('of arbitrary TXT text, octet for octet', () => {
    const samples = fc.sample(
      fc.string({
        unit: fc.oneof(
          fc.constantFrom('"', '\\', ';', ' ', '(', '\t', '\u0000', '#', '[', '##[', '\x1b'),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        ),
        minLength: 1,
        maxLength: 700,
      }),
      { numRuns: 60, seed: 4242 },
    );
    const records = samples.map((value, i) => record(`t${i}`, 'TXT', value));
    const result = checkZone('example.com', renderBindZone('example.com', records, { serial: 1 }));
    expect(result.ok, result.output).toBe(true);
    const txt = txtFromDump(result.dump);
    for (const [i, value] of samples.entries()) {
      // Lone surrogates cannot be written as UTF-8; compare what UTF-8 encoding makes of them.
      const expected = Buffer.from(value, 'utf8');
      expect(txt.get(`t${i}.example.com.`)?.equals(expected), JSON.stringify(value)).toBe(true);
    }
  });

  it.skipIf(!HAS_CHECKZONE)('and the harness does notice a broken zone', () => {
    const broken = renderBindZone(
      'example.com',
      [record('www', 'CNAME', 'example.com'), record('www', 'A', '192.0.2.1')],
      { serial: 1 },
    );
    expect(checkZone('example.com', broken).ok).toBe(false);
  });
});
