import type { PropertyCheck, PropertyValue } from '../rule';
import { Analyzer, mergeDependencies, type Dependencies } from './analyze';
import { EvaluationTooLarge, MAX_EVALUATION_STEPS, evaluate, evaluateCondition, evaluateMember, type Scope } from './intrinsics';
import { classifyInputs, type InputOptions, type InputSpec } from './inputs';
import { TemplateError, isObject, type TemplateModel } from './model';
import { DeployFailure, NO_VALUE, Unknown, isUnknown } from './values';

/** Deployments tried per resource before the verdict becomes `unknown` (never `pass`). */
export const MAX_SCENARIOS = 20_000;

const KNOWN_TRANSFORMS = new Set(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions']);

export interface Decision {
  status: 'pass' | 'fail' | 'unknown' | 'skip';
  /** fail: the inputs of one failing deployment; the check's complaint. */
  when?: Record<string, string>;
  problem?: string;
  /** unknown: why no verdict could be reached; skip: why the resource is never created. */
  reasons: string[];
  dependencies: Dependencies;
  inputs: Map<string, InputSpec>;
  /** How many deployments were tried, and how many there were. */
  tried: number;
  total: number;
}

/**
 * Decides whether a resource's property is compliant in every deployment that creates the resource:
 * every combination of the free inputs the resource's Condition and the property depend on is tried
 * (each input's candidates), until one fails or all are done.
 */
export function decideProperty(
  model: TemplateModel,
  analyzer: Analyzer,
  logicalId: string,
  property: string,
  check: (value: PropertyValue) => PropertyCheck,
  options: InputOptions,
): Decision {
  const resource = model.resources[logicalId];
  if (!isObject(resource)) throw new TemplateError(`resource ${logicalId} must be a mapping`, ['Resources', logicalId]);
  const resourcePath = ['Resources', logicalId];
  const condition = resource.Condition;
  if (condition !== undefined && typeof condition !== 'string') {
    throw new TemplateError('Condition must name a condition', [...resourcePath, 'Condition']);
  }
  const dependencies = analyzer.property(resource.Properties, property, [...resourcePath, 'Properties']);
  const valueInputs = new Set(dependencies.inputs);
  if (condition !== undefined) mergeDependencies(dependencies, analyzer.condition(condition, [...resourcePath, 'Condition']));
  const inputs = classifyInputs(model, dependencies, options);
  const base = { dependencies, inputs, tried: 0, total: 0 };

  const macros = [
    ...model.transforms.filter((name) => !KNOWN_TRANSFORMS.has(name)).map((name) => `template Transform ${name}`),
    ...[...dependencies.macros].map((name) => `Fn::Transform ${name}`),
    ...(['Fn::Transform' in model.resources, 'Fn::Transform' in resource, isObject(resource.Properties) && 'Fn::Transform' in resource.Properties]
      .some(Boolean) ? ['Fn::Transform above the property'] : []),
  ];
  if (macros.length > 0) {
    return { ...base, status: 'unknown', reasons: macros.map((macro) => `${macro} is a macro that may rewrite this resource`) };
  }

  const free = [...inputs].filter((entry): entry is [string, Extract<InputSpec, { kind: 'free' }>] => entry[1].kind === 'free');
  const total = free.reduce((product, [, spec]) => product * spec.candidates.length, 1);
  const limit = Math.min(total, MAX_SCENARIOS);
  const unknownReasons = new Set<string>();
  const deployFailures = new Set<string>();
  let created = false;
  let tried = 0;
  // Whether some deployment that does not create the resource would have given it a bad value: only then
  // can an input that decides the Condition, but was not tried in full, hide a failure.
  let violatesWhereAbsent = false;

  for (let n = 0; n < limit; n++) {
    const assignment = assignmentAt(n, free);
    const scope: Scope = { model, input: (name) => inputValue(name, inputs, assignment), conditions: new Map(), steps: MAX_EVALUATION_STEPS };
    tried++;
    try {
      const exists = condition === undefined ? true : evaluateCondition(condition, scope);
      if (exists === false) {
        violatesWhereAbsent ||= mayViolate(resource.Properties, property, scope, check);
        continue;
      }
      const value = readProperty(resource.Properties, property, scope);
      created = true; // only now: a deployment that fails to evaluate (a FindInMap miss) creates nothing
      if (isUnknown(value)) {
        unknownReasons.add(value.reason);
        continue;
      }
      const verdict = check(value);
      if (verdict.compliant) continue;
      if (isUnknown(exists)) {
        unknownReasons.add(`${exists.reason} (it decides whether the resource exists)`);
        continue;
      }
      return { ...base, tried, total, status: 'fail', when: describeAssignment(inputs, assignment), problem: verdict.problem, reasons: [] };
    } catch (error) {
      if (error instanceof EvaluationTooLarge) {
        unknownReasons.add(error.message);
        break;
      }
      if (!(error instanceof DeployFailure)) throw error;
      deployFailures.add(error.message);
    }
  }

  const reasons = [...unknownReasons];
  for (const [name, spec] of free) {
    if (!spec.exhaustive && (valueInputs.has(name) || violatesWhereAbsent)) reasons.push(`${name} reaches the value through string functions or a pattern, so not every value it may take was tried`);
  }
  if (total > limit) reasons.push(`${total} combinations of ${free.map(([name]) => name).join(', ')}; only ${limit} were tried`);
  if (reasons.length > 0) return { ...base, tried, total, status: 'unknown', reasons };
  if (!created) {
    const why = deployFailures.size > 0 ? [...deployFailures].map((failure) => `every deployment fails: ${failure}`) : [`condition ${condition} is false in every deployment`];
    return { ...base, tried, total, status: 'skip', reasons: why };
  }
  return { ...base, tried, total, status: 'pass', reasons: [] };
}

function mayViolate(properties: unknown, property: string, scope: Scope, check: (value: PropertyValue) => PropertyCheck): boolean {
  try {
    const value = readProperty(properties, property, scope);
    return isUnknown(value) || !check(value).compliant;
  } catch (error) {
    if (error instanceof DeployFailure) return false;
    if (error instanceof EvaluationTooLarge) return true;
    throw error;
  }
}

function readProperty(properties: unknown, property: string, scope: Scope): PropertyValue | Unknown {
  const resolved = evaluate(properties, scope);
  if (isUnknown(resolved)) return resolved;
  const value = evaluateMember(resolved, property, scope);
  if (isUnknown(value)) return value;
  return value === undefined || value === NO_VALUE ? { present: false } : { present: true, value };
}

// Mixed-radix counting, the last input changing fastest; index 0 of every input first (its Default, when it has one).
function assignmentAt(n: number, free: [string, { candidates: string[] }][]): Map<string, string> {
  const assignment = new Map<string, string>();
  let rest = n;
  for (let i = free.length - 1; i >= 0; i--) {
    const [name, { candidates }] = free[i];
    assignment.set(name, candidates[rest % candidates.length]);
    rest = Math.floor(rest / candidates.length);
  }
  return assignment;
}

function inputValue(name: string, inputs: Map<string, InputSpec>, assignment: Map<string, string>): string | Unknown {
  const spec = inputs.get(name);
  if (!spec) return new Unknown(`${name} is not known`);
  if (spec.kind === 'fixed') return spec.value;
  if (spec.kind === 'external') return new Unknown(spec.reason);
  return assignment.get(name)!;
}

function describeAssignment(inputs: Map<string, InputSpec>, assignment: Map<string, string>): Record<string, string> {
  const when: Record<string, string> = {};
  for (const [name, spec] of inputs) {
    if (spec.kind === 'fixed') when[name] = spec.value;
    else if (spec.kind === 'free') when[name] = assignment.get(name)!;
  }
  return when;
}
