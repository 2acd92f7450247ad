/**
 * A and AAAA. Node's own parsers decide what is an address (node:net's isIPv4 and
 * isIPv6 are pure functions; .dependency-cruiser.cjs allows them here), and the WHATWG
 * URL serializer writes IPv6 in RFC 5952 form.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { fail, ok } from '../result.js';
import { defineType } from './type.js';

/**
 * RFC 5952 text form: lowercase, leading zeros dropped, the longest run of zero groups
 * (the first on a tie, only runs of two or more) as `::`, IPv4-mapped in dotted form.
 * Any RFC 4291 spelling is accepted, but no zone index and no brackets.
 */
export function canonicalIPv6(raw: string): string | null {
  const text = raw.trim();
  if (!isIPv6(text) || text.includes('%')) return null;
  const host = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  // The serializer writes IPv4-mapped addresses in hex (::ffff:c000:201).
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!mapped) return host;
  const hi = Number.parseInt(mapped[1] ?? '', 16);
  const lo = Number.parseInt(mapped[2] ?? '', 16);
  return `::ffff:${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export const A = defineType({
  type: 'A',
  value: 'IPv4 dotted quad, no leading zeros (some tools read them as octal)',
  canonical: 'as written',
  example: '192.0.2.1',
  rdata: [{ name: 'address', kind: 'word' }],
  parse(raw) {
    // isIPv4 takes no leading zeros.
    const address = raw.trim();
    return isIPv4(address)
      ? ok(address)
      : fail(`"${raw}" is not an IPv4 address (four numbers 0-255, no leading zeros)`);
  },
});

export const AAAA = defineType({
  type: 'AAAA',
  value: 'IPv6 in any notation',
  canonical: 'RFC 5952: lowercase, compressed, IPv4-mapped as `::ffff:a.b.c.d`',
  example: '2001:db8::1',
  rdata: [{ name: 'address', kind: 'word' }],
  parse(raw) {
    const address = canonicalIPv6(raw);
    return address === null ? fail(`"${raw}" is not an IPv6 address`) : ok(address);
  },
});
