import { isIPv6 } from 'node:net';
import { canonicalIPv4 } from './a.js';
import { invalid, type RecordTypeDef, valid } from './type.js';

/**
 * RFC 5952 text form: lowercase, leading zeros dropped, the longest run of zero
 * groups (the first on a tie, only runs of two or more) as `::`, IPv4-mapped in dotted form.
 */
export function canonicalIPv6(raw: string): string | null {
  const text = raw.trim();
  if (!isIPv6(text) || text.includes('%')) return null;
  const groups = expandIPv6(text.toLowerCase());
  if (groups === null) return null;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const hi = groups[6] ?? 0;
    const lo = groups[7] ?? 0;
    return `::ffff:${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

function expandIPv6(text: string): number[] | null {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  const last = body.slice(lastColon + 1);
  if (last.includes('.')) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) becomes its two 16-bit groups.
    const v4 = canonicalIPv4(last);
    if (v4 === null) return null;
    const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
    body = `${body.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const toNumbers = (s: string) =>
    s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16));
  const doubleColon = body.indexOf('::');
  let groups: number[];
  if (doubleColon >= 0) {
    const head = toNumbers(body.slice(0, doubleColon));
    const tail = toNumbers(body.slice(doubleColon + 2));
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = toNumbers(body);
  }
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

export const AAAA = {
  type: 'AAAA',
  hasPriority: false,
  example: '2001:db8::1',
  parse(raw) {
    const ip = canonicalIPv6(raw);
    return ip === null ? invalid(`"${raw}" is not an IPv6 address`) : valid(ip);
  },
} as const satisfies RecordTypeDef;
