import type { TemplatePath } from '../types';
import type { ParsedText } from './parsed';
import { valueAtPath, type NodeOffsets } from './positions';

/** Reads a slice of the text (at `base` in the file) with every collection indexed, or throws its ParseFailure. */
export type IndexedReader = (slice: string, base: number) => ParsedText;

/**
 * A text's UTF-16 code units, indexable as numbers: what the scan below reads, because indexing a typed array
 * costs less than `charCodeAt` on a string in every tier of V8. A file whose bytes are all ASCII gives them
 * as they are (one byte per code unit); any other text is copied out once.
 */
export type CodeUnits = Uint8Array | Uint16Array;

export function codeUnitsOf(text: string): CodeUnits {
  const bytes = Buffer.from(text, 'utf16le');
  // A Uint16Array view needs an even offset; Buffer's pool keeps 8-byte alignment, but a copy costs little here.
  return bytes.byteOffset % 2 === 0 ? new Uint16Array(bytes.buffer, bytes.byteOffset, text.length) : new Uint16Array(Uint8Array.from(bytes).buffer);
}

/**
 * The fast path for a whole JSON template: `JSON.parse` builds the values at V8's native speed, and one scan of
 * the text that builds nothing finds where the sections, the resources and their texts start. Nothing else is
 * indexed up front: when a finding points inside a section or a resource, `expand` reads that one's text again
 * with the indexed reader.
 *
 * `JSON.parse` keeps the last of two equal keys without a word, and its errors have no line: the scan compares
 * the keys of each object, and wherever two are equal (a warning to give), or the text does not parse, or nests
 * deeper than `maxDepth`, this gives undefined and the indexed reader reads it all, saying where. `codes`: the
 * text's code units.
 */
export function readJsonFast(text: string, maxDepth: number, readIndexed: IndexedReader, codes: CodeUnits = codeUnitsOf(text)): ParsedText | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(body)) return undefined;
  const scan = scanTemplate(text, codes, maxDepth);
  if (!scan) return undefined;

  const nodes = new Map<object, NodeOffsets>([[body, { start: scan.start, keys: scan.sectionKeys }]]);
  const resources = body.Resources;
  if (scan.resources && isPlainObject(resources)) nodes.set(resources, scan.resources.offsets);
  const resourceSpans = scan.resources?.spans;

  // The text of a section (`[section, …]`) or of a resource (`['Resources', id, …]`), read again indexed.
  const expand = (path: TemplatePath): ParsedText | undefined => {
    const inResource = path[0] === 'Resources' && resourceSpans !== undefined;
    const span = inResource ? resourceSpans.get(String(path[1])) : scan.sections.get(String(path[0]));
    if (!span) return undefined;
    const slice = readIndexed(text.slice(span[0], span[1]), span[0]);
    const value = valueAtPath(slice.body, path.slice(inResource ? 2 : 1));
    return value === undefined ? undefined : { ...slice, body: value, text };
  };
  return { body, nodes, text, expand, lineStarts: scan.lineStarts };
}

interface TemplateScan {
  start: number;
  sectionKeys: Map<string, number>;
  /** Sections whose values are collections (Resources when it is not an object), by their text spans. */
  sections: Map<string, [number, number]>;
  resources?: { offsets: NodeOffsets; spans: Map<string, [number, number]> };
  /** Where each line starts: the scan passes every line break (JSON has none inside strings), so it notes them. */
  lineStarts: number[];
}

/**
 * One pass over text `JSON.parse` accepted, so it checks no syntax: it walks the document's and Resources' own
 * keys and skips every other value by its brackets, comparing the keys of each object on its way. Undefined
 * where the indexed reader should decide: two equal keys, nesting past `maxDepth`, a `__proto__` key at those
 * two levels.
 */
function scanTemplate(text: string, codes: CodeUnits, maxDepth: number): TemplateScan | undefined {
  try {
    return scanOrGiveUp(text, codes, maxDepth);
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

const GIVE_UP = Symbol('give up');

function scanOrGiveUp(text: string, codes: CodeUnits, maxDepth: number): TemplateScan {
  let i = 0;
  const lineStarts = [0];
  const keys = new KeyStack(text, codes);
  const giveUp = (): never => {
    throw GIVE_UP;
  };

  const skipSpace = () => {
    for (let ch = codes[i]; ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09; ch = codes[++i]) {
      if (ch === 0x0a) lineStarts.push(i + 1);
    }
  };
  // i at an opening quote: moves past the closing one, decoding what it holds.
  const readKey = (): string => {
    const from = i;
    i = skipString(codes, i + 1);
    const raw = text.slice(from + 1, i - 1);
    return raw.includes('\\') ? (JSON.parse(text.slice(from, i)) as string) : raw;
  };
  // The keys of the object at i, each value handed to `onValue` with i at its start; `onValue` moves i past it.
  const readObject = (onValue: (key: string, keyAt: number) => void): Map<string, number> => {
    const offsets = new Map<string, number>();
    i++;
    for (;;) {
      skipSpace();
      if (codes[i] === 0x7d) break;
      const keyAt = i;
      const key = readKey();
      if (key === '__proto__' || offsets.has(key)) giveUp();
      offsets.set(key, keyAt);
      skipSpace();
      i++; // ':'
      skipSpace();
      onValue(key, keyAt);
      skipSpace();
      if (codes[i] === 0x2c) i++;
    }
    i++;
    return offsets;
  };

  skipSpace();
  const scan: TemplateScan = { start: i, sectionKeys: new Map(), sections: new Map(), lineStarts };
  scan.sectionKeys = readObject((key) => {
    const from = i;
    const ch = codes[i];
    if (key === 'Resources' && ch === 0x7b) {
      const spans = new Map<string, [number, number]>();
      const resourcesAt = i;
      const offsets = readObject((id) => {
        const valueAt = i;
        i = skipValue(codes, i, 2, maxDepth, lineStarts, keys);
        spans.set(id, [valueAt, i]);
      });
      scan.resources = { offsets: { start: resourcesAt, keys: offsets }, spans };
      return;
    }
    i = skipValue(codes, i, 1, maxDepth, lineStarts, keys);
    if (ch === 0x7b || ch === 0x5b) scan.sections.set(key, [from, i]);
  });
  skipSpace(); // the line breaks after the document
  return scan;
}

/** From just inside a string at `at`: the offset past its closing quote (one that no backslash escapes). */
function skipString(codes: CodeUnits, at: number): number {
  let i = at;
  for (let ch = codes[i]; ch !== 0x22; ch = codes[++i]) if (ch === 0x5c) i++;
  return i + 1;
}

/**
 * Skips the value at `at`, `depth` collections deep once inside it: gives the offset just past it, notes the
 * line starts on its way and gives up on two equal keys in one object. The scan's hot loop, over most of a big
 * template: a function of its own with locals, not a closure, because a closure's variables live in its
 * context, and in code not yet optimized every step through them costs a memory access.
 */
function skipValue(codes: CodeUnits, at: number, depth: number, maxDepth: number, lineStarts: number[], keys: KeyStack): number {
  let i = at;
  let open = 0;
  do {
    const ch = codes[i++];
    // Parsed text: below '!' there is only white space.
    if (ch <= 0x20) {
      if (ch === 0x0a) {
        lineStarts.push(i);
        while (codes[i] === 0x20) i++; // the indentation of the next line
      }
      continue;
    }
    if (ch === 0x22) {
      const from = i;
      let escaped = false;
      for (let c = codes[i]; c !== 0x22; c = codes[++i]) {
        if (c === 0x5c) {
          escaped = true;
          i++;
        }
      }
      const end = i++;
      // A string followed by ':' is a key.
      let next = codes[i];
      while (next <= 0x20) {
        if (next === 0x0a) lineStarts.push(i + 1);
        next = codes[++i];
      }
      if (next === 0x3a) {
        i++;
        if (!keys.add(from, end, escaped)) throw GIVE_UP;
      }
    } else if (ch === 0x7b || ch === 0x5b) {
      if (depth + ++open > maxDepth) throw GIVE_UP;
      keys.open();
    } else if (ch === 0x7d || ch === 0x5d) {
      open--;
      keys.close();
    }
  } while (open > 0);
  // A scalar (open never rose): run to its end.
  for (let ch = codes[i]; i < codes.length && ch !== 0x2c && ch !== 0x7d && ch !== 0x5d; ch = codes[++i]) {
    if (ch === 0x0a) lineStarts.push(i + 1);
  }
  return i;
}

/**
 * The keys written so far in each open collection, innermost last, as spans of their text between the quotes.
 * A small object compares a new key with each before it, as written; one past `SMALL` keys, or with a key that
 * holds an escape (`"a\u0062"` is `"ab"`), puts their names in a set.
 */
class KeyStack {
  private static readonly SMALL = 16;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private count = 0;
  /** Per open collection: where its keys start in `starts`, and its set once it has one. */
  private readonly firsts: number[] = [];
  private readonly sets: (Set<string> | undefined)[] = [];

  constructor(
    private readonly text: string,
    private readonly codes: CodeUnits,
  ) {}

  open(): void {
    this.firsts.push(this.count);
    this.sets.push(undefined);
  }

  close(): void {
    this.count = this.firsts.pop()!;
    this.sets.pop();
  }

  /** Adds the key written between `start` and `end`; false if its object has it already. */
  add(start: number, end: number, escaped: boolean): boolean {
    const level = this.firsts.length - 1;
    const first = this.firsts[level];
    const { starts, ends, codes, text } = this;
    let set = this.sets[level];
    if (set === undefined && !escaped) {
      const length = end - start;
      for (let k = first; k < this.count; k++) {
        if (ends[k] - starts[k] !== length) continue;
        let same = true;
        for (let c = 0; c < length && same; c++) same = codes[starts[k] + c] === codes[start + c];
        if (same) return false;
      }
      starts[this.count] = start;
      ends[this.count] = end;
      this.count++;
      if (this.count - first <= KeyStack.SMALL) return true;
    }
    if (set === undefined) {
      // The keys so far hold no escape: their text is their name.
      set = this.sets[level] = new Set();
      for (let k = first; k < this.count; k++) set.add(text.slice(starts[k], ends[k]));
      if (!escaped) return true; // the key just added is among them
    }
    const name = escaped ? (JSON.parse(text.slice(start - 1, end + 1)) as string) : text.slice(start, end);
    if (set.has(name)) return false;
    set.add(name);
    return true;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
