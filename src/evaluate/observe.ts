import type { Scope } from './intrinsics';
import { isObject, isPseudoParameter, type TemplateModel } from './model';
import { AmbiguousScalar, hasOwn, nameText, own } from './values';

/**
 * How one deployment's evaluation read an input. They decide which values are worth trying for it
 * (`domains.ts`): an input only ever compared for equality — with literals, computed values, other inputs or
 * mapping keys — is covered by every value it met plus one value equal to none of them. Any other reading
 * (through `Fn::Join`, `Fn::Sub` text, `Fn::Split`…) is `opaque`: no finite set of values is known to cover it.
 */
export type Observation =
  /** The input's own value was compared with `value` (Fn::Equals, a mapping key, a Select index). */
  | { kind: 'equals'; input: string; value: string; peer?: string }
  /** An item of a list input was compared with `value`. */
  | { kind: 'item'; input: string; value: string }
  /** A list input was indexed at `index`. */
  | { kind: 'index'; input: string; index: number }
  | { kind: 'opaque'; inputs: string[]; why: string };

/** Where a value comes from: exactly an input's value, an item of a list input, or something computed from inputs. */
export interface Provenance {
  identity?: string;
  item?: string;
  /** Every input the expression reads (for an opaque observation). */
  inputs: string[];
}

const NONE: Provenance = { inputs: [] };

/**
 * Where the value of `expression` comes from in the deployment `scope` evaluates: it follows the branches
 * Fn::If took (their conditions are already evaluated and cached by then).
 */
export function provenance(expression: unknown, scope: Scope): Provenance {
  if (!isObject(expression)) return Array.isArray(expression) ? inputsOnly(expression, scope.model) : NONE;
  const keys = Object.keys(expression);
  if (keys.length !== 1) return inputsOnly(expression, scope.model);
  const name = keys[0];
  const argument = expression[name];
  switch (name) {
    case 'Ref': {
      const input = inputName(nameText(argument), scope.model);
      return input === undefined ? inputsOnly(expression, scope.model) : { identity: input, inputs: [input] };
    }
    case 'Fn::Sub': {
      const [text, variables] = Array.isArray(argument) ? argument : [argument, undefined];
      const whole = typeof text === 'string' ? /^\$\{([^}!][^}]*)\}$/.exec(text) : null;
      if (whole) {
        const variable = own(variables, whole[1]);
        if (variable !== undefined) return provenance(variable, scope);
        if (!hasOwn(variables, whole[1])) {
          const input = inputName(whole[1], scope.model);
          if (input !== undefined) return { identity: input, inputs: [input] };
        }
      }
      return inputsOnly(expression, scope.model);
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = argument as unknown[];
      const holds = scope.conditions.get(nameText(condition))?.value;
      if (holds === true) return provenance(whenTrue, scope);
      if (holds === false) return provenance(whenFalse, scope);
      return inputsOnly([whenTrue, whenFalse], scope.model);
    }
    case 'Fn::Select': {
      const [index, list] = argument as unknown[];
      const source = isObject(list) && Object.keys(list).length === 1 && 'Ref' in list ? provenance(list, scope) : NONE;
      if (source.identity !== undefined && (typeof index === 'number' || typeof index === 'string') && isListInput(source.identity, scope.model)) {
        return { item: source.identity, inputs: [source.identity] };
      }
      return inputsOnly(expression, scope.model);
    }
    case 'Fn::FindInMap': {
      // The value found is a mapping's literal (its keys were observed where they were read); only a
      // DefaultValue can carry an input's value.
      const options = (argument as unknown[])[3];
      return isObject(options) ? inputsOnly(own(options, 'DefaultValue'), scope.model) : NONE;
    }
    case 'Condition':
    case 'Fn::Equals':
    case 'Fn::And':
    case 'Fn::Or':
    case 'Fn::Not':
      return NONE; // booleans: their own comparisons were observed
    default:
      return inputsOnly(expression, scope.model);
  }
}

export function isListInput(name: string, model: TemplateModel): boolean {
  const parameter = model.parameters.get(name);
  return parameter ? isListType(parameter.type) : name === 'AWS::NotificationARNs';
}

export function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

/** The input a `Ref` or `${…}` names, if it names one. Partition and URL suffix follow from the Region. */
function inputName(name: string, model: TemplateModel): string | undefined {
  if (model.parameters.has(name)) return name;
  if (name === 'AWS::Partition' || name === 'AWS::URLSuffix') return undefined;
  return name !== 'AWS::NoValue' && isPseudoParameter(name) ? name : undefined;
}

const inputsCache = new WeakMap<object, string[]>();

function inputsOnly(expression: unknown, model: TemplateModel): Provenance {
  const inputs = inputsOf(expression, model);
  return inputs.length === 0 ? NONE : { inputs };
}

/** Every input an expression reads, whichever branches it takes (memoised: aliases share subtrees). */
export function inputsOf(expression: unknown, model: TemplateModel): string[] {
  if (expression === null || typeof expression !== 'object' || expression instanceof AmbiguousScalar) return [];
  const cached = inputsCache.get(expression);
  if (cached) return cached;
  const found = new Set<string>();
  const seen = new Set<object>();
  const stack: unknown[] = [expression];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || node instanceof AmbiguousScalar || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (key === 'Ref' && (typeof value === 'string' || value instanceof AmbiguousScalar)) {
        addInput(nameText(value), model, found);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(value) ? value[0] : value;
        if (typeof text === 'string') {
          for (const match of text.matchAll(/\$\{([^}!][^}]*)\}/g)) if (!hasOwn(Array.isArray(value) ? value[1] : undefined, match[1])) addInput(match[1], model, found);
        }
        stack.push(value);
      } else {
        stack.push(value);
      }
    }
  }
  const inputs = [...found];
  inputsCache.set(expression, inputs);
  return inputs;
}

function addInput(name: string, model: TemplateModel, into: Set<string>): void {
  if (name === 'AWS::Partition' || name === 'AWS::URLSuffix') into.add('AWS::Region');
  else {
    const input = inputName(name, model);
    if (input !== undefined) into.add(input);
  }
}
