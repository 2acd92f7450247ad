import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zoneFilePath } from '../src/interop/zone-path.js';
import { quoted } from '../src/text/terminal.js';

describe('zoneFilePath', () => {
  it('is <out-dir>/<domain>.yaml for a canonical domain', () => {
    expect(zoneFilePath('zones', 'example.com')).toEqual({
      ok: true,
      value: join('zones', 'example.com.yaml'),
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
        if (target.ok) expect(resolve(target.value, '..')).toBe(resolve('out/zones'));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('quoted', () => {
  it('quotes a hostile name with what a terminal would act on made visible', () => {
    expect(quoted('a"b\\c\u0000\u001b[2J')).toBe('"a\\"b\\\\c\\x00\\x1b[2J"');
  });

  it('quote a very long name cut, saying how long it was', () => {
    const shown = quoted('x'.repeat(10_000));
    expect(shown).toBe(`"${'x'.repeat(256)}… (10000 characters in all)"`);
  });
});
