#!/usr/bin/env node
/**
 * Which plan should the apply on merge hand to dnssync: the reviewed one or a fresh one?
 * Compares the reviewed plan with a fresh plan of the same zones by the fingerprints
 * every zone plan carries: `desired_fingerprint` (the zone file) and `live_fingerprint`
 * (live DNS as read). Equal fingerprints mean both were made from the same inputs, so
 * apply-reviewed.sh passes the reviewed file to `dnssync apply FILE`, which makes the
 * check that decides (a fresh plan must make exactly the file's changes; see "Saved
 * plans" in docs/design.md). This script only chooses, and says why a plan is stale.
 *
 *   node compare-plans.mjs REVIEWED.json FRESH.json
 *
 * Exit 0 and prints "current" when it is; exit 3 and prints one reason per line when it
 * is stale; exit 1 when a file cannot be read.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * @typedef {{ format_version?: unknown, zones?: Array<{ domain: string, live_fingerprint?: string | null, desired_fingerprint?: string }> }} PlanLike
 * @param {PlanLike} reviewed
 * @param {PlanLike} fresh
 * @returns {string[]} why the reviewed plan is stale; empty when it is current
 */
export function stalenessReasons(reviewed, fresh) {
  if (reviewed.format_version !== fresh.format_version) {
    return [
      `the reviewed plan has format_version ${JSON.stringify(reviewed.format_version)}, this dnssync writes ${JSON.stringify(fresh.format_version)}`,
    ];
  }
  const reasons = [];
  const reviewedZones = new Map((reviewed.zones ?? []).map((zone) => [zone.domain, zone]));
  const freshZones = new Map((fresh.zones ?? []).map((zone) => [zone.domain, zone]));
  const domains = [...new Set([...reviewedZones.keys(), ...freshZones.keys()])].sort();
  for (const domain of domains) {
    const before = reviewedZones.get(domain);
    const now = freshZones.get(domain);
    if (before === undefined) {
      reasons.push(`${domain}: its zone file is new since the plan was reviewed`);
    } else if (now === undefined) {
      reasons.push(`${domain}: its zone file is gone since the plan was reviewed`);
    } else if (!before.desired_fingerprint || !now.desired_fingerprint) {
      reasons.push(`${domain}: the plan carries no fingerprints to compare`);
    } else {
      if (before.desired_fingerprint !== now.desired_fingerprint) {
        reasons.push(`${domain}: the zone file changed since the plan was reviewed`);
      }
      if ((before.live_fingerprint ?? null) !== (now.live_fingerprint ?? null)) {
        reasons.push(`${domain}: live DNS changed since the plan was made`);
      }
    }
  }
  return reasons;
}

function main() {
  const [reviewedFile, freshFile] = process.argv.slice(2);
  if (!reviewedFile || !freshFile) {
    process.stderr.write('usage: compare-plans.mjs REVIEWED.json FRESH.json\n');
    return 1;
  }
  let reviewed;
  let fresh;
  try {
    reviewed = JSON.parse(readFileSync(reviewedFile, 'utf8'));
    fresh = JSON.parse(readFileSync(freshFile, 'utf8'));
  } catch (error) {
    process.stderr.write(`compare-plans: ${error instanceof Error ? error.message : error}\n`);
    return 1;
  }
  const reasons = stalenessReasons(reviewed, fresh);
  process.stdout.write(reasons.length === 0 ? 'current\n' : `${reasons.join('\n')}\n`);
  return reasons.length === 0 ? 0 : 3;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
