import type { NodeOffsets } from './positions';

export type NodeKind = 'scalar' | 'sequence' | 'mapping';

/**
 * Turns a YAML reader's node events — a node opens at an offset, closes with its value — into node offsets.
 * Both YAML readers (js-yaml's listener and the fast reader) feed it the same events, so they index alike.
 *
 * Nodes still open are kept as two stacks of numbers, and the children of open collections as one flat log
 * of (start offset, key or undefined) pairs, so that the hot path allocates nothing but the offsets of
 * collections. Depth counts open nodes: 0 the document, 1 a section (key or value), 2 a resource, 3 a
 * resource's Properties… Unless `indexEverything`, nothing below a resource is indexed: a resource is read
 * again, fully indexed, when a finding needs a position in it.
 */
export class OffsetRecorder {
  readonly nodes = new Map<object, NodeOffsets>();
  private readonly starts: number[] = [];
  private readonly segments: number[] = [];
  private readonly log: (number | string | undefined)[] = [];
  /** The log's used length: truncating a counter is much cheaper than setting an array's length. */
  private logged = 0;
  private section: string | undefined;
  /** The resource being read has one of `indexedTypes`: index it all (a finding will point into it). */
  private indexingResource = false;

  /**
   * `indexedTypes`: resources of these types are indexed whole when their Type comes before what it holds (as
   * it almost always does), so that reporting on them needs no second read.
   */
  constructor(
    private readonly indexEverything: boolean,
    private readonly indexedTypes?: ReadonlySet<string>,
  ) {}

  open(start: number): void {
    if (this.starts.length === 2) this.indexingResource = false; // a resource (or its name) starts
    this.starts.push(start);
    this.segments.push(this.logged);
  }

  /**
   * `kind` is that of the node as read (for a tagged node, of what the tag wraps); `wrapped` says the value is
   * a tag's wrapper (`!If [a, b, c]` → `{ 'Fn::If': [a, b, c] }`); `key` is the text of a scalar that is a
   * mapping key. Returns where the node started.
   */
  close(value: unknown, kind: NodeKind | string | null, wrapped: boolean, key: string | undefined): number {
    const { nodes } = this;
    const start = this.starts.pop()!;
    const segment = this.segments.pop()!;
    const depth = this.starts.length;
    const indexAll = this.indexEverything || this.indexingResource;
    // Deep inside a resource no parent is indexed: nothing to record.
    if (depth >= 4 && this.section === 'Resources' && !indexAll) {
      this.logged = segment;
      return start;
    }
    if (value === null || typeof value !== 'object') {
      if (depth === 1 && key !== undefined) this.section = key;
      // The value of a resource's `Type` key, the sibling logged just before it.
      if (depth === 3 && key === undefined && this.indexedTypes && this.section === 'Resources' && this.log[segment - 1] === 'Type') {
        this.indexingResource = typeof value === 'string' && this.indexedTypes.has(value);
      }
      this.logChild(segment, start, key);
      return start;
    }
    if (!nodes.has(value) && (depth < 3 || this.section !== 'Resources' || indexAll)) {
      nodes.set(value, { start });
      // The offsets of a tagged collection's items or keys belong to the collection the tag wraps.
      const inner = wrapped ? Object.values(value)[0] : value;
      if (inner !== null && typeof inner === 'object' && segment < this.logged) {
        const offsets: NodeOffsets = nodes.get(inner) ?? { start };
        if (kind === 'sequence') offsets.items = this.itemOffsets(segment);
        else if (kind === 'mapping') offsets.keys = this.keyOffsets(segment);
        nodes.set(inner, offsets);
      }
    }
    this.logChild(segment, start, undefined);
    return start;
  }

  /** Replaces the children logged since `segment` by the node that holds them. */
  private logChild(segment: number, start: number, key: string | undefined): void {
    this.log[segment] = start;
    this.log[segment + 1] = key;
    this.logged = segment + 2;
  }

  private itemOffsets(from: number): number[] {
    const items: number[] = [];
    for (let i = from; i < this.logged; i += 2) items.push(this.log[i] as number);
    return items;
  }

  private keyOffsets(from: number): Map<string, number> {
    const keys = new Map<string, number>();
    for (let i = from; i < this.logged; i += 2) {
      const key = this.log[i + 1];
      if (key !== undefined && !keys.has(key as string)) keys.set(key as string, this.log[i] as number);
    }
    return keys;
  }
}
