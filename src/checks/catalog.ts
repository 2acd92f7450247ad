/**
 * Every DNS check dnssync runs, in the order `dnssync checks` and the README list them.
 * Ids are stable: zone files and dnssync.yaml name them to change their severity.
 */
import { CAA_CHECKS } from './caa.js';
import { DELEGATION_CHECKS } from './delegation.js';
import { DKIM_CHECKS } from './dkim.js';
import { DMARC_CHECKS } from './dmarc.js';
import { NAME_CHECKS } from './names.js';
import { ONLINE_CHECKS } from './online/info.js';
import { SPF_CHECKS } from './spf.js';
import { TARGET_CHECKS } from './targets.js';
import { TTL_CHECKS } from './ttl.js';
import type { Check, OfflineCheck } from './types.js';

export const CHECKS: readonly Check[] = [
  ...SPF_CHECKS,
  ...DMARC_CHECKS,
  ...DKIM_CHECKS,
  ...TARGET_CHECKS,
  ...NAME_CHECKS,
  ...DELEGATION_CHECKS,
  ...CAA_CHECKS,
  ...TTL_CHECKS,
  ...ONLINE_CHECKS,
];

export const OFFLINE_CHECKS: readonly OfflineCheck[] = CHECKS.filter(
  (check): check is OfflineCheck => !check.online,
);

export const CHECK_IDS: readonly string[] = CHECKS.map((check) => check.id);
