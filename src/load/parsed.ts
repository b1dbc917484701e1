import type { TemplatePath } from '../types';
import type { NodeIndex } from './positions';

/** What a parser gives back: the value, and where its collections, keys and items start. */
export interface ParsedText {
  body: unknown;
  nodes: NodeIndex;
  text: string;
  /** For parsers that index lazily: the value at `path`, read again with everything in it indexed. */
  expand?: (path: TemplatePath) => ParsedText | undefined;
  /** Offsets where the text's lines start, when the parser found them on its way (else computed on demand). */
  lineStarts?: number[];
}

/** A syntax error at an offset of the text; the loader turns it into file:line:column. */
export class ParseFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}
