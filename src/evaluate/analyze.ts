import { Code } from '../codes';
import type { TemplatePath } from '../types';
import { MAX_DEPTH } from './intrinsics';
import { TemplateError, isObject, isPseudoParameter, usesLanguageExtensions, type TemplateModel } from './model';
import { AmbiguousScalar, hasOwn, nameText, own } from './values';

/** What one decision (a trail's Condition and property) depends on, found without evaluating anything. */
export interface Dependencies {
  /** Parameters and pseudo parameters, in order of first use. */
  inputs: Set<string>;
  /** Literal strings the decision compares inputs with (Fn::Equals operands, mapping keys): the values worth trying. */
  constants: Set<string>;
  /** Inputs that reach the decision through string functions, so that equality with a constant is not all that matters. */
  transformed: Set<string>;
  /** Conditions involved, in order of first use. */
  conditions: Set<string>;
  mappings: Set<string>;
  /** `Fn::Transform` macros that may rewrite the value. */
  macros: Set<string>;
  /** Pseudo parameters that follow from the Region (`AWS::Partition`, `AWS::URLSuffix`). */
  regionDerived: Set<string>;
}

export function emptyDependencies(): Dependencies {
  return {
    inputs: new Set(),
    constants: new Set(),
    transformed: new Set(),
    conditions: new Set(),
    mappings: new Set(),
    macros: new Set(),
    regionDerived: new Set(),
  };
}

export function mergeDependencies(into: Dependencies, from: Dependencies): void {
  for (const key of Object.keys(into) as (keyof Dependencies)[]) for (const item of from[key]) into[key].add(item);
}

const ARITY: Record<string, [min: number, max: number, usage: string]> = {
  'Fn::If': [3, 3, '[condition name, value if true, value if false]'],
  'Fn::Equals': [2, 2, '[value, value]'],
  'Fn::And': [2, 10, '[condition, condition, …] (2 to 10)'],
  'Fn::Or': [2, 10, '[condition, condition, …] (2 to 10)'],
  'Fn::Not': [1, 1, '[condition]'],
  'Fn::FindInMap': [3, 4, '[mapping name, top-level key, second-level key]'],
  'Fn::Select': [2, 2, '[index, list]'],
  'Fn::Split': [2, 2, '[delimiter, string]'],
  'Fn::Join': [2, 2, '[delimiter, list]'],
  'Fn::Cidr': [3, 3, '[ip block, count, cidr bits]'],
};

const STRING_FUNCTIONS = new Set(['Fn::Select', 'Fn::Split', 'Fn::Join', 'Fn::Base64', 'Fn::Length', 'Fn::ToJsonString']);

/**
 * Static checks CloudFormation makes before it evaluates anything — arity, references to conditions,
 * mappings, parameters and resources, cycles among conditions — and the dependencies of each expression.
 */
export class Analyzer {
  private readonly conditionDependencies = new Map<string, Dependencies>();
  private readonly visiting: string[] = [];
  /**
   * Subtrees already walked into a given Dependencies: YAML aliases share them, and an alias bomb shares them
   * exponentially. Strong collections: they live as long as the analyzer (one template), and weak ones cost
   * the garbage collector far more.
   */
  private readonly walked = new Map<Dependencies, [plain: Set<object>, transformed: Set<object>]>();

  /** Properties sections already checked whole (see `property`). */
  private readonly checkedProperties = new Set<unknown>();

  constructor(private readonly model: TemplateModel) {}

  /** CloudFormation validates every condition, used or not. */
  checkAllConditions(): void {
    for (const name of Object.keys(this.model.conditions)) this.condition(name, ['Conditions', name]);
  }

  /** Dependencies of a value (a property, possibly behind Fn::If) read at `path` of `expression`. */
  expression(expression: unknown, path: TemplatePath, dependencies = emptyDependencies(), transformed = false): Dependencies {
    this.walk(expression, path, dependencies, transformed);
    return dependencies;
  }

  /**
   * Dependencies of one property of a resource: only what can reach that property counts (other properties'
   * inputs would only multiply the deployments to try), but the whole of Properties is checked.
   */
  property(properties: unknown, name: string, path: TemplatePath): Dependencies {
    // Checked once per resource, however many of its properties a rule reads (a check that throws is not recorded).
    if (!this.checkedProperties.has(properties)) {
      this.expression(properties, path);
      this.checkedProperties.add(properties);
    }
    const dependencies = emptyDependencies();
    this.reachProperty(properties, name, path, dependencies);
    return dependencies;
  }

  private reachProperty(properties: unknown, name: string, path: TemplatePath, into: Dependencies): void {
    if (!isObject(properties)) return;
    const keys = Object.keys(properties);
    if (keys.length === 1 && keys[0] === 'Fn::If' && Array.isArray(properties['Fn::If']) && properties['Fn::If'].length === 3) {
      const [condition, whenTrue, whenFalse] = properties['Fn::If'] as unknown[];
      const at = [...path, 'Fn::If'];
      mergeDependencies(into, this.condition(nameText(condition), [...at, 0]));
      this.reachProperty(whenTrue, name, [...at, 1], into);
      this.reachProperty(whenFalse, name, [...at, 2], into);
    } else if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      this.walk(properties, path, into, false);
    } else if (hasOwn(properties, name)) {
      this.walk(properties[name], [...path, name], into, false);
    }
  }

  condition(name: string, referencedAt: TemplatePath): Dependencies {
    const known = this.conditionDependencies.get(name);
    if (known) return known;
    if (!hasOwn(this.model.conditions, name)) {
      throw new TemplateError(Code.ConditionUndefined, `condition ${name} is not defined in Conditions`, referencedAt);
    }
    if (this.visiting.includes(name)) {
      const cycle = [...this.visiting.slice(this.visiting.indexOf(name)), name].join(' → ');
      throw new TemplateError(Code.ConditionCycle, `conditions form a cycle: ${cycle}`, ['Conditions', name]);
    }
    if (this.visiting.length >= MAX_DEPTH) {
      throw new TemplateError(Code.TemplateTooComplex, `conditions name conditions more than ${MAX_DEPTH} deep (this linter's limit)`, referencedAt);
    }
    this.visiting.push(name);
    const dependencies = emptyDependencies();
    dependencies.conditions.add(name);
    this.walk(this.model.conditions[name], ['Conditions', name], dependencies, false);
    this.visiting.pop();
    this.conditionDependencies.set(name, dependencies);
    return dependencies;
  }

  private walk(expression: unknown, path: TemplatePath, into: Dependencies, transformed: boolean): void {
    if (path.length > MAX_DEPTH) throw new TemplateError(Code.TemplateTooComplex, `expressions nested more than ${MAX_DEPTH} deep (this linter's limit)`, path.slice(0, 8));
    if (expression instanceof AmbiguousScalar) return;
    if (expression !== null && typeof expression === 'object') {
      let sets = this.walked.get(into);
      if (!sets) this.walked.set(into, (sets = [new Set(), new Set()]));
      const seen = sets[transformed ? 1 : 0];
      if (seen.has(expression)) return;
      seen.add(expression);
    }
    if (Array.isArray(expression)) {
      expression.forEach((item, index) => this.walk(item, [...path, index], into, transformed));
      return;
    }
    if (!isObject(expression)) return;
    const keys = Object.keys(expression);
    const name = keys[0];
    if (keys.length !== 1 || !(name === 'Ref' || name === 'Condition' || name.startsWith('Fn::'))) {
      for (const key of keys) this.walk(expression[key], [...path, key], into, transformed);
      return;
    }
    const argument = expression[name];
    const at = [...path, name];
    const arity = ARITY[name];
    if (arity) {
      const [min, max, usage] = arity;
      if (!Array.isArray(argument) || argument.length < min || argument.length > max) {
        const got = Array.isArray(argument) ? `${argument.length} argument${argument.length === 1 ? '' : 's'}` : 'no list';
        throw new TemplateError(Code.FunctionArguments, `${name} takes ${usage}; got ${got}`, at);
      }
    }
    switch (name) {
      case 'Ref':
        // AWS::LanguageExtensions lets Ref take an intrinsic function (`Ref: !Sub 'Param${Id}'`).
        if (isObject(argument) && usesLanguageExtensions(this.model)) {
          this.walk(argument, at, into, true);
          return;
        }
        if (typeof argument !== 'string' && !(argument instanceof AmbiguousScalar)) throw new TemplateError(Code.FunctionArguments, 'Ref takes the name of a parameter or resource', at);
        this.reference(nameText(argument), at, into, transformed);
        return;
      case 'Condition':
        if (typeof argument !== 'string' && !(argument instanceof AmbiguousScalar)) throw new TemplateError(Code.ConditionNameInvalid, 'Condition takes the name of a condition', at);
        mergeDependencies(into, this.condition(nameText(argument), at));
        return;
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = argument as unknown[];
        if (typeof condition !== 'string' && !(condition instanceof AmbiguousScalar)) throw new TemplateError(Code.ConditionNameInvalid, 'Fn::If takes a condition name first', [...at, 0]);
        mergeDependencies(into, this.condition(nameText(condition), [...at, 0]));
        this.walk(whenTrue, [...at, 1], into, transformed);
        this.walk(whenFalse, [...at, 2], into, transformed);
        return;
      }
      case 'Fn::Equals':
        for (const operand of argument as unknown[]) {
          if (operand === null || typeof operand !== 'object') into.constants.add(String(operand));
        }
        this.walk(argument, at, into, transformed);
        return;
      case 'Fn::FindInMap':
        this.findInMap(argument as unknown[], at, into, transformed);
        return;
      case 'Fn::Sub':
        this.sub(argument, at, into, transformed);
        return;
      case 'Fn::Transform':
        into.macros.add(isObject(argument) && typeof argument.Name === 'string' ? argument.Name : 'Fn::Transform');
        return;
      case 'Fn::GetAtt':
        this.getAtt(argument, at);
        return;
      default:
        this.walk(argument, at, into, transformed || STRING_FUNCTIONS.has(name));
    }
  }

  private reference(name: string, at: TemplatePath, into: Dependencies, transformed: boolean): void {
    if (name === 'AWS::NoValue') return;
    if (this.model.parameters.has(name) || isPseudoParameter(name)) {
      // The partition and URL suffix follow from the Region: the Region is the input.
      const input = name === 'AWS::Partition' || name === 'AWS::URLSuffix' ? 'AWS::Region' : name;
      if (input !== name) into.regionDerived.add(name);
      into.inputs.add(input);
      if (transformed) into.transformed.add(input);
      return;
    }
    if (!hasOwn(this.model.resources, name)) {
      throw new TemplateError(Code.ReferenceUndefined, `Ref ${name}: no parameter or resource has this name`, at);
    }
  }

  /** `!GetAtt Resource.Attribute` or `[Resource, Attribute]`: CloudFormation rejects a missing attribute. */
  private getAtt(argument: unknown, at: TemplatePath): void {
    const parts = Array.isArray(argument) ? argument : typeof argument === 'string' ? [argument.slice(0, argument.indexOf('.')), argument.slice(argument.indexOf('.') + 1)] : [];
    const valid = Array.isArray(argument)
      ? argument.length === 2 && typeof argument[0] === 'string' && argument[0] !== '' && argument[1] !== undefined && argument[1] !== ''
      : typeof argument === 'string' && argument.indexOf('.') > 0 && argument.indexOf('.') < argument.length - 1;
    if (!valid) throw new TemplateError(Code.FunctionArguments, 'Fn::GetAtt takes [resource, attribute] (or Resource.Attribute)', at);
    const resource = nameText(parts[0]);
    if (!hasOwn(this.model.resources, resource)) throw new TemplateError(Code.ReferenceUndefined, `Fn::GetAtt ${resource}: no resource has this name`, at);
  }

  private findInMap([map, topKey, secondKey, options]: unknown[], at: TemplatePath, into: Dependencies, transformed: boolean): void {
    if (options !== undefined && !usesLanguageExtensions(this.model)) {
      throw new TemplateError(Code.LanguageExtensionsRequired, 'Fn::FindInMap takes a fourth argument (DefaultValue) only with Transform: AWS::LanguageExtensions', [...at, 3]);
    }
    if (typeof map === 'string') {
      const mapping = own(this.model.mappings, map);
      if (!isObject(mapping)) throw new TemplateError(Code.MappingUndefined, `mapping ${map} is not defined in Mappings`, [...at, 0]);
      into.mappings.add(map);
      for (const [key, level] of Object.entries(mapping)) {
        into.constants.add(key);
        if (isObject(level)) for (const second of Object.keys(level)) into.constants.add(second);
      }
    }
    this.walk([map, topKey, secondKey], at, into, false);
    if (options !== undefined) this.walk(options, [...at, 3], into, transformed);
  }

  private sub(argument: unknown, at: TemplatePath, into: Dependencies, transformed: boolean): void {
    const [text, variables] = Array.isArray(argument) ? argument : [argument, undefined];
    if (typeof text !== 'string' || (variables !== undefined && !isObject(variables))) {
      throw new TemplateError(Code.FunctionArguments, 'Fn::Sub takes a string, or [string, {variable: value}]', at);
    }
    // `!Sub '${Env}'` is Env itself; anything around the variable makes it a string function.
    const identity = /^\$\{[^}!]+\}$/.test(text);
    for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
      const name = match[1];
      if (name.startsWith('!')) continue;
      if (variables && hasOwn(variables, name)) this.walk(variables[name], [...at, 1, name], into, transformed || !identity);
      else if (!name.includes('.') || name.startsWith('AWS::')) this.reference(name, at, into, transformed || !identity);
    }
  }
}
