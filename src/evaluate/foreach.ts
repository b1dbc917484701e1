import { Code } from '../codes';
import type { TemplatePath } from '../types';
import { TemplateError, isObject, parameterString, type JsonObject, type ParameterDeclaration } from './model';

const LOOP_PREFIX = 'Fn::ForEach::';

export interface ExpandedResources {
  resources: JsonObject;
  /** Where each generated resource was written: ['Resources', 'Fn::ForEach::Trails', 2, 'Trail${Name}']. */
  origins: Map<string, TemplatePath>;
  /** Resources of loops whose collection the template alone does not fix: logical ID template → why. */
  unresolved: { logicalId: string; type: unknown; path: TemplatePath; reason: string }[];
}

/**
 * Expands `Fn::ForEach` loops of AWS::LanguageExtensions in Resources, as CloudFormation does before it
 * evaluates anything. A loop over a literal list, or over a list parameter whose value is fixed, is
 * expanded; any other loop leaves its resources unresolved (reported `unknown`, never `pass`).
 * Unchanged subtrees are shared with the original, so their source positions still resolve.
 */
/**
 * What loops may write in one template: `left` outputs in all (an aliased list of lists multiplies them), and
 * the subtrees already expanded (aliases share them: each is expanded once).
 */
export interface ExpansionBudget {
  left: number;
  readonly expanded: Map<object, unknown>;
}

export function newExpansionBudget(outputs: number): ExpansionBudget {
  return { left: outputs, expanded: new Map() };
}

function spend(budget: ExpansionBudget, path: TemplatePath): void {
  if (--budget.left < 0) throw new TemplateError(Code.TemplateTooComplex, `Fn::ForEach loops write more than the linter's limit of outputs per template`, path.slice(0, 3));
}

export function expandForEach(
  resources: JsonObject,
  fixedValue: (parameter: string) => string | undefined,
  parameters: Map<string, ParameterDeclaration>,
  section: string,
  budget: ExpansionBudget,
): ExpandedResources {
  const expanded: ExpandedResources = { resources: {}, origins: new Map(), unresolved: [] };
  expandInto(resources, [section], new Map(), expanded, fixedValue, parameters, budget);
  return expanded;
}

/**
 * Expands the loops inside one resource (in its Properties, say), which AWS::LanguageExtensions allows too.
 * A loop whose collection is not fixed stays as written: reading a member of its mapping is then unknown.
 */
export function expandNestedLoops(
  value: unknown,
  fixedValue: (parameter: string) => string | undefined,
  parameters: Map<string, ParameterDeclaration>,
  budget: ExpansionBudget,
  depth = 0,
): unknown {
  if (depth > 200 || value === null || typeof value !== 'object') return value;
  const known = budget.expanded.get(value);
  if (known !== undefined) return known;
  const expanded = expandNestedLoopsOnce(value, fixedValue, parameters, budget, depth);
  budget.expanded.set(value, expanded);
  return expanded;
}

function expandNestedLoopsOnce(
  value: object,
  fixedValue: (parameter: string) => string | undefined,
  parameters: Map<string, ParameterDeclaration>,
  budget: ExpansionBudget,
  depth: number,
): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => expandNestedLoops(item, fixedValue, parameters, budget, depth + 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (!isObject(value)) return value;
  let changed = false;
  const result: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (key.startsWith(LOOP_PREFIX) && Array.isArray(member) && member.length === 3 && typeof member[0] === 'string' && isObject(member[2])) {
      const items = collectionItems(member[1], fixedValue, parameters);
      if (typeof items !== 'string') {
        changed = true;
        for (const item of items) {
          const bindings = new Map([[member[0], item]]);
          for (const [outputKey, outputValue] of Object.entries(member[2])) {
            spend(budget, ['Resources']);
            define(result, substituteKey(outputKey, bindings), expandNestedLoops(substitute(outputValue, bindings), fixedValue, parameters, budget, depth + 1));
          }
        }
        continue;
      }
    }
    const expanded = expandNestedLoops(member, fixedValue, parameters, budget, depth + 1);
    if (expanded !== member) changed = true;
    define(result, key, expanded);
  }
  return changed ? result : value;
}

/** Sets an own property, whatever its name (`__proto__` included). */
function define(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function expandInto(
  entries: JsonObject,
  path: TemplatePath,
  bindings: Map<string, string>,
  out: ExpandedResources,
  fixedValue: (parameter: string) => string | undefined,
  parameters: Map<string, ParameterDeclaration>,
  budget: ExpansionBudget,
): void {
  for (const [key, value] of Object.entries(entries)) {
    const at = [...path, key];
    if (!key.startsWith(LOOP_PREFIX)) {
      spend(budget, at);
      const logicalId = substituteKey(key, bindings);
      if (Object.prototype.hasOwnProperty.call(out.resources, logicalId)) throw new TemplateError(Code.ForEachDuplicateOutput, `Fn::ForEach generates ${logicalId} twice`, at);
      define(out.resources, logicalId, bindings.size > 0 ? substitute(value, bindings) : value);
      if (bindings.size > 0 || path.length > 1) out.origins.set(logicalId, at);
      continue;
    }
    if (!Array.isArray(value) || value.length !== 3 || typeof value[0] !== 'string' || !isObject(value[2])) {
      throw new TemplateError(Code.ForEachInvalid, `${key} takes [identifier, collection, {output key: output value}]`, at);
    }
    const [identifier, collection, output] = value as [string, unknown, JsonObject];
    const items = collectionItems(substitute(collection, bindings), fixedValue, parameters);
    if (typeof items === 'string') {
      addUnresolved(output, [...at, 2], items, out);
      continue;
    }
    for (const item of items) expandInto(output, [...at, 2], new Map([...bindings, [identifier, item]]), out, fixedValue, parameters, budget);
  }
}

/** Every resource an unexpanded loop could write, nested loops included (never dropped in silence). */
function addUnresolved(output: JsonObject, path: TemplatePath, reason: string, out: ExpandedResources): void {
  for (const [outputKey, outputValue] of Object.entries(output)) {
    if (outputKey.startsWith(LOOP_PREFIX) && Array.isArray(outputValue) && isObject(outputValue[2])) {
      addUnresolved(outputValue[2], [...path, outputKey, 2], reason, out);
      continue;
    }
    const type = isObject(outputValue) && typeof outputValue.Type === 'string' ? outputValue.Type : undefined;
    out.unresolved.push({ logicalId: outputKey, type, path: [...path, outputKey], reason });
  }
}

function collectionItems(
  collection: unknown,
  fixedValue: (parameter: string) => string | undefined,
  parameters: Map<string, ParameterDeclaration>,
): string[] | string {
  if (Array.isArray(collection) && collection.every((item) => item === null || typeof item !== 'object')) {
    return collection.map((item) => parameterString(item) ?? '');
  }
  if (isObject(collection) && typeof collection.Ref === 'string' && parameters.has(collection.Ref)) {
    const value = fixedValue(collection.Ref);
    if (typeof value === 'string') return value.split(',');
    return `Fn::ForEach loops over parameter ${collection.Ref}, which has no fixed value`;
  }
  return 'Fn::ForEach loops over a collection that is not a literal list';
}

function substituteKey(key: string, bindings: Map<string, string>): string {
  let result = key;
  for (const [name, value] of bindings) {
    result = result.split(`\${${name}}`).join(value).split(`&{${name}}`).join(value.replace(/[^A-Za-z0-9]/g, ''));
  }
  return result;
}

// Replaces the loop identifier in Ref, Fn::Sub strings and keys; returns the same object where nothing changed.
function substitute(value: unknown, bindings: Map<string, string>): unknown {
  if (bindings.size === 0) return value;
  // Every `${Id}` and `&{Id}` in the output is replaced, in plain strings too (not only in Fn::Sub).
  if (typeof value === 'string') return substituteKey(value, bindings);
  if (Array.isArray(value)) {
    const items = value.map((item) => substitute(item, bindings));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof value.Ref === 'string' && bindings.has(value.Ref)) return bindings.get(value.Ref);
  if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    const argument = value['Fn::Sub'];
    const text = Array.isArray(argument) ? argument[0] : argument;
    if (typeof text === 'string') {
      const replaced = substituteKey(text, bindings);
      const rest = Array.isArray(argument) ? substitute(argument.slice(1), bindings) as unknown[] : [];
      if (replaced !== text || (Array.isArray(argument) && rest[0] !== argument[1])) {
        return { 'Fn::Sub': Array.isArray(argument) ? [replaced, ...rest] : replaced };
      }
      return value;
    }
  }
  let changed = false;
  const result: JsonObject = {};
  for (const key of keys) {
    const newKey = substituteKey(key, bindings);
    const newValue = substitute(value[key], bindings);
    if (newKey !== key || newValue !== value[key]) changed = true;
    define(result, newKey, newValue);
  }
  return changed ? result : value;
}
