/**
 * Maps paths inside a parsed YAML document back to file positions. The document is
 * either the `yaml` package's node tree or the lighter one read-yaml.ts builds from
 * js-yaml's events; both keep the offset where each node starts.
 */
import type { Issue, Severity, SourcePos } from '../model.js';
import { isPosCollection } from './read-yaml.js';
import { yaml } from './yaml.js';

export type DataPath = ReadonlyArray<string | number>;

/** What the Locator asks of a line counter: the 1-based line and column of an offset. */
export interface LinePositions {
  linePos(offset: number): { line: number; col: number };
}

/**
 * Line positions from the offsets where lines start (read-yaml.ts), answering as the
 * yaml package's LineCounter does, without loading that package.
 */
export function linePositions(lineStarts: readonly number[]): LinePositions {
  return {
    linePos(offset) {
      let low = 0;
      let high = lineStarts.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if ((lineStarts[mid] ?? 0) < offset) low = mid + 1;
        else high = mid;
      }
      if (lineStarts[low] === offset) return { line: low + 1, col: 1 };
      if (low === 0) return { line: 0, col: offset };
      return { line: low, col: offset - (lineStarts[low - 1] ?? 0) + 1 };
    },
  };
}

export class Locator {
  constructor(
    readonly file: string,
    /** The document's root node (`doc.contents`, or read-yaml's tree). */
    private readonly root: unknown,
    private readonly lineCounter: LinePositions,
  ) {}

  /** Position of a character offset in the file. */
  offset(offset: number): SourcePos {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, col };
  }

  /** Position of a node (its first character), or of the document start. */
  node(node: unknown): SourcePos {
    if (typeof node === 'number') return this.offset(node);
    if (isPosCollection(node)) return this.offset(node.start);
    if (isObject(node) && yaml().isNode(node) && node.range) return this.offset(node.range[0]);
    return { file: this.file, line: 1, col: 1 };
  }

  /**
   * Position of the value at `path`; when it does not exist, of its nearest
   * existing ancestor. `key: true` points at the key of the last step instead.
   */
  path(path: DataPath, options: { key?: boolean } = {}): SourcePos {
    let node: unknown = this.root;
    let keyNode: unknown;
    for (const step of path) {
      const next = child(node, step);
      if (next === undefined) return this.node(node);
      node = next.value;
      keyNode = next.key;
    }
    return this.node(options.key && keyNode !== undefined ? keyNode : (node ?? keyNode));
  }

  /** The node at `path` itself, or undefined when the path does not exist. */
  lookup(path: DataPath): unknown {
    let node: unknown = this.root;
    for (const step of path) {
      const next = child(node, step);
      if (next === undefined) return undefined;
      node = next.value;
    }
    return node;
  }

  /** Item `index` of a sequence node, or undefined. */
  item(node: unknown, index: number): unknown {
    if (isPosCollection(node)) return node.kind === 'seq' ? node.items[index] : undefined;
    return isObject(node) && yaml().isSeq(node) ? node.items[index] : undefined;
  }

  issue(severity: Severity, code: string, message: string, pos: SourcePos): Issue {
    return { code, severity, message, file: pos.file, line: pos.line, col: pos.col };
  }
}

function child(
  node: unknown,
  step: string | number,
): { key?: unknown; value: unknown } | undefined {
  if (isPosCollection(node)) {
    if (node.kind === 'seq') {
      if (typeof step !== 'number') return undefined;
      const item = node.items[step];
      return item === undefined ? undefined : { value: item };
    }
    const index = node.keys.indexOf(String(step));
    return index < 0 ? undefined : { key: node.keyStarts[index], value: node.values[index] };
  }
  // A scalar of read-yaml's tree is a bare offset: only the yaml package's nodes are left.
  if (!isObject(node)) return undefined;
  if (yaml().isSeq(node) && typeof step === 'number') {
    const item = node.items[step];
    return item === undefined ? undefined : { value: item };
  }
  if (yaml().isMap(node)) {
    for (const pair of node.items) {
      if (
        yaml().isPair(pair) &&
        yaml().isScalar(pair.key) &&
        String(pair.key.value) === String(step)
      ) {
        return { key: pair.key, value: pair.value ?? pair.key };
      }
    }
  }
  return undefined;
}

function isObject(node: unknown): node is object {
  return typeof node === 'object' && node !== null;
}

/** `records[3].priority` from ['records', 3, 'priority']. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const step of path) {
    out += typeof step === 'number' ? `[${step}]` : out === '' ? step : `.${step}`;
  }
  return out;
}
