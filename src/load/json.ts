import { Code, type ErrorCode } from '../codes';
import type { TemplatePath } from '../types';
import { type CodeUnits, readJsonFast } from './json-fast';
import { ParseFailure, WarningLog, type ParsedText } from './parsed';
import { valueAtPath, type NodeOffsets } from './positions';

export const MAX_JSON_DEPTH = 1000;
const SMALL_JSON = 64 * 1024;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Reads JSON with positions. Of two equal keys the last wins, as in JSON.parse and in CloudFormation, with a
 * warning naming both lines. A whole template of `SMALL_JSON` or more takes the fast path of json-fast.ts first;
 * the indexed reader below reads the rest and whatever the fast path leaves to it, errors included. `base` is
 * the offset of `text` in the whole file when a slice is read; `indexEverything` indexes inside resources too;
 * `codes`, the text's code units where the caller has them (a file's ASCII bytes).
 */
export function parseJson(text: string, base = 0, indexEverything = false, codes?: CodeUnits): ParsedText {
  if (base === 0 && !indexEverything) {
    // A small file is read faster in one pass of the indexed reader, everything indexed, than by the fast
    // path's three (JSON.parse, the scan, the trails' texts again): in a short run all of it is code V8 has
    // not optimized yet. SMALL_JSON is about where the two cross, measured whole-process (README, "Performance").
    if (text.length < SMALL_JSON || mayHoldNonCanonicalNumber(text)) return readJson(text, 0, true);
    const fast = readJsonFast(text, MAX_JSON_DEPTH, (slice, at) => readJson(slice, at, true), codes);
    if (fast) return fast;
  }
  return readJson(text, base, indexEverything);
}

/**
 * Whether the text may hold a number JSON.parse would not keep as written (a fraction, an exponent, more digits
 * than a double holds): then only the indexed reader keeps its text. A digit string inside a string (an IP
 * address, a version) sends the file to the indexed reader too, which reads it the same, only slower.
 */
function mayHoldNonCanonicalNumber(text: string): boolean {
  return /[:,[]\s*-?\d+(?:\.\d|[eE]|\d{15})/.test(text);
}

/**
 * The indexed reader: records offsets as it goes and warns of duplicate keys. One pass over the text, no
 * tokens materialised. As for YAML, nothing inside a resource is indexed while reading (the bulk of a large
 * template): a resource's text — a JSON value by itself — is read again, fully indexed, when a finding needs
 * a position in it.
 */
function readJson(text: string, base: number, indexEverything: boolean): ParsedText {
  const nodes = new Map<object, NodeOffsets>();
  const resourceSpans = new Map<string, [number, number]>();
  const warnings = new WarningLog(base === 0 ? text : undefined);
  let i = 0;
  let depth = 0;
  let section: string | undefined;

  const fail = (message: string, at = i, code: ErrorCode = Code.JsonSyntax): never => {
    const end = at >= text.length && !message.startsWith('unexpected end');
    throw new ParseFailure(code, end ? `unexpected end of file: ${message}` : message, at + base);
  };

  const skipSpace = () => {
    for (;;) {
      const ch = text.charCodeAt(i);
      if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) i++;
      else return;
    }
  };

  const readString = (): string => {
    const quote = i;
    const close = text.indexOf('"', quote + 1);
    if (close === -1) return fail('unterminated string', quote);
    for (let at = quote + 1; at < close; at++) {
      const ch = text.charCodeAt(at);
      if (ch === 0x5c) return readEscapedString(quote);
      if (ch < 0x20) fail('control character in string', at);
    }
    i = close + 1;
    return text.slice(quote + 1, close);
  };

  const readEscapedString = (quote: number): string => {
    i = quote + 1;
    for (;;) {
      const ch = text.charCodeAt(i);
      if (Number.isNaN(ch)) fail('unterminated string', quote);
      if (ch === 0x22) break;
      i += ch === 0x5c ? 2 : 1;
    }
    i++;
    try {
      return JSON.parse(text.slice(quote, i)) as string;
    } catch {
      return fail('invalid escape or control character in string', quote);
    }
  };

  // A number keeps its source text as its string form (`1.0` is "1.0", a 20-digit account-like number is not
  // rounded): where the number would print otherwise, the text is the value.
  const readNumber = (): number | string => {
    const start = i;
    for (let ch = text.charCodeAt(i); (ch >= 0x30 && ch <= 0x39) || ch === 0x2d || ch === 0x2b || ch === 0x2e || ch === 0x65 || ch === 0x45; ch = text.charCodeAt(++i));
    const literal = text.slice(start, i);
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(literal)) fail(`invalid number '${literal}'`, start);
    const value = Number(literal);
    return String(value) === literal ? value : literal;
  };

  const readWord = (word: string, value: unknown): unknown => {
    if (!text.startsWith(word, i)) fail(`unexpected '${text[i] ?? 'end of file'}'`);
    i += word.length;
    return value;
  };

  const readValue = (): unknown => {
    skipSpace();
    const ch = text.charCodeAt(i);
    if (ch === 0x7b) return readObject();
    if (ch === 0x5b) return readArray();
    if (ch === 0x22) return readString();
    if (ch === 0x74) return readWord('true', true);
    if (ch === 0x66) return readWord('false', false);
    if (ch === 0x6e) return readWord('null', null);
    if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) return readNumber();
    return fail(Number.isNaN(ch) ? 'unexpected end of file' : `unexpected '${text[i]}'`);
  };

  // `depth` counts the collections open, this one included: 1 the document, 2 a section, 3 a resource.
  // Below a resource, nothing is indexed.
  const indexed = () => indexEverything || depth <= 3 || section !== 'Resources';

  const readObject = (): Record<string, unknown> => {
    if (++depth > MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH}`, i, Code.TemplateTooComplex);
    const start = i++;
    const object: Record<string, unknown> = {};
    const keys = indexed() ? new Map<string, number>() : undefined;
    skipSpace();
    if (text.charCodeAt(i) === 0x7d) i++;
    else {
      for (;;) {
        skipSpace();
        if (text.charCodeAt(i) !== 0x22) fail('expected a key in double quotes');
        const keyStart = i;
        const key = readString();
        // The object itself tells whether the key came before: no separate set of keys is kept.
        if (hasOwn.call(object, key)) warnings.duplicateKey(key, keyStart + base, () => keys?.get(key) ?? firstKeyOffset(text, start, key) + base);
        keys?.set(key, keyStart + base);
        if (depth === 1) section = key;
        skipSpace();
        if (text.charCodeAt(i) !== 0x3a) fail("expected ':' after key");
        i++;
        const valueStart = i;
        const value = readValue();
        if (depth === 2 && section === 'Resources') resourceSpans.set(key, [valueStart, i]);
        // Own data property even for '__proto__': a template is data, never a prototype.
        if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
        else object[key] = value;
        skipSpace();
        const next = text.charCodeAt(i++);
        if (next === 0x7d) break;
        if (next !== 0x2c) fail("expected ',' or '}'", i - 1);
      }
    }
    depth--;
    if (keys) nodes.set(object, { start: start + base, keys });
    return object;
  };

  const readArray = (): unknown[] => {
    if (++depth > MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH}`, i, Code.TemplateTooComplex);
    const start = i++;
    const array: unknown[] = [];
    const items: number[] | undefined = indexed() ? [] : undefined;
    skipSpace();
    if (text.charCodeAt(i) === 0x5d) i++;
    else {
      for (;;) {
        skipSpace();
        items?.push(i + base);
        array.push(readValue());
        skipSpace();
        const next = text.charCodeAt(i++);
        if (next === 0x5d) break;
        if (next !== 0x2c) fail("expected ',' or ']'", i - 1);
      }
    }
    depth--;
    if (items) nodes.set(array, { start: start + base, items });
    return array;
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const body = readValue();
  skipSpace();
  if (i < text.length) fail(`unexpected '${text[i]}' after the end of the document`);

  const expand = (path: TemplatePath): ParsedText | undefined => {
    const span = path.length >= 2 && path[0] === 'Resources' ? resourceSpans.get(String(path[1])) : undefined;
    if (!span) return undefined;
    const slice = readJson(text.slice(span[0], span[1]), base + span[0], true);
    const value = valueAtPath(slice.body, path.slice(2));
    return value === undefined ? undefined : { ...slice, body: value, text };
  };
  return { body, nodes, text, expand, warnings: warnings.warnings };
}

/**
 * Where the object at `start` first writes `key`: the first string directly inside it, followed by ':', that
 * says it. Only for a duplicate in an object not indexed (rare), so a scan of that one object is cheap enough.
 */
function firstKeyOffset(text: string, start: number, key: string): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x7b || ch === 0x5b) depth++;
    else if (ch === 0x7d || ch === 0x5d) depth--;
    else if (ch === 0x22) {
      const from = i;
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      let next = i + 1;
      while (text.charCodeAt(next) === 0x20 || text.charCodeAt(next) === 0x0a || text.charCodeAt(next) === 0x0d || text.charCodeAt(next) === 0x09) next++;
      if (depth === 1 && text.charCodeAt(next) === 0x3a && JSON.parse(text.slice(from, i + 1)) === key) return from;
    }
  }
  return start;
}
