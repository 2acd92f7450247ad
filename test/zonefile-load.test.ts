/** loadZones over many files: the benchmark generator writes valid, realistic zones. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateZones, zoneText } from '../bench/gen-zones.mjs';
import { RECORD_TYPES } from '../src/model.js';
import { loadZones } from '../src/zonefile/load.js';
import { parseZoneFile } from '../src/zonefile/parse.js';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dnssync-load-'));
  await generateZones(dir, { zones: 120, records: 60, seed: 7 });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('bench/gen-zones.mjs', () => {
  it('writes valid zones with exactly the asked number of records, of all eight types', async () => {
    const { zones, issues, files } = await loadZones(dir);
    expect(issues).toEqual([]);
    expect(files).toHaveLength(120);
    for (const zone of zones) expect(zone.records).toHaveLength(60);
    const types = new Set(zones.flatMap((zone) => zone.records.map((record) => record.type)));
    expect([...types].sort()).toEqual([...RECORD_TYPES].sort());
  });

  it('uses values: lists, comments, block and flow style, FQDN names and IPv6 spellings', () => {
    const text = readdirSync(dir)
      .slice(0, 20)
      .map((file) => readFileSync(join(dir, file), 'utf8'))
      .join('\n');
    expect(text).toMatch(/values: \[/);
    expect(text).toMatch(/^\s+values:\n\s+- /m);
    expect(text).toMatch(/^\s+# /m);
    expect(text).toMatch(/^ {2}- name: /m);
    expect(text).toMatch(/^ {2}- \{ name: /m);
    expect(text).toMatch(/name: [a-z0-9-]+\.[a-z-]+-\d{4}\.test\.,/);
    expect(text).toMatch(/2001:0DB8:/);
  });

  it('is deterministic for a seed, and different for another seed', () => {
    expect(zoneText(3, 100, 1)).toEqual(zoneText(3, 100, 1));
    expect(zoneText(3, 100, 1).text).not.toEqual(zoneText(3, 100, 2).text);
    const { domain, text } = zoneText(5, 250, 1);
    const result = parseZoneFile(`zones/${domain}.yaml`, text);
    expect(result.issues).toEqual([]);
    expect(result.zone?.records).toHaveLength(250);
  });
});
