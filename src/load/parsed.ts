import type { NodeIndex } from './positions';

/** What a parser gives back: the value, and where its collections, keys and items start. */
export interface ParsedText {
  body: unknown;
  nodes: NodeIndex;
  text: string;
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
