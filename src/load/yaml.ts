import * as jsYaml from 'js-yaml';
import { schema as cfnSchema } from 'yaml-cfn';
import type { NodeOffsets } from './positions';
import { ParseFailure, type ParsedText } from './parsed';

// yaml-cfn covers CloudFormation's classic short forms; AWS::LanguageExtensions adds these.
const LANGUAGE_EXTENSION_TAGS = ['Fn::ForEach', 'Fn::Length', 'Fn::ToJsonString'];

// yaml-cfn's types belong to its own copy of js-yaml (a bundler or test runner may load another one), so
// they are rebuilt here with the same tags and constructors.
interface TagType {
  tag: string;
  kind: 'scalar' | 'sequence' | 'mapping';
  construct: (data: unknown) => unknown;
}
const cfnTypes = (cfnSchema as unknown as { explicit: TagType[] }).explicit.map(
  (type) => new jsYaml.Type(type.tag, { kind: type.kind, construct: type.construct }),
);
const languageExtensionTypes = LANGUAGE_EXTENSION_TAGS.flatMap((name) =>
  (['scalar', 'sequence', 'mapping'] as const).map(
    (kind) => new jsYaml.Type(`!${name.slice('Fn::'.length)}`, { kind, construct: (data: unknown) => ({ [name]: data }) }),
  ),
);
const schema = jsYaml.CORE_SCHEMA.extend([...cfnTypes, ...languageExtensionTypes]);

/** Deeper than any real template; a hostile 100,000-deep list stops here instead of exhausting the stack. */
export const MAX_YAML_DEPTH = 1000;
/** Aliases are shared, not copied, but a walk over an alias bomb would still be exponential. */
export const MAX_YAML_ALIASES = 10_000;

interface Frame {
  start: number;
  end: number;
  result: unknown;
  children: Frame[] | undefined;
}

/**
 * Reads CloudFormation YAML (every short-form tag) with js-yaml, recording through its `listener` hook where
 * every mapping, key and sequence item starts: exact positions at js-yaml's own speed. js-yaml itself rejects
 * unknown tags and duplicate keys.
 */
export function parseYaml(text: string): ParsedText {
  const nodes = new WeakMap<object, NodeOffsets>();
  const stack: Frame[] = [];
  let aliases = 0;

  const listener = (event: 'open' | 'close', state: jsYaml.State & { kind: string | null; tag: string | null }) => {
    if (event === 'open') {
      stack.push({ start: state.position, end: 0, result: undefined, children: undefined });
      return;
    }
    const frame = stack.pop()!;
    frame.end = state.position;
    frame.result = state.result;
    const parent = stack[stack.length - 1];
    if (parent) (parent.children ??= []).push(frame);
    const value = state.result;
    if (value === null || typeof value !== 'object') return;
    if (nodes.has(value)) {
      if (++aliases > MAX_YAML_ALIASES) throw new ParseFailure(`more than ${MAX_YAML_ALIASES} aliases`, state.position);
      return;
    }
    nodes.set(value, { start: frame.start });
    // A tagged collection (`!If [a, b, c]`) is wrapped by its tag: the offsets belong to the inner value.
    const inner = state.tag !== null && state.tag !== '?' && !Array.isArray(value) ? Object.values(value)[0] : value;
    if (inner === null || typeof inner !== 'object' || !frame.children) return;
    const offsets: NodeOffsets = nodes.get(inner) ?? { start: frame.start };
    if (state.kind === 'sequence') offsets.items = frame.children.map((child) => child.start);
    else if (state.kind === 'mapping') offsets.keys = keyOffsets(text, frame.children);
    nodes.set(inner, offsets);
  };

  let body: unknown;
  try {
    body = jsYaml.load(text, { schema, listener, maxDepth: MAX_YAML_DEPTH } as jsYaml.LoadOptions);
  } catch (error) {
    if (error instanceof ParseFailure) throw error;
    if (error instanceof jsYaml.YAMLException) {
      throw new ParseFailure(describeYamlError(error.reason ?? error.message), error.mark?.position ?? 0);
    }
    if (error instanceof RangeError) throw new ParseFailure('nesting too deep', 0);
    throw error;
  }
  return { body, nodes, text };
}

// A mapping's children are its keys and values in document order; a key is the node followed by ':'.
function keyOffsets(text: string, children: Frame[]): Map<string, number> {
  const keys = new Map<string, number>();
  for (const child of children) {
    const key = child.result;
    if (key === null || typeof key === 'object') continue;
    let i = child.end;
    while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) i++;
    if (text.charCodeAt(i) === 0x3a /* : */ || text.charCodeAt(child.end - 1) === 0x3a) {
      const name = String(key);
      if (!keys.has(name)) keys.set(name, child.start);
    }
  }
  return keys;
}

// js-yaml's wording, made to say what a template author needs to know.
function describeYamlError(reason: string): string {
  const tag = /^unknown tag !<(.*)>$/.exec(reason);
  if (tag) return `unknown tag ${tag[1]}: not a CloudFormation short form (!Ref, !Sub, !If, …)`;
  if (reason === 'duplicated mapping key') return 'duplicate key: CloudFormation rejects a mapping with the same key twice';
  return reason;
}
