import { isObject, type TemplateModel } from './model';
import { partitionOf, urlSuffixOf } from './regions';
import { DeployFailure, NO_VALUE, Unknown, isUnknown, sameValue, stringForm, type Value } from './values';

/** The value of each input in one deployment: parameters by name, pseudo parameters by their `AWS::` name. */
export type InputValue = string | Unknown;

export interface Scope {
  model: TemplateModel;
  input(name: string): InputValue;
  /** Conditions already evaluated in this deployment: a condition used many times is evaluated once. */
  conditions: Map<string, boolean | Unknown>;
  /** Evaluation steps left for this deployment (see MAX_EVALUATION_STEPS). */
  steps: number;
}

/** Steps one deployment's evaluation may take: YAML aliases can make a short text a huge value. */
export const MAX_EVALUATION_STEPS = 100_000;

/** Thrown when a deployment's evaluation runs out of steps; the verdict becomes unknown. */
export class EvaluationTooLarge extends Error {}

const DYNAMIC_REFERENCE = /\{\{resolve:([a-z-]+):/;

/**
 * Evaluates an expression as CloudFormation would in one deployment. Mappings that are not intrinsic
 * functions are returned as they are: their members are evaluated when they are read (`evaluateMember`).
 * Static checks (arity, references) were made by `analyze` before any deployment is evaluated.
 */
export function evaluate(expression: unknown, scope: Scope): Value {
  if (--scope.steps < 0) throw new EvaluationTooLarge(`the value takes more than ${MAX_EVALUATION_STEPS} steps to evaluate`);
  if (typeof expression === 'string') {
    const dynamic = DYNAMIC_REFERENCE.exec(expression);
    return dynamic ? new Unknown(`dynamic reference ${dynamic[0]}…}} is resolved at deploy time`) : expression;
  }
  if (Array.isArray(expression)) return evaluateList(expression, scope);
  if (!isObject(expression)) return expression;
  const keys = Object.keys(expression);
  if (keys.length !== 1) return expression;
  const name = keys[0];
  const argument = expression[name];
  switch (name) {
    case 'Ref':
      return evaluateRef(String(argument), scope);
    case 'Condition':
      return evaluateCondition(String(argument), scope);
    case 'Fn::If':
      return evaluateIf(argument as unknown[], scope);
    case 'Fn::Equals': {
      const [left, right] = (argument as unknown[]).map((item) => evaluate(item, scope));
      if (isUnknown(left)) return left;
      if (isUnknown(right)) return right;
      return sameValue(left, right);
    }
    case 'Fn::And':
    case 'Fn::Or':
      return evaluateJunction(name === 'Fn::And', argument as unknown[], scope);
    case 'Fn::Not': {
      const operand = asCondition(evaluate((argument as unknown[])[0], scope));
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
      return stringForm(text).split(stringForm(delimiter));
    }
    case 'Fn::Join': {
      const [delimiter, list] = (argument as unknown[]).map((item) => evaluate(item, scope));
      if (isUnknown(delimiter)) return delimiter;
      if (isUnknown(list)) return list;
      if (!Array.isArray(list)) throw new DeployFailure('Fn::Join needs a list');
      const unknownItem = list.find(isUnknown);
      return unknownItem ?? list.map(stringForm).join(stringForm(delimiter));
    }
    case 'Fn::Sub':
      return evaluateSub(argument, scope);
    case 'Fn::Base64': {
      const text = evaluate(argument, scope);
      return isUnknown(text) ? text : Buffer.from(stringForm(text), 'utf8').toString('base64');
    }
    case 'Fn::Length': {
      const list = evaluate(argument, scope);
      if (isUnknown(list)) return list;
      return Array.isArray(list) ? list.length : new Unknown('Fn::Length of something that is not a list');
    }
    case 'Fn::ToJsonString': {
      const value = evaluateDeep(argument, scope);
      return isUnknown(value) ? value : JSON.stringify(value);
    }
    case 'Fn::GetAZs':
      return new Unknown('Fn::GetAZs lists the Availability Zones of the deploying account');
    case 'Fn::GetAtt': {
      const target = Array.isArray(argument) ? argument.map(stringForm).join('.') : stringForm(argument);
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
  if (!isObject(container) || !(key in container)) return undefined;
  return evaluate(container[key], scope);
}

export function evaluateCondition(name: string, scope: Scope): boolean | Unknown {
  let value = scope.conditions.get(name);
  if (value === undefined) {
    value = asCondition(evaluate(scope.model.conditions[name], scope));
    scope.conditions.set(name, value);
  }
  return value;
}

function asCondition(value: Value): boolean | Unknown {
  if (isUnknown(value)) return value;
  if (typeof value === 'boolean') return value;
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

function evaluateDeep(expression: unknown, scope: Scope): Value {
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
    if (member !== NO_VALUE) result[key] = member;
  }
  return result;
}

function evaluateRef(name: string, scope: Scope): Value {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name === 'AWS::Partition' || name === 'AWS::URLSuffix') {
    const region = scope.input('AWS::Region');
    if (isUnknown(region)) return region;
    return name === 'AWS::Partition' ? partitionOf(region) : urlSuffixOf(region);
  }
  const parameter = scope.model.parameters.get(name);
  if (!parameter && !name.startsWith('AWS::')) return new Unknown(`Ref ${name} is a resource, known only after deployment`);
  const value = scope.input(name);
  if (isUnknown(value) || !parameter) return value;
  return /^List<|^CommaDelimitedList$/.test(parameter.type) ? value.split(',') : value;
}

function evaluateIf([condition, whenTrue, whenFalse]: unknown[], scope: Scope): Value {
  const holds = evaluateCondition(String(condition), scope);
  if (!isUnknown(holds)) return evaluate(holds ? whenTrue : whenFalse, scope);
  const [a, b] = [evaluate(whenTrue, scope), evaluate(whenFalse, scope)];
  return !isUnknown(a) && !isUnknown(b) && sameValue(a, b) ? a : holds;
}

function evaluateJunction(isAnd: boolean, operands: unknown[], scope: Scope): boolean | Unknown {
  let unknown: Unknown | undefined;
  for (const operand of operands) {
    const value = asCondition(evaluate(operand, scope));
    if (isUnknown(value)) unknown ??= value;
    else if (value !== isAnd) return value; // false decides an And, true decides an Or
  }
  return unknown ?? isAnd;
}

function evaluateFindInMap([map, topKey, secondKey, options]: unknown[], scope: Scope): Value {
  const keys = [map, topKey, secondKey].map((item) => evaluate(item, scope));
  const unknown = keys.find(isUnknown);
  if (unknown) return unknown;
  const [mapName, first, second] = keys.map(stringForm);
  const mapping = scope.model.mappings[mapName];
  const level = isObject(mapping) ? mapping[first] : undefined;
  const found = isObject(level) ? level[second] : undefined;
  if (found !== undefined) return evaluate(found, scope);
  if (isObject(options) && 'DefaultValue' in options) return evaluate(options.DefaultValue, scope);
  throw new DeployFailure(`Fn::FindInMap finds no ${first}/${second} in mapping ${mapName}`);
}

function evaluateSelect([index, list]: unknown[], scope: Scope): Value {
  const position = evaluate(index, scope);
  const items = evaluate(list, scope);
  if (isUnknown(position)) return position;
  if (isUnknown(items)) return items;
  const at = Number(stringForm(position));
  if (!Array.isArray(items) || !Number.isInteger(at) || at < 0 || at >= items.length) {
    throw new DeployFailure(`Fn::Select index ${stringForm(position)} is out of range`);
  }
  return items[at];
}

function evaluateSub(argument: unknown, scope: Scope): Value {
  const [template, variables] = Array.isArray(argument) ? argument : [argument, undefined];
  const text = evaluate(template, scope);
  if (isUnknown(text)) return text;
  let unknown: Unknown | undefined;
  const result = stringForm(text).replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return '${' + name.slice(1) + '}';
    const value =
      isObject(variables) && name in variables
        ? evaluate(variables[name], scope)
        : name.includes('.') && !name.startsWith('AWS::')
          ? new Unknown(`Fn::Sub \${${name}} is known only after deployment`)
          : evaluateRef(name, scope);
    if (isUnknown(value)) {
      unknown ??= value;
      return whole;
    }
    return stringForm(value);
  });
  return unknown ?? result;
}

function describeTransform(argument: unknown): string {
  return isObject(argument) && typeof argument.Name === 'string' ? argument.Name : stringForm(argument);
}
