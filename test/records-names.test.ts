/** Names, domains and hostnames: relative form, FQDNs, wildcards, lengths, IDN. */
import { describe, expect, it } from 'vitest';
import {
  canonicalDomain,
  canonicalHostname,
  canonicalName,
  globToRegExp,
} from '../src/records/index.js';

const label = (char: string, length: number) => char.repeat(length);

/** A relative name of exactly `octets` octets: labels of 62, then the rest. */
function nameOfLength(octets: number): string {
  const labels: string[] = [];
  let left = octets;
  while (left > 63) {
    labels.push(label('a', 62));
    left -= 63;
  }
  labels.push(label('b', left));
  const name = labels.join('.');
  expect(name).toHaveLength(octets);
  return name;
}

describe('canonicalName(raw, domain)', () => {
  it.each([
    ['@', '@'],
    ['@.', '@'],
    ['', '@'],
    ['www', 'www'],
    ['WWW', 'www'],
    [' www ', 'www'],
    ['a.b', 'a.b'],
    ['_sip._tcp', '_sip._tcp'],
    ['_dmarc', '_dmarc'],
    ['www.example.com', 'www'],
    ['www.example.com.', 'www'],
    ['WWW.Example.COM.', 'www'],
    ['a.b.example.com', 'a.b'],
    ['example.com', '@'],
    ['example.com.', '@'],
    ['EXAMPLE.COM.', '@'],
    ['*', '*'],
    ['*.sub', '*.sub'],
    ['*.Sub.Example.Com.', '*.sub'],
    ['*.example.com', '*'],
    ['bücher', 'xn--bcher-kva'],
    ['*.bücher', '*.xn--bcher-kva'],
    ['Straße', 'xn--strae-oqa'],
    ['xn--bcher-kva', 'xn--bcher-kva'],
    // Without a trailing dot, a name that does not end in the zone is relative.
    ['www.example.net', 'www.example.net'],
  ])('in example.com, %j is %j', (raw, canonical) => {
    expect(canonicalName(raw, 'example.com')).toEqual({ ok: true, value: canonical });
  });

  it('handles Unicode zones in either spelling', () => {
    expect(canonicalName('www.bücher.de.', 'xn--bcher-kva.de')).toEqual({ ok: true, value: 'www' });
    expect(canonicalName('www.xn--bcher-kva.de', 'xn--bcher-kva.de')).toEqual({
      ok: true,
      value: 'www',
    });
    expect(canonicalName('München', 'xn--bcher-kva.de')).toEqual({
      ok: true,
      value: 'xn--mnchen-3ya',
    });
  });

  it('does not mistake a zone that merely ends the same way for its own', () => {
    expect(canonicalName('www.notexample.com.', 'example.com')).toMatchObject({ ok: false });
    expect(canonicalName('www.notexample.com', 'example.com')).toEqual({
      ok: true,
      value: 'www.notexample.com',
    });
  });

  it.each([
    ['www.example.net.', 'is outside the zone example.com'],
    ['com.', 'is outside the zone example.com'],
    ['a.*', 'a wildcard * must be the whole leftmost label'],
    ['w*', 'a wildcard * must be the whole leftmost label'],
    ['*.*', 'a wildcard * must be the whole leftmost label'],
    ['*www', 'a wildcard * must be the whole leftmost label'],
    ['.www', 'empty label'],
    ['www..x', 'empty label'],
    ['www.', 'is outside the zone'],
    ['-www', 'not a valid label'],
    ['www-', 'not a valid label'],
    ['a b', 'not a valid label'],
    ['a/b', 'not a valid label'],
    ['@.www', 'not a valid label'],
    [label('a', 64), '64 octets long (at most 63)'],
  ])('rejects %j (%s)', (raw, reason) => {
    const result = canonicalName(raw, 'example.com');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('accepts a label of 63 octets and rejects one of 64', () => {
    expect(canonicalName(label('x', 63), 'example.com')).toEqual({
      ok: true,
      value: label('x', 63),
    });
    expect(canonicalName(label('x', 64), 'example.com').ok).toBe(false);
  });

  it('measures a Unicode label by its punycode form', () => {
    // 61 characters, but 68 octets once written as punycode (xn--…).
    const result = canonicalName(`${label('a', 60)}ü`, 'example.com');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('at most 63');
  });

  it('accepts a full name of 253 octets and rejects one of 254', () => {
    // "example.com" plus the dot before it is 12 octets.
    const fits = nameOfLength(253 - 12);
    const tooLong = nameOfLength(254 - 12);
    expect(canonicalName(fits, 'example.com')).toEqual({ ok: true, value: fits });
    const result = canonicalName(tooLong, 'example.com');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('254 octets long as a full name (at most 253)');
    // The same limit through the fully-qualified spelling.
    expect(canonicalName(`${fits}.example.com.`, 'example.com').ok).toBe(true);
    expect(canonicalName(`${tooLong}.example.com.`, 'example.com').ok).toBe(false);
  });
});

describe('canonicalDomain', () => {
  it.each([
    ['example.com', 'example.com'],
    ['Example.COM.', 'example.com'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['ÉXAMPLE.com', 'xn--xample-9ua.com'],
    ['例え.jp', 'xn--r8jz45g.jp'],
    ['a.b.c.example', 'a.b.c.example'],
  ])('%j is %j', (raw, canonical) => {
    expect(canonicalDomain(raw)).toEqual({ ok: true, value: canonical });
  });

  it.each([
    ['com', 'needs at least two labels'],
    ['localhost.', 'needs at least two labels'],
    ['ex ample.com', 'not a valid label'],
    ['*.example.com', 'cannot contain a wildcard'],
    ['example..com', 'empty label'],
    ['', 'empty'],
  ])('rejects %j', (raw, reason) => {
    const result = canonicalDomain(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe('canonicalHostname', () => {
  it('allows "." only where asked (null MX, SRV)', () => {
    expect(canonicalHostname('.', true)).toEqual({ ok: true, value: '.' });
    expect(canonicalHostname('.', false).ok).toBe(false);
  });

  it('makes hostnames lowercase ASCII without the trailing dot', () => {
    expect(canonicalHostname('MX1.Bücher.DE.', false)).toEqual({
      ok: true,
      value: 'mx1.xn--bcher-kva.de',
    });
  });

  it('names the single-label mistake and suggests the full hostname', () => {
    expect(canonicalHostname('www', false)).toEqual({
      ok: false,
      reason: '"www" is a single label; write the full hostname (e.g. www.example.com)',
    });
  });
});

describe('globToRegExp (ignore rules)', () => {
  it.each([
    ['_acme-challenge*', '_acme-challenge', true],
    ['_acme-challenge*', '_acme-challenge.www', true],
    ['_acme-challenge*', 'www._acme-challenge', false],
    ['*.dev', 'a.dev', true],
    ['*.dev', 'dev', false],
    ['host?', 'host1', true],
    ['host?', 'host12', false],
    ['WWW', 'www', true],
    ['a.b', 'axb', false],
    ['@', '@', true],
  ])('%j matches %j: %s', (glob, name, matches) => {
    expect(globToRegExp(glob).test(name)).toBe(matches);
  });
});
