/** The types whose value is one hostname. */
import { canonicalHostname } from './names.js';
import { defineType } from './type.js';

export const CNAME = defineType({
  type: 'CNAME',
  value: 'hostname (not at the apex, alone at its name)',
  canonical: 'lowercase, no trailing dot',
  example: 'target.example.com',
  rdata: [{ name: 'hostname', kind: 'host' }],
  parse: (raw) => canonicalHostname(raw, false),
  nameRule: (name, domain) =>
    name === '@'
      ? {
          code: 'cname-apex',
          message: `a CNAME cannot be at the apex of ${domain} (it would hide the zone's SOA and NS)`,
        }
      : null,
});

/** A mail exchanger hostname, or `.` for a null MX (RFC 7505). */
export const MX = defineType({
  type: 'MX',
  value: 'hostname, or `.` (null MX, priority 0, alone) + `priority`',
  canonical: 'lowercase, no trailing dot',
  example: 'mail.example.com',
  rdata: [
    { name: 'preference', kind: 'priority', octodns: ['preference', 'priority'] },
    { name: 'exchange', kind: 'host', octodns: ['exchange', 'value'] },
  ],
  parse: (raw) => canonicalHostname(raw, true),
});

export const NS = defineType({
  type: 'NS',
  value: 'hostname',
  canonical: 'lowercase, no trailing dot',
  example: 'ns1.example.net',
  rdata: [{ name: 'hostname', kind: 'host' }],
  parse: (raw) => canonicalHostname(raw, false),
});
