import { addressType } from './type.js';

/** Dotted-quad IPv4. Leading zeros are rejected: some tools read them as octal. */
const CANONICAL_IPV4 =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function canonicalIPv4(raw: string): string | null {
  if (CANONICAL_IPV4.test(raw)) return raw;
  const parts = raw.trim().split('.');
  if (parts.length !== 4) return null;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
  }
  return parts.join('.');
}

export const A = addressType(
  'A',
  '192.0.2.1',
  canonicalIPv4,
  'an IPv4 address (four numbers 0-255, no leading zeros)',
);
