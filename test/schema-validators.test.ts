/**
 * The schema validators `npm run build` compiles into dist/validators/ (scripts/
 * gen-validators.mjs) judge every input as ajv compiling the schema at run time did: the
 * same verdict and the same errors, so messages and their positions stay as they were.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsMod from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { computePlan } from '../src/plan/index.js';
import { loadValidator } from '../src/schemas.js';
import { richInputs } from './plan-fixtures.js';

const root = new URL('../', import.meta.url);
const addFormats = addFormatsMod.default;

/** The validator as dnssync built it at run time before (the options each reader used). */
function compiledAtRunTime(schema: string, options: { verbose: boolean; formats: boolean }) {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: options.verbose });
  if (options.formats) addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(new URL(`schemas/${schema}`, root), 'utf8')));
}

function yamlFiles(dir: string): unknown[] {
  const path = new URL(dir, root).pathname;
  return readdirSync(path)
    .filter((name) => /\.ya?ml$/.test(name))
    .flatMap((name) => {
      try {
        return [parse(readFileSync(join(path, name), 'utf8'))];
      } catch {
        return []; // not YAML at all: the schema never sees it
      }
    });
}

function richPlan(): Record<string, unknown> {
  const inputs = richInputs();
  const plan = computePlan(inputs.desired, inputs.live, { unmanagedZones: ['parked.example'] });
  return JSON.parse(JSON.stringify(plan)) as Record<string, unknown>;
}

const zones = [
  ...yamlFiles('zones/'),
  ...yamlFiles('test/fixtures/valid/'),
  ...yamlFiles('test/fixtures/invalid/'),
  { records: [{ name: 'mail', type: 'MX', value: 'mx.example.com' }] },
  { records: [{ name: 'www', type: 'A', value: '192.0.2.1', priority: 10, tll: 300 }] },
  { domain: '', records: [{ name: 'x'.repeat(70), type: 'TXT', values: [] }], extra: true },
];

const settings = [
  {},
  { checks: { 'spf-lookups': 'warning' }, limits: { 'ttl-min': 60 } },
  { checks: { 'spf-lookups': 'loud', Bad_Id: 'off' } },
  { limits: { 'ttl-min': 'sixty', 'ttl-max': -1 }, other: 1 },
  [],
];

const plans = [
  richPlan(),
  { ...richPlan(), extra: 1 },
  { ...richPlan(), format_version: 2, zones: 'none' },
  { ...richPlan(), summary: { create: -1 } },
  {},
];

const CASES = [
  { name: 'zone', schema: 'zone.schema.json', verbose: true, formats: false, inputs: zones },
  {
    name: 'dnssync',
    schema: 'dnssync.schema.json',
    verbose: true,
    formats: false,
    inputs: settings,
  },
  { name: 'plan', schema: 'plan.schema.json', verbose: false, formats: true, inputs: plans },
] as const;

describe('the validators compiled at build time', () => {
  it.each(CASES)('$name: the same verdicts and errors as compiling $schema', async (each) => {
    const built = await loadValidator(each.name);
    const reference = compiledAtRunTime(each.schema, each);
    const verdicts = each.inputs.map((input) => {
      const valid = built(input);
      expect(valid).toBe(reference(input));
      expect(built.errors ?? null).toEqual(reference.errors ?? null);
      return valid;
    });
    // Both kinds were tried.
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
  });

  it('leave ajv’s compiler out of every module dnssync runs', () => {
    const dist = new URL('dist/', root).pathname;
    const modules = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((name) =>
      name.endsWith('.js'),
    );
    const importers = modules.filter((name) =>
      /\bfrom ['"]ajv(-formats)?['"]|import\(['"]ajv/.test(readFileSync(join(dist, name), 'utf8')),
    );
    expect(modules).toEqual(
      expect.arrayContaining(['validators/zone.js', 'validators/dnssync.js', 'validators/plan.js']),
    );
    expect(importers).toEqual([]);
  });
});
