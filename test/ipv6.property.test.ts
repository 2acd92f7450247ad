/**
 * The AAAA parser is hand-written for speed (it runs once per live AAAA record on every
 * plan). These properties hold it to two independent references: node:net's isIPv6 for
 * what is an address, and the WHATWG URL serializer (RFC 5952 compression) for the
 * canonical text of addresses that are not IPv4-mapped.
 */
import { isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIPv6 } from '../src/records/aaaa.js';

const group = fc.integer({ min: 0, max: 0xffff });
const eightGroups = fc.array(
  fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: group }),
  { minLength: 8, maxLength: 8 },
);

/** One of the many spellings of the address: case, leading zeros, `::` for any zero run. */
function spell(groups: number[], upper: boolean, pad: boolean, gapAt: number, gapLength: number) {
  const hex = groups.map((g) => {
    const digits = g.toString(16);
    const padded = pad ? digits.padStart(4, '0') : digits;
    return upper ? padded.toUpperCase() : padded;
  });
  const zeroRun = gapLength > 0 && groups.slice(gapAt, gapAt + gapLength).every((g) => g === 0);
  if (!zeroRun) return hex.join(':');
  return `${hex.slice(0, gapAt).join(':')}::${hex.slice(gapAt + gapLength).join(':')}`;
}

/** Canonical text by the WHATWG URL host serializer (no dotted IPv4-mapped form). */
function urlCanonical(text: string): string {
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

const isMapped = (groups: number[]) =>
  groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;

describe('canonicalIPv6 against independent references', () => {
  it('every spelling of an address gives the RFC 5952 form', () => {
    fc.assert(
      fc.property(
        eightGroups,
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 8 }),
        (groups, upper, pad, gapAt, gapLength) => {
          const text = spell(groups, upper, pad, gapAt, Math.min(gapLength, 8 - gapAt));
          const canonical = canonicalIPv6(text);
          expect(canonical, text).not.toBeNull();
          if (!isMapped(groups)) expect(canonical, text).toBe(urlCanonical(text));
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
        const dotted = [v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255].join('.');
        const hex = `::ffff:${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
        expect(canonicalIPv6(hex)).toBe(`::ffff:${dotted}`);
        expect(canonicalIPv6(`0:0:0:0:0:FFFF:${dotted}`)).toBe(`::ffff:${dotted}`);
      }),
    );
  });

  it('accepts exactly what node:net accepts (no zone index, no leading zeros in an IPv4 tail)', () => {
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
        const leadingZeroV4 = /(^|[:.])0\d/.test(text.slice(text.lastIndexOf(':') + 1));
        const expected =
          isIPv6(text) && !text.includes('%') && !(text.includes('.') && leadingZeroV4);
        expect(canonicalIPv6(text) !== null, text).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });
});
