/**
 * The workflow scripts keep small copies of src/ (they also run beside a dnssync of
 * another version): comment-body.mjs's comment marker, forTerminal and codeBlock, lib.sh's
 * escape_data and escape_property. Each must equal its original (for any string).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as commentBody from '../scripts/gha/comment-body.mjs';
import { MARKDOWN_MARKER } from '../src/render/markdown.js';
import { codeBlock } from '../src/text/markdown.js';
import { forTerminal } from '../src/text/terminal.js';
import { forWorkflowData, forWorkflowProperty } from '../src/text/workflow.js';

const LIB = fileURLToPath(new URL('../scripts/gha/lib.sh', import.meta.url));

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const piece = fc.oneof(
  fc.constantFrom(
    '\r',
    '\n',
    '\x1b[2J',
    '\x9b',
    '\u202e',
    '\ud800',
    '\u200b',
    '\u{e0041}',
    '```',
    '%',
    ':',
    ',',
  ),
  fc.string({ unit: codeUnit, maxLength: 4 }),
  fc.string({ maxLength: 6 }),
);
const text = fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join(''));

describe('comment-body.mjs', () => {
  it('marks its comment as `plan --format markdown` marks the plan', () => {
    expect(commentBody.MARKER).toBe(MARKDOWN_MARKER);
  });

  it('shows text as forTerminal does and fences it as codeBlock does', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(commentBody.forTerminal(value)).toBe(forTerminal(value));
        expect(commentBody.codeBlock(value)).toBe(codeBlock(value));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('lib.sh', () => {
  it('escape_data and escape_property escape as forWorkflowData and forWorkflowProperty', () => {
    // Arguments cannot hold NUL, and bash reads text as UTF-8 only when it is valid.
    const values = fc.sample(
      text.map((value) => value.replace(/\0/g, '').toWellFormed()),
      { numRuns: 60, seed: 42 },
    );
    values.push('a%b\r\nc:d,e', '::error::x\n::add-mask::y', '');
    const script = `source ${JSON.stringify(LIB)}; for v in "$@"; do escape_data "$v"; printf '\\0'; escape_property "$v"; printf '\\0'; done`;
    const run = spawnSync('bash', ['-c', script, 'bash', ...values], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const out = run.stdout.split('\0');
    values.forEach((value, index) => {
      expect(out[index * 2]).toBe(forWorkflowData(value));
      expect(out[index * 2 + 1]).toBe(forWorkflowProperty(value));
    });
  });
});
