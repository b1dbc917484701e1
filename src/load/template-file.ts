import { isAscii } from 'node:buffer';
import * as path from 'node:path';
import { parseJson } from './json';
import { ParseFailure, type ParseWarning, type ParsedText } from './parsed';
import { SourceMap } from './positions';
import type { InputReader } from './read-file';
import { parseYaml } from './yaml';

export const TEMPLATE_EXTENSIONS = ['.yaml', '.yml', '.json', '.template'];

export interface ParsedTemplate {
  body: unknown;
  sourceMap: SourceMap;
  warnings: ParseWarning[];
}

/** A reason a file is not a readable template, with the offset it points at when there is one. */
export interface LoadFailure {
  message: string;
  offset?: number;
  /** The file reads fine but is not a CloudFormation template (skipped in directory mode). */
  notATemplate?: boolean;
}

/** A template's text, and the file's bytes when they are all ASCII: then they are its UTF-16 code units too. */
export interface TemplateText {
  text: string;
  asciiBytes?: Uint8Array;
}

/** Reads `file` through `reader`, inside `root` (see InputReader), as a template's text. */
export function readTemplateText(file: string, root: string, reader: InputReader): TemplateText | LoadFailure {
  const bytes = reader.read(file, root);
  return 'message' in bytes ? bytes : decodeTemplateText(bytes);
}

export function decodeTemplateText(bytes: Buffer): TemplateText | LoadFailure {
  if (bytes.includes(0)) return { message: 'not a text file (contains NUL bytes)' };
  // ASCII reads the same in every encoding, and the latin1 decoder skips UTF-8's validation (twice as fast).
  return isAscii(bytes) ? { text: bytes.toString('latin1'), asciiBytes: bytes } : { text: bytes.toString('utf8') };
}

/**
 * `indexedTypes`: resources of these types will be reported on; a reader may index them up front.
 * `asciiBytes`: the file's bytes, when they are all ASCII.
 */
export function parseTemplateText(file: string, text: string, indexedTypes?: ReadonlySet<string>, asciiBytes?: Uint8Array): ParsedTemplate | LoadFailure {
  if (text.trim() === '') return { message: 'file is empty', notATemplate: true };
  let parsed: ParsedText;
  try {
    parsed = looksLikeJson(file, text) ? parseJson(text, 0, false, asciiBytes) : parseYaml(text, 0, false, indexedTypes);
  } catch (error) {
    if (error instanceof ParseFailure) return { message: error.message, offset: error.offset };
    return { message: `cannot parse: ${(error as Error).message}` };
  }
  if (!isTemplate(parsed.body)) {
    return { message: 'not a CloudFormation template (no Resources mapping and no AWSTemplateFormatVersion)', notATemplate: true };
  }
  return { body: parsed.body, sourceMap: new SourceMap(parsed.text, parsed.nodes, parsed.expand, parsed.lineStarts), warnings: parsed.warnings ?? [] };
}

function looksLikeJson(file: string, text: string): boolean {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.json') return true;
  if (extension === '.yaml' || extension === '.yml') return false;
  return /^\uFEFF?\s*\{/.test(text);
}

export function isTemplate(body: unknown): body is Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const template = body as Record<string, unknown>;
  const resources = template.Resources;
  return (
    'AWSTemplateFormatVersion' in template ||
    (resources !== null && typeof resources === 'object' && !Array.isArray(resources))
  );
}

/** In directory mode a file that fails to parse is reported only if it means to be a template. */
export function claimsToBeTemplate(text: string): boolean {
  return /AWSTemplateFormatVersion|^\s*"?Resources"?\s*:/m.test(text);
}

export function isTemplateFileName(name: string): boolean {
  return TEMPLATE_EXTENSIONS.includes(path.extname(name).toLowerCase());
}
