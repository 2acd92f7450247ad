/**
 * The live zones an import reads. One list request, screened here for what can become a
 * zone file: a valid domain, listed once, and asked for (by name or --all). Then each
 * zone's details through the live reader plan and apply use (api/live.ts), one zone per
 * call, so an answer that fails its checks skips that zone and not the others.
 */
import {
  AuthenticationError,
  NetworkError,
  PermissionError,
  RedirectError,
} from '../api/errors.js';
import { createClientFromEnv, readLiveZones } from '../api/live.js';
import type { ApiZoneSummary, DnsApi } from '../api/types.js';
import type { ImportOptions } from '../commands/import.js';
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
  options: Pick<ImportOptions, 'all' | 'concurrency'>,
): Promise<LiveForImport> {
  const wanted = domains.map((raw) => {
    const domain = canonicalDomain(raw);
    if (!domain.ok) throw new UserError(`${quoted(raw)}: ${domain.reason}`);
    return domain.value;
  });
  const api = createClientFromEnv({ concurrency: options.concurrency });
  try {
    const listing = screenListing(await api.listZones());
    const missing = wanted.filter(
      (domain) => !listing.byDomain.has(domain) && !listing.clashes.has(domain),
    );
    if (missing.length > 0) {
      throw new UserError(`no live zone for ${missing.join(', ')} at VPS.org`);
    }
    const all = options.all === true;
    const named = [...new Set(wanted)];
    const chosen = (all ? [...listing.byDomain.keys()].sort() : named).flatMap((domain) => {
      const summary = listing.byDomain.get(domain);
      return summary ? [{ domain, summary }] : [];
    });
    const skipped = all
      ? [...listing.invalid, ...[...listing.clashes.values()].flat()]
      : named.flatMap((domain) => listing.clashes.get(domain) ?? []);
    if (chosen.length === 0 && skipped.length === 0) {
      throw new UserError('the account has no live zones to import');
    }
    const reads = await Promise.allSettled(
      chosen.map(({ domain, summary }) => readOne(api, domain, summary)),
    );
    const zones: LiveZone[] = [];
    for (const [index, read] of reads.entries()) {
      if (read.status === 'fulfilled') {
        if ('zone' in read.value) zones.push(read.value.zone);
        else skipped.push(read.value);
        continue;
      }
      if (!concernsOneZone(read.reason)) throw read.reason;
      skipped.push({ domain: chosen[index]?.domain ?? '', reason: read.reason.message });
    }
    return { zones, skipped };
  } finally {
    await api.close();
  }
}

interface Listing {
  /** Entries whose domain is valid and listed once, by canonical domain. */
  byDomain: Map<string, ApiZoneSummary>;
  /** Canonical domains listed more than once: each entry, skipped. */
  clashes: Map<string, SkippedZone[]>;
  /** Entries whose domain is not a domain name. */
  invalid: SkippedZone[];
}

/**
 * The zone list as an import may use it. The API is untrusted: a listed domain becomes a
 * file name, so it must be a valid domain, and two entries with one canonical domain
 * (`Example.com` and `example.com.`, or Unicode and punycode) would share one file, so
 * neither is imported: there is no telling which is the real one.
 */
function screenListing(summaries: readonly ApiZoneSummary[]): Listing {
  const invalid: SkippedZone[] = [];
  const entries = new Map<string, ApiZoneSummary[]>();
  for (const summary of summaries) {
    const domain = canonicalDomain(summary.domain);
    if (!domain.ok) {
      invalid.push({
        domain: summary.domain,
        reason: `its domain is not a valid domain name (${clipped(domain.reason)})`,
      });
      continue;
    }
    const same = entries.get(domain.value);
    if (same) same.push(summary);
    else entries.set(domain.value, [summary]);
  }
  const byDomain = new Map<string, ApiZoneSummary>();
  const clashes = new Map<string, SkippedZone[]>();
  for (const [domain, same] of entries) {
    const [only] = same;
    if (same.length === 1 && only) {
      byDomain.set(domain, only);
      continue;
    }
    const spellings = same.map((summary) => quoted(summary.domain)).join(', ');
    clashes.set(
      domain,
      same.map((summary) => ({
        domain: summary.domain,
        reason: `the zone list names ${domain} ${same.length} times (${spellings}), and they would share one file`,
      })),
    );
  }
  return { byDomain, clashes, invalid };
}

/** One zone's details, read by the shared live reader with only this zone listed. */
async function readOne(
  api: DnsApi,
  domain: string,
  summary: ApiZoneSummary,
): Promise<{ zone: LiveZone } | SkippedZone> {
  const state = await readLiveZones(listingOnly(api, [summary]), [domain]);
  const zone = state.live.get(domain);
  // The file is named after the listed domain; its contents must be that zone's.
  if (!zone || zone.domain !== domain) {
    return { domain, reason: 'its details name another domain than the zone list' };
  }
  return { zone };
}

/** `api`, except that listing zones answers `listed` without asking the API again. */
function listingOnly(api: DnsApi, listed: ApiZoneSummary[]): DnsApi {
  return {
    listZones: async () => listed,
    getZone: (uuid) => api.getZone(uuid),
    createZone: (domain) => api.createZone(domain),
    deleteZone: (uuid) => api.deleteZone(uuid),
    listRecords: (uuid) => api.listRecords(uuid),
    createRecord: (uuid, input) => api.createRecord(uuid, input),
    getRecord: (uuid) => api.getRecord(uuid),
    replaceRecord: (uuid, input) => api.replaceRecord(uuid, input),
    updateRecord: (uuid, patch) => api.updateRecord(uuid, patch),
    deleteRecord: (uuid) => api.deleteRecord(uuid),
    queryRecords: (filter) => api.queryRecords(filter),
  };
}

/**
 * Whether `error` is about one zone's answer (an HTTP error or a malformed answer for
 * that zone, or one the live reader's checks refused), so the import goes on without
 * it. Errors about the connection or the token are the same for every zone and end the
 * import (nothing has been written yet), and so does anything unexpected.
 */
function concernsOneZone(error: unknown): error is UserError {
  return (
    error instanceof UserError &&
    !(error instanceof AuthenticationError) &&
    !(error instanceof PermissionError) &&
    !(error instanceof RedirectError) &&
    !(error instanceof NetworkError)
  );
}
