import type { NodeOffsets } from './positions';
import { ParseFailure, type ParsedText } from './parsed';

export const MAX_JSON_DEPTH = 1000;

/**
 * A JSON reader that records offsets as it goes and rejects duplicate keys (JSON.parse silently keeps the
 * last one; CloudFormation rejects the template). One pass over the text, no tokens materialised.
 */
export function parseJson(text: string): ParsedText {
  const nodes = new Map<object, NodeOffsets>();
  let i = 0;
  let depth = 0;

  const fail = (message: string, at = i): never => {
    throw new ParseFailure(at >= text.length && !message.startsWith('unexpected end') ? `unexpected end of file: ${message}` : message, at);
  };

  const skipSpace = () => {
    for (;;) {
      const ch = text.charCodeAt(i);
      if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) i++;
      else return;
    }
  };

  const readString = (): string => {
    const start = ++i; // past the opening quote
    for (;;) {
      const ch = text.charCodeAt(i);
      if (ch === 0x22) break;
      if (ch === 0x5c) return readEscapedString(start - 1);
      if (Number.isNaN(ch)) fail('unterminated string', start - 1);
      if (ch < 0x20) fail('control character in string');
      i++;
    }
    return text.slice(start, i++);
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
      return fail('invalid escape in string', quote);
    }
  };

  const readNumber = (): number => {
    const start = i;
    if (text.charCodeAt(i) === 0x2d) i++;
    while (i < text.length && /[0-9eE+\-.]/.test(text[i])) i++;
    const literal = text.slice(start, i);
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(literal)) fail(`invalid number '${literal}'`, start);
    return Number(literal);
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

  const enter = () => {
    if (++depth > MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH}`);
  };

  const readObject = (): Record<string, unknown> => {
    enter();
    const start = i++;
    const object: Record<string, unknown> = {};
    const keys = new Map<string, number>();
    skipSpace();
    if (text.charCodeAt(i) === 0x7d) i++;
    else {
      for (;;) {
        skipSpace();
        if (text.charCodeAt(i) !== 0x22) fail('expected a key in double quotes');
        const keyStart = i;
        const key = readString();
        if (keys.has(key)) fail(`duplicate key '${key}'`, keyStart);
        keys.set(key, keyStart);
        skipSpace();
        if (text.charCodeAt(i) !== 0x3a) fail("expected ':' after key");
        i++;
        const value = readValue();
        // Own data property even for '__proto__': a template is data, never a prototype.
        if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
        else object[key] = value;
        skipSpace();
        const next = text.charCodeAt(i++);
        if (next === 0x7d) break;
        if (next !== 0x2c) fail("expected ',' or '}'", i - 1);
      }
    }
    nodes.set(object, { start, keys });
    depth--;
    return object;
  };

  const readArray = (): unknown[] => {
    enter();
    const start = i++;
    const array: unknown[] = [];
    const items: number[] = [];
    skipSpace();
    if (text.charCodeAt(i) === 0x5d) i++;
    else {
      for (;;) {
        skipSpace();
        items.push(i);
        array.push(readValue());
        skipSpace();
        const next = text.charCodeAt(i++);
        if (next === 0x5d) break;
        if (next !== 0x2c) fail("expected ',' or ']'", i - 1);
      }
    }
    nodes.set(array, { start, items });
    depth--;
    return array;
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const body = readValue();
  skipSpace();
  if (i < text.length) fail(`unexpected '${text[i]}' after the end of the document`);
  return { body, nodes, text };
}
