/**
 * The fast way to read a zone file: js-yaml parses it into a flat list of events that
 * carry source offsets, builds the plain data from those events, and the events give a
 * light tree of node positions for messages. The `yaml` package is about three times
 * slower on large zone sets; it reads a file instead whenever this returns null.
 *
 * Both libraries read YAML 1.2 with the core schema (`yes` and `on` are text, `010` is
 * ten, no timestamps, no `<<` merge keys), and a differential test holds them to the same
 * data and positions. What only `yaml` does the same way dnssync always did is left to
 * it: any js-yaml error (yaml words its messages), anchors, aliases, tags, block scalars,
 * several documents, a top level that is not a mapping, keys that are not plain text.
 */
import {
  constructFromEvents,
  EVENT_ID,
  type Event,
  getScalarValue,
  parseEvents,
  SCALAR_STYLE,
} from 'js-yaml';

/**
 * Where a node starts: the offset of its first character (a quoted scalar's opening
 * quote), as a bare number for scalars, which are most nodes.
 */
export type PosNode = number | PosMap | PosSeq;
interface PosMap {
  kind: 'map';
  start: number;
  /** The keys' text, where each key starts, and each value's node, in order. */
  keys: string[];
  keyStarts: number[];
  values: PosNode[];
}
interface PosSeq {
  kind: 'seq';
  start: number;
  items: PosNode[];
}

export interface FastDocument {
  contents: PosMap;
  /** The same plain data as `yaml`'s toJS(). */
  data: Record<string, unknown>;
  /** Offsets where lines start, as yaml's LineCounter records them. */
  lineStarts: number[];
}

/** Whether `node` is a collection of this module's tree (not a `yaml` node). */
export function isPosCollection(node: unknown): node is PosMap | PosSeq {
  return typeof node === 'object' && node !== null && 'kind' in node && 'start' in node;
}

/** Thrown inside the tree walk to leave the file to `yaml`. */
const DECLINE = Symbol('decline');

export function fastRead(text: string): FastDocument | null {
  let events: Event[];
  let documents: unknown[];
  try {
    events = parseEvents(text, {});
    documents = constructFromEvents(events, { source: text });
  } catch {
    return null;
  }
  const data = documents[0];
  if (documents.length !== 1 || !isObject(data) || Array.isArray(data)) return null;
  try {
    const contents = positionTree(text, events, data);
    return { contents, data, lineStarts: lineStarts(text) };
  } catch (error) {
    if (error === DECLINE) return null;
    throw error;
  }
}

/** A collection being filled: its node, its data, and the key whose value comes next. */
interface Frame {
  node: PosMap | PosSeq;
  data: Record<string, unknown> | unknown[];
  key: string | undefined;
}

function positionTree(text: string, events: Event[], data: Record<string, unknown>): PosMap {
  const stack: Frame[] = [];
  let root: PosMap | undefined;
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) continue;
    if (event.type === EVENT_ID.POP) {
      stack.pop();
      continue;
    }
    if (event.type === EVENT_ID.ALIAS || event.anchorStart !== -1 || event.tagStart !== -1)
      decline();
    const frame = stack.at(-1);
    if (!frame && event.type !== EVENT_ID.MAPPING) decline();
    if (event.type === EVENT_ID.SCALAR) {
      if (event.style === SCALAR_STYLE.PLAIN && event.valueStart === event.valueEnd) decline();
      const quoted =
        event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
      if (event.style !== SCALAR_STYLE.PLAIN && !quoted) decline();
      const start = quoted ? event.valueStart - 1 : event.valueStart;
      if (frame?.node.kind === 'map' && frame.key === undefined) {
        // A key: text (not `null:` or `1:`, which the two libraries turn into different
        // property names), and so a property js-yaml made of this mapping.
        const key = getScalarValue(text, event);
        if (event.style === SCALAR_STYLE.PLAIN && !isTextKey(text, event, key)) decline();
        if (!Object.hasOwn(frame.data, key)) decline();
        frame.node.keys.push(key);
        frame.node.keyStarts.push(start);
        frame.key = key;
      } else if (frame) add(frame, start);
      continue;
    }
    const node: PosMap | PosSeq =
      event.type === EVENT_ID.MAPPING
        ? { kind: 'map', start: event.start, keys: [], keyStarts: [], values: [] }
        : { kind: 'seq', start: event.start, items: [] };
    let nodeData: unknown;
    if (!frame) {
      root = node as PosMap;
      nodeData = data;
    } else {
      if (frame.node.kind === 'map') {
        if (frame.key === undefined) decline(); // a collection as a key
        nodeData = (frame.data as Record<string, unknown>)[frame.key];
      } else nodeData = (frame.data as unknown[])[frame.node.items.length];
      add(frame, node);
    }
    if (!isObject(nodeData) || Array.isArray(nodeData) !== (node.kind === 'seq')) decline();
    stack.push({ node, data: nodeData, key: undefined });
  }
  if (!root) decline();
  return root;
}

function add(frame: Frame, node: PosNode): void {
  if (frame.node.kind === 'seq') {
    frame.node.items.push(node);
    return;
  }
  frame.node.values.push(node);
  frame.key = undefined;
}

const DOCUMENT_EVENT: Event = {
  type: EVENT_ID.DOCUMENT,
  explicitStart: false,
  explicitEnd: false,
  directives: [],
};
const POP_EVENT: Event = { type: EVENT_ID.POP };
/** Plain keys seen so far → whether js-yaml resolves them to their own text. */
const textKeys = new Map<string, boolean>();

/** Whether a plain key is text: js-yaml resolves it alone, as it resolved it in place. */
function isTextKey(text: string, event: Event, key: string): boolean {
  let known = textKeys.get(key);
  if (known === undefined) {
    const [value] = constructFromEvents([DOCUMENT_EVENT, event, POP_EVENT], { source: text });
    known = value === key;
    if (textKeys.size < 1000) textKeys.set(key, known);
  }
  return known;
}

function decline(): never {
  throw DECLINE;
}

function isObject(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}
