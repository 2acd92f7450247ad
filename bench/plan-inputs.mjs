/**
 * Inputs shared by the plan benchmarks: zone files from gen-zones.mjs (the desired side)
 * and, derived from them, live zones with a realistic amount of drift, both as the
 * planner's LiveZone values and as a sandbox state file.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadZones } from '../dist/zonefile/load.js';
import { generateZones } from './gen-zones.mjs';

export const BENCH_TOKEN = 'vps_bench_plan_token_0123456789abcdef';

/** Writes the zone files into a fresh temporary directory and loads them. */
export async function desiredZones({ zones, records }) {
  const dir = await mkdtemp(join(tmpdir(), 'dnssync-bench-plan-'));
  const zonesDir = join(dir, 'zones');
  await generateZones(zonesDir, { zones, records });
  const loaded = await loadZones(zonesDir);
  const errors = loaded.issues.filter((issue) => issue.severity === 'error');
  if (errors.length > 0)
    throw new Error(`generated zone files do not validate: ${errors[0].message}`);
  return { dir, zonesDir, desired: loaded.zones };
}

/**
 * Live zones that differ from the desired ones the way real drift does, per zone: every
 * 20th record has another TTL (update), every 50th is missing (create), one stray record
 * (delete), one duplicate (delete); plus the provider's SOA and apex NS (left alone).
 */
export function liveZonesFor(desired) {
  return desired.map((zone, zoneIndex) => {
    let n = 0;
    const uuid = () => `rec-${zoneIndex}-${n++}`;
    const records = [];
    zone.records.forEach((record, index) => {
      if (index % 50 === 49) return;
      const ttl = index % 20 === 19 ? record.ttl + 60 : record.ttl;
      records.push({ ...live(record), uuid: uuid(), ttl });
    });
    const first = zone.records[0];
    if (first) records.push({ ...live(first), uuid: uuid() });
    records.push({
      ...live({ name: 'stray', type: 'TXT', value: 'left over', ttl: 300, priority: null }),
      uuid: uuid(),
    });
    records.push({
      uuid: uuid(),
      name: '@',
      type: 'SOA',
      value: 'ns1.vps.org. hostmaster.vps.org. 1 3600 900 1209600 300',
      ttl: 3600,
      priority: null,
      manageable: false,
    });
    for (const ns of ['ns1.vps.org', 'ns2.vps.org']) {
      records.push({
        ...live({ name: '@', type: 'NS', value: ns, ttl: 3600, priority: null }),
        uuid: uuid(),
      });
    }
    return { uuid: `zone-${zoneIndex}`, domain: zone.domain, records };
  });
}

function live(record) {
  return {
    name: record.name,
    type: record.type,
    value: record.value,
    ttl: record.ttl,
    priority: record.priority,
    manageable: true,
  };
}

/** A sandbox state file holding `liveZones` (API spelling: relative names, canonical values). */
export async function writeSandboxState(path, liveZones) {
  const created_at = '2024-01-15T10:30:00Z';
  const state = {
    version: 1,
    tokens: [
      {
        token: BENCH_TOKEN,
        permissions: ['dns:list', 'dns:read', 'dns:create', 'dns:update', 'dns:delete'],
        owner: 'default',
      },
    ],
    zones: liveZones.map((zone) => ({
      uuid: zone.uuid,
      domain: zone.domain,
      owner: 'default',
      created_at,
      serial: 1,
      records: zone.records.map((record) => ({
        uuid: record.uuid,
        record_type: record.type,
        name: record.name,
        value: record.value,
        ttl: record.ttl,
        priority: record.priority,
        created_at,
      })),
    })),
  };
  await writeFile(path, JSON.stringify(state));
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
