import { Code, type ErrorCode, type WarningCode } from '../codes';
import type { TemplatePath } from '../types';
import { SourceMap, type NodeIndex } from './positions';

/** What a parser gives back: the value, and where its collections, keys and items start. */
export interface ParsedText {
  body: unknown;
  nodes: NodeIndex;
  text: string;
  /** For parsers that index lazily: the value at `path`, read again with everything in it indexed. */
  expand?: (path: TemplatePath) => ParsedText | undefined;
  /** Offsets where the text's lines start, when the parser found them on its way (else computed on demand). */
  lineStarts?: number[];
  /** What the text holds that CloudFormation reads, but not as written: never an error. */
  warnings?: ParseWarning[];
}

/** Something a reader accepted that CloudFormation reads otherwise than it looks (a duplicate key, an alias). */
export interface ParseWarning {
  /** A UTF-16 offset into the whole text; the loader turns it into a line and column. */
  offset: number;
  code: WarningCode;
  message: string;
}

/** A syntax error at an offset of the text; the loader turns it into file:line:column. Never leaves the loader. */
export class ParseFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Past this many, a file's warnings are counted, not listed: a hostile file cannot flood the report. */
export const MAX_WARNINGS = 100;

/**
 * The warnings of one reading, worded alike by every reader. `text` is the whole text the offsets point into;
 * a reader of a slice (read again for positions) passes undefined and keeps none, as the first reading gave them.
 */
export class WarningLog {
  private readonly list: ParseWarning[] = [];
  private omitted = 0;
  private lastOffset = 0;
  /** Built on the first warning that names another line: lines are found once, and only then. */
  private lines?: SourceMap;

  constructor(private readonly text: string | undefined) {}

  /** `first`: where the key is written before, found only while warnings are still listed (a search may cost). */
  duplicateKey(key: string, last: number, first: () => number): void {
    this.add(last, Code.DuplicateKey, () => `duplicate key ${quoted(key)}: CloudFormation keeps the last value (this one), not the one at line ${this.lineOf(first())}`);
  }

  alias(offset: number): void {
    this.add(offset, Code.YamlAlias, () => 'YAML alias: CloudFormation refuses aliases; read expanded, as `aws cloudformation package` writes it before upload');
  }

  mergeKey(offset: number): void {
    this.add(offset, Code.YamlMergeKey, () => 'YAML merge key <<: CloudFormation refuses merge keys; read merged (keys written here win), as `aws cloudformation package` writes it before upload');
  }

  /** In the order of the text (a reader may find an inner mapping's duplicates before an outer one's). */
  get warnings(): ParseWarning[] {
    const sorted = this.list.sort((a, b) => a.offset - b.offset);
    if (this.omitted === 0) return sorted;
    return [...sorted, { offset: this.lastOffset, code: Code.MoreWarnings, message: `${this.omitted} more warnings in this file not shown` }];
  }

  private add(offset: number, code: WarningCode, message: () => string): void {
    if (this.text === undefined) return;
    if (this.list.length >= MAX_WARNINGS) {
      this.omitted++;
      this.lastOffset = offset;
      return;
    }
    this.list.push({ offset, code, message: message() });
  }

  private lineOf(offset: number): number {
    return (this.lines ??= new SourceMap(this.text!, new Map())).positionOf(offset).line;
  }
}

function quoted(key: string): string {
  return `'${key.length > 60 ? `${key.slice(0, 60)}…` : key}'`;
}
