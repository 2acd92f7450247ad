/** `--nameserver HOST[:PORT]` → addresses to ask; default: the provider's nameservers. */
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { UserError } from '../errors.js';
import { VPS_NAMESERVERS } from '../render/bind.js';
import type { Nameserver } from './query.js';

export interface NameserverSpec {
  host: string;
  port: number;
  /** As written, for messages. */
  text: string;
}

/** `192.0.2.1`, `192.0.2.1:5353`, `[2001:db8::1]:5353`, `2001:db8::1`, `ns.example:5353`. */
export function parseNameserver(text: string): NameserverSpec {
  return parseServerSpec(text, '--nameserver');
}

/** The same, for another option (`--resolver`), whose name the errors give. */
export function parseServerSpec(text: string, flag: string): NameserverSpec {
  const bad = (why: string) => new UserError(`${flag} ${text}: ${why}`);
  let host = text.trim();
  let port = 53;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (bracketed) {
    host = bracketed[1] ?? '';
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (isIP(host) !== 6) {
    const withPort = /^([^:]+):(\d+)$/.exec(host);
    if (withPort) {
      host = withPort[1] ?? '';
      port = Number(withPort[2]);
    } else if (host.includes(':')) {
      throw bad('write HOST:PORT, or [IPv6]:PORT');
    }
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad('the port must be 1-65535');
  if (host === '') throw bad('no host');
  return { host: host.replace(/\.$/, ''), port, text };
}

export function defaultNameservers(): NameserverSpec[] {
  return VPS_NAMESERVERS.map((host) => ({ host, port: 53, text: host }));
}

/**
 * Addresses for each spec. A hostname is looked up with the system resolver; its
 * IPv4 address is preferred (IPv6 is often unreachable from CI runners).
 */
export async function resolveNameservers(specs: readonly NameserverSpec[]): Promise<Nameserver[]> {
  return Promise.all(
    specs.map(async (spec) => {
      if (isIP(spec.host) !== 0) {
        const label = spec.port === 53 ? spec.host : spec.text;
        return { label, address: spec.host, port: spec.port };
      }
      let addresses: Array<{ address: string; family: number }>;
      try {
        addresses = await dns.lookup(spec.host, { all: true });
      } catch (error) {
        throw new UserError(
          `cannot find the address of nameserver ${spec.host}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
      const chosen = addresses.find((a) => a.family === 4) ?? addresses[0];
      if (!chosen) throw new UserError(`nameserver ${spec.host} has no address`);
      return {
        label: `${spec.text} (${chosen.address})`,
        address: chosen.address,
        port: spec.port,
      };
    }),
  );
}
