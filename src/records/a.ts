import { invalid, type RecordTypeDef, valid } from './type.js';

/** Dotted-quad IPv4. Leading zeros are rejected: some tools read them as octal. */
export function canonicalIPv4(raw: string): string | null {
  const parts = raw.trim().split('.');
  if (parts.length !== 4) return null;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
  }
  return parts.join('.');
}

export const A = {
  type: 'A',
  hasPriority: false,
  example: '192.0.2.1',
  parse(raw) {
    const ip = canonicalIPv4(raw);
    return ip === null
      ? invalid(`"${raw}" is not an IPv4 address (four numbers 0-255, no leading zeros)`)
      : valid(ip);
  },
} as const satisfies RecordTypeDef;
