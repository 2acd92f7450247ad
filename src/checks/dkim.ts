/** Offline DKIM checks (RFC 6376 §3.6.1): key records whose key no verifier can use. */
import { createPublicKey } from 'node:crypto';
import type { DesiredRecord } from '../model.js';
import type { CheckContext, OfflineCheck } from './types.js';

/** `selector._domainkey` or `selector._domainkey.sub` (relative names). */
function atKeyName(record: DesiredRecord): boolean {
  return record.name.split('.').indexOf('_domainkey') > 0;
}

/** The tags of a DKIM key record, or null when the text is not one. */
function keyTags(value: string): Map<string, string> | null {
  const tags = new Map<string, string>();
  let first: string | undefined;
  for (const part of value.split(';')) {
    const match = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*=(.*)$/s.exec(part);
    if (!match) continue;
    const tag = (match[1] ?? '').toLowerCase();
    first ??= tag;
    if (!tags.has(tag)) tags.set(tag, (match[2] ?? '').trim());
  }
  const isKey = (first === 'v' && /^DKIM1$/i.test(tags.get('v') ?? '')) || tags.has('p');
  return isKey ? tags : null;
}

/** Why the `p=` value is not a usable key of type `k`, or null. */
function keyProblem(p: string, k: string): string | null {
  const base64 = p.replace(/[ \t\r\n]+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    const odd = base64.match(/[^A-Za-z0-9+/=]/)?.[0];
    return odd !== undefined
      ? `p= is not base64 (it contains "${odd}"; were the quotes of a split TXT record pasted in?)`
      : 'p= is not valid base64 (is the key cut short?)';
  }
  const der = Buffer.from(base64, 'base64');
  if (k === 'ed25519')
    return der.length === 32 ? null : `p= holds ${der.length} octets, not an Ed25519 key (32)`;
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      createPublicKey({ key: der, format: 'der', type });
      return null;
    } catch {
      // the other encoding, or not a key at all
    }
  }
  return 'p= is base64 but not an RSA public key (is the key cut short?)';
}

function keyRecords(
  context: CheckContext,
): Array<{ record: DesiredRecord; tags: Map<string, string> }> {
  const found: Array<{ record: DesiredRecord; tags: Map<string, string> }> = [];
  for (const record of context.view.zone.records) {
    if (record.type !== 'TXT' || !atKeyName(record)) continue;
    const tags = keyTags(record.value);
    if (tags) found.push({ record, tags });
  }
  return found;
}

export const DKIM_CHECKS: OfflineCheck[] = [
  {
    id: 'dkim-key',
    severity: 'error',
    description:
      'A DKIM key record (`*._domainkey` TXT with `v=DKIM1` or `p=`) whose `v=` is not first, whose `k=` is unknown, or whose `p=` is not a valid base64 public key: every signature with that selector fails.',
    run(context) {
      const findings = [];
      for (const { record, tags } of keyRecords(context)) {
        const v = tags.get('v');
        const k = (tags.get('k') ?? 'rsa').toLowerCase();
        const p = tags.get('p');
        let problem: string | null = null;
        if (v !== undefined && (!/^\s*v\s*=/i.test(record.value) || !/^DKIM1$/i.test(v)))
          problem = 'v=DKIM1 must be the first tag';
        else if (k !== 'rsa' && k !== 'ed25519')
          problem = `k=${k} is not a key type verifiers know (rsa, ed25519)`;
        else if (p === undefined) problem = 'the p= tag (the public key) is missing';
        else if (p !== '') problem = keyProblem(p, k);
        if (problem)
          findings.push({
            record,
            message: `DKIM: ${problem}; signatures with this selector fail: publish the key again`,
          });
      }
      return findings;
    },
  },
  {
    id: 'dkim-revoked',
    severity: 'notice',
    description:
      'A DKIM key record with an empty `p=`: the selector is revoked (RFC 6376 §3.6.1); fine when intended.',
    run(context) {
      return keyRecords(context)
        .filter(({ tags }) => tags.get('p') === '')
        .map(({ record }) => ({
          record,
          message: `DKIM: ${record.name.split('.')[0]} is revoked (empty p=): signatures with it fail; remove the record once no mail uses it`,
        }));
    },
  },
];
