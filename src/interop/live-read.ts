/**
 * The live zones an import reads: one list request, screened for what can become a zone
 * file (a valid domain, asked for by name or --all), then the details of those zones
 * through the live reader plan and apply use (api/live.ts). Its cross-checks (one
 * domain listed twice, a detail that is not the zone asked for, a record uuid in two
 * places) end the import before anything is written, as they end plan and apply: the
 * three agree on which zone a domain is.
 */
import { createClientFromEnv, readLiveZones } from '../api/live.js';
import type { ApiZoneSummary } from '../api/types.js';
import { UserError } from '../errors.js';
import type { LiveZone } from '../model.js';
import { canonicalDomain } from '../records/index.js';
import { clipped, quoted } from '../text/terminal.js';
import type { SkippedZone } from './import-files.js';

export interface LiveForImport {
  /** Sorted by domain; each domain canonical, listed once, and read as that domain. */
  zones: LiveZone[];
  skipped: SkippedZone[];
}

export async function readLiveForImport(
  domains: readonly string[],
  options: { all?: boolean | undefined; client: { concurrency: number; timeoutMs: number } },
): Promise<LiveForImport> {
  const wanted = domains.map((raw) => {
    const domain = canonicalDomain(raw);
    if (!domain.ok) throw new UserError(`${quoted(raw)}: ${domain.reason}`);
    return domain.value;
  });
  const api = createClientFromEnv(options.client);
  try {
    // The API is untrusted: a listed domain becomes a file name, so it must be a domain.
    const listed: ApiZoneSummary[] = [];
    const skipped: SkippedZone[] = [];
    for (const summary of await api.listZones()) {
      const domain = canonicalDomain(summary.domain);
      if (domain.ok) listed.push(summary);
      else if (options.all) {
        skipped.push({
          domain: summary.domain,
          reason: `its domain is not a valid domain name (${clipped(domain.reason)})`,
        });
      }
    }
    const live = await readLiveZones(api, options.all ? 'all' : wanted, listed);
    const missing = wanted.filter((domain) => !live.live.has(domain));
    if (missing.length > 0) {
      throw new UserError(`no live zone for ${missing.join(', ')} at VPS.org`);
    }
    if (live.live.size === 0 && skipped.length === 0) {
      throw new UserError('the account has no live zones to import');
    }
    return { zones: [...live.live.values()], skipped };
  } finally {
    await api.close();
  }
}
