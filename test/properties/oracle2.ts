// A second brute-force oracle (SOUNDNESS.md §5), wider than oracle.ts and sharing nothing with src/evaluate: it
// builds a universe of values from the template's text alone (every string constant, their pairwise
// concatenations, Sub prefixes joined to them, mapping names and keys, a few fresh strings, Regions and account
// IDs), enumerates every assignment of the inputs a deployment actually reads, and evaluates each one with a
// plain interpreter. It handles what templates2.ts writes: Ref, Fn::Equals/And/Or/Not, Condition, Fn::If (lazy),
// Fn::Join, Fn::Sub, Fn::Select, Fn::Length, Fn::FindInMap (map name from a Ref, DefaultValue), AWS::NoValue.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface StringParameter {
  Type: 'String';
  Default?: string | boolean | number;
  AllowedValues?: (string | boolean | number)[];
  /** Only patterns that mean the same in Java and JavaScript (templates2.ts draws them from a fixed table). */
  AllowedPattern?: string;
  MinLength?: number;
  MaxLength?: number;
}

export interface ListParameter {
  Type: 'CommaDelimitedList';
  Default?: string;
  /** Each item must be one of these. */
  AllowedValues?: string[];
}

export type Parameter = StringParameter | ListParameter;

export interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, Json>;
}

export interface Template {
  AWSTemplateFormatVersion: '2010-09-09';
  Transform?: string;
  Parameters?: Record<string, Parameter>;
  Mappings?: Record<string, Record<string, Record<string, Json>>>;
  Conditions?: Record<string, Json>;
  Resources: Record<string, Resource>;
}

/** A value an input takes: a string, or a list of strings for a list parameter. */
export type InputValue = string | string[];
export type Assignment = Map<string, InputValue>;

export const REGION = 'AWS::Region';
export const ACCOUNT = 'AWS::AccountId';
export const STACK_NAME = 'AWS::StackName';
export const PSEUDO_INPUTS = [REGION, ACCOUNT, STACK_NAME] as const;
/** A Region in no AWS table: the Region a template that names every known Region still does not name. */
export const FRESH_REGION = 'xx-fresh-9';
export const FRESH_ACCOUNT = '999988887777';
export const FRESH_STACK = 'fresh-stack';
/** Strings nobody wrote, of several lengths and characters, so that simple patterns and length bounds meet some. */
export const FRESH_STRINGS = ['zzz', 'q', 'zzzzzzzzz', '907', '555555555555', 'Fresh-1'];

const ACCOUNT_PATTERN = /^\d{12}$/;
// A Region of a partition yet to come may have a longer prefix than `eusc`: five letters, as the engine permits
// (a stack name such as other-stack-1 is then Region-shaped too, and a `when` may give it to AWS::Region).
const REGION_PATTERN = /^[a-z]{2,5}(-[a-z]+)+-\d{1,2}$/;
const STACK_NAME_PATTERN = /^[A-Za-z][-A-Za-z0-9]{0,127}$/;

/**
 * How much of a deployment must evaluate for it to go ahead. CloudFormation's documentation does not say whether a
 * condition no resource uses, or another resource's property, can make a deployment fail; each property uses the
 * reading under which it is the weaker claim (see the tests).
 * - `all`: every condition, and both properties of every trail created, must evaluate (fewer deployments go ahead);
 * - `used`: only what this trail needs (its Condition chain, short-circuited, and its own properties).
 */
export type Semantics = 'all' | 'used';

export type Outcome =
  | { kind: 'deployment-fails'; reason: string }
  | { kind: 'absent' }
  | { kind: 'multi-region' }
  /** Created with IsMultiRegionTrail not true (`value` its string form, `<absent>` when missing). */
  | { kind: 'single-region'; value: string }
  /** Multi-Region with IncludeGlobalServiceEvents false: CloudTrail refuses it, a `fail` (README, "The two rules"). */
  | { kind: 'refused-global-events' };

export type Verdict =
  | { kind: 'fails'; when: Assignment; outcome: Outcome }
  | { kind: 'never-created' }
  | { kind: 'passes'; created: Assignment }
  /** More deployments than the budget: no verdict (the test counts these). */
  | { kind: 'too-big' };

/** Deployments evaluated per trail before the oracle gives up. */
export const BUDGET = 15_000;

class DeploymentFails extends Error {}
/** Thrown by the interpreter when it reads an input the enumeration has not assigned yet. */
class NeedsInput extends Error {
  constructor(readonly input: string) {
    super(input);
  }
}

const NO_VALUE = Symbol('AWS::NoValue');
type Value = string | number | boolean | null | Value[] | { [key: string]: Json } | typeof NO_VALUE | undefined;

function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

function isObject(node: unknown): node is Record<string, Json> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** The one key of an intrinsic function node, or undefined for a plain value. */
function functionName(node: Json): string | undefined {
  if (!isObject(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::')) ? keys[0] : undefined;
}

/** Parameter values and Fn::Equals operands compare as strings: `true` is "true", `1` is "1". */
function stringForm(value: Value): string {
  if (value === NO_VALUE || value === undefined) return '<novalue>';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return JSON.stringify(value.map((item) => stringForm(item)));
  return JSON.stringify(value);
}

function isTrue(value: Value): boolean {
  return value === true || value === 'true' || value === 'True' || value === 'TRUE';
}

function isFalse(value: Value): boolean {
  return value === false || value === 'false' || value === 'False' || value === 'FALSE';
}

class Interpreter {
  private readonly conditionCache = new Map<string, boolean>();

  constructor(
    private readonly template: Template,
    private readonly read: (input: string) => InputValue,
  ) {}

  value(node: Json): Value {
    const name = functionName(node);
    if (name === undefined) {
      if (Array.isArray(node)) return node.map((item) => this.value(item));
      return node as Value;
    }
    const argument = (node as Record<string, Json>)[name];
    switch (name) {
      case 'Ref':
        return this.ref(argument as string);
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = argument as [string, Json, Json];
        return this.condition(condition) ? this.value(whenTrue) : this.value(whenFalse);
      }
      case 'Fn::Join': {
        const [delimiter, items] = argument as [string, Json];
        const list = this.list(items);
        return list.map((item) => stringForm(item)).join(delimiter);
      }
      case 'Fn::Sub':
        return this.sub(argument as string);
      case 'Fn::Select': {
        const [index, items] = argument as [Json, Json];
        const list = this.list(items);
        const at = Number(stringForm(this.value(index)));
        if (!Number.isInteger(at) || at < 0 || at >= list.length) throw new DeploymentFails(`Fn::Select index ${at} of ${list.length}`);
        return list[at];
      }
      case 'Fn::Length':
        return this.list(argument).length;
      case 'Fn::FindInMap':
        return this.findInMap(argument as Json[]);
      default:
        throw new Error(`oracle2: cannot evaluate ${JSON.stringify(node)}`);
    }
  }

  private list(node: Json): Value[] {
    const value = this.value(node);
    if (!Array.isArray(value)) throw new Error(`oracle2: not a list: ${JSON.stringify(node)}`);
    return value;
  }

  private ref(name: string): Value {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name === 'AWS::Partition') return 'aws';
    if (own(this.template.Parameters, name) === undefined && !(PSEUDO_INPUTS as readonly string[]).includes(name)) {
      throw new Error(`oracle2: Ref to ${name}, which is not an input`);
    }
    const value = this.read(name);
    return Array.isArray(value) ? [...value] : value;
  }

  private sub(text: string): string {
    return text.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      return stringForm(this.ref(name));
    });
  }

  private findInMap([mapNode, firstNode, secondNode, options]: Json[]): Value {
    const mapName = stringForm(this.value(mapNode));
    const first = stringForm(this.value(firstNode));
    const second = stringForm(this.value(secondNode));
    const mapping = own(this.template.Mappings, mapName);
    const found = own(own(mapping, first), second);
    if (found !== undefined) return this.value(found);
    if (isObject(options) && Object.hasOwn(options, 'DefaultValue')) return this.value(options.DefaultValue);
    throw new DeploymentFails(`Fn::FindInMap [${mapName}, ${first}, ${second}] has no value`);
  }

  /** A named condition; `eager` evaluates every operand of And/Or (no short-circuit), as a full evaluation does. */
  condition(name: string, eager = false): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const expression = own(this.template.Conditions, name);
    if (expression === undefined) throw new Error(`oracle2: no condition ${name}`);
    const holds = this.conditionExpression(expression, eager);
    this.conditionCache.set(name, holds);
    return holds;
  }

  private conditionExpression(node: Json, eager: boolean): boolean {
    const name = functionName(node);
    const argument = name === undefined ? undefined : (node as Record<string, Json>)[name];
    switch (name) {
      case 'Condition':
        return this.condition(argument as string, eager);
      case 'Fn::Equals': {
        const [left, right] = argument as [Json, Json];
        return stringForm(this.value(left)) === stringForm(this.value(right));
      }
      case 'Fn::And': {
        const items = argument as Json[];
        if (eager) return items.map((item) => this.conditionExpression(item, eager)).every(Boolean);
        return items.every((item) => this.conditionExpression(item, eager));
      }
      case 'Fn::Or': {
        const items = argument as Json[];
        if (eager) return items.map((item) => this.conditionExpression(item, eager)).some(Boolean);
        return items.some((item) => this.conditionExpression(item, eager));
      }
      case 'Fn::Not':
        return !this.conditionExpression((argument as Json[])[0], eager);
      default:
        throw new Error(`oracle2: not a condition: ${JSON.stringify(node)}`);
    }
  }

  /** The trail in this deployment, ignoring whether other parts of the deployment fail. */
  trail(logicalId: string): Outcome {
    const resource = this.template.Resources[logicalId];
    if (resource.Condition !== undefined && !this.condition(resource.Condition)) return { kind: 'absent' };
    const multiRegion = this.property(resource, 'IsMultiRegionTrail');
    const globalEvents = this.property(resource, 'IncludeGlobalServiceEvents');
    if (!isTrue(multiRegion)) return { kind: 'single-region', value: multiRegion === undefined || multiRegion === NO_VALUE ? '<absent>' : stringForm(multiRegion) };
    if (isFalse(globalEvents)) return { kind: 'refused-global-events' };
    return { kind: 'multi-region' };
  }

  private property(resource: Resource, name: string): Value {
    const node = own(resource.Properties, name);
    return node === undefined ? undefined : this.value(node);
  }
}

/** Evaluates one deployment for one trail under a semantics; throws NeedsInput for an input not yet assigned. */
function evaluateDeployment(template: Template, logicalId: string, read: (input: string) => InputValue, semantics: Semantics): Outcome {
  const interpreter = new Interpreter(template, read);
  try {
    if (semantics === 'all') {
      for (const name of Object.keys(template.Conditions ?? {})) interpreter.condition(name, true);
      for (const [id, resource] of Object.entries(template.Resources)) {
        if (id !== logicalId && resource.Type === 'AWS::CloudTrail::Trail') interpreter.trail(id);
      }
    }
    return interpreter.trail(logicalId);
  } catch (error) {
    if (error instanceof DeploymentFails) return { kind: 'deployment-fails', reason: error.message };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The universe of values and each input's domain.

interface Constants {
  strings: Set<string>;
  /** Literal text before a `${…}` in a Fn::Sub. */
  subPrefixes: Set<string>;
  computes: boolean;
}

function scalarString(node: Json): string | undefined {
  if (typeof node === 'string') return node;
  if (typeof node === 'boolean' || typeof node === 'number') return String(node);
  return undefined;
}

function collect(node: Json, into: Constants): void {
  const scalar = scalarString(node);
  if (scalar !== undefined) {
    into.strings.add(scalar);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item) => collect(item, into));
    return;
  }
  if (!isObject(node)) return;
  const name = functionName(node);
  if (name === 'Ref' || name === 'Condition') return;
  if (name === 'Fn::Sub' && typeof node[name] === 'string') {
    into.computes = true;
    const text = node[name];
    const pieces = text.split(/\$\{[^}]*\}/);
    pieces.filter((piece) => piece !== '').forEach((piece) => into.strings.add(piece));
    if (pieces.length === 1) into.strings.add(text);
    const prefix = /^([^$]*)\$\{/.exec(text);
    if (prefix) into.subPrefixes.add(prefix[1]);
    return;
  }
  if (name === 'Fn::Join') into.computes = true;
  if (name === 'Fn::If') {
    collect((node[name] as Json[]).slice(1), into);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (name === undefined) into.strings.add(key);
    collect(value, into);
  }
}

export interface Universe {
  /** Values a String parameter or a pseudo parameter ranges over (before its constraints). */
  strings: string[];
  /** Values a list item ranges over. */
  items: string[];
}

/** The universe built from the template's text (SOUNDNESS.md §5). */
export function universe(template: Template): Universe {
  const constants: Constants = { strings: new Set(), subPrefixes: new Set(), computes: false };
  for (const [name, mapping] of Object.entries(template.Mappings ?? {})) {
    constants.strings.add(name);
    collect(mapping, constants);
  }
  for (const parameter of Object.values(template.Parameters ?? {})) {
    collect([...(parameter.Default === undefined ? [] : [parameter.Default]), ...(parameter.AllowedValues ?? [])], constants);
    // The words of a pattern: `(dev|prod)` is met by "dev" and "prod" even when the template writes them nowhere else.
    if (parameter.Type === 'String' && parameter.AllowedPattern) {
      for (const word of parameter.AllowedPattern.match(/[A-Za-z0-9-]{2,}/g) ?? []) constants.strings.add(word);
    }
  }
  collect(Object.values(template.Conditions ?? {}), constants);
  for (const resource of Object.values(template.Resources)) collect(Object.values(resource.Properties), constants);

  const pieces = new Set<string>();
  for (const text of constants.strings) for (const piece of text.split(',')) if (piece !== '') pieces.add(piece);
  // Real Regions too: a deployment may go to a short one (us-east-1) that no constraint of the template refuses.
  const base = new Set([...constants.strings, ...pieces, ...FRESH_STRINGS, FRESH_REGION, 'us-east-1', FRESH_ACCOUNT, FRESH_STACK]);
  const strings = new Set(base);
  // Concatenations matter only where the template computes a string (Join, Sub).
  if (constants.computes) {
    for (const a of constants.strings) for (const b of constants.strings) strings.add(a + b);
    for (const prefix of constants.subPrefixes) for (const value of base) strings.add(prefix + value);
  }
  const items = [...pieces, FRESH_STRINGS[0]].filter((item) => !item.includes(','));
  return { strings: [...strings], items: [...new Set(items)] };
}

function patternOf(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/** Whether CloudFormation accepts this value for the parameter. */
export function permits(parameter: Parameter, value: InputValue): boolean {
  if (parameter.Type === 'CommaDelimitedList') {
    const items = typeof value === 'string' ? value.split(',') : value;
    const allowed = parameter.AllowedValues?.map(String);
    return items.every((item) => allowed === undefined || allowed.includes(item));
  }
  if (typeof value !== 'string') return false;
  if (parameter.AllowedValues && !parameter.AllowedValues.map(String).includes(value)) return false;
  if (parameter.AllowedPattern !== undefined && !patternOf(parameter.AllowedPattern).test(value)) return false;
  if (parameter.MinLength !== undefined && value.length < parameter.MinLength) return false;
  if (parameter.MaxLength !== undefined && value.length > parameter.MaxLength) return false;
  return true;
}

/** The Default as the value it gives, or undefined when there is none or CloudFormation refuses it. */
export function acceptedDefault(parameter: Parameter): InputValue | undefined {
  if (parameter.Default === undefined) return undefined;
  const value = parameter.Type === 'CommaDelimitedList' ? String(parameter.Default).split(',') : String(parameter.Default);
  return permits(parameter, value) ? value : undefined;
}

function lists(items: string[], maxLength: number): string[][] {
  const result: string[][] = [];
  let layer: string[][] = [[]];
  for (let length = 1; length <= maxLength; length++) {
    layer = layer.flatMap((prefix) => items.map((item) => [...prefix, item]));
    result.push(...layer);
  }
  return result;
}

/** Lists long enough for every literal `Fn::Select` index past the short lists: any item there, a filler elsewhere. */
function longLists(items: string[], indices: number[]): string[][] {
  const result: string[][] = [];
  for (const index of indices.filter((at) => at >= 3 && at < 50)) {
    for (const item of items) {
      result.push(Array.from({ length: index + 1 }, (_, at) => (at === index ? item : items[0])));
      result.push(Array.from({ length: index + 1 }, () => item));
    }
  }
  return result;
}

/** The literal indices the template selects with. */
function selectIndices(template: Template): number[] {
  const found = new Set<number>();
  JSON.stringify(template, (key, value: unknown) => {
    if (key === 'Fn::Select' && Array.isArray(value) && Number.isInteger(Number(value[0]))) found.add(Number(value[0]));
    return value;
  });
  return [...found];
}

/** Every value each input may take in a permitted deployment. */
export function domains(template: Template, strict: boolean): Map<string, InputValue[]> {
  const { strings, items } = universe(template);
  const result = new Map<string, InputValue[]>();
  result.set(REGION, strings.filter((value) => REGION_PATTERN.test(value)));
  result.set(ACCOUNT, strings.filter((value) => ACCOUNT_PATTERN.test(value)));
  result.set(STACK_NAME, strings.filter((value) => STACK_NAME_PATTERN.test(value)));
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    const fixed = acceptedDefault(parameter);
    if (!strict && fixed !== undefined) {
      result.set(name, [fixed]);
      continue;
    }
    const candidates: InputValue[] = parameter.Type === 'CommaDelimitedList' ? [...lists(items, 3), ...longLists(items, selectIndices(template))] : strings;
    result.set(
      name,
      candidates.filter((value) => permits(parameter, value)),
    );
  }
  return result;
}

/** Whether a value the engine names for an input is one a deployment may give it. */
export function permitted(template: Template, strict: boolean, input: string, value: InputValue): boolean {
  if (input === REGION) return typeof value === 'string' && REGION_PATTERN.test(value);
  if (input === ACCOUNT) return typeof value === 'string' && ACCOUNT_PATTERN.test(value);
  if (input === STACK_NAME) return typeof value === 'string' && STACK_NAME_PATTERN.test(value);
  const parameter = own(template.Parameters, input);
  if (parameter === undefined) return input.startsWith('AWS::'); // another pseudo parameter this template never reads
  const fixed = acceptedDefault(parameter);
  if (!strict && fixed !== undefined) return JSON.stringify(fixed) === JSON.stringify(value);
  return permits(parameter, value);
}

/**
 * Every deployment of one trail, enumerated on demand: an input is assigned (over its whole domain) only when the
 * interpreter reads it, so inputs this deployment never reads are not multiplied in. Stops at the first failing
 * deployment when `stopAtFailure`.
 */
export function judge(
  template: Template,
  logicalId: string,
  inputDomains: Map<string, InputValue[]>,
  semantics: Semantics,
  stopAtFailure = false,
): Verdict {
  // A parameter no value satisfies leaves no permitted deployment at all, whether this trail reads it or not.
  if ([...inputDomains.values()].some((values) => values.length === 0)) return { kind: 'never-created' };
  const stack: Assignment[] = [new Map()];
  let created: Assignment | undefined;
  let found: { when: Assignment; outcome: Outcome } | undefined;
  let runs = 0;
  while (stack.length > 0) {
    if (++runs > BUDGET) return found ? { kind: 'fails', ...found } : { kind: 'too-big' };
    const partial = stack.pop()!;
    let outcome: Outcome;
    try {
      outcome = evaluateDeployment(
        template,
        logicalId,
        (input) => {
          const value = partial.get(input);
          if (value === undefined) throw new NeedsInput(input);
          return value;
        },
        semantics,
      );
    } catch (error) {
      if (!(error instanceof NeedsInput)) throw error;
      const values = inputDomains.get(error.input) ?? [];
      for (let i = values.length - 1; i >= 0; i--) stack.push(new Map(partial).set(error.input, values[i]));
      continue;
    }
    if (outcome.kind === 'single-region' || outcome.kind === 'refused-global-events') {
      found ??= { when: partial, outcome };
      if (stopAtFailure) break;
    }
    if (outcome.kind === 'multi-region') created ??= partial;
  }
  if (found) return { kind: 'fails', ...found };
  return created ? { kind: 'passes', created } : { kind: 'never-created' };
}

export function judgeTrail(template: Template, logicalId: string, strict: boolean, semantics: Semantics, stopAtFailure = false): Verdict {
  return judge(template, logicalId, domains(template, strict), semantics, stopAtFailure);
}

/** An engine's `when` value for an input: lists as CloudFormation takes them ("a,b"), or a JSON array. */
export function parseWhenValue(template: Template, input: string, text: string): InputValue {
  if (own(template.Parameters, input)?.Type !== 'CommaDelimitedList') return text;
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: read it as CloudFormation reads a list parameter
    }
  }
  return text.split(',');
}

export function describe(assignment: Assignment): string {
  return JSON.stringify(Object.fromEntries([...assignment].map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value])));
}

export function trailsOf(template: Template): string[] {
  return Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::CloudTrail::Trail');
}
