import { Code } from '../codes';
import type { PropertyRule, PropertyValue } from '../rule';
import { Analyzer, mergeDependencies, type Dependencies } from './analyze';
import { classifyInputs, type Domain, type InputOptions, type InputSpec } from './inputs';
import { EvaluationTooLarge, MAX_EVALUATION_STEPS, evaluate, evaluateCondition, evaluateMember, newRunBudget, type RunBudget, type Scope } from './intrinsics';
import { TemplateError, isObject, type TemplateModel } from './model';
import { provenance, type Observation } from './observe';
import { DeployFailure, NO_VALUE, Unknown, isUnknown, nameText, own, stringForm } from './values';

/** Deployments tried per resource before the verdict becomes `unknown` (never `pass`). */
export const MAX_SCENARIOS = 20_000;
/** Longest value a `when` shows in full. */
const MAX_SHOWN_VALUE = 1024;
/** Rounds of "try the candidates, learn from what was observed": past it the domains are not shown complete. */
const MAX_ROUNDS = 8;

const KNOWN_TRANSFORMS = new Set(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions']);

export interface Decision {
  status: 'pass' | 'fail' | 'unknown' | 'skip';
  /** fail: the inputs of one failing deployment; the check's complaint. */
  when?: Record<string, string>;
  problem?: string;
  /** unknown: why no verdict could be reached; skip: why the resource is never created. */
  reasons: string[];
  /** fail: how the YAML scalars that 1.1 and 1.2 read differently were read in the failing deployment. */
  readings?: string[];
  dependencies: Dependencies;
  inputs: Map<string, InputSpec>;
  /** How many deployments were tried, and how many there were. */
  tried: number;
  total: number;
}

/** What one input's observations say, in each part of the deployments. */
export interface InputLog {
  pending: Observation[];
  /** Where it was read: the resource's Condition, its properties where it may exist, where it cannot. */
  inCondition: boolean;
  inValueWhereCreated: boolean;
  inValueWhereAbsent: boolean;
  /** Why the values tried may not cover it (a read through string functions), per part. */
  opaqueInCondition?: string;
  opaqueWhereCreated?: string;
  opaqueWhereAbsent?: string;
}

export type Part = 'condition' | 'created' | 'absent';

export interface Free {
  name: string;
  domain: Domain;
}

/**
 * Decides whether a resource's properties are compliant in every deployment that creates the resource. The
 * free inputs that its Condition and properties depend on are tried in every combination of their candidate
 * values; what each deployment observes of an input (the values it is compared with, the keys it is looked up
 * by) adds candidates, until nothing new is learnt. `pass` and `skip` are given only when the candidates are
 * shown to cover every value each input may take; otherwise `unknown`, unless a failing deployment was found.
 */
export function decideProperty(
  model: TemplateModel,
  analyzer: Analyzer,
  logicalId: string,
  rule: Pick<PropertyRule, 'property' | 'relatedProperties' | 'significantValues' | 'check'>,
  options: InputOptions,
  budget: RunBudget = newRunBudget(),
): Decision {
  const resource = own(model.resources, logicalId);
  if (!isObject(resource)) throw new TemplateError(Code.ResourceInvalid, `resource ${logicalId} must be a mapping`, ['Resources', logicalId]);
  const resourcePath = ['Resources', logicalId];
  const condition = own(resource, 'Condition');
  if (condition !== undefined && typeof condition !== 'string') {
    throw new TemplateError(Code.ConditionNameInvalid, 'Condition must name a condition', [...resourcePath, 'Condition']);
  }
  const properties = own(resource, 'Properties');
  const names = [rule.property, ...(rule.relatedProperties ?? [])];
  const dependencies = analyzer.property(properties, rule.property, [...resourcePath, 'Properties']);
  for (const name of names.slice(1)) mergeDependencies(dependencies, analyzer.property(properties, name, [...resourcePath, 'Properties']));
  if (condition !== undefined) mergeDependencies(dependencies, analyzer.condition(condition, [...resourcePath, 'Condition']));
  const inputs = classifyInputs(model, dependencies, options);
  const base = { dependencies, inputs, tried: 0, total: 0 };

  const macros = [
    ...model.transforms.filter((name) => !KNOWN_TRANSFORMS.has(name)).map((name) => `template Transform ${name}`),
    ...[...dependencies.macros].map((name) => `Fn::Transform ${name}`),
    ...([own(model.resources, 'Fn::Transform'), own(resource, 'Fn::Transform'), own(properties, 'Fn::Transform')].some((value) => value !== undefined)
      ? ['Fn::Transform above the property']
      : []),
  ];
  if (macros.length > 0) {
    return { ...base, status: 'unknown', reasons: macros.map((macro) => `${macro} is a macro that may rewrite this resource`) };
  }

  let created = false;
  /** A deployment that does not create the resource would give it a bad (or unknown) value. */
  let riskyWhereAbsent = false;
  const unknownReasons = new Set<string>();
  const deployFailures = new Set<string>();
  const exploration = explore(model, inputs, budget, (scope, record) => {
    const exists = condition === undefined ? true : attempt(() => evaluateCondition(condition, scope));
    record('condition');
    const value = attempt(() => checkProperties(properties, names, rule, scope));
    record(exists === false || exists instanceof DeployFailure ? 'absent' : 'created');
    if (value instanceof DeployFailure) deployFailures.add(value.message);
    if (exists instanceof DeployFailure) deployFailures.add(exists.message);
    if (exists === false || exists instanceof DeployFailure) {
      if (isUnknown(value) || (typeof value === 'object' && 'problem' in value)) riskyWhereAbsent = true;
      return undefined;
    }
    if (value instanceof DeployFailure) return undefined; // the deployment fails: it creates nothing
    created = true;
    if (isUnknown(value)) {
      unknownReasons.add(value.reason);
      return undefined;
    }
    if (!('problem' in value)) return undefined;
    if (isUnknown(exists)) {
      unknownReasons.add(`${exists.reason} (it decides whether the resource exists)`);
      return undefined;
    }
    return value.problem;
  });
  const { free, logs, tried, total, truncated, converged } = exploration;
  if (exploration.found) {
    return {
      ...base,
      tried,
      total,
      status: 'fail',
      when: describeAssignment(inputs, exploration.found.assignment),
      problem: exploration.found.outcome,
      reasons: [],
      readings: readingsOf(exploration.found.assignment),
    };
  }
  if (exploration.stopped) unknownReasons.add(exploration.stopped);

  const done = { ...base, tried, total };
  const reasons = [...unknownReasons];
  if (truncated) reasons.push(`${total} combinations of ${free.map((input) => input.name).join(', ')}; only ${MAX_SCENARIOS} were tried`);
  const open = (part: Part) => openInputs(free, logs, part, converged);
  const openWhereCreated = open('created');
  reasons.push(...openWhereCreated);
  const openCondition = open('condition');
  if (openCondition.length > 0 && (riskyWhereAbsent || open('absent').length > 0 || !created)) reasons.push(...openCondition);
  if (reasons.length > 0) return { ...done, status: 'unknown', reasons: [...new Set(reasons)] };
  if (tried === 0) {
    return { ...done, status: 'unknown', reasons: [`no deployment could be tried: ${emptyInputs(exploration.emptyInputs)} no value CloudFormation would accept`] };
  }
  if (!created) {
    const why = deployFailures.size > 0 ? [...deployFailures].map((failure) => `every deployment that would create it fails: ${failure}`) : [`condition ${condition} is false in every deployment`];
    return { ...done, status: 'skip', reasons: why };
  }
  return { ...done, status: 'pass', reasons: [] };
}

/** What exploring the deployments of a template found. */
export interface Exploration<T> {
  /** The first deployment whose visit returned an outcome (a failing one), with its inputs. */
  found?: { outcome: T; assignment: Map<string, unknown> };
  /** Why exploring stopped early (an evaluation or run budget spent). */
  stopped?: string;
  free: Free[];
  logs: Map<string, InputLog>;
  /** Inputs a deployment read that have no permitted value (their deployments do not exist). */
  emptyInputs: Set<string>;
  tried: number;
  total: number;
  truncated: boolean;
  converged: boolean;
}

/**
 * Visits deployments of a template, in rounds. A round walks the tree of choices the evaluation makes: the
 * first time a deployment reads a free input, every candidate value of it is a branch, so inputs a deployment
 * never reads (an `Fn::Or` already true, the branch `Fn::If` did not take) multiply nothing. What each deployment
 * observes of an input (the values it is compared with, the keys it is looked up by) adds candidates for the next
 * round, until nothing new is learnt. `visit` evaluates one deployment in `scope`, calls `record(part)` after each
 * part it evaluates (the observations so far belong to that part), and returns an outcome to stop.
 */
export function explore<T>(
  model: TemplateModel,
  inputs: Map<string, InputSpec>,
  budget: RunBudget,
  visit: (scope: Scope, record: (part: Part) => void, assignment: Map<string, unknown>) => T | undefined,
): Exploration<T> {
  const free: Free[] = [];
  for (const [name, spec] of inputs) if (spec.kind === 'free') free.push({ name, domain: spec.domain });
  const logs = new Map<string, InputLog>();
  const tried = new Set<string>();
  const result: Exploration<T> = { free, logs, emptyInputs: new Set(), tried: 0, total: 0, truncated: false, converged: false };

  rounds: for (let round = 0; round < MAX_ROUNDS; round++) {
    const candidates = new Map(free.map((input) => [input.name, input.domain.candidates()]));
    result.total = [...candidates.values()].reduce((product, values) => product * values.length, 1);
    /** The choices of the deployment being visited, in the order it read the inputs. */
    const choices: { name: string; values: unknown[]; index: number }[] = [];
    for (;;) {
      const assignment = new Map(choices.map((choice) => [choice.name, choice.values[choice.index]]));
      const choose = (name: string, values: readonly unknown[]): unknown => {
        if (assignment.has(name)) return assignment.get(name);
        if (values.length === 0) throw new NoPermittedValue(name);
        choices.push({ name, values: [...values], index: 0 });
        assignment.set(name, values[0]);
        return values[0];
      };
      const scope: Scope = {
        model,
        input: (name) => {
          const spec = inputs.get(name);
          return spec?.kind === 'free' ? choose(name, candidates.get(name) ?? []) : inputValue(name, inputs, assignment);
        },
        reading: (scalar) => {
          const name = `YAML ${scalar.text}`;
          if (!candidates.has(name)) {
            const readings = [...scalar.readings];
            free.push({ name, domain: { closed: true, candidates: () => readings, learn: () => false, incomplete: () => undefined, description: 'its YAML 1.1 and 1.2 readings' } });
            candidates.set(name, readings);
          }
          return choose(name, candidates.get(name)!);
        },
        conditions: new Map(),
        steps: MAX_EVALUATION_STEPS,
        budget,
        observations: [],
        depth: 0,
      };
      const record = (part: Part) => {
        recordObservations(logs, scope.observations, part);
        scope.observations = [];
      };
      try {
        const outcome = visit(scope, record, assignment);
        // By the candidates' positions, not their values: a value may be a string of megabytes.
        const key = JSON.stringify(choices.map((choice) => [choice.name, choice.index]));
        if (!tried.has(key)) {
          if (tried.size >= MAX_SCENARIOS) {
            result.truncated = true;
            break rounds;
          }
          tried.add(key);
          result.tried = tried.size;
        }
        if (outcome !== undefined) {
          // Inputs this deployment never read may take any value: their first candidate completes it.
          for (const input of free) if (!assignment.has(input.name)) assignment.set(input.name, candidates.get(input.name)?.[0]);
          result.found = { outcome, assignment };
          return result;
        }
      } catch (error) {
        if (error instanceof NoPermittedValue) {
          result.emptyInputs.add(error.input);
        } else if (error instanceof EvaluationTooLarge) {
          result.stopped = error.message;
          break rounds;
        } else throw error;
      }
      while (choices.length > 0 && choices[choices.length - 1].index === choices[choices.length - 1].values.length - 1) choices.pop();
      if (choices.length === 0) break;
      choices[choices.length - 1].index++;
    }
    let grew = false;
    for (const input of free) {
      const log = logs.get(input.name);
      if (!log || log.pending.length === 0) continue;
      if (input.domain.learn(log.pending.map((observation) => withOpenPeer(observation, free)))) grew = true;
      log.pending = [];
    }
    if (!grew) {
      result.converged = true;
      break;
    }
  }
  return result;
}

/**
 * A value another input took stays a plain constant unless that input is free and open: only then do the two
 * inputs' own fresh values try them unequal. A fixed or closed input's values are constants like any literal.
 */
function withOpenPeer(observation: Observation, free: Free[]): Observation {
  if (observation.kind !== 'equals' || observation.peer === undefined) return observation;
  const peer = free.find((input) => input.name === observation.peer);
  if (peer && !peer.domain.closed) return observation;
  return { kind: 'equals', input: observation.input, value: observation.value };
}

/** A deployment read an input that no value CloudFormation accepts can take: no such deployment exists. */
class NoPermittedValue extends Error {
  constructor(readonly input: string) {
    super(`${input} has no permitted value`);
  }
}

/** How the YAML scalars that 1.1 and 1.2 read differently were read in a deployment. */
export function readingsOf(assignment: Map<string, unknown>): string[] {
  return [...assignment].filter(([name]) => name.startsWith('YAML ')).map(([name, reading]) => `${name.slice(5)} read as ${JSON.stringify(reading)}`);
}

/** Runs `evaluate`, turning a failed deployment into a value. */
export function attempt<T>(evaluate: () => T): T | DeployFailure {
  try {
    return evaluate();
  } catch (error) {
    if (error instanceof DeployFailure) return error;
    throw error;
  }
}

type Checked = { compliant: true } | { problem: string } | Unknown;

/** Reads the rule's properties in one deployment, observes how inputs reach them, and checks them. */
function checkProperties(
  properties: unknown,
  names: string[],
  rule: Pick<PropertyRule, 'significantValues' | 'check'>,
  scope: Scope,
): Checked {
  const resolved = evaluate(properties, scope);
  if (isUnknown(resolved)) return resolved;
  const values: Record<string, PropertyValue> = {};
  for (const name of names) {
    const value = evaluateMember(resolved, name, scope);
    if (isUnknown(value)) return value;
    observeOutput(properties, name, rule.significantValues, scope);
    Object.defineProperty(values, name, { value: value === undefined || value === NO_VALUE ? { present: false } : { present: true, value }, enumerable: true });
  }
  const verdict = rule.check(values[names[0]], values);
  return verdict.compliant ? verdict : { problem: verdict.problem };
}

/** The check tells apart only its significant values: an input that is the property's value is tried with each. */
function observeOutput(properties: unknown, name: string, significant: readonly string[], scope: Scope): void {
  const expression = memberExpression(properties, name, scope);
  if (expression === undefined) return;
  const source = provenance(expression, scope);
  if (source.identity !== undefined) {
    for (const value of significant) scope.observations.push({ kind: 'equals', input: source.identity, value });
  } else if (source.inputs.length > 0) {
    scope.observations.push({ kind: 'opaque', inputs: source.inputs, why: 'reaches the property through string functions' });
  }
}

/** The expression a property is written as, in this deployment (through a Properties-level Fn::If). */
function memberExpression(properties: unknown, name: string, scope: Scope): unknown {
  if (!isObject(properties)) return undefined;
  const ifArguments = own(properties, 'Fn::If');
  if (Object.keys(properties).length === 1 && Array.isArray(ifArguments)) {
    const holds = scope.conditions.get(nameText(ifArguments[0]))?.value;
    if (holds === true || holds === false) return memberExpression(ifArguments[holds ? 1 : 2], name, scope);
    return properties;
  }
  return own(properties, name);
}

function recordObservations(logs: Map<string, InputLog>, observations: Observation[], part: Part): void {
  for (const observation of observations) {
    const names = observation.kind === 'opaque' ? observation.inputs : [observation.input];
    for (const name of names) {
      let log = logs.get(name);
      if (!log) logs.set(name, (log = { pending: [], inCondition: false, inValueWhereCreated: false, inValueWhereAbsent: false }));
      if (part === 'condition') log.inCondition = true;
      else if (part === 'created') log.inValueWhereCreated = true;
      else log.inValueWhereAbsent = true;
      if (observation.kind === 'opaque') setOpaque(log, part, observation.why);
      else log.pending.push(observation);
    }
  }
}

function setOpaque(log: InputLog, part: Part, why: string): void {
  if (part === 'condition') log.opaqueInCondition ??= why;
  else if (part === 'created') log.opaqueWhereCreated ??= why;
  else log.opaqueWhereAbsent ??= why;
}

/** The free inputs read in `part` whose tried values are not shown to cover every value, each with why. */
export function openInputs(free: Free[], logs: Map<string, InputLog>, part: Part, converged: boolean): string[] {
  const reasons: string[] = [];
  for (const input of free) {
    const log = logs.get(input.name);
    if (!log || input.domain.closed) continue;
    const read = part === 'condition' ? log.inCondition : part === 'created' ? log.inValueWhereCreated : log.inValueWhereAbsent;
    if (!read) continue;
    const opaque = part === 'condition' ? log.opaqueInCondition : part === 'created' ? log.opaqueWhereCreated : log.opaqueWhereAbsent;
    const why = opaque ?? input.domain.incomplete() ?? (converged ? undefined : `the values worth trying did not settle in ${MAX_ROUNDS} rounds`);
    if (why !== undefined) reasons.push(`${input.name} ${why}, so not every value it may take was tried`);
  }
  return reasons;
}

function emptyInputs(inputs: Set<string>): string {
  const empty = [...inputs];
  return empty.length > 0 ? `${empty.join(', ')} ${empty.length === 1 ? 'has' : 'have'}` : 'the inputs have';
}

function inputValue(name: string, inputs: Map<string, InputSpec>, assignment: Map<string, unknown>): unknown {
  const spec = inputs.get(name);
  if (!spec) return new Unknown(`${name} is not known`);
  if (spec.kind === 'fixed') return spec.value;
  if (spec.kind === 'external') return new Unknown(spec.reason);
  return assignment.get(name);
}

export function describeAssignment(inputs: Map<string, InputSpec>, assignment: Map<string, unknown>): Record<string, string> {
  const when: Record<string, string> = {};
  const set = (name: string, value: unknown) => {
    const text = Array.isArray(value) ? value.join(',') : stringForm(value);
    // A value of thousands of characters is shown by its start and length: every report repeats it.
    const shown = text.length > MAX_SHOWN_VALUE ? `${text.slice(0, 64)}… (${text.length} characters)` : text;
    Object.defineProperty(when, name, { value: shown, enumerable: true, writable: true, configurable: true });
  };
  for (const [name, spec] of inputs) {
    if (spec.kind === 'fixed') set(name, spec.value);
    else if (spec.kind === 'free') set(name, assignment.get(name));
  }
  return when;
}
