/** Types of bench/gen-zones.mjs, for the tests that use it. */
export interface GenerateOptions {
  zones?: number;
  records?: number;
  seed?: number;
}

/** The text of zone number `zoneIndex` with exactly `recordCount` records. */
export function zoneText(
  zoneIndex: number,
  recordCount: number,
  seed?: number,
): { domain: string; text: string };

/** Writes the zone files into `dir` (created if needed); returns their paths. */
export function generateZones(dir: string, options?: GenerateOptions): Promise<string[]>;
