import { isAscii } from 'node:buffer';
import * as path from 'node:path';
import { Code, type ErrorCode } from '../codes';
import { parseJson } from './json';
import { ParseFailure, type ParseWarning, type ParsedText } from './parsed';
import { SourceMap } from './positions';
import type { InputReader } from './read-file';
import { parseYaml, yamlDocuments } from './yaml';

export const TEMPLATE_EXTENSIONS = ['.yaml', '.yml', '.json', '.template'];

export interface ParsedTemplate {
  body: unknown;
  sourceMap: SourceMap;
  warnings: ParseWarning[];
}

/** A reason a file is not a readable template, with the offset it points at when there is one. */
export interface LoadFailure {
  code: ErrorCode;
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
  if (bytes.includes(0)) return { code: Code.NotText, message: 'not a text file (contains NUL bytes)' };
  // ASCII reads the same in every encoding, and the latin1 decoder skips UTF-8's validation (twice as fast).
  return isAscii(bytes) ? { text: bytes.toString('latin1'), asciiBytes: bytes } : { text: bytes.toString('utf8') };
}

/**
 * `indexedTypes`: resources of these types will be reported on; a reader may index them up front.
 * `asciiBytes`: the file's bytes, when they are all ASCII.
 */
export function parseTemplateText(file: string, text: string, indexedTypes?: ReadonlySet<string>, asciiBytes?: Uint8Array): ParsedTemplate | LoadFailure {
  if (text.trim() === '') return { code: Code.EmptyFile, message: 'file is empty', notATemplate: true };
  let parsed: ParsedText;
  const json = looksLikeJson(file, text);
  try {
    parsed = json ? parseJson(text, 0, false, asciiBytes) : parseYaml(text, 0, false, indexedTypes);
  } catch (error) {
    if (!(error instanceof ParseFailure)) return { code: json ? Code.JsonSyntax : Code.YamlSyntax, message: `cannot parse: ${(error as Error).message}` };
    return { code: error.code, message: error.message, offset: error.offset, ...(isStreamOfNonTemplates(file, text) && { notATemplate: true }) };
  }
  if (!isTemplate(parsed.body)) {
    return { code: Code.NotATemplate, message: 'not a CloudFormation template (no Resources mapping and no AWSTemplateFormatVersion)', notATemplate: true };
  }
  return { body: parsed.body, sourceMap: new SourceMap(parsed.text, parsed.nodes, parsed.expand, parsed.lineStarts), warnings: parsed.warnings ?? [] };
}

/** A YAML stream of several documents, none of them a template (Kubernetes manifests): plainly something else. */
function isStreamOfNonTemplates(file: string, text: string): boolean {
  if (looksLikeJson(file, text) || !/^---/m.test(text)) return false;
  const documents = yamlDocuments(text);
  return documents !== undefined && documents.length > 1 && !documents.some(isTemplate);
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

/**
 * Files with a template extension that are plainly something else by their name: a package manifest, a compiler
 * or tool configuration (often JSON with comments), a buildspec. In a folder, or under --skip-non-templates, one
 * that does not parse is skipped; one that parses into a template is still linted. Any other file with a template
 * extension that does not parse is an input error: a template's content never decides whether it is looked at.
 */
const NON_TEMPLATE_NAMES =
  /^(?:package(?:-lock)?\.json|npm-shrinkwrap\.json|pnpm-lock\.ya?ml|[tj]sconfig(?:\..*)?\.json|cdk(?:\.context)?\.json|buildspec.*\.ya?ml|\.pre-commit-.*\.ya?ml|\.eslintrc.*\.json|\.prettierrc.*|\.babelrc.*|\.markdownlint.*|\.cfnlintrc.*|devcontainer\.json|renovate\.json|lerna\.json|nx\.json|turbo\.json|composer\.json|docker-compose.*\.ya?ml|compose\.ya?ml|\.gitlab-ci\.ya?ml|\.travis\.ya?ml|mkdocs\.ya?ml|samconfig\.ya?ml)$/i;

/** The files CDK writes into a cloud assembly beside the templates. */
const ASSEMBLY_FILE_NAMES = /^(?:manifest\.json|tree\.json|.*\.assets\.json|.*\.metadata\.json)$/i;

export function isKnownNonTemplateName(file: string, inCloudAssembly = false): boolean {
  const name = path.basename(file);
  return NON_TEMPLATE_NAMES.test(name) || (inCloudAssembly && ASSEMBLY_FILE_NAMES.test(name));
}

export function isTemplateFileName(name: string): boolean {
  return TEMPLATE_EXTENSIONS.includes(path.extname(name).toLowerCase());
}
