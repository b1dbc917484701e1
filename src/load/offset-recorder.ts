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
  /**
   * The resource being read has one of `indexedTypes`: index it all (a finding will point into it). Reset as
   * each node at a resource's depth ends (the resource's name, the resource), so false as the next one starts.
   */
  private indexingResource = false;

  /**
   * `indexedTypes`: resources of these types are indexed whole when their Type comes before what it holds (as
   * it almost always does), so that reporting on them needs no second read. `onDuplicateKey`: told of each key
   * that a mapping has twice, with where each is written (the later one is the one indexed); then every key is
   * logged, indexed or not, which costs time: only for a text known to hold some.
   */
  constructor(
    private readonly indexEverything: boolean,
    private readonly indexedTypes?: ReadonlySet<string>,
    private readonly onDuplicateKey?: (key: string, first: number, last: number) => void,
  ) {}

  /** A node opens at `start`; gives how many are open (the new node's depth, plus one). */
  open(start: number): number {
    this.starts.push(start);
    return this.segments.push(this.logged);
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
    if (value === null || typeof value !== 'object') {
      this.logged = segment; // js-yaml may compose a would-be key inside a scalar: it is no child to log
      this.scalar(start, value, key);
      return start;
    }
    const depth = this.starts.length;
    const indexAll = this.indexEverything || this.indexingResource;
    if (this.onDuplicateKey && kind === 'mapping') this.findDuplicateKeys(segment, this.onDuplicateKey);
    // Deep inside a resource no parent is indexed: nothing to record.
    if (depth >= 4 && this.section === 'Resources' && !indexAll) {
      this.logged = segment;
      return start;
    }
    if (!nodes.has(value) && (depth < 3 || this.section !== 'Resources' || indexAll)) {
      const own: NodeOffsets = { start };
      nodes.set(value, own);
      // The offsets of a tagged collection's items or keys belong to the collection the tag wraps.
      const inner = wrapped ? Object.values(value)[0] : value;
      if (inner !== null && typeof inner === 'object' && segment < this.logged) {
        const offsets: NodeOffsets = inner === value ? own : (nodes.get(inner) ?? { start });
        // Its items or keys: the children logged since it opened.
        if (kind === 'sequence') {
          const items: number[] = [];
          for (let i = segment; i < this.logged; i += 2) items.push(this.log[i] as number);
          offsets.items = items;
        } else if (kind === 'mapping') {
          const keys = new Map<string, number>();
          for (let i = segment; i < this.logged; i += 2) {
            const name = this.log[i + 1] as string | undefined;
            // Of two equal keys the last is the one read.
            if (name !== undefined) keys.set(name, this.log[i] as number);
          }
          offsets.keys = keys;
        }
        if (inner !== value) nodes.set(inner, offsets);
      }
    }
    if (depth === 2) this.indexingResource = false; // a resource ends
    // Replaces the children logged since `segment` by the node that holds them.
    this.log[segment] = start;
    this.log[segment + 1] = undefined;
    this.logged = segment + 2;
    return start;
  }

  /**
   * A scalar node that opens at `start` and closes with `value`, nothing between: `open` and `close` in one
   * call, which the fast reader makes for most of its nodes.
   */
  scalar(start: number, value: unknown, key: string | undefined): void {
    const depth = this.starts.length;
    // Deep inside a resource no parent is indexed: nothing to record (but keys, when duplicates are looked for).
    if (depth >= 4 && this.section === 'Resources' && !this.indexEverything && !this.indexingResource && !this.onDuplicateKey) return;
    if (depth === 1 && key !== undefined) {
      this.section = key;
    } else if (depth === 2) {
      this.indexingResource = false; // a resource's name (or a resource that is a scalar) ends
    } else if (depth === 3 && key === undefined && this.indexedTypes && this.section === 'Resources' && this.log[this.logged - 1] === 'Type') {
      // The value of a resource's `Type` key, the sibling logged just before it.
      this.indexingResource = typeof value === 'string' && this.indexedTypes.has(value);
    }
    this.log[this.logged] = start;
    this.log[this.logged + 1] = key;
    this.logged += 2;
  }

  /** Tells of each key that the mapping whose children are logged from `segment` has twice. */
  private findDuplicateKeys(segment: number, onDuplicateKey: (key: string, first: number, last: number) => void): void {
    const seen = new Map<string, number>();
    for (let i = segment; i < this.logged; i += 2) {
      const name = this.log[i + 1] as string | undefined;
      if (name === undefined) continue;
      const earlier = seen.get(name);
      if (earlier !== undefined) onDuplicateKey(name, earlier, this.log[i] as number);
      seen.set(name, this.log[i] as number);
    }
  }
}
