import { addressType } from './type.js';

/**
 * RFC 5952 text form: lowercase, leading zeros dropped, the longest run of zero
 * groups (the first on a tie, only runs of two or more) as `::`, IPv4-mapped in dotted form.
 */
export function canonicalIPv6(raw: string): string | null {
  const groups = ipv6Groups(raw.trim());
  if (groups === null) return null;
  if (
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  ) {
    const hi = groups[6] as number;
    const lo = groups[7] as number;
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
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::';
      i += bestLength - 1;
      continue;
    }
    if (text !== '' && !text.endsWith(':')) text += ':';
    text += (groups[i] as number).toString(16);
  }
  return text;
}

/**
 * The eight 16-bit groups of an IPv6 address in any RFC 4291 text form (hex groups of 1-4
 * digits in either case, at most one `::` standing for at least one zero group, an
 * optional dotted IPv4 tail without leading zeros), or null. No zone index, no brackets.
 */
function ipv6Groups(text: string): number[] | null {
  if (text.length < 2 || text.length > 45) return null;
  const gap = text.indexOf('::');
  if (gap >= 0 && text.indexOf('::', gap + 1) >= 0) return null;
  const head = gap >= 0 ? pieces(text.slice(0, gap), false) : pieces(text, true);
  if (head === null) return null;
  const tail = gap >= 0 ? pieces(text.slice(gap + 2), true) : [];
  if (tail === null) return null;
  const zeros = 8 - head.length - tail.length;
  if (gap >= 0 ? zeros < 1 : zeros !== 0) return null;
  const groups = head;
  for (let i = 0; i < zeros; i++) groups.push(0);
  for (const group of tail) groups.push(group);
  return groups;
}

/**
 * The groups of a colon-separated run (empty text: none). When `last` is set the run
 * ends the address, so its final piece may be a dotted IPv4 address (two groups).
 */
function pieces(text: string, last: boolean): number[] | null {
  const groups: number[] = [];
  if (text === '') return groups;
  let start = 0;
  for (;;) {
    const colon = text.indexOf(':', start);
    const end = colon < 0 ? text.length : colon;
    if (colon < 0 && last && text.indexOf('.', start) >= 0) {
      const v4 = ipv4Value(text, start);
      if (v4 === null) return null;
      groups.push(v4 >>> 16, v4 & 0xffff);
      return groups;
    }
    const group = hexGroup(text, start, end);
    if (group < 0) return null;
    groups.push(group);
    if (colon < 0) return groups;
    start = colon + 1;
  }
}

/** 1-4 hex digits of text[start, end) as a number, or -1. */
function hexGroup(text: string, start: number, end: number): number {
  if (end <= start || end - start > 4) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    let digit: number;
    if (c >= 48 && c <= 57) digit = c - 48;
    else if (c >= 97 && c <= 102) digit = c - 87;
    else if (c >= 65 && c <= 70) digit = c - 55;
    else return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** A dotted IPv4 address (0-255 each, no leading zeros) from `start` to the end, as a 32-bit number, or null. */
function ipv4Value(text: string, start: number): number | null {
  let value = 0;
  let parts = 0;
  let i = start;
  while (parts < 4) {
    let octet = 0;
    let digits = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      if (digits === 1 && octet === 0) return null; // a leading zero
      octet = octet * 10 + (c - 48);
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || octet > 255) return null;
    value = value * 256 + octet;
    parts++;
    if (parts < 4) {
      if (text.charCodeAt(i) !== 46) return null; // '.'
      i++;
    }
  }
  return i === text.length ? value : null;
}

export const AAAA = addressType('AAAA', '2001:db8::1', canonicalIPv6, 'an IPv6 address');
