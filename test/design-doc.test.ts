/**
 * The design lives in the repository: code, tests and docs refer to headings of
 * docs/design.md that exist, and never to a document outside the repository.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PLACES = ['src', 'test', 'bench', 'scripts', 'schemas', 'docs', '.github', '.ci'];
const FILES = ['README.md', 'action.yml', 'package.json'];

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'fixtures' || entry === '__snapshots__') return [];
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

const texts = [...PLACES.flatMap(filesUnder), ...FILES].map((path) => ({
  path,
  text: readFileSync(join(ROOT, path), 'utf8'),
}));

describe('docs/design.md', () => {
  it('has every heading the code refers to', () => {
    const design = readFileSync(join(ROOT, 'docs/design.md'), 'utf8');
    const headings = new Set([...design.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]));
    const cited = texts.flatMap(({ path, text }) =>
      [...text.matchAll(/docs\/design\.md,\s*(?:\*\s*)?"([^"]+)"/g)].map((m) => ({
        path,
        heading: (m[1] ?? '').replace(/\s*\n\s*\*?\s*/g, ' '),
      })),
    );
    expect(cited.length).toBeGreaterThan(5);
    for (const { path, heading } of cited)
      expect(headings, `${path}: "${heading}"`).toContain(heading);
  });

  it('is the only design document: nothing cites the product specification by section', () => {
    // Built from parts so that this file does not match itself.
    const spec = new RegExp(`\\b${'SP'}EC\\b`);
    const section = /(?<!RFC \d+,? )(?<!§[\d.]+, )§\s?\d/;
    for (const { path, text } of texts) {
      expect(spec.test(text), path).toBe(false);
      for (const line of text.split('\n'))
        expect(section.test(line), `${path}: ${line}`).toBe(false);
    }
  });
});
