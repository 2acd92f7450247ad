import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printable, quoted } from '../src/interop/printable.js';
import { zoneFilePath } from '../src/interop/zone-path.js';

describe('zoneFilePath', () => {
  it('is <out-dir>/<domain>.yaml for a canonical domain', () => {
    expect(zoneFilePath('zones', 'example.com')).toEqual({
      ok: true,
      path: join('zones', 'example.com.yaml'),
    });
    expect(zoneFilePath('zones', 'xn--bcher-kva.example').ok).toBe(true);
  });

  it.each([
    '../../etc/evil.example',
    'a/b.example',
    'a\\b.example',
    '..',
    '.',
    '',
    '/tmp/abs.example',
    'nul\u0000.example',
    'Example.com',
    'example.com.',
    'bücher.example',
    'com',
  ])('refuses %j, which is not a canonical domain', (domain) => {
    expect(zoneFilePath('zones', domain)).toEqual({
      ok: false,
      reason: 'its domain is not a canonical domain name',
    });
  });

  it('refuses a domain whose file name would be longer than 255 bytes', () => {
    const domain = `${['a', 'b', 'c'].map((c) => c.repeat(63)).join('.')}.${'d'.repeat(53)}.example`;
    expect(domain).toHaveLength(253);
    expect(zoneFilePath('zones', domain)).toEqual({
      ok: false,
      reason: 'its file name would be 258 bytes long, and file systems allow 255',
    });
    expect(zoneFilePath('zones', domain.slice(8)).ok).toBe(true);
  });

  it('never leaves the output directory, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (domain) => {
        const target = zoneFilePath('out/zones', domain);
        if (target.ok) expect(resolve(target.path, '..')).toBe(resolve('out/zones'));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('printable and quoted', () => {
  it('escape what a terminal would act on and leave the rest', () => {
    expect(printable('plain text: "a" \\ ü ☃')).toBe('plain text: "a" \\ ü ☃');
    expect(printable('\u001b[31mred\u0007\r\n\u202eevil\u0085\u200b')).toBe(
      '\\u001b[31mred\\u0007\\u000d\\u000a\\u202eevil\\u0085\\u200b',
    );
    expect(quoted('a"b\\c\u0000')).toBe('"a\\"b\\\\c\\u0000"');
  });

  it('quote a very long name cut, saying how long it was', () => {
    const shown = quoted('x'.repeat(10_000));
    expect(shown).toBe(`"${'x'.repeat(256)}… (10000 characters in all)"`);
  });
});
