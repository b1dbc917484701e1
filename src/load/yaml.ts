import * as jsYaml from 'js-yaml';
import { schema as cfnSchema } from 'yaml-cfn';
import type { TemplatePath } from '../types';
import type { NodeOffsets } from './positions';
import { ParseFailure, type ParsedText } from './parsed';

// yaml-cfn covers CloudFormation's classic short forms; AWS::LanguageExtensions adds these.
const LANGUAGE_EXTENSION_TAGS = ['Fn::ForEach', 'Fn::Length', 'Fn::ToJsonString'];

interface TagType {
  tag: string;
  kind: 'scalar' | 'sequence' | 'mapping';
  construct: (data: unknown) => unknown;
}
const cfnTypes = (cfnSchema as unknown as { explicit: TagType[] }).explicit;
const languageExtensionTypes = LANGUAGE_EXTENSION_TAGS.flatMap((name) =>
  (['scalar', 'sequence', 'mapping'] as const).map(
    (kind) => new jsYaml.Type(`!${name.slice('Fn::'.length)}`, { kind, construct: (data: unknown) => ({ [name]: data }) }),
  ),
);
// yaml-cfn's types belong to the js-yaml it loaded; where that is another copy than ours (a test runner may load
// the ESM build beside the CommonJS one), they are rebuilt on ours with the same tags and constructors.
const schema =
  cfnTypes[0] instanceof jsYaml.Type
    ? cfnSchema.extend(languageExtensionTypes)
    : jsYaml.CORE_SCHEMA.extend([
        ...cfnTypes.map((type) => new jsYaml.Type(type.tag, { kind: type.kind, construct: type.construct })),
        ...languageExtensionTypes,
      ]);

/** Deeper than any real template; a hostile 100,000-deep list stops here instead of exhausting the stack. */
export const MAX_YAML_DEPTH = 1000;
/** Aliases are shared, not copied, but a walk over an alias bomb would still be exponential. */
export const MAX_YAML_ALIASES = 10_000;

/**
 * Reads CloudFormation YAML (every short-form tag) with js-yaml, recording through its `listener` hook where
 * mappings, keys and sequence items start: exact positions at close to js-yaml's own speed. js-yaml itself
 * rejects unknown tags and duplicate keys.
 *
 * The hook fires when each node opens and closes. Nodes still open are kept as two stacks of numbers, and
 * the children of open collections as one flat log of (start offset, key or undefined) pairs, so that the
 * hot path allocates nothing but the offsets of collections. Inside each resource — the bulk of a large
 * template — nothing is indexed while reading: `expand` reads one resource's text again, fully indexed,
 * when a finding needs a position in it (a few resources of thousands).
 */
export function parseYaml(text: string, base = 0, indexEverything = false): ParsedText {
  const nodes = new Map<object, NodeOffsets>();
  const starts: number[] = [];
  const segments: number[] = [];
  const log: (number | string | undefined)[] = [];
  let aliases = 0;
  let section: string | undefined;

  // An alias node starts with '*'. Aliases are shared, not copied; past the cap the text is hostile.
  const countIfAlias = (start: number, position: number) => {
    if (text.charCodeAt(skipSpace(text, start - base)) === 0x2a && ++aliases > MAX_YAML_ALIASES) {
      throw new ParseFailure(`more than ${MAX_YAML_ALIASES} aliases`, position);
    }
  };

  const listener = (event: 'open' | 'close', state: jsYaml.State & { kind: string | null; tag: string | null }) => {
    if (event === 'open') {
      starts.push(state.position + base);
      segments.push(log.length);
      return;
    }
    const start = starts.pop()!;
    const segment = segments.pop()!;
    const depth = starts.length; // 0 the document, 1 a section, 2 a resource, 3 a resource's Properties…
    const value = state.result;
    // Deep inside a resource no parent is indexed: nothing to record, but aliases still count.
    if (depth >= 4 && section === 'Resources' && !indexEverything) {
      log.length = segment;
      if (value !== null && typeof value === 'object') countIfAlias(start, state.position);
      return;
    }
    if (value === null || typeof value !== 'object') {
      const key = isFollowedByColon(text, state.position) ? String(value) : undefined;
      if (depth === 1 && key !== undefined) section = key;
      log.length = segment;
      log.push(start, key);
      return;
    }
    countIfAlias(start, state.position);
    if (!nodes.has(value) && (depth < 3 || section !== 'Resources' || indexEverything)) {
      nodes.set(value, { start });
      // A tagged collection (`!If [a, b, c]`) is wrapped by its tag: the offsets belong to the inner value.
      const inner = state.tag !== null && state.tag !== '?' && !Array.isArray(value) ? Object.values(value)[0] : value;
      if (inner !== null && typeof inner === 'object' && segment < log.length) {
        const offsets: NodeOffsets = nodes.get(inner) ?? { start };
        if (state.kind === 'sequence') offsets.items = itemOffsets(log, segment);
        else if (state.kind === 'mapping') offsets.keys = keyOffsets(log, segment);
        nodes.set(inner, offsets);
      }
    }
    log.length = segment;
    log.push(start, undefined);
  };

  let body: unknown;
  try {
    body = jsYaml.load(text, { schema, listener, maxDepth: MAX_YAML_DEPTH } as jsYaml.LoadOptions);
  } catch (error) {
    if (error instanceof ParseFailure) throw error;
    if (error instanceof jsYaml.YAMLException) {
      throw new ParseFailure(describeYamlError(error.reason ?? error.message), errorOffset(text, error));
    }
    if (error instanceof RangeError) throw new ParseFailure('nesting too deep', 0);
    throw error;
  }
  return { body, nodes, text, expand: (path) => expandResource(text, body, nodes, path) };
}

/**
 * Reads the text of one resource (`['Resources', logicalId, …]`) again, indexing everything in it, and gives
 * the value at `path` within it: the slice from the resource's key to the next key of Resources (or of the
 * document) is itself a YAML mapping.
 */
function expandResource(text: string, body: unknown, nodes: Map<object, NodeOffsets>, path: TemplatePath): ParsedText | undefined {
  if (path.length < 2 || path[0] !== 'Resources' || body === null || typeof body !== 'object') return undefined;
  const resources = (body as Record<string, unknown>).Resources;
  const resourceKeys = resources !== null && typeof resources === 'object' ? nodes.get(resources)?.keys : undefined;
  const from = resourceKeys?.get(String(path[1]));
  if (from === undefined) return undefined;
  let to = text.length;
  for (const offsets of [resourceKeys!, nodes.get(body)?.keys ?? new Map<string, number>()]) {
    for (const offset of offsets.values()) if (offset > from && offset < to) to = offset;
  }
  const valueAt = (parsed: ParsedText, steps: TemplatePath) => {
    let value = parsed.body;
    for (const step of steps) value = (value as Record<string, unknown> | null | undefined)?.[step as string];
    return value === undefined ? undefined : { ...parsed, body: value, text };
  };
  try {
    return valueAt(parseYaml(text.slice(from, to), from, true), path.slice(1));
  } catch {
    // A flow-style Resources mapping does not slice into a mapping of its own: read the whole text indexed.
    return valueAt(parseYaml(text, 0, true), path);
  }
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

function itemOffsets(log: (number | string | undefined)[], from: number): number[] {
  const items: number[] = [];
  for (let i = from; i < log.length; i += 2) items.push(log[i] as number);
  return items;
}

function keyOffsets(log: (number | string | undefined)[], from: number): Map<string, number> {
  const keys = new Map<string, number>();
  for (let i = from; i < log.length; i += 2) {
    const key = log[i + 1];
    if (key !== undefined && !keys.has(key as string)) keys.set(key as string, log[i] as number);
  }
  return keys;
}

// js-yaml marks an unknown tag after its node; the tag itself is the culprit.
function errorOffset(text: string, error: jsYaml.YAMLException): number {
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
function describeYamlError(reason: string): string {
  const tag = /^unknown tag !<(.*)>$/.exec(reason);
  if (tag) return `unknown tag ${writtenTag(tag[1])}: not a CloudFormation short form (!Ref, !Sub, !If, …)`;
  if (reason === 'duplicated mapping key') return 'duplicate key: CloudFormation rejects a mapping with the same key twice';
  return reason;
}
