/**
 * Offline checks of record names: a name written relative to the zone that reads like a
 * full domain name (`shop.example.com` in zone acme-widgets.net means
 * shop.example.com.acme-widgets.net).
 */
import type { DesiredRecord } from '../model.js';
import type { Finding, OfflineCheck } from './types.js';

/**
 * Top-level domains no one uses as the last label of a name inside their zone. Country
 * codes and newer ones (`eu`, `dev`, `app`) are: `www.eu` is an ordinary relative name.
 */
const GENERIC_TLDS = new Set(['com', 'net', 'org', 'info', 'biz', 'edu', 'gov', 'mil', 'int']);

/**
 * The domain a relative name seems to end in: the longest of its suffixes that is
 * another zone of the repository, else its last two labels when the last one is a
 * generic top-level domain; null when it reads as an ordinary relative name.
 */
function domainAtEnd(
  name: string,
  own: string,
  zoneFiles: ReadonlyMap<string, string>,
): string | null {
  const lastDot = name.lastIndexOf('.');
  if (lastDot < 0) return null;
  for (let start = 0; start >= 0; start = name.indexOf('.', start) + 1 || -1) {
    const suffix = name.slice(start);
    if (suffix !== own && zoneFiles.has(suffix)) return suffix;
  }
  if (!GENERIC_TLDS.has(name.slice(lastDot + 1))) return null;
  return name.slice(name.lastIndexOf('.', lastDot - 1) + 1);
}

export const NAME_CHECKS: OfflineCheck[] = [
  {
    id: 'name-like-domain',
    severity: 'warning',
    description:
      'A record name that ends in another zone of the repository or in a generic top-level domain (`shop.example.com`, `www.example.org`): names are relative to their zone, so it means `shop.example.com.<zone>`. Country codes (`www.eu`) do not count.',
    run(context) {
      const { zone } = context.view;
      const findings: Finding[] = [];
      const seen = new Set<string>();
      for (const record of zone.records) {
        if (seen.has(record.name)) continue;
        seen.add(record.name);
        const other = domainAtEnd(record.name, zone.domain, context.zoneFiles);
        if (other !== null)
          findings.push({
            record,
            message: message(record, zone.domain, other, context.zoneFiles),
          });
      }
      return findings;
    },
  },
];

function message(
  record: DesiredRecord,
  domain: string,
  other: string,
  zoneFiles: ReadonlyMap<string, string>,
): string {
  const inner = record.name === other ? '@' : record.name.slice(0, -(other.length + 1));
  const file = zoneFiles.get(other);
  const there = file ? `a record in zone ${other} (${file})` : `a record in zone ${other}`;
  return `name "${record.name}" is relative to ${domain}, so it means ${record.name}.${domain}: did you mean "${inner}", or ${there}?`;
}
