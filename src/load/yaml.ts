import type * as JsYaml from 'js-yaml';
import { Code, type ErrorCode } from '../codes';
import type { TemplatePath } from '../types';
import { OffsetRecorder } from './offset-recorder';
import { ParseFailure, WarningLog, type ParsedText } from './parsed';
import { valueAtPath, type NodeIndex, type NodeOffsets } from './positions';
import { LANGUAGE_EXTENSION_FUNCTIONS, readYamlFast } from './yaml-fast';
import { MAY_BE_TYPED, resolvePlainScalar } from './yaml-scalars';

interface TagType {
  tag: string;
  kind: 'scalar' | 'sequence' | 'mapping';
  construct: (data: unknown) => unknown;
}

interface LoadedJsYaml {
  jsYaml: typeof JsYaml;
  schema: JsYaml.Schema;
}
let loaded: LoadedJsYaml | undefined;

/** js-yaml's tag for a merge key. */
const MERGE_TAG = 'tag:yaml.org,2002:merge';

/**
 * A plain scalar whose value prints otherwise than it is written (`True`, `~`, `yes`, `0x1F`). js-yaml makes a
 * mapping key of a scalar with `String()`, which this keeps as written; as a value it is unwrapped after the
 * read (`unwrapPlainScalars`).
 */
class PlainScalar {
  constructor(
    readonly text: string,
    readonly value: unknown,
  ) {}

  toString(): string {
    return this.text;
  }

  // js-yaml calls String() only on keys whose class is not plain Object.
  get [Symbol.toStringTag](): string {
    return 'PlainScalar';
  }
}

/** PlainScalars made by the read under way (js-yaml reads synchronously): none, and there is nothing to unwrap. */
let plainScalarsMade = 0;

/**
 * js-yaml and yaml-cfn with the CloudFormation schema: plain scalars typed by `resolvePlainScalar` (YAML 1.1's
 * and 1.2's readings), merge keys, the explicit `!!str`, `!!int`… tags, yaml-cfn's short forms plus
 * AWS::LanguageExtensions'. Loaded on first use, as the fast reader reads most templates without them.
 */
function loadJsYaml(): LoadedJsYaml {
  if (loaded) return loaded;
  const jsYaml = require('js-yaml') as typeof JsYaml;
  const { schema: cfnSchema } = require('yaml-cfn') as typeof import('yaml-cfn');
  const cfnTypes = (cfnSchema as unknown as { explicit: TagType[] }).explicit.filter((type) => !type.tag.startsWith('tag:yaml.org,2002:'));
  const languageExtensionTypes = LANGUAGE_EXTENSION_FUNCTIONS.flatMap((name) =>
    (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) => new jsYaml.Type(`!${name.slice('Fn::'.length)}`, { kind, construct: (data: unknown) => ({ [name]: data }) }),
    ),
  );
  const plainScalar = new jsYaml.Type('tag:cfn-trail-lint,2026:plain', {
    kind: 'scalar',
    resolve: (data: string | null) => data !== null && MAY_BE_TYPED[data.charCodeAt(0)] === 1,
    construct: (data: string) => {
      const value = resolvePlainScalar(data);
      if (String(value) === data) return value;
      plainScalarsMade++;
      return new PlainScalar(data, value);
    },
  });
  // js-yaml exports its own types; @types/js-yaml does not declare them.
  const { types } = jsYaml as unknown as { types: Record<'merge' | 'null' | 'bool' | 'int' | 'float', JsYaml.Type> };
  const schema = jsYaml.FAILSAFE_SCHEMA.extend({
    implicit: [types.merge, plainScalar],
    // yaml-cfn's types belong to the js-yaml it loaded; where that is another copy than ours (a nested install,
    // a bundler's ESM build), they are rebuilt on ours with the same tags and constructors.
    explicit: [
      types.null, types.bool, types.int, types.float,
      ...cfnTypes.map((type) => (type instanceof jsYaml.Type ? type : new jsYaml.Type(type.tag, { kind: type.kind, construct: type.construct }))),
      ...languageExtensionTypes,
    ],
  });
  return (loaded = { jsYaml, schema });
}

/** Deeper than any real template; a hostile 100,000-deep list stops here instead of exhausting the stack. */
export const MAX_YAML_DEPTH = 1000;
/** Aliases are shared, not copied, but a walk over an alias bomb would still be exponential. */
export const MAX_YAML_ALIASES = 10_000;

/**
 * Reads CloudFormation YAML (every short-form tag) with positions: the fast reader of yaml-fast.ts where it
 * is sure of the text, else js-yaml, which also reports the errors. Both give the same values and offsets.
 */
export function parseYaml(text: string, base = 0, indexEverything = false, indexedTypes?: ReadonlySet<string>): ParsedText {
  const fast = readYamlFast(text, base, indexEverything, indexedTypes);
  if (!fast) return parseYamlWithJsYaml(text, base, indexEverything, indexedTypes);
  const { body, nodes, warnings } = fast;
  return { body, nodes, text, warnings, expand: (path) => expandResource(text, body, nodes, path, parseYaml) };
}

/** js-yaml met two equal keys: CloudFormation keeps the last, so the text is read again allowing them. */
class DuplicateKeys extends Error {}

/**
 * The documents of a multi-document YAML stream (a Kubernetes manifest), read with the CloudFormation schema;
 * undefined when one of them does not parse. CloudFormation reads one document: this only tells what a stream is.
 */
export function yamlDocuments(text: string): unknown[] | undefined {
  const { jsYaml, schema } = loadJsYaml();
  try {
    return jsYaml.loadAll(text, undefined, { schema, maxDepth: MAX_YAML_DEPTH } as JsYaml.LoadOptions);
  } catch {
    return undefined;
  }
}

/**
 * Reads CloudFormation YAML with js-yaml, recording through its `listener` hook where mappings, keys and
 * sequence items start: exact positions at close to js-yaml's own speed. js-yaml itself rejects unknown tags.
 * Inside each resource — the bulk of a large template — nothing is indexed while reading: `expand` reads one
 * resource's text again, fully indexed, when a finding needs a position in it (a few resources of thousands).
 *
 * Of two equal keys the last wins, with a warning naming both lines. js-yaml tells of them only by refusing
 * them, so a text that has some (rare) is read a second time, allowing them, with every mapping's keys logged
 * to find them. Aliases and merge keys are read expanded, with a warning.
 */
export function parseYamlWithJsYaml(text: string, base = 0, indexEverything = false, indexedTypes?: ReadonlySet<string>): ParsedText {
  try {
    return readWithJsYaml(text, base, indexEverything, indexedTypes, false);
  } catch (error) {
    if (!(error instanceof DuplicateKeys)) throw error;
    return readWithJsYaml(text, base, indexEverything, indexedTypes, true);
  }
}

function readWithJsYaml(
  text: string,
  base: number,
  indexEverything: boolean,
  indexedTypes: ReadonlySet<string> | undefined,
  allowDuplicateKeys: boolean,
): ParsedText {
  const { jsYaml, schema } = loadJsYaml();
  const warnings = new WarningLog(base === 0 ? text : undefined);
  const recorder = new OffsetRecorder(indexEverything, indexedTypes, allowDuplicateKeys ? (key, first, last) => warnings.duplicateKey(key, last, () => first) : undefined);
  // js-yaml reads past a byte-order mark; it is given the text after it, and offsets are shifted back.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const content = bom === 0 ? text : text.slice(1);
  const at = base + bom;
  let aliases = 0;
  let aliasWarned = false;
  let mergeWarned = false;
  const mayHaveAliases = content.includes('*');

  // An alias node starts with '*'. Aliases are shared, not copied; past the cap the text is hostile.
  const isAlias = (start: number) => content.charCodeAt(skipSpace(content, start - at)) === 0x2a;

  const listener = (event: 'open' | 'close', state: JsYaml.State & { kind: string | null; tag: string | null }) => {
    if (event === 'open') {
      recorder.open(state.position + at);
      return;
    }
    const value = state.result;
    const isCollection = value !== null && typeof value === 'object' && !(value instanceof PlainScalar);
    const key = !isCollection && isFollowedByColon(content, state.position) ? String(value) : undefined;
    const wrapped = state.tag !== null && state.tag !== '?' && !Array.isArray(value);
    const start = recorder.close(isCollection || !(value instanceof PlainScalar) ? value : value.text, state.kind, wrapped, key);
    if (mayHaveAliases && isAlias(start)) {
      if (isCollection && ++aliases > MAX_YAML_ALIASES) throw new ParseFailure(Code.TemplateTooComplex, `more than ${MAX_YAML_ALIASES} aliases`, state.position + at);
      if (!aliasWarned) warnings.alias(skipSpace(content, start - at) + at);
      aliasWarned = true;
    }
    if (state.tag === MERGE_TAG && !mergeWarned) {
      warnings.mergeKey(skipSpace(content, start - at) + at);
      mergeWarned = true;
    }
  };

  let body: unknown;
  plainScalarsMade = 0;
  try {
    body = jsYaml.load(content, { schema, listener, maxDepth: MAX_YAML_DEPTH, json: allowDuplicateKeys } as JsYaml.LoadOptions);
  } catch (error) {
    if (error instanceof ParseFailure) throw error;
    if (error instanceof jsYaml.YAMLException) {
      if (error.reason === 'duplicated mapping key' && !allowDuplicateKeys) throw new DuplicateKeys();
      throw new ParseFailure(...describeYamlError(error.reason ?? error.message), errorOffset(content, error) + at);
    }
    if (error instanceof RangeError) throw new ParseFailure(Code.TemplateTooComplex, 'nesting too deep', 0);
    throw error;
  }
  if (plainScalarsMade > 0) body = unwrapPlainScalars(body, new Set());
  const { nodes } = recorder;
  return { body, nodes, text, warnings: warnings.warnings, expand: (path) => expandResource(text, body, nodes, path, parseYamlWithJsYaml) };
}

/** Replaces each PlainScalar in the tree by its value; a collection reached by several aliases is walked once. */
function unwrapPlainScalars(value: unknown, seen: Set<object>): unknown {
  if (value instanceof PlainScalar) return value.value;
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = unwrapPlainScalars(value[i], seen);
  } else {
    // Assigning an own property, `__proto__` included, sets that property: no prototype is touched.
    const mapping = value as Record<string, unknown>;
    for (const key of Object.keys(mapping)) mapping[key] = unwrapPlainScalars(mapping[key], seen);
  }
  return value;
}

/**
 * Reads the text of one resource (`['Resources', logicalId, …]`) again, indexing everything in it, and gives
 * the value at `path` within it.
 */
function expandResource(
  text: string,
  body: unknown,
  nodes: Map<object, NodeOffsets>,
  path: TemplatePath,
  read: (text: string, base: number, indexEverything: boolean) => ParsedText,
): ParsedText | undefined {
  if (path.length < 2 || path[0] !== 'Resources') return undefined;
  const span = resourceSpan(text, body, nodes, String(path[1]));
  if (!span) return undefined;
  const valueAt = (parsed: ParsedText, steps: TemplatePath) => {
    const value = valueAtPath(parsed.body, steps);
    return value === undefined ? undefined : { ...parsed, body: value, text };
  };
  try {
    return valueAt(read(text.slice(span[0], span[1]), span[0], true), path.slice(1));
  } catch {
    // A flow-style Resources mapping does not slice into a mapping of its own: read the whole text indexed.
    return valueAt(read(text, 0, true), path);
  }
}

/**
 * Where the text of resource `logicalId` lies: from its key to the next key of Resources (or of the document),
 * a YAML mapping by itself.
 */
export function resourceSpan(text: string, body: unknown, nodes: NodeIndex, logicalId: string): [number, number] | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const resources = (body as Record<string, unknown>).Resources;
  const resourceKeys = resources !== null && typeof resources === 'object' ? nodes.get(resources)?.keys : undefined;
  const from = resourceKeys?.get(logicalId);
  if (from === undefined) return undefined;
  let to = text.length;
  for (const offsets of [resourceKeys!, nodes.get(body)?.keys ?? new Map<string, number>()]) {
    for (const offset of offsets.values()) if (offset > from && offset < to) to = offset;
  }
  return [from, to];
}

// A key is a scalar followed by ':' (js-yaml may stop just before or just after it).
function isFollowedByColon(text: string, end: number): boolean {
  let i = end;
  while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) i++;
  return text.charCodeAt(i) === 0x3a || text.charCodeAt(end - 1) === 0x3a;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x0a || text.charCodeAt(i) === 0x0d || text.charCodeAt(i) === 0x09) i++;
  return i;
}

// js-yaml marks an unknown tag after its node; the tag itself is the culprit.
function errorOffset(text: string, error: JsYaml.YAMLException): number {
  const position = error.mark?.position ?? 0;
  const tag = /^unknown tag !<(.*)>$/.exec(error.reason ?? '');
  if (!tag) return position;
  const at = text.lastIndexOf(writtenTag(tag[1]), position);
  return at === -1 ? position : at;
}

// js-yaml names `!!x` by its full form `tag:yaml.org,2002:x`; show it as written.
function writtenTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

// js-yaml's wording, made to say what a template author needs to know.
function describeYamlError(reason: string): [ErrorCode, string] {
  const tag = /^unknown tag !<(.*)>$/.exec(reason);
  if (tag) return [Code.UnknownTag, `unknown tag ${writtenTag(tag[1])}: not a CloudFormation short form (!Ref, !Sub, !If, …)`];
  if (reason.startsWith('nesting exceeded maxDepth')) return [Code.TemplateTooComplex, reason];
  return [Code.YamlSyntax, reason];
}
