// What dns-packet 5.6 has and @types/dns-packet 5.6 does not declare.
import 'dns-packet';

declare module 'dns-packet' {
  interface DecodedPacket {
    /** NOERROR, NXDOMAIN, REFUSED, SERVFAIL, ... */
    rcode: string;
  }
  /** The RDATA codec of a type (a Buffer codec for types it does not know). */
  function record(type: string): {
    /** The RDATA behind its two-octet length at `offset`; `bytes` is how many it read. */
    decode: ((buf: Buffer, offset?: number) => unknown) & { bytes: number };
  };
}
