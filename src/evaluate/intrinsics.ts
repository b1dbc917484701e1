import { isObject, type TemplateModel } from './model';
import { isListInput, provenance, type Observation } from './observe';
import { partitionOf, urlSuffixOf } from './regions';
import { AmbiguousScalar, DeployFailure, NO_VALUE, Unknown, isUnknown, nameText, own, sameValue, stringForm, type Value } from './values';

/** The value of an input in one deployment: a string, a list (list parameters), a YAML reading, or unknown. */
export type InputValue = unknown;

/** A condition's value in one deployment, with what its evaluation observed (replayed when it is reused). */
interface EvaluatedCondition {
  value: boolean | Unknown;
  observations: Observation[];
}

/** Evaluation steps left for the whole run: shared by every deployment of every resource. */
export interface RunBudget {
  steps: number;
}

export interface Scope {
  model: TemplateModel;
  /** An input's value in this deployment: parameters by name, pseudo parameters by their `AWS::` name. */
  input(name: string): InputValue;
  /** The reading of an ambiguous YAML scalar in this deployment. */
  reading(scalar: AmbiguousScalar): unknown;
  /** Conditions already evaluated in this deployment: a condition used many times is evaluated once. */
  conditions: Map<string, EvaluatedCondition>;
  /** Evaluation steps left for this deployment (see MAX_EVALUATION_STEPS). */
  steps: number;
  budget: RunBudget;
  /** How an input's value was read in this deployment: what decides which values are worth trying. */
  observations: Observation[];
  /** Expressions being evaluated, one inside the other. */
  depth: number;
}

/** Steps one deployment's evaluation may take: YAML aliases can make a short text a huge value. */
export const MAX_EVALUATION_STEPS = 100_000;
/** Steps a whole run may take, over every deployment of every resource. */
export const MAX_RUN_STEPS = 40_000_000;
/** Expressions nested in one another (conditions that name conditions, Fn::If in Fn::If…). */
export const MAX_DEPTH = 400;

/** Thrown when an evaluation runs out of steps or depth; the verdict becomes unknown. */
export class EvaluationTooLarge extends Error {}

/** A Region in a partition no table knows: AWS opens partitions too (aws-eusc was new in 2025). */
export const UNNAMED_PARTITION_REGION = 'zz-unnamed-1';

const DYNAMIC_REFERENCE = /\{\{resolve:([a-z-]+):/;

export function newRunBudget(): RunBudget {
  return { steps: MAX_RUN_STEPS };
}

/** Charges `units` steps to the deployment and to the run. */
export function charge(scope: Scope, units: number): void {
  scope.steps -= units;
  scope.budget.steps -= units;
  if (scope.steps < 0) throw new EvaluationTooLarge(`the value takes more than ${MAX_EVALUATION_STEPS} steps to evaluate`);
  if (scope.budget.steps < 0) throw new EvaluationTooLarge(`the run's evaluation budget (${MAX_RUN_STEPS} steps) is spent`);
}

function stringOf(value: unknown, scope: Scope): string {
  return stringForm(value, (units) => charge(scope, units));
}

/**
 * Evaluates an expression as CloudFormation would in one deployment. Mappings that are not intrinsic
 * functions are returned as they are: their members are evaluated when they are read (`evaluateMember`).
 * Static checks (arity, references) were made by `analyze` before any deployment is evaluated.
 */
export function evaluate(expression: unknown, scope: Scope): Value {
  charge(scope, 1);
  if (typeof expression === 'string') {
    const dynamic = DYNAMIC_REFERENCE.exec(expression);
    return dynamic ? new Unknown(`dynamic reference ${dynamic[0]}…}} is resolved at deploy time`) : expression;
  }
  if (expression instanceof AmbiguousScalar) return scope.reading(expression);
  if (expression === null || typeof expression !== 'object') return expression;
  if (++scope.depth > MAX_DEPTH) throw new EvaluationTooLarge(`expressions are nested more than ${MAX_DEPTH} deep`);
  try {
    if (Array.isArray(expression)) return evaluateList(expression, scope);
    return evaluateFunction(expression as Record<string, unknown>, scope);
  } finally {
    scope.depth--;
  }
}

function evaluateFunction(expression: Record<string, unknown>, scope: Scope): Value {
  const keys = Object.keys(expression);
  if (keys.length !== 1) return expression;
  const name = keys[0];
  const argument = expression[name];
  switch (name) {
    case 'Ref':
      return evaluateRef(isObject(argument) ? stringOf(evaluate(argument, scope), scope) : nameText(argument), scope);
    case 'Condition':
      return evaluateCondition(nameText(argument), scope);
    case 'Fn::If':
      return evaluateIf(argument as unknown[], scope);
    case 'Fn::Equals': {
      const operands = argument as unknown[];
      const [left, right] = operands.map((item) => evaluate(item, scope));
      if (isUnknown(left)) return left;
      if (isUnknown(right)) return right;
      // `!Equals [!Ref X, !Ref X]` holds for every value of X: nothing to learn from it.
      const [leftSource, rightSource] = [provenance(operands[0], scope), provenance(operands[1], scope)];
      if (leftSource.identity === undefined || leftSource.identity !== rightSource.identity) {
        observeComparison(operands[0], right, scope, leftSource, rightSource.identity);
        observeComparison(operands[1], left, scope, rightSource, leftSource.identity);
      }
      return sameValue(left, right, (units) => charge(scope, units));
    }
    case 'Fn::And':
    case 'Fn::Or':
      return evaluateJunction(name === 'Fn::And', argument as unknown[], scope);
    case 'Fn::Not': {
      const operand = asCondition(evaluate((argument as unknown[])[0], scope), scope);
      return isUnknown(operand) ? operand : !operand;
    }
    case 'Fn::FindInMap':
      return evaluateFindInMap(argument as unknown[], scope);
    case 'Fn::Select':
      return evaluateSelect(argument as unknown[], scope);
    case 'Fn::Split': {
      const [delimiter, text] = (argument as unknown[]).map((item) => evaluate(item, scope));
      if (isUnknown(delimiter)) return delimiter;
      if (isUnknown(text)) return text;
      return stringOf(text, scope).split(stringOf(delimiter, scope));
    }
    case 'Fn::Join': {
      const [delimiter, list] = (argument as unknown[]).map((item) => evaluate(item, scope));
      if (isUnknown(delimiter)) return delimiter;
      if (isUnknown(list)) return list;
      if (!Array.isArray(list)) throw new DeployFailure('Fn::Join needs a list');
      const unknownItem = list.find(isUnknown);
      return unknownItem ?? list.map((item) => stringOf(item, scope)).join(stringOf(delimiter, scope));
    }
    case 'Fn::Sub':
      return evaluateSub(argument, scope);
    case 'Fn::Base64': {
      const text = evaluate(argument, scope);
      return isUnknown(text) ? text : Buffer.from(stringOf(text, scope), 'utf8').toString('base64');
    }
    case 'Fn::Length': {
      const list = evaluate(argument, scope);
      if (isUnknown(list)) return list;
      return Array.isArray(list) ? list.length : new Unknown('Fn::Length of something that is not a list');
    }
    case 'Fn::ToJsonString': {
      const value = evaluateDeep(argument, scope);
      if (isUnknown(value)) return value;
      stringOf(value, scope); // charged before JSON.stringify builds it
      return JSON.stringify(value);
    }
    case 'Fn::GetAZs':
      return new Unknown('Fn::GetAZs lists the Availability Zones of the deploying account');
    case 'Fn::GetAtt': {
      const target = Array.isArray(argument) ? argument.map((part) => nameText(part)).join('.') : nameText(argument);
      return new Unknown(`Fn::GetAtt ${target} is known only after deployment`);
    }
    case 'Fn::ImportValue':
      return new Unknown('Fn::ImportValue reads another stack’s export at deploy time');
    case 'Fn::Cidr':
      return new Unknown('Fn::Cidr is not evaluated');
    case 'Fn::Transform':
      return new Unknown(`macro ${describeTransform(argument)} may rewrite this value`);
    default:
      return name.startsWith('Fn::') ? new Unknown(`${name} is not evaluated`) : expression;
  }
}

/** Reads one member of an evaluated mapping, evaluating it in turn. */
export function evaluateMember(container: Value, key: string, scope: Scope): Value {
  if (isUnknown(container)) return container;
  if (!isObject(container)) return undefined;
  const member = own(container, key);
  if (member === undefined && Object.keys(container).some((name) => name.startsWith('Fn::ForEach::'))) {
    return new Unknown(`a Fn::ForEach loop that cannot be expanded may write ${key}`);
  }
  return member === undefined ? undefined : evaluate(member, scope);
}

export function evaluateCondition(name: string, scope: Scope): boolean | Unknown {
  const known = scope.conditions.get(name);
  if (known) {
    charge(scope, 1 + known.observations.length);
    for (const observation of known.observations) scope.observations.push(observation);
    return known.value;
  }
  const start = scope.observations.length;
  const expression = own(scope.model.conditions, name);
  const value = asCondition(evaluate(expression, scope), scope, expression);
  // Each observation once: conditions that name one condition twice would otherwise double it at each level.
  const observations = uniqueObservations(scope.observations.slice(start));
  scope.observations.length = start;
  scope.observations.push(...observations);
  scope.conditions.set(name, { value, observations });
  return value;
}

/** A condition's value: a condition function's boolean, or (leniently) a value compared with "true". */
function uniqueObservations(observations: Observation[]): Observation[] {
  // Keyed without concatenating the value (it may be a string of megabytes): a set of values per kind and input.
  const seen = new Map<string, Set<unknown>>();
  return observations.filter((observation) => {
    const [head, value] =
      observation.kind === 'opaque'
        ? [`o\u0000${observation.why}\u0000${observation.inputs.join('\u0000')}`, '']
        : observation.kind === 'index'
          ? [`i\u0000${observation.input}`, observation.index]
          : [`${observation.kind}\u0000${observation.input}\u0000${observation.kind === 'equals' ? (observation.peer ?? '') : ''}`, observation.value];
    let values = seen.get(head);
    if (!values) seen.set(head, (values = new Set()));
    return !values.has(value) && values.add(value) !== undefined;
  });
}

function asCondition(value: Value, scope: Scope, expression?: unknown): boolean | Unknown {
  if (isUnknown(value)) return value;
  if (typeof value === 'boolean') return value;
  if (expression !== undefined) observeComparison(expression, 'true', scope);
  return sameValue(value, 'true');
}

function evaluateList(list: unknown[], scope: Scope): Value {
  const values: unknown[] = [];
  for (const item of list) {
    const value = evaluate(item, scope);
    if (value !== NO_VALUE) values.push(value);
  }
  return values;
}

export function evaluateDeep(expression: unknown, scope: Scope): Value {
  const value = evaluate(expression, scope);
  if (isUnknown(value)) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => (isObject(item) || Array.isArray(item) ? evaluateDeep(item, scope) : item));
    return items.find(isUnknown) ?? items;
  }
  if (!isObject(value)) return value;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = evaluateDeep(value[key], scope);
    if (isUnknown(member)) return member;
    if (member !== NO_VALUE) Object.defineProperty(result, key, { value: member, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

function evaluateRef(name: string, scope: Scope): Value {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name === 'AWS::Partition' || name === 'AWS::URLSuffix') {
    const region = scope.input('AWS::Region');
    if (isUnknown(region)) return region;
    return name === 'AWS::Partition' ? partitionOfRegion(String(region)) : urlSuffixOfRegion(String(region));
  }
  if (!scope.model.parameters.has(name) && !name.startsWith('AWS::')) return new Unknown(`Ref ${name} is a resource, known only after deployment`);
  return scope.input(name);
}

export function partitionOfRegion(region: string): string {
  return region === UNNAMED_PARTITION_REGION ? 'aws-unnamed' : partitionOf(region);
}

export function urlSuffixOfRegion(region: string): string {
  return region === UNNAMED_PARTITION_REGION ? 'unnamed.example' : urlSuffixOf(region);
}

/**
 * Fn::If is lazy: only the branch the condition chooses is evaluated (`!If [HasBucket, !GetAtt Bucket.Arn,
 * !Ref AWS::NoValue]` relies on it). When the condition cannot be known, the two branches are alternatives:
 * a branch whose deployment would fail leaves the other one.
 */
function evaluateIf([condition, whenTrue, whenFalse]: unknown[], scope: Scope): Value {
  const holds = evaluateCondition(nameText(condition), scope);
  if (!isUnknown(holds)) return evaluate(holds ? whenTrue : whenFalse, scope);
  const [a, b] = [alternative(whenTrue, scope), alternative(whenFalse, scope)];
  if (a instanceof DeployFailure && b instanceof DeployFailure) throw a;
  if (a instanceof DeployFailure) return isUnknown(b) ? b : holds;
  if (b instanceof DeployFailure) return isUnknown(a) ? a : holds;
  return !isUnknown(a) && !isUnknown(b) && sameValue(a, b, (units) => charge(scope, units)) ? a : holds;
}

function alternative(expression: unknown, scope: Scope): Value | DeployFailure {
  try {
    return evaluate(expression, scope);
  } catch (error) {
    if (error instanceof DeployFailure) return error;
    throw error;
  }
}

function evaluateJunction(isAnd: boolean, operands: unknown[], scope: Scope): boolean | Unknown {
  let unknown: Unknown | undefined;
  for (const operand of operands) {
    const value = asCondition(evaluate(operand, scope), scope);
    if (isUnknown(value)) unknown ??= value;
    else if (value !== isAnd) return value; // false decides an And, true decides an Or
  }
  return unknown ?? isAnd;
}

/** A mapping (or the section) that an AWS::Include or other macro writes: its keys and values are not known here. */
function transformed(container: unknown): Unknown | undefined {
  const macro = own(container, 'Fn::Transform');
  return macro === undefined ? undefined : new Unknown(`macro ${describeTransform(macro)} writes part of the Mappings`);
}

function evaluateFindInMap([map, topKey, secondKey, options]: unknown[], scope: Scope): Value {
  const included = transformed(scope.model.mappings);
  if (included) return included;
  const mapName = evaluate(map, scope);
  if (isUnknown(mapName)) return mapName;
  observeKeys(map, Object.keys(scope.model.mappings), scope);
  const mapping = own(scope.model.mappings, stringOf(mapName, scope));
  const first = evaluate(topKey, scope);
  const inMapping = transformed(mapping);
  if (inMapping) return inMapping;
  if (isUnknown(first)) return first;
  observeKeys(topKey, isObject(mapping) ? Object.keys(mapping) : [], scope);
  const level = own(mapping, stringOf(first, scope));
  const second = evaluate(secondKey, scope);
  const inLevel = transformed(level);
  if (inLevel) return inLevel;
  if (isUnknown(second)) return second;
  observeKeys(secondKey, isObject(level) ? Object.keys(level) : [], scope);
  const found = own(level, stringOf(second, scope));
  if (found !== undefined) return evaluate(found, scope);
  if (isObject(options) && own(options, 'DefaultValue') !== undefined) return evaluate(options.DefaultValue, scope);
  throw new DeployFailure(`Fn::FindInMap finds no ${stringOf(first, scope)}/${stringOf(second, scope)} in mapping ${stringOf(mapName, scope)}`);
}

function evaluateSelect([index, list]: unknown[], scope: Scope): Value {
  const position = evaluate(index, scope);
  const items = evaluate(list, scope);
  if (isUnknown(position)) return position;
  if (isUnknown(items)) return items;
  // An index is read as a number ("1", "01" and "1.0" may all pick the second item), which equality with the
  // values met does not cover: an input used as an index is covered only by trying all of its values.
  const indexSource = provenance(index, scope);
  if (indexSource.inputs.length > 0) scope.observations.push({ kind: 'opaque', inputs: indexSource.inputs, why: 'is used as a list index' });
  const at = Number(stringOf(position, scope));
  const source = provenance(list, scope);
  if (source.identity !== undefined && Number.isInteger(at)) scope.observations.push({ kind: 'index', input: source.identity, index: at });
  else if (source.inputs.length > 0) scope.observations.push({ kind: 'opaque', inputs: source.inputs, why: 'read as a list after string functions' });
  if (!Array.isArray(items) || !Number.isInteger(at) || at < 0 || at >= items.length) {
    throw new DeployFailure(`Fn::Select index ${stringOf(position, scope)} is out of range`);
  }
  return items[at];
}

function evaluateSub(argument: unknown, scope: Scope): Value {
  const [template, variables] = Array.isArray(argument) ? argument : [argument, undefined];
  const text = evaluate(template, scope);
  if (isUnknown(text)) return text;
  let unknown: Unknown | undefined;
  const result = stringOf(text, scope).replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return '${' + name.slice(1) + '}';
    const variable = own(variables, name);
    const value =
      variable !== undefined
        ? evaluate(variable, scope)
        : name.includes('.') && !name.startsWith('AWS::')
          ? new Unknown(`Fn::Sub \${${name}} is known only after deployment`)
          : evaluateRef(name, scope);
    if (isUnknown(value)) {
      unknown ??= value;
      return whole;
    }
    return stringOf(value, scope);
  });
  return unknown ?? result;
}

/** Records that the value of `expression` was compared with `other`: which input it is, or that it is opaque. */
/** `peer`: the input the other side is, when it is one (its values are candidates, not constants to avoid). */
export function observeComparison(expression: unknown, other: unknown, scope: Scope, source = provenance(expression, scope), peer?: string): void {
  // A list is covered item by item (the indices read): compared whole, no finite set of lists covers it.
  if (source.identity !== undefined && isListInput(source.identity, scope.model)) scope.observations.push({ kind: 'opaque', inputs: [source.identity], why: 'is compared as a whole list' });
  else if (source.identity !== undefined) scope.observations.push({ kind: 'equals', input: source.identity, value: stringOf(other, scope), ...(peer !== undefined && { peer }) });
  else if (source.item !== undefined) scope.observations.push({ kind: 'item', input: source.item, value: stringOf(other, scope) });
  else if (source.inputs.length > 0) scope.observations.push({ kind: 'opaque', inputs: source.inputs, why: 'compared after string functions' });
}

/** Records a lookup by `expression` among `keys` (mapping names and keys, list indices). */
function observeKeys(expression: unknown, keys: string[], scope: Scope): void {
  const source = provenance(expression, scope);
  if (source.identity !== undefined && isListInput(source.identity, scope.model)) {
    scope.observations.push({ kind: 'opaque', inputs: [source.identity], why: 'is used whole as a key' });
    return;
  }
  if (source.identity === undefined && source.item === undefined) {
    if (source.inputs.length > 0) scope.observations.push({ kind: 'opaque', inputs: source.inputs, why: 'used as a key after string functions' });
    return;
  }
  for (const key of keys) {
    if (source.identity !== undefined) scope.observations.push({ kind: 'equals', input: source.identity, value: key });
    else scope.observations.push({ kind: 'item', input: source.item!, value: key });
  }
}

function describeTransform(argument: unknown): string {
  return isObject(argument) && typeof argument.Name === 'string' ? argument.Name : stringForm(argument);
}
