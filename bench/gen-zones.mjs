#!/usr/bin/env node
/**
 * Writes a large set of realistic, valid zone files for benchmarks:
 *   node bench/gen-zones.mjs DIR [--zones 1000] [--records 100] [--seed 1]
 * Each zone holds exactly `records` records (after `values:` expansion) of all eight
 * types, in the mix of flow and block style, comments, FQDN names, trailing dots and
 * IPv6 spellings that people actually write. Output is deterministic for a given seed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORDS = [
  'acme',
  'north',
  'harbor',
  'pixel',
  'cedar',
  'orbit',
  'lumen',
  'atlas',
  'maple',
  'ember',
  'delta',
  'quartz',
  'river',
  'summit',
  'nova',
  'willow',
  'falcon',
  'copper',
  'tidal',
  'aurora',
];
const HOSTS = [
  'www',
  'api',
  'app',
  'mail',
  'shop',
  'blog',
  'cdn',
  'static',
  'git',
  'ci',
  'vpn',
  'db',
  'cache',
  'auth',
  'status',
  'docs',
  'admin',
  'media',
  'files',
  'dev',
  'stage',
  'edge',
];
const SERVICES = [
  ['_sip', '_tcp', 5060],
  ['_sip', '_udp', 5060],
  ['_xmpp-client', '_tcp', 5222],
  ['_imaps', '_tcp', 993],
  ['_submission', '_tcp', 587],
  ['_ldap', '_tcp', 389],
  ['_minecraft', '_tcp', 25565],
  ['_caldavs', '_tcp', 443],
];

/** Small deterministic PRNG (mulberry32), so every run benchmarks the same files. */
function randomSource(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max) => Math.floor(next() * max);
  const pick = (list) => list[int(list.length)];
  return { next, int, pick };
}

function domainName(index) {
  const a = WORDS[index % WORDS.length];
  const b = WORDS[Math.floor(index / WORDS.length) % WORDS.length];
  return `${a}-${b}-${String(index).padStart(4, '0')}.test`;
}

const quote = (text) => JSON.stringify(text);

/** One record entry in flow or block style; `fields` keeps its key order. */
function entry(fields, block) {
  const parts = Object.entries(fields).filter(([, v]) => v !== undefined);
  if (!block) {
    const inner = parts
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`)
      .join(', ');
    return `  - { ${inner} }\n`;
  }
  let out = '';
  for (const [index, [k, v]] of parts.entries()) {
    const lead = index === 0 ? '  - ' : '    ';
    if (Array.isArray(v)) {
      out += `${lead}${k}:\n`;
      for (const item of v) out += `      - ${item}\n`;
    } else out += `${lead}${k}: ${v}\n`;
  }
  return out;
}

/** Addresses of one zone in turn, so no name gets the same address twice. */
function addressPool(net, start) {
  let next = start;
  return () => `${net}.${1 + (next++ % 254)}`;
}

function ipv6(random, zoneIndex, host) {
  const group = (zoneIndex % 65535).toString(16);
  const tail = (host + 1).toString(16);
  switch (random.int(3)) {
    case 0:
      return quote(`2001:db8:${group}::${tail}`);
    case 1:
      // Uppercase, fully written out: dnssync must treat it as the same address.
      return quote(
        `2001:0DB8:${group.padStart(4, '0').toUpperCase()}:0000:0000:0000:0000:${tail.padStart(4, '0')}`,
      );
    default:
      return quote(`2001:db8:${group}:0:0:0:0:${tail}`);
  }
}

/** The text of one zone file with exactly `recordCount` records. */
export function zoneText(zoneIndex, recordCount, seed = 1) {
  const random = randomSource(seed * 1_000_003 + zoneIndex);
  const domain = domainName(zoneIndex);
  const ipv4 = addressPool(
    `10.${zoneIndex % 256}.${Math.floor(zoneIndex / 256) % 256}`,
    random.int(254),
  );
  let text = '# yaml-language-server: $schema=../schemas/zone.schema.json\n';
  text += `# Zone ${domain}, generated for benchmarks.\n`;
  if (random.int(2) === 0) text += `domain: ${domain}\n`;
  text += `ttl: ${random.pick([300, 1800, 3600])}\n`;
  if (random.int(4) === 0) text += 'purge: false\n';
  text += 'ignore:\n  - name: "_acme-challenge*"\n    type: TXT\n';
  text += 'records:\n';

  let left = recordCount;
  const add = (fields, count) => {
    text += entry(fields, random.int(3) === 0);
    left -= count;
  };

  // The apex: what almost every zone has.
  const apex = [
    () => add({ name: '"@"', type: 'A', values: [ipv4(), ipv4()] }, 2),
    () =>
      add(
        {
          name: '"@"',
          type: 'MX',
          priority: 10,
          values: [`mx1.mail.${domain}`, `mx2.mail.${domain}.`],
        },
        2,
      ),
    () => add({ name: '"@"', type: 'AAAA', value: ipv6(random, zoneIndex, 0) }, 1),
    () =>
      add(
        { name: '"@"', type: 'TXT', value: quote('v=spf1 include:_spf.mail.example.net -all') },
        1,
      ),
    () => add({ name: '"@"', type: 'CAA', value: `'0 issue "letsencrypt.org"'` }, 1),
    () =>
      add(
        {
          name: '_dmarc',
          type: 'TXT',
          value: quote(`v=DMARC1; p=reject; rua=mailto:dmarc@${domain}`),
        },
        1,
      ),
  ];
  for (const make of apex) {
    if (left >= 2) make();
  }

  // Then hosts, each at its own name, so no two records collide.
  for (let host = 0; left > 0; host++) {
    const label = `${HOSTS[host % HOSTS.length]}${host >= HOSTS.length ? Math.floor(host / HOSTS.length) : ''}`;
    const name = random.int(8) === 0 ? `${label}.${domain}.` : label;
    if (host % 10 === 0)
      text += `  # ${label}: ${random.pick(['web tier', 'managed by ops', 'see runbook', 'legacy, keep'])}\n`;
    const kind = random.int(20);
    const ttl = random.int(4) === 0 ? random.pick([60, 300, 600]) : undefined;
    if (kind < 6) {
      if (left >= 3 && random.int(2) === 0) {
        add({ name, type: 'A', values: [ipv4(), ipv4(), ipv4()], ttl }, 3);
      } else add({ name, type: 'A', value: ipv4(), ttl }, 1);
    } else if (kind < 9) {
      add(
        {
          name,
          type: 'AAAA',
          value: ipv6(random, zoneIndex, host),
          ttl,
          comment: random.int(3) === 0 ? quote('dual-stack host') : undefined,
        },
        1,
      );
    } else if (kind < 12) {
      const target = random.int(2) === 0 ? `${domain}.` : `${label}.hosting.example.net`;
      add({ name, type: 'CNAME', value: target, ttl }, 1);
    } else if (kind < 14) {
      const value = random.pick([
        `google-site-verification=${random.next().toString(36).slice(2, 14)}`,
        'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRg',
        'path=C:\\Program Files\\app; quoted "inner" text',
      ]);
      add({ name, type: 'TXT', value: quote(value), ttl }, 1);
    } else if (kind < 16) {
      const [service, proto, port] = SERVICES[host % SERVICES.length];
      const srvName = `${service}.${proto}${host >= SERVICES.length ? `.${label}` : ''}`;
      add(
        {
          name: srvName,
          type: 'SRV',
          priority: random.int(20),
          value: `${random.int(100)} ${port} ${label}.${domain}`,
        },
        1,
      );
    } else if (kind < 17 && left >= 2) {
      add(
        {
          name,
          type: 'NS',
          values: [`ns1.${label}-dns.example.net.`, `ns2.${label}-dns.example.net`],
        },
        2,
      );
    } else if (kind < 18) {
      add({ name, type: 'MX', priority: 5 + random.int(20), value: `mx.${label}.${domain}` }, 1);
    } else if (kind < 19) {
      add({ name, type: 'CAA', value: `'0 iodef "mailto:security@${domain}"'` }, 1);
    } else {
      add({ name: `"*.${label}"`, type: 'CNAME', value: `${label}.previews.example.net.` }, 1);
    }
  }
  return { domain, text };
}

/** Writes `zones` zone files into `dir` (created if needed); returns their paths. */
export async function generateZones(dir, { zones = 1000, records = 100, seed = 1 } = {}) {
  await mkdir(dir, { recursive: true });
  const paths = [];
  for (let index = 0; index < zones; index++) {
    const { domain, text } = zoneText(index, records, seed);
    const path = join(dir, `${domain}.yaml`);
    await writeFile(path, text);
    paths.push(path);
  }
  return paths;
}

function parseArgs(argv) {
  const options = { zones: 1000, records: 100, seed: 1 };
  let dir;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--zones' || arg === '--records' || arg === '--seed') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1)
        throw new Error(`${arg} needs a whole number of at least 1`);
      options[arg.slice(2)] = value;
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else dir = arg;
  }
  if (!dir)
    throw new Error('usage: node bench/gen-zones.mjs DIR [--zones N] [--records N] [--seed N]');
  return { dir, ...options };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { dir, ...options } = parseArgs(process.argv.slice(2));
    const paths = await generateZones(dir, options);
    process.stdout.write(
      `wrote ${paths.length} zone files (${options.records} records each) to ${dir}\n`,
    );
  } catch (error) {
    process.stderr.write(`gen-zones: ${error.message}\n`);
    process.exitCode = 1;
  }
}
