/** schemas/zone.schema.json: strict, described for editors, and in step with the type table. */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RECORD_TYPES } from '../src/model.js';
import { RECORD_TYPE_DEFS } from '../src/records/index.js';
import { checkSchema, zoneSchema } from '../src/zonefile/schema.js';

interface SchemaNode {
  type?: string;
  description?: string;
  enum?: string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean;
  definitions?: Record<string, SchemaNode>;
  items?: SchemaNode;
  allOf?: Array<{ if: { properties: { type: { enum: string[] } } }; then: object }>;
  $ref?: string;
}

const schema = zoneSchema() as SchemaNode;
const definitions = schema.definitions ?? {};

describe('zone schema', () => {
  it('compiles with ajv, with no unknown keywords (strictSchema)', () => {
    expect(() =>
      new Ajv({ strictSchema: true, allErrors: true }).compile(zoneSchema()),
    ).not.toThrow();
  });

  it('is strict: no unknown keys anywhere', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(definitions['record']?.additionalProperties).toBe(false);
    expect(definitions['ignoreRule']?.additionalProperties).toBe(false);
  });

  it('describes every key, so editors show help on hover', () => {
    const described = (properties: Record<string, SchemaNode> = {}) =>
      Object.entries(properties)
        .filter(([, p]) => !p.description && !p.$ref)
        .map(([k]) => k);
    expect(described(schema.properties)).toEqual([]);
    expect(described(definitions['record']?.properties)).toEqual([]);
    expect(described(definitions['ignoreRule']?.properties)).toEqual([]);
    expect(definitions['recordType']?.description).toBeTruthy();
  });

  it('lists exactly the managed record types', () => {
    expect(definitions['recordType']?.enum).toEqual([...RECORD_TYPES]);
  });

  it('requires priority exactly for the types that carry one, and forbids it for the rest', () => {
    const [required, forbidden] = definitions['record']?.allOf ?? [];
    const withPriority = RECORD_TYPES.filter((t) => RECORD_TYPE_DEFS[t].hasPriority);
    const without = RECORD_TYPES.filter((t) => !RECORD_TYPE_DEFS[t].hasPriority);
    expect(required?.if.properties.type.enum).toEqual(withPriority);
    expect(required?.then).toEqual({ required: ['priority'] });
    expect(forbidden?.if.properties.type.enum).toEqual(without);
    expect(forbidden?.then).toEqual({ not: { required: ['priority'] } });
  });

  it('accepts the documented example and rejects each kind of mistake in plain words', () => {
    expect(
      checkSchema({
        domain: 'example.com',
        ttl: 3600,
        purge: true,
        ignore: [
          { name: '_acme-challenge*', type: 'TXT' },
          { name: 'x', type: ['A', 'AAAA'] },
        ],
        records: [
          { name: '@', type: 'MX', value: 'mail.example.com', priority: 10, ttl: 300 },
          { name: '@', type: 'A', values: ['192.0.2.2', '192.0.2.3'], comment: 'two' },
        ],
      }),
    ).toEqual([]);
    const problems = checkSchema({
      ttl: 'long',
      records: [{ name: 'www', type: 'SRV', value: '1 2 a.example' }, { name: 'x' }, 'oops'],
      extra: 1,
    });
    expect(problems.map((p) => p.message).sort()).toEqual([
      'extra: unknown key "extra"; allowed: domain, ttl, purge, ignore, records, checks',
      'records[0].priority: SRV records need a priority (0-65535)',
      'records[1]: a record needs a value (or a values: list)',
      'records[1]: missing required key "type"',
      'records[2]: must be a mapping of keys to values',
      'ttl: must be a whole number',
    ]);
  });
});
