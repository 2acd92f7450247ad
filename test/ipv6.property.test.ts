/**
 * The AAAA parser is Node's (node:net's isIPv6, the WHATWG URL serializer) plus dnssync's
 * own rule for IPv4-mapped addresses. These properties hold it to a reference written
 * here from the RFC 5952 rules, over the address's eight groups and many spellings of it.
 */
import { isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIPv6 } from '../src/records/address.js';

const group = fc.integer({ min: 0, max: 0xffff });
const eightGroups = fc.array(
  fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: group }),
  { minLength: 8, maxLength: 8 },
);

const isMapped = (groups: number[]) =>
  groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;

const dotted = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * RFC 5952 from the groups: lowercase hex without leading zeros; the longest run of two
 * or more zero groups (the first of equal runs) as `::`; IPv4-mapped with a dotted tail.
 */
function rfc5952(groups: number[]): string {
  if (isMapped(groups)) return `::ffff:${dotted(groups[6] ?? 0, groups[7] ?? 0)}`;
  let best = { at: -1, length: 1 };
  for (let at = 0; at < 8; at++) {
    let length = 0;
    while (at + length < 8 && groups[at + length] === 0) length++;
    if (length > best.length) best = { at, length };
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}

/**
 * One of the many spellings of the address: case, leading zeros, `::` for any zero run,
 * and (`v4`) the last two groups as a dotted IPv4 tail.
 */
function spell(
  groups: number[],
  upper: boolean,
  pad: boolean,
  gapAt: number,
  gapLength: number,
  v4 = false,
) {
  const hex = groups.map((g) => {
    const digits = g.toString(16);
    const padded = pad ? digits.padStart(4, '0') : digits;
    return upper ? padded.toUpperCase() : padded;
  });
  const pieces = v4 ? [...hex.slice(0, 6), dotted(groups[6] ?? 0, groups[7] ?? 0)] : hex;
  const end = Math.min(gapAt + gapLength, v4 ? 6 : 8);
  const zeroRun = end - gapAt > 0 && groups.slice(gapAt, end).every((g) => g === 0);
  if (!zeroRun) return pieces.join(':');
  return `${pieces.slice(0, gapAt).join(':')}::${pieces.slice(end).join(':')}`;
}

describe('canonicalIPv6 against the RFC 5952 rules', () => {
  it('every spelling of an address gives its RFC 5952 form', () => {
    fc.assert(
      fc.property(
        eightGroups,
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 8 }),
        fc.boolean(),
        (groups, upper, pad, gapAt, gapLength, v4) => {
          const text = spell(groups, upper, pad, gapAt, gapLength, v4);
          const canonical = canonicalIPv6(text);
          expect(canonical, text).toBe(rfc5952(groups));
          // The canonical form is a fixed point.
          expect(canonicalIPv6(canonical as string)).toBe(canonical);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('IPv4-mapped addresses come out dotted, from either spelling', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v4) => {
        const text = dotted(v4 >>> 16, v4 & 0xffff);
        const hex = `::ffff:${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
        expect(canonicalIPv6(hex)).toBe(`::ffff:${text}`);
        expect(canonicalIPv6(`0:0:0:0:0:FFFF:${text}`)).toBe(`::ffff:${text}`);
      }),
    );
  });

  it('accepts what node:net accepts, except a zone index', () => {
    const alphabet = fc.constantFrom(...'0123456789abcdefABCDEFg:.:%'.split(''));
    const noisy = fc.oneof(
      fc.string({ unit: alphabet, maxLength: 45 }),
      // Valid addresses with one character changed, inserted or removed.
      fc
        .tuple(eightGroups, fc.nat(), fc.constantFrom('', ':', '.', '0', 'f', '::', '1.2.3.4'))
        .map(([groups, at, insert]) => {
          const text = spell(groups, false, false, 2, 2);
          const i = at % (text.length + 1);
          return `${text.slice(0, i)}${insert}${text.slice(i + (insert === '' ? 1 : 0))}`;
        }),
    );
    fc.assert(
      fc.property(noisy, (text) => {
        expect(canonicalIPv6(text) !== null, text).toBe(isIPv6(text) && !text.includes('%'));
      }),
      { numRuns: 5000 },
    );
  });
});
