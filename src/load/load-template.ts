import * as path from 'node:path';
import { Code, type ErrorCode, type WarningCode } from '../codes';
import { tooManyMentions } from '../limits';
import type { SourcePosition } from '../types';
import { SourceMap } from './positions';
import type { InputReader } from './read-file';
import type { TemplateSource } from './source';
import { isKnownNonTemplateName, isTemplate, parseTemplateText, readTemplateText } from './template-file';

/** A source read and parsed: its body, where its nodes are written (none for a body given parsed), its warnings. */
export interface LoadedTemplate {
  body: Record<string, unknown>;
  sourceMap?: SourceMap;
  warnings: (SourcePosition & { message: string; code: WarningCode })[];
}

/** Why a source gives no template: an input error (at a position of its text when there is one), or nothing to say. */
export type LoadOutcome = LoadedTemplate | { failure: string; code: ErrorCode; position?: SourcePosition } | { skipped: true };

/**
 * The one way a source becomes a template, whatever found it (a path, a cloud assembly, a CDK app, a parent's
 * TemplateBody): read through `files` inside its root, bounded by the resources of `reportedTypes` it mentions,
 * and parsed. In a folder, a file that is plainly no template (it parses and has no Resources, or its name says
 * what it is) is skipped; any other file that does not parse is an input error, whatever it holds.
 */
export function loadTemplate(source: TemplateSource, files: InputReader, reportedTypes: ReadonlySet<string>, embedded = false): LoadOutcome {
  if (source.body !== undefined) {
    if (isTemplate(source.body)) return { body: source.body, warnings: [] };
    // A CDK stack with nothing in it renders `{}`, as its file in cdk.out holds, which the CLI passes over.
    return source.explicit ? { failure: 'not a CloudFormation template', code: Code.NotATemplate } : { skipped: true };
  }
  const read = source.text !== undefined ? { text: source.text } : readTemplateText(source.file, source.root ?? path.dirname(source.file), files);
  if ('message' in read) return { failure: read.message, code: read.code };
  const { text } = read;
  const tooMany = tooManyMentions(text, reportedTypes);
  if (tooMany) return { failure: tooMany, code: Code.TooManyReportedResources };
  // An embedded template is YAML or JSON whatever its parent is: its content tells (a `.template` name).
  const parsed = parseTemplateText(embedded ? 'TemplateBody.template' : source.file, text, reportedTypes, read.asciiBytes);
  if ('message' in parsed) {
    if (!source.explicit && (parsed.notATemplate || isKnownNonTemplateName(source.file, source.inCloudAssembly))) return { skipped: true };
    const position = parsed.offset === undefined ? undefined : new SourceMap(text, new WeakMap()).positionOf(parsed.offset);
    return { failure: parsed.message, code: parsed.code, ...(position && { position }) };
  }
  const warnings = parsed.warnings.map(({ offset, message, code }) => ({ ...parsed.sourceMap.positionOf(offset), message, code }));
  return { body: parsed.body as Record<string, unknown>, sourceMap: parsed.sourceMap, warnings };
}
