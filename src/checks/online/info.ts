/** The online checks as the catalog lists them; online/run.ts makes them. */
import type { OnlineCheck } from '../types.js';

export const ONLINE_CHECKS: OnlineCheck[] = [
  {
    id: 'cname-takeover',
    severity: 'error',
    online: true,
    description:
      'A CNAME to a name outside the zone that does not exist (NXDOMAIN), under a hosting suffix known for subdomain takeovers: whoever claims that name there serves your subdomain.',
  },
  {
    id: 'cname-nxdomain',
    severity: 'warning',
    online: true,
    description:
      'A CNAME to a name outside the zone that does not exist (NXDOMAIN): the name is broken, and may be open to takeover wherever the target can be registered.',
  },
  {
    id: 'spf-lookups-total',
    severity: 'error',
    online: true,
    description:
      'An SPF record that needs more than 10 DNS lookups once `include:` and `redirect=` are followed: receivers return permerror (RFC 7208 §4.6.4).',
  },
  {
    id: 'spf-void-lookups',
    severity: 'error',
    online: true,
    description:
      'An SPF record whose evaluation meets more than 2 lookups that find nothing (NXDOMAIN or no answer): receivers return permerror (RFC 7208 §4.6.4).',
  },
  {
    id: 'spf-include-unresolved',
    severity: 'error',
    online: true,
    description:
      "An `include:` or `redirect=` (followed from the zone's SPF record) naming a domain with no SPF record, or with several: receivers return permerror.",
  },
  {
    id: 'mx-no-address',
    severity: 'warning',
    online: true,
    description:
      'An MX target outside the zone that has no A or AAAA record: mail for the domain cannot be delivered to that exchanger.',
  },
  {
    id: 'lookup-failed',
    severity: 'notice',
    online: true,
    description:
      'A name an online check needed could not be resolved (timeout, SERVFAIL, refused): that check was not made for the record.',
  },
];
