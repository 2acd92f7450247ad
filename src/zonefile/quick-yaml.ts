/**
 * A fast reader for the plain shape nearly every zone file has: top-level `key: value`
 * lines, block lists of `- { flow: map }` or `- key: value` items, one-line `[a, b]`
 * lists, plain and quoted scalars, comments. The `yaml` package parses such files about
 * ten times slower, which dominated `validate` on large zone sets.
 *
 * It is an accelerator, never a second dialect: at the first thing outside that shape
 * (anchors, tags, block scalars, multi-line values, numbers other than plain decimals,
 * tabs, CR, duplicate keys, anything doubtful) it returns null and the file goes through
 * `yaml` as before. A differential test holds the two to the same data and positions.
 */

export type QuickNode = QuickScalar | QuickMap | QuickSeq;
interface QuickScalar {
  kind: 'scalar';
  start: number;
  value: string | number | boolean;
}
interface QuickPair {
  key: QuickScalar;
  value: QuickNode;
}
interface QuickMap {
  kind: 'map';
  start: number;
  items: QuickPair[];
}
interface QuickSeq {
  kind: 'seq';
  start: number;
  items: QuickNode[];
}

export interface QuickDocument {
  contents: QuickMap;
  /** The same plain data `yaml`'s toJS() gives. */
  data: Record<string, unknown>;
  /** Offsets where lines start, as yaml's LineCounter records them. */
  lineStarts: number[];
}

/** Thrown inside the reader to give up; caught at its entry point. */
const DECLINE = Symbol('decline');

export function isQuickNode(node: unknown): node is QuickNode {
  return typeof node === 'object' && node !== null && 'kind' in node && 'start' in node;
}

export function quickParse(text: string): QuickDocument | null {
  if (text.includes('\r') || text.includes('\t')) return null;
  try {
    return new Reader(text).document();
  } catch (error) {
    if (error === DECLINE) return null;
    throw error;
  }
}

function decline(): never {
  throw DECLINE;
}

/** Only spaces count as indentation or trailing space in YAML (not NBSP and friends). */
const TRAILING_SPACES = / +$/;
const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Characters that may not start a plain scalar (or that we leave to yaml). */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;
/** Every other number form of the YAML 1.2 core schema: left to yaml. */
const OTHER_NUMBER =
  /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

interface Line {
  start: number;
  indent: number;
  text: string;
}

class Reader {
  private readonly lines: Line[] = [];
  private readonly lineStarts: number[] = [];
  private index = 0;

  constructor(text: string) {
    let start = 0;
    while (start <= text.length) {
      this.lineStarts.push(start);
      const end = text.indexOf('\n', start);
      const stop = end < 0 ? text.length : end;
      const content = text.slice(start, stop);
      let indent = 0;
      while (content[indent] === ' ') indent++;
      // Blank lines and comment lines carry nothing.
      if (indent < content.length && content[indent] !== '#') {
        this.lines.push({ start, indent, text: content });
      }
      if (end < 0) break;
      start = end + 1;
    }
  }

  document(): QuickDocument {
    const contents: QuickMap = { kind: 'map', start: 0, items: [] };
    const data: Record<string, unknown> = {};
    const first = this.lines[0];
    if (first?.indent !== 0) decline();
    contents.start = first.start;
    while (this.index < this.lines.length) {
      const line = this.lines[this.index] as Line;
      if (line.indent !== 0) decline();
      this.index++;
      const colon = keyEnd(line.text, 0);
      const key = scalarKey(line, 0, colon);
      let value: QuickNode;
      let js: unknown;
      if (atLineEnd(line.text, colon + 1)) {
        [value, js] = this.blockSequence(0);
      } else {
        [value, js] = inlineValue(line, colon + 2);
      }
      addPair(contents, data, key, value, js);
    }
    return { contents, data, lineStarts: this.lineStarts };
  }

  /**
   * A block list, the value of a key at `keyIndent`: its `-` may sit at that indent
   * (then a line there that is no item is the next key) or deeper.
   */
  private blockSequence(keyIndent: number): [QuickSeq, unknown[]] {
    const first = this.lines[this.index];
    if (!first || first.indent < keyIndent || !isItem(first)) decline();
    const indent = first.indent;
    const seq: QuickSeq = { kind: 'seq', start: first.start + indent, items: [] };
    const js: unknown[] = [];
    while (this.index < this.lines.length) {
      const line = this.lines[this.index] as Line;
      if (line.indent < indent) break;
      if (line.indent > indent) decline();
      if (!isItem(line)) {
        if (indent === keyIndent) break;
        decline();
      }
      this.index++;
      const [node, value] = this.item(line, indent + 2);
      seq.items.push(node);
      js.push(value);
    }
    return [seq, js];
  }

  /** One `- ...` item whose content starts at column `column`. */
  private item(line: Line, column: number): [QuickNode, unknown] {
    const text = line.text;
    const ch = text[column];
    if (ch === '{' || ch === '[' || ch === '"' || ch === "'") return inlineValue(line, column);
    const colon = keyEnd(text, column);
    if (colon < 0) return inlineValue(line, column);
    return this.blockMap(line, column, colon);
  }

  /** A block mapping whose keys sit at `column`, the first one on `first`. */
  private blockMap(first: Line, column: number, firstColon: number): [QuickMap, unknown] {
    const map: QuickMap = { kind: 'map', start: first.start + column, items: [] };
    const data: Record<string, unknown> = {};
    let line = first;
    let colon = firstColon;
    for (;;) {
      const key = scalarKey(line, column, colon);
      let value: QuickNode;
      let js: unknown;
      if (atLineEnd(line.text, colon + 1)) {
        [value, js] = this.blockSequence(column);
      } else {
        [value, js] = inlineValue(line, colon + 2);
      }
      addPair(map, data, key, value, js);
      const next = this.lines[this.index];
      if (!next || next.indent < column) break;
      if (next.indent > column || isItem(next)) decline();
      colon = keyEnd(next.text, column);
      if (colon < 0) decline();
      line = next;
      this.index++;
    }
    return [map, data];
  }
}

function isItem(line: Line): boolean {
  return line.text.startsWith('- ', line.indent) && line.text[line.indent + 2] !== ' ';
}

/** Index of the `:` that ends a simple key starting at `from`, or -1. */
function keyEnd(text: string, from: number): number {
  const colon = text.indexOf(':', from);
  if (colon < 0) return -1;
  if (!SIMPLE_KEY.test(text.slice(from, colon))) return -1;
  const after = text[colon + 1];
  return after === undefined || after === ' ' ? colon : -1;
}

function scalarKey(line: Line, from: number, colon: number): QuickScalar {
  if (colon < 0) decline();
  const key = line.text.slice(from, colon);
  // Keys yaml would read as null or a boolean, and the one a plain object cannot hold.
  if (key === '__proto__' || NULL.test(key) || BOOL.test(key)) decline();
  return { kind: 'scalar', start: line.start + from, value: key };
}

function addPair(
  map: QuickMap,
  data: Record<string, unknown>,
  key: QuickScalar,
  value: QuickNode,
  js: unknown,
): void {
  const name = key.value as string;
  if (Object.hasOwn(data, name)) decline(); // duplicate key: yaml reports it
  map.items.push({ key, value });
  data[name] = js;
}

/** Only spaces, or a comment after a space, from `from` to the end of the line. */
function atLineEnd(text: string, from: number): boolean {
  let i = from;
  while (text[i] === ' ') i++;
  if (i >= text.length) return true;
  return text[i] === '#' && i > from;
}

/** A value written on the rest of a line: scalar or one-line flow collection. */
function inlineValue(line: Line, from: number): [QuickNode, unknown] {
  const text = line.text;
  let i = from;
  while (text[i] === ' ') i++;
  const ch = text[i];
  let result: [QuickNode, unknown];
  let end: number;
  if (ch === '{' || ch === '[') {
    const cursor = { i };
    result = ch === '{' ? flowMap(line, cursor) : flowSeq(line, cursor);
    end = cursor.i;
  } else if (ch === '"' || ch === "'") {
    const quoted = quotedScalar(line, i);
    result = [quoted.node, quoted.node.value];
    end = quoted.end;
  } else {
    if (ch === undefined || INDICATOR.test(ch)) decline();
    let stop = text.indexOf(' #', i);
    if (stop < 0) stop = text.length;
    const raw = text.slice(i, stop).replace(TRAILING_SPACES, '');
    if (raw.includes(': ') || raw.endsWith(':')) decline();
    const node = plainScalar(line.start + i, raw);
    return [node, node.value];
  }
  if (!atLineEnd(text, end)) decline();
  return result;
}

function quotedScalar(line: Line, at: number): { node: QuickScalar; end: number } {
  const text = line.text;
  const quote = text[at];
  let value = '';
  let i = at + 1;
  for (;;) {
    const next = text.indexOf(quote as string, i);
    const backslash = quote === '"' ? text.indexOf('\\', i) : -1;
    if (next < 0) decline(); // not closed on this line
    if (backslash >= 0 && backslash < next) {
      const escaped = text[backslash + 1];
      if (escaped !== '\\' && escaped !== '"') decline();
      value += text.slice(i, backslash) + escaped;
      i = backslash + 2;
      continue;
    }
    value += text.slice(i, next);
    if (quote === "'" && text[next + 1] === "'") {
      value += "'";
      i = next + 2;
      continue;
    }
    return { node: { kind: 'scalar', start: line.start + at, value }, end: next + 1 };
  }
}

function plainScalar(start: number, raw: string): QuickScalar {
  if (NULL.test(raw)) decline();
  let value: string | number | boolean = raw;
  if (BOOL.test(raw)) value = raw[0] === 't' || raw[0] === 'T';
  else if (DECIMAL.test(raw)) value = Number(raw);
  else if (OTHER_NUMBER.test(raw)) decline();
  return { kind: 'scalar', start, value };
}

/** A plain scalar inside `{...}` or `[...]`: ends at `,` `}` `]` or `: `. */
function flowPlain(line: Line, cursor: { i: number }): QuickScalar {
  const text = line.text;
  const from = cursor.i;
  if (INDICATOR.test(text[from] ?? '#')) decline();
  let i = from;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === ',' || ch === '}' || ch === ']') break;
    if (ch === ':') {
      // A colon ends the scalar before a space; before a flow indicator or the line
      // end it is yaml's business; otherwise it is part of the text (mailto:a@b).
      const after = text[i + 1];
      if (after === ' ') break;
      if (after === undefined || ',[]{}'.includes(after)) decline();
    }
    if (ch === '[' || ch === '{' || (ch === '#' && text[i - 1] === ' ')) decline();
  }
  cursor.i = i;
  return plainScalar(line.start + from, text.slice(from, i).replace(TRAILING_SPACES, ''));
}

function flowScalar(line: Line, cursor: { i: number }): QuickScalar {
  const ch = line.text[cursor.i];
  if (ch === '"' || ch === "'") {
    const quoted = quotedScalar(line, cursor.i);
    cursor.i = quoted.end;
    return quoted.node;
  }
  return flowPlain(line, cursor);
}

function skipSpaces(text: string, cursor: { i: number }): void {
  while (text[cursor.i] === ' ') cursor.i++;
}

function flowMap(line: Line, cursor: { i: number }): [QuickMap, unknown] {
  const text = line.text;
  const map: QuickMap = { kind: 'map', start: line.start + cursor.i, items: [] };
  const data: Record<string, unknown> = {};
  cursor.i++;
  skipSpaces(text, cursor);
  if (text[cursor.i] === '}') {
    cursor.i++;
    return [map, data];
  }
  for (;;) {
    const keyStart = cursor.i;
    const colon = keyEnd(text, keyStart);
    if (colon < 0 || text[colon + 1] !== ' ') decline();
    const key = scalarKey(line, keyStart, colon);
    cursor.i = colon + 1;
    skipSpaces(text, cursor);
    let value: QuickNode;
    let js: unknown;
    if (text[cursor.i] === '[') {
      [value, js] = flowSeq(line, cursor);
    } else {
      value = flowScalar(line, cursor);
      js = value.value;
    }
    addPair(map, data, key, value, js);
    skipSpaces(text, cursor);
    const ch = text[cursor.i];
    cursor.i++;
    if (ch === '}') return [map, data];
    if (ch !== ',') decline();
    skipSpaces(text, cursor);
    if (text[cursor.i] === '}' || text[cursor.i] === ',') decline(); // trailing or double comma
  }
}

function flowSeq(line: Line, cursor: { i: number }): [QuickSeq, unknown[]] {
  const text = line.text;
  const seq: QuickSeq = { kind: 'seq', start: line.start + cursor.i, items: [] };
  const js: unknown[] = [];
  cursor.i++;
  skipSpaces(text, cursor);
  if (text[cursor.i] === ']') {
    cursor.i++;
    return [seq, js];
  }
  for (;;) {
    const item = flowScalar(line, cursor);
    seq.items.push(item);
    js.push(item.value);
    skipSpaces(text, cursor);
    const ch = text[cursor.i];
    cursor.i++;
    if (ch === ']') return [seq, js];
    if (ch !== ',') decline();
    skipSpaces(text, cursor);
    if (text[cursor.i] === ']' || text[cursor.i] === ',') decline();
  }
}
