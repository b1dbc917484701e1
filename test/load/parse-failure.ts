import { ParseFailure, type ParsedText } from '../../src/load/parsed';
import { SourceMap } from '../../src/load/positions';

/** The code, message and 1-based position of the syntax error `parse` must report on `text`. */
export function parseFailure(parse: (text: string) => ParsedText, text: string): { code: string; message: string; line: number; column: number } {
  try {
    parse(text);
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error;
    return { code: error.code, message: error.message, ...new SourceMap(text, new Map()).positionOf(error.offset) };
  }
  throw new Error('expected a parse failure');
}
