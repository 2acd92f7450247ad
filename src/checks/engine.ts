/**
 * Runs the checks over desired zones and turns findings into issues, each at its
 * record's position, at the severity the configuration gives: the record's own
 * `checks:` first, then the zone file's, then the repository's dnssync.yaml, then the
 * check's default. Pure.
 */
import type { CheckSettings, DesiredZone, Issue } from '../model.js';
import { OFFLINE_CHECKS } from './catalog.js';
import { type CheckLevel, type CheckLimits, DEFAULT_LIMITS, type Finding } from './types.js';
import { zoneView } from './zone-view.js';

export interface ChecksConfig {
  /** The repository's levels (dnssync.yaml `checks:`). */
  levels: CheckSettings;
  limits: CheckLimits;
}

export const DEFAULT_CONFIG: ChecksConfig = { levels: {}, limits: DEFAULT_LIMITS };

/** The level of check `id` for one finding. */
export function levelOf(
  id: string,
  defaultLevel: CheckLevel,
  zone: DesiredZone,
  finding: Finding,
  config: ChecksConfig,
): CheckLevel {
  return finding.record.checks?.[id] ?? zone.checks?.[id] ?? config.levels[id] ?? defaultLevel;
}

/** The issue a finding becomes; its message ends with the check id, so it can be looked up and silenced. */
export function findingIssue(
  id: string,
  level: Exclude<CheckLevel, 'off'>,
  zone: DesiredZone,
  finding: Finding,
): Issue {
  const pos = finding.record.pos ?? { file: zone.file, line: 1, col: 1 };
  return {
    code: id,
    severity: level,
    message: `${finding.message} [${id}]`,
    file: pos.file,
    line: pos.line,
    col: pos.col,
  };
}

/**
 * `zoneFiles`: the domains the repository has zone files for → their file (by default,
 * those of `zones`).
 */
export function runOfflineChecks(
  zones: readonly DesiredZone[],
  config: ChecksConfig = DEFAULT_CONFIG,
  zoneFiles: ReadonlyMap<string, string> = new Map(zones.map((zone) => [zone.domain, zone.file])),
): Issue[] {
  const issues: Issue[] = [];
  for (const zone of zones) {
    const context = { view: zoneView(zone), limits: config.limits, zoneFiles };
    for (const check of OFFLINE_CHECKS) {
      for (const finding of check.run(context)) {
        const level = levelOf(check.id, check.severity, zone, finding, config);
        if (level !== 'off') issues.push(findingIssue(check.id, level, zone, finding));
      }
    }
  }
  return issues;
}
