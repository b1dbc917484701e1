import type { PropertyValue, Qualification, SetRule } from '../rule';
import { emptyDependencies, mergeDependencies, type Analyzer, type Dependencies } from './analyze';
import { attempt, describeAssignment, explore, openInputs, readingsOf, MAX_SCENARIOS } from './decide';
import { classifyInputs, type InputOptions, type InputSpec } from './inputs';
import { evaluate, evaluateCondition, evaluateDeep, type RunBudget, type Scope } from './intrinsics';
import { isObject, type TemplateModel } from './model';
import { provenance } from './observe';
import { DeployFailure, NO_VALUE, Unknown, isUnknown, own } from './values';

/** What one template does for a set rule, over every deployment it permits. */
export type SetDecision =
  /** In every deployment some resource qualifies; `qualifying` are those that did. */
  | { status: 'pass'; qualifying: { logicalId: string; note?: string }[]; dependencies: Dependencies; inputs: Map<string, InputSpec> }
  /** Some deployment (`when`) creates no qualifying resource; `lacks` says what each candidate lacks there. */
  | { status: 'fail'; when: Record<string, string>; readings: string[]; lacks: Map<string, string>; dependencies: Dependencies; inputs: Map<string, InputSpec> }
  | { status: 'unknown'; reasons: string[]; dependencies: Dependencies; inputs: Map<string, InputSpec> };

/**
 * Decides whether every deployment of a template creates at least one resource of the rule's type that
 * qualifies. The deployments are explored as for a property rule (the same rounds, learning and coverage):
 * `pass` only when the inputs read are covered.
 */
export function decideSet(model: TemplateModel, analyzer: Analyzer, rule: SetRule, options: InputOptions, budget: RunBudget): SetDecision {
  const ids = model.idsByType.get(rule.resourceType) ?? [];
  const dependencies = emptyDependencies();
  for (const logicalId of ids) {
    const resource = own(model.resources, logicalId) as Record<string, unknown>;
    const condition = own(resource, 'Condition');
    for (const name of rule.properties) mergeDependencies(dependencies, analyzer.property(own(resource, 'Properties'), name, ['Resources', logicalId, 'Properties']));
    if (typeof condition === 'string') mergeDependencies(dependencies, analyzer.condition(condition, ['Resources', logicalId, 'Condition']));
  }
  const inputs = classifyInputs(model, dependencies, options);
  const base = { dependencies, inputs };
  if (ids.length === 0) return { ...base, status: 'fail', when: {}, readings: [], lacks: new Map() };

  const qualifying = new Map<string, string | undefined>();
  const unknownReasons = new Set<string>();
  const exploration = explore(model, inputs, budget, (scope, record) => {
    const lacks = new Map<string, string>();
    let unknown: string | undefined;
    for (const logicalId of ids) {
      const resource = own(model.resources, logicalId) as Record<string, unknown>;
      const condition = own(resource, 'Condition');
      const exists = typeof condition === 'string' ? attempt(() => evaluateCondition(condition, scope)) : true;
      if (exists === false || exists instanceof DeployFailure) {
        lacks.set(logicalId, exists === false ? `it is not created (Condition ${String(condition)} is false)` : `its deployment fails: ${exists.message}`);
        continue;
      }
      const verdict = attempt(() => qualification(own(resource, 'Properties'), rule, scope));
      if (verdict instanceof DeployFailure) {
        lacks.set(logicalId, `its deployment fails: ${verdict.message}`);
        continue;
      }
      if (isUnknown(verdict)) {
        unknown ??= verdict.reason;
        continue;
      }
      if (!verdict.qualifies) {
        lacks.set(logicalId, verdict.lacks);
        continue;
      }
      if (isUnknown(exists)) {
        unknown ??= `${exists.reason} (it decides whether ${logicalId} exists)`;
        continue;
      }
      qualifying.set(logicalId, verdict.note);
      record('created');
      return undefined;
    }
    record('created');
    if (unknown !== undefined) {
      unknownReasons.add(unknown);
      return undefined;
    }
    return lacks;
  });
  if (exploration.found) {
    const { outcome, assignment } = exploration.found;
    return { ...base, status: 'fail', when: describeAssignment(inputs, assignment), readings: readingsOf(assignment), lacks: outcome };
  }
  const reasons = [...unknownReasons];
  if (exploration.stopped) reasons.push(exploration.stopped);
  if (exploration.truncated) reasons.push(`${exploration.total} combinations of inputs; only ${MAX_SCENARIOS} were tried`);
  reasons.push(...openInputs(exploration.free, exploration.logs, 'created', exploration.converged));
  if (exploration.tried === 0) reasons.push('no deployment could be tried: an input has no value CloudFormation would accept');
  if (reasons.length > 0) return { ...base, status: 'unknown', reasons: [...new Set(reasons)] };
  return { ...base, status: 'pass', qualifying: [...qualifying].map(([logicalId, note]) => ({ logicalId, ...(note !== undefined && { note }) })) };
}

/** Reads the rule's properties of one resource in full (event selectors are lists of mappings) and asks the rule. */
function qualification(properties: unknown, rule: SetRule, scope: Scope): Qualification | Unknown {
  const resolved = evaluate(properties, scope);
  if (isUnknown(resolved)) return resolved;
  if (!isObject(resolved)) return rule.qualifies({});
  const values: Record<string, PropertyValue> = {};
  for (const name of rule.properties) {
    const expression = own(resolved, name);
    const value = expression === undefined ? undefined : evaluateDeep(expression, scope);
    if (isUnknown(value)) return value;
    observeLeaves(expression, rule.significantValues, scope);
    Object.defineProperty(values, name, { value: value === undefined || value === NO_VALUE ? { present: false } : { present: true, value }, enumerable: true });
  }
  return rule.qualifies(values);
}

/** Every input that is a value somewhere inside a property is tried with the rule's significant values. */
function observeLeaves(expression: unknown, significant: readonly string[], scope: Scope, depth = 0): void {
  if (expression === undefined || depth > 50) return;
  if (Array.isArray(expression)) {
    for (const item of expression) observeLeaves(item, significant, scope, depth + 1);
    return;
  }
  if (isObject(expression)) {
    const keys = Object.keys(expression);
    if (!(keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::')))) {
      for (const key of keys) observeLeaves(expression[key], significant, scope, depth + 1);
      return;
    }
  }
  const source = provenance(expression, scope);
  if (source.identity !== undefined) for (const value of significant) scope.observations.push({ kind: 'equals', input: source.identity, value });
  else if (source.inputs.length > 0) scope.observations.push({ kind: 'opaque', inputs: source.inputs, why: 'reaches a checked property through string functions' });
}
