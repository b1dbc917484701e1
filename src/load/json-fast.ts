import type { TemplatePath } from '../types';
import type { ParsedText } from './parsed';
import type { NodeOffsets } from './positions';

/** Reads a slice of the text (at `base` in the file) with every collection indexed, or throws its ParseFailure. */
export type IndexedReader = (slice: string, base: number) => ParsedText;

/**
 * The fast path for a whole JSON template: `JSON.parse` builds the values at V8's native speed, and one scan of
 * the text that builds nothing finds where the sections, the resources and their texts start. Nothing else is
 * indexed up front: when a finding points inside a section or a resource, `expand` reads that one's text again
 * with the indexed reader.
 *
 * `JSON.parse` keeps the last of two equal keys without a word, and its errors have no line: the scan counts
 * the keys written, and wherever that differs from the keys parsed, or the text does not parse, or nests
 * deeper than `maxDepth`, this gives undefined and the indexed reader reads it all, reporting where.
 */
export function readJsonFast(text: string, maxDepth: number, readIndexed: IndexedReader): ParsedText | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(body)) return undefined;
  const scan = scanTemplate(text, maxDepth);
  if (!scan || scan.keys !== countKeys(body, maxDepth)) return undefined;

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
    let value = slice.body;
    for (const step of path.slice(inResource ? 2 : 1)) value = (value as Record<string, unknown> | null | undefined)?.[step as string];
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
  /** Every key written in the text, at any depth. */
  keys: number;
  /** Where each line starts: the scan passes every line break (JSON has none inside strings), so it notes them. */
  lineStarts: number[];
}

/**
 * One pass over text `JSON.parse` accepted, so it checks no syntax: it walks the document's and Resources' own
 * keys, skips every other value by its brackets, and counts keys (a string followed by ':'). Undefined where
 * the indexed reader should decide: nesting past `maxDepth`, a `__proto__` key at those two levels.
 */
function scanTemplate(text: string, maxDepth: number): TemplateScan | undefined {
  try {
    return scanOrGiveUp(text, maxDepth);
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

const GIVE_UP = Symbol('give up');

function scanOrGiveUp(text: string, maxDepth: number): TemplateScan {
  let i = 0;
  let keys = 0;
  const lineStarts = [0];
  const giveUp = (): never => {
    throw GIVE_UP;
  };

  const skipSpace = () => {
    for (let ch = text.charCodeAt(i); ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09; ch = text.charCodeAt(++i)) {
      if (ch === 0x0a) lineStarts.push(i + 1);
    }
  };
  // i at an opening quote: moves past the closing one (a quote preceded by an odd run of backslashes is escaped).
  const skipString = () => {
    let close = text.indexOf('"', i + 1);
    for (;;) {
      let backslashes = 0;
      while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
      if (backslashes % 2 === 0) break;
      close = text.indexOf('"', close + 1);
    }
    i = close + 1;
  };
  const readKey = (): string => {
    const from = i;
    skipString();
    const raw = text.slice(from + 1, i - 1);
    return raw.includes('\\') ? (JSON.parse(text.slice(from, i)) as string) : raw;
  };
  // Skips the value at i, `depth` collections deep once inside it, counting the keys within.
  const skipValue = (depth: number) => {
    let open = 0;
    do {
      const ch = text.charCodeAt(i++);
      // Parsed text: below '!' there is only whitespace. `ch | 0x20` folds '[' onto '{' and ']' onto '}'.
      if (ch <= 0x20) {
        if (ch === 0x0a) lineStarts.push(i);
        continue;
      }
      if (ch === 0x22) {
        i--;
        skipString();
        skipSpace();
        if (text.charCodeAt(i) === 0x3a) {
          keys++;
          i++;
        }
      } else if ((ch | 0x20) === 0x7b) {
        if (depth + ++open > maxDepth) giveUp();
      } else if ((ch | 0x20) === 0x7d) open--;
    } while (open > 0);
    // A scalar (open never rose): run to its end.
    for (let ch = text.charCodeAt(i); i < text.length && ch !== 0x2c && ch !== 0x7d && ch !== 0x5d; ch = text.charCodeAt(++i)) {
      if (ch === 0x0a) lineStarts.push(i + 1);
    }
  };
  // The keys of the object at i, each value handed to `onValue` with i at its start; `onValue` moves i past it.
  const readObject = (onValue: (key: string, keyAt: number) => void): Map<string, number> => {
    const offsets = new Map<string, number>();
    i++;
    for (;;) {
      skipSpace();
      if (text.charCodeAt(i) === 0x7d) break;
      const keyAt = i;
      const key = readKey();
      keys++;
      offsets.set(key, keyAt);
      skipSpace();
      i++; // ':'
      skipSpace();
      onValue(key, keyAt);
      skipSpace();
      if (text.charCodeAt(i) === 0x2c) i++;
    }
    i++;
    return offsets;
  };

  skipSpace();
  const scan: TemplateScan = { start: i, sectionKeys: new Map(), sections: new Map(), keys: 0, lineStarts };
  scan.sectionKeys = readObject((key) => {
    if (key === '__proto__') giveUp();
    const from = i;
    const ch = text.charCodeAt(i);
    if (key === 'Resources' && ch === 0x7b) {
      const spans = new Map<string, [number, number]>();
      const resourcesAt = i;
      const offsets = readObject((id) => {
        if (id === '__proto__') giveUp();
        const valueAt = i;
        skipValue(2);
        spans.set(id, [valueAt, i]);
      });
      scan.resources = { offsets: { start: resourcesAt, keys: offsets }, spans };
      return;
    }
    skipValue(1);
    if (ch === 0x7b || ch === 0x5b) scan.sections.set(key, [from, i]);
  });
  skipSpace(); // the line breaks after the document
  scan.keys = keys;
  return scan;
}

/**
 * Keys of every object in a parsed value (the scan has given up on anything deeper than `maxDepth`). `for…in`
 * without an own-property test: what `JSON.parse` builds inherits nothing enumerable, and the test doubled the
 * cost of this walk, one of the larger steps of reading a big template.
 */
function countKeys(value: object, maxDepth: number, depth = 1): number {
  let keys = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null && depth < maxDepth) keys += countKeys(item, maxDepth, depth + 1);
    }
    return keys;
  }
  for (const key in value) {
    keys++;
    const item: unknown = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null && depth < maxDepth) keys += countKeys(item, maxDepth, depth + 1);
  }
  return keys;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
