import type { SourcePosition, TemplatePath } from '../types';

/**
 * Where a parsed mapping or sequence starts, and where each of its keys / items starts, as UTF-16 offsets
 * into the source text. Parsers record offsets only (cheap); lines and columns are computed on demand,
 * once per reported finding, in `SourceMap.positionOf`.
 */
export interface NodeOffsets {
  start: number;
  keys?: Map<string, number>;
  items?: number[];
}

/** A plain Map: a WeakMap would cost the garbage collector far more for the same lifetime as the template. */
export type NodeIndex = Pick<Map<object, NodeOffsets>, 'get'>;

export class SourceMap {
  private readonly expanded = new Map<string, { body: unknown; nodes: NodeIndex } | undefined>();

  constructor(
    readonly text: string,
    /** Keyed by the parsed object or array itself, so any value of the template can be located. */
    readonly nodes: NodeIndex,
    /** Where the parser indexed lazily: the subtree at a path, read again with everything in it indexed. */
    private readonly expand?: (path: TemplatePath) => { body: unknown; nodes: NodeIndex } | undefined,
    /** Where each line starts, if the parser recorded it while reading; otherwise found on the first lookup. */
    private lineStarts?: number[],
  ) {}

  /**
   * The position of the deepest part of `path` that exists: a missing key is reported at its
   * nearest existing ancestor, as cfn-lint does.
   */
  locate(root: unknown, path: TemplatePath): SourcePosition {
    let offset = 0;
    let node: unknown = root;
    let nodes = this.nodes;
    for (const [depth, step] of path.entries()) {
      if (node === null || typeof node !== 'object') break;
      let info = nodes.get(node);
      if (!info && this.expand && depth > 0) {
        const key = JSON.stringify(path.slice(0, depth));
        if (!this.expanded.has(key)) this.expanded.set(key, this.expand(path.slice(0, depth)));
        const subtree = this.expanded.get(key);
        if (subtree) {
          ({ nodes } = subtree);
          node = subtree.body;
          info = node !== null && typeof node === 'object' ? nodes.get(node) : undefined;
        }
      }
      // An own property only: a key named `constructor` or `__proto__` is data, not what objects inherit.
      const next = Object.hasOwn(node as object, step) ? (node as Record<string, unknown>)[step as string] : undefined;
      if (next === undefined) break;
      const stepOffset = typeof step === 'number' ? info?.items?.[step] : info?.keys?.get(step);
      if (stepOffset !== undefined) offset = stepOffset;
      else if (info) offset = info.start;
      node = next;
    }
    return this.positionOf(offset);
  }

  /** 1-based line and column of the first meaningful character at or after `offset`. */
  positionOf(offset: number): SourcePosition {
    const at = skipBlankAndComments(this.text, offset);
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    // A byte-order mark is not a column anyone sees.
    const bom = lo === 0 && this.text.charCodeAt(0) === 0xfeff && at > 0 ? 1 : 0;
    return { line: lo + 1, column: at - starts[lo] + 1 - bom };
  }
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

// Parsers may record a node's offset before the white space and comments that precede it.
function skipBlankAndComments(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d) i++;
    else if (ch === 0x23 /* # */) {
      const eol = text.indexOf('\n', i);
      if (eol === -1) return i;
      i = eol + 1;
    } else break;
  }
  return i < text.length ? i : offset;
}

/** The value at `steps` below `root`, through own properties only (template names are data), or undefined. */
export function valueAtPath(root: unknown, steps: TemplatePath): unknown {
  let value = root;
  for (const step of steps) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step as string];
  }
  return value;
}
