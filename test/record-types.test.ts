/**
 * The record-type table is the one home of per-type knowledge: every format reads and
 * writes every type through it, the generated files follow it, and the sandbox keeps its
 * own list (VPS.org's) on purpose.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generate } from '../scripts/gen-schemas.mjs';
import { parseBindZone } from '../src/interop/bind-parse.js';
import { parseOctodnsZone } from '../src/interop/octodns.js';
import type { DnsRecord } from '../src/model.js';
import {
  RECORD_TYPE_DEFS,
  RECORD_TYPES,
  type RecordType,
  type RecordTypeDef,
} from '../src/records/index.js';
import { renderBindZone } from '../src/render/bind.js';
import { VPS_RECORD_TYPES } from '../src/sandbox/validate.js';

const ROOT = new URL('..', import.meta.url);
const DOMAIN = 'example.com';
/** A name every type may have (SRV wants `_service._proto`). */
const NAME = '_svc._tcp';

/** Canonical values worth a round trip, besides each type's example. */
const MORE: Partial<Record<RecordType, string[]>> = {
  AAAA: ['::ffff:192.0.2.1', '2001:db8::1:0:0:1'],
  CNAME: ['xn--bcher-kva.example'],
  MX: ['.'],
  TXT: [`v=DKIM1; p=${'A'.repeat(300)} ünïcödé "quoted" back\\slash`],
  SRV: ['0 0 .'],
  CAA: ['128 issue "a\\"b; c"', '0 iodef "mailto:security@example.com"'],
};

const cases = RECORD_TYPES.flatMap((type) =>
  [RECORD_TYPE_DEFS[type].example, ...(MORE[type] ?? [])].map((value) => {
    const def: RecordTypeDef = RECORD_TYPE_DEFS[type];
    const priority = def.hasPriority ? (value === '.' ? 0 : 10) : null;
    const record: DnsRecord = { name: NAME, type, value, ttl: 300, priority };
    return [`${type} ${value.slice(0, 40)}`, def, record] as const;
  }),
);

/** The field's text in a canonical value, without quotes and escapes. */
const unquoted = (text: string) => text.slice(1, -1).replace(/\\(.)/gs, '$1');

/** What dns-packet encodes for the record (the inverse of `fromAnswer`). */
function answerData(def: RecordTypeDef, record: DnsRecord): unknown {
  const parts = def.fields(record.value);
  const data: Record<string, unknown> = {};
  for (const field of def.rdata) {
    if (field.kind === 'priority') {
      data[field.name] = record.priority;
      continue;
    }
    const part = parts.shift() ?? '';
    if (field.kind === 'uint8' || field.kind === 'uint16') data[field.name] = Number(part);
    else if (field.kind === 'string') data[field.name] = unquoted(part);
    else if (field.kind === 'text')
      data[field.name] = [Buffer.from(part).subarray(0, 255), Buffer.from(part).subarray(255)];
    else data[field.name] = part;
  }
  return def.rdata.length === 1 ? Object.values(data)[0] : data;
}

/** The record's RDATA on the wire, as dns-packet writes it. */
function wireRdata(def: RecordTypeDef, record: DnsRecord): Buffer {
  const message = dnsPacket.encode({
    type: 'response',
    answers: [{ type: def.type, name: '.', ttl: 0, data: answerData(def, record) } as never],
  });
  // Header (12), the root name (1), type, class, TTL and RDATA length (10).
  return message.subarray(23);
}

describe.each(cases)('%s goes through every format the same', (_, def, record) => {
  it('DNS answers (dns-packet) → fromAnswer → parse', () => {
    const message = dnsPacket.encode({
      type: 'response',
      answers: [{ type: def.type, name: DOMAIN, ttl: 60, data: answerData(def, record) } as never],
    });
    const [answer] = dnsPacket.decode(message).answers ?? [];
    const data = (answer as { data?: unknown } | undefined)?.data;
    const read = def.fromAnswer(data);
    if (!read.ok) throw new Error(read.reason);
    expect(read.value.priority).toBe(record.priority);
    expect(def.parse(read.value.value)).toMatchObject({ ok: true, value: record.value });
  });

  it('BIND export → import, and RFC 3597 generic RDATA', () => {
    const zone = renderBindZone(DOMAIN, [record], { serial: 1 });
    const wire = wireRdata(def, record);
    const generic = `${NAME} 300 IN ${def.type} \\# ${wire.length} ${wire.toString('hex')}\n`;
    for (const text of [zone, `$ORIGIN ${DOMAIN}.\n${generic}`]) {
      const parsed = parseBindZone(`db.${DOMAIN}`, text);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.reason));
      expect(parsed.value.records.map(({ from: _line, ...plain }) => plain)).toEqual([record]);
    }
  });

  it('octoDNS import', () => {
    const fields = def.fields(record.value);
    const value =
      def.rdata.length === 1
        ? record.value.replaceAll(';', '\\;')
        : Object.fromEntries(
            def.rdata.map((field) => {
              const key = field.octodns?.[0] ?? field.name;
              if (field.kind === 'priority') return [key, record.priority];
              const part = fields.shift() ?? '';
              return [key, field.kind === 'string' ? unquoted(part) : part];
            }),
          );
    const text = stringify({ [NAME]: { type: def.type, ttl: 300, value } });
    const parsed = parseOctodnsZone(`${DOMAIN}.yaml`, text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.reason));
    expect(parsed.value.records).toEqual([record]);
  });
});

describe('the type table', () => {
  it('reads nothing from an answer of the wrong shape', () => {
    expect(RECORD_TYPE_DEFS.MX.fromAnswer({ preference: 1 })).toEqual({
      ok: false,
      reason: 'exchange is not text',
    });
    expect(RECORD_TYPE_DEFS.SRV.fromAnswer(Buffer.from('x')).ok).toBe(false);
    expect(RECORD_TYPE_DEFS.A.fromAnswer(undefined).ok).toBe(false);
  });

  it('knows what each type points at, and the rules on names', () => {
    expect(RECORD_TYPE_DEFS.SRV.target('5 5060 sip.example.com')).toBe('sip.example.com');
    expect(RECORD_TYPE_DEFS.MX.target('.')).toBeNull();
    expect(RECORD_TYPE_DEFS.TXT.target('mail.example.com')).toBeNull();
    expect(RECORD_TYPE_DEFS.CAA.fields('0 issue "a b \\" c"')).toEqual([
      '0',
      'issue',
      '"a b \\" c"',
    ]);
    expect(RECORD_TYPE_DEFS.CNAME.nameRule?.('@', DOMAIN)?.code).toBe('cname-apex');
    expect(RECORD_TYPE_DEFS.SRV.nameRule?.('sip', DOMAIN)?.code).toBe('srv-name');
    expect(RECORD_TYPE_DEFS.SRV.nameRule?.('_sip._tcp', DOMAIN)).toBeNull();
  });
});

describe('files generated from the table (scripts/gen-schemas.mjs)', () => {
  const FILES = {
    zone: 'schemas/zone.schema.json',
    plan: 'schemas/plan.schema.json',
    readme: 'README.md',
  } as const;
  const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
  const texts = () =>
    Object.fromEntries(Object.entries(FILES).map(([key, path]) => [key, read(path)])) as Record<
      keyof typeof FILES,
      string
    >;

  it('are what the generator writes from the table', () => {
    const current = texts();
    expect(generate(current)).toEqual(current);
    const zone = JSON.parse(current.zone);
    expect(zone.definitions.recordType.enum).toEqual(RECORD_TYPES);
    expect(JSON.parse(current.plan).definitions.record_type.enum).toEqual(RECORD_TYPES);
  });

  it('drift is found: a schema whose type list lacks a type, a README table with an old row', () => {
    const current = texts();
    const stale = {
      ...current,
      zone: current.zone.replace('"SRV", "CAA"]', '"SRV"]'),
      readme: current.readme.replace('| NS | hostname |', '| NS | a hostname |'),
    };
    expect(stale.zone).not.toBe(current.zone);
    expect(generate(stale)).toEqual(current);
  });

  // `npm run build` writes these files; in CI (a fresh checkout) any change it made means
  // the committed copies were out of date.
  it.runIf(process.env['CI'])('are committed as the build writes them', () => {
    const changed = execFileSync('git', ['status', '--porcelain', '--', ...Object.values(FILES)], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(changed).toBe('');
  });
});

describe("the sandbox's own list of types (VPS.org's documentation)", () => {
  it('agrees with the table today: the same types, priority for the same ones', () => {
    expect(Object.keys(VPS_RECORD_TYPES)).toEqual(RECORD_TYPES);
    for (const type of RECORD_TYPES) {
      expect(VPS_RECORD_TYPES[type]?.priority, type).toBe(RECORD_TYPE_DEFS[type].hasPriority);
    }
  });
});
