import * as path from 'node:path';
import { ALL_RULES, DEFAULT_RULE_IDS, RULES, SET_RULES } from '../rules';
import { Code } from './codes';
import { Analyzer } from './evaluate/analyze';
import { decideProperty, type Decision } from './evaluate/decide';
import { constraintsOf, fixedValues } from './evaluate/inputs';
import { newRunBudget, type RunBudget } from './evaluate/intrinsics';
import { TemplateError, buildModel, parameterDeclarations, isObject, type TemplateModel } from './evaluate/model';
import { own } from './evaluate/values';
import { explainDecision } from './explain';
import { InternalError } from './internal-error';
import { RunLimits, tooManyOfType } from './limits';
import { judgeSetRules, selectedSetRules, type JudgedTemplate } from './lint-set';
import { loadTemplate } from './load/load-template';
import { sourcesOfPaths } from './load/paths';
import { InputReader } from './load/read-file';
import type { TemplateSource } from './load/source';
import { DeploymentGraph } from './nested/cycles';
import { deploysTemplates } from './nested/references';
import { childInstance, deployedBy, identityOf, type DeployedTemplate, inputsKey, inputsOf, namedInstance, type InstanceInputs, type TemplateInstance } from './nested/instances';
import type { PropertyRule } from './rule';
import { findSuppression } from './suppressions';
import type { InputErrorRecord, InputWarningRecord, LintOptions, LintReport, SourcePosition, Summary, TemplatePath, TrailResult } from './types';
import { TOOL } from './version';

export type { TemplateSource } from './load/source';

/** The resource types the rules report on: their positions are wanted for every one of them. */
const REPORTED_TYPES: ReadonlySet<string> = new Set(ALL_RULES.map((rule) => rule.resourceType));
/** The resource types set rules read: a loop that may write one leaves a set rule's verdict open. */
const SET_RULE_TYPES: ReadonlySet<unknown> = new Set(SET_RULES.map((rule) => rule.resourceType));

/** Lints files, directories (recursively) and CDK cloud assemblies; `files` reads every file of the run. */
export function lintPaths(paths: string[], options: LintOptions = {}, files: InputReader = new InputReader()): LintReport {
  const { sources, errors } = sourcesOfPaths(paths, options, files);
  const report = lintSources(sources, options, files);
  report.errors.unshift(...errors.map((error) => ({ ...error, file: displayPath(error.file, options) })));
  report.summary.errors = report.errors.length;
  return report;
}

/** More instances than this (nested templates reached by many paths) end the run with an input error. */
export const MAX_TEMPLATE_INSTANCES = 50_000;
/** Nested stacks deeper than this are an input error: each level carries its whole chain of parents. */
export const MAX_NESTING_DEPTH = 100;

/**
 * Lints the sources, then every template they deploy, per instance: a nested template is judged with what its
 * parent resource passes, once for each distinct set of inputs (an instance with inputs seen before is not
 * evaluated again), and standalone as well when the user named it. Results that say the same about the same
 * trail are reported once: the first (standalone before nested, outer before inner) is kept.
 */
export function lintSources(sources: TemplateSource[], options: LintOptions = {}, files: InputReader = new InputReader()): LintReport {
  const display = displayPaths(options);
  const results: TrailResult[] = [];
  const errors: InputErrorRecord[] = [];
  const reported = new Set<string>();
  const firstTime = (key: string) => !reported.has(key) && reported.add(key) !== undefined;
  const addError = (error: InputErrorRecord) => firstTime(JSON.stringify(['error', error.file, error.line, error.column, error.message])) && errors.push(error);
  const evaluations = new Map<string, InstanceOutcome>();
  const deploys = new DeploymentGraph<InputErrorRecord>();
  const budget = newRunBudget();
  const limits = new RunLimits();
  const instances = new Set<string>();
  const inherited = new Map<TemplateInstance, LintOptions>();
  const queue = sources.map(namedInstance);
  for (let next = 0; next < queue.length; next++) {
    const instance = queue[next];
    const file = display(instance.source.file);
    // Options per template (the config file) apply to the templates named; a nested stack keeps its parent's.
    const own = inherited.get(instance) ?? (options.optionsFor && instance.deployed === undefined ? { ...options, ...options.optionsFor(instance.source.file) } : options);
    const inputs = inputsOf(instance, own);
    const identity = identityOf(instance);
    const evaluationKey = `${identity}\u0000${inputsKey(inputs)}\u0000${instance.environment ?? ''}`;
    const instanceKey = `${evaluationKey}\u0000${instance.stack ?? ''}`;
    if (instances.has(instanceKey)) continue;
    if (instances.size === MAX_TEMPLATE_INSTANCES) {
      errors.push({ file, code: Code.TooManyInstances, message: `more than ${MAX_TEMPLATE_INSTANCES} template instances (nested stacks reached by many paths): the rest are not linted` });
      break;
    }
    instances.add(instanceKey);
    // Every instance counts, evaluated or not: a template reached by many paths reports once per path.
    const reached = limits.reached();
    if (reached) {
      errors.push({ file, code: Code.RunLimitReached, message: reached });
      break;
    }
    let outcome = evaluations.get(evaluationKey);
    if (!outcome) {
      evaluations.set(evaluationKey, (outcome = lintReportingCrash(instance, own, file, inputs, budget, files)));
      outcome.identity = identity;
      outcome.named = inputs.named;
    }
    // Set rules credit an evaluation's trails to its account when some instance of it is in every deployment.
    if (!instance.deployed?.conditional && !instance.deployed?.elsewhere) outcome.everyDeployment = true;
    const shownResults: TrailResult[] = [];
    for (const result of outcome.results) {
      const shown: TrailResult = { ...result };
      if (instance.stack !== undefined) shown.stack = instance.stack;
      if (instance.deployed) shown.deployedBy = instance.deployed.by;
      if (firstTime(resultKey(shown))) shownResults.push(shown);
    }
    results.push(...shownResults);
    const errorsBefore = errors.length;
    outcome.errors.forEach(addError);
    limits.count(shownResults, errors.slice(errorsBefore));
    for (const { child, position } of outcome.nested) {
      const deployed = childInstance(instance, file, child, position);
      inherited.set(deployed, own);
      const cycle: InputErrorRecord = { file, ...position, code: Code.NestedStackCycle, message: `nested stack ${child.logicalId}: nested stacks form a cycle back to ${path.basename(child.source.file)}` };
      const deployedIdentity = identityOf(deployed);
      deploys.add(identity, deployedIdentity, cycle, cycle.message);
      if (deployed.deployed!.parents.length > MAX_NESTING_DEPTH) {
        addError({ file, ...position, code: Code.NestingTooDeep, message: `nested stack ${child.logicalId}: nested stacks deeper than ${MAX_NESTING_DEPTH} levels are not followed` });
        continue;
      }
      // A cycle: reported below, from the whole graph (instances seen before are not followed again).
      if (!deployed.deployed!.parents.includes(deployedIdentity)) queue.push(deployed);
    }
  }
  deploys.cycles().forEach(addError);
  const outcomes = [...evaluations.values()];
  // The deployer's values reach the named templates only: a key only a nested template declares is refused too.
  errors.unshift(...undeclaredParameters(outcomes.filter((outcome) => outcome.named), options));
  results.push(...judgeSetRules(judgedForSetRules(outcomes), options, budget));
  // A template evaluated with several sets of inputs is read each time: its warnings are given once.
  const warnings = [...new Map(outcomes.flatMap((outcome) => outcome.warnings).map((warning) => [`${warning.file}:${warning.line}:${warning.column}:${warning.code}`, warning])).values()];
  return { tool: TOOL, results, errors, warnings, summary: summarize(results, errors) };
}

/**
 * The templates set rules judge together: each evaluation, except the standalone one of a template a parent also
 * deploys — there it is counted as the parent deploys it (read standalone, it would add trails no deployment has).
 */
function judgedForSetRules(outcomes: InstanceOutcome[]): JudgedTemplate[] {
  const deployed = new Set(outcomes.filter((outcome) => !outcome.named).map((outcome) => outcome.identity));
  // A template deployed only under a Condition, or by a StackSet into other accounts, credits no account with its trails.
  return outcomes.flatMap((outcome) => (outcome.judged && outcome.everyDeployment && !(outcome.named && deployed.has(outcome.identity)) ? [outcome.judged] : []));
}

interface InstanceOutcome {
  results: TrailResult[];
  errors: InputErrorRecord[];
  warnings: InputWarningRecord[];
  /** The templates this one deploys, with what it passes them, and where it names them. */
  nested: { child: DeployedTemplate; position: SourcePosition }[];
  /** Which template was evaluated (identityOf), and whether as the user named it. */
  identity?: string;
  named?: boolean;
  /** The parameters the template declares. */
  declared: Set<string>;
  /** The template as set rules read it, once it was read without error. */
  judged?: JudgedTemplate;
  /** Some instance of it is deployed in every deployment of its parents, into their account. */
  everyDeployment?: boolean;
}

/** The property rules a run applies. */
function selectedRules(options: LintOptions) {
  const ids = options.rules ?? DEFAULT_RULE_IDS;
  return RULES.filter((rule) => ids.includes(rule.id));
}

/** CloudFormation refuses a value its parameter's constraints refuse: the deployment never happens. */
function checkGivenValues(model: TemplateModel, given: Record<string, string>): void {
  for (const [name, parameter] of model.parameters) {
    if (!Object.hasOwn(given, name)) continue;
    const refusal = constraintsOf(parameter).refusal(given[name]);
    if (refusal !== undefined) throw new TemplateError(Code.ParameterValueRefused, `the value ${JSON.stringify(given[name])} given for parameter ${name} is refused: ${refusal}`, ['Parameters', name]);
  }
}

/** A given parameter no linted template declares is refused by CloudFormation (a misspelt key would let a Default decide). */
function undeclaredParameters(outcomes: InstanceOutcome[], options: LintOptions): InputErrorRecord[] {
  if (outcomes.length === 0) return [];
  const declared = new Set(outcomes.flatMap((outcome) => [...outcome.declared]));
  const given = [...Object.keys(options.parameters ?? {}), ...(options.previousParameters ?? [])];
  return given
    .filter((name) => !declared.has(name))
    .map((name) => ({ file: '--parameters', code: Code.ParameterUndeclared, message: `parameter ${name} is declared by no linted template (CloudFormation refuses a parameter the template does not declare)` }));
}

/** Two results that say the same about the same trail (its instance aside) are one finding. */
function resultKey(result: TrailResult): string {
  const { file, stack, logicalId, ruleId, status, message, when, because, line, column } = result;
  return JSON.stringify([file, stack ?? null, logicalId, ruleId, status, message, when ?? null, because ?? null, line, column]);
}

export function summarize(results: TrailResult[], errors: InputErrorRecord[]): Summary {
  const summary: Summary = { pass: 0, fail: 0, unknown: 0, skip: 0, suppressed: 0, errors: errors.length };
  for (const result of results) summary[result.status]++;
  return summary;
}

function displayPath(file: string, options: LintOptions): string {
  const relative = path.relative(options.cwd ?? process.cwd(), path.resolve(file));
  return (relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(file) : relative).split(path.sep).join('/');
}

/**
 * displayPath per directory: the files of a directory share it, and path.relative is slow while Node's path
 * code is still cold, which it is for all of a short run.
 */
function displayPaths(options: LintOptions): (file: string) => string {
  const directories = new Map<string, string>();
  return (file) => {
    const directory = path.dirname(file);
    let shown = directories.get(directory);
    if (shown === undefined) directories.set(directory, (shown = displayPath(directory, options)));
    return shown === '' || shown.endsWith('/') ? `${shown}${path.basename(file)}` : `${shown}/${path.basename(file)}`;
  };
}

/** lintInstance, with the file it was linting on any exception: none is expected, and the CLI names the file. */
function lintReportingCrash(instance: TemplateInstance, options: LintOptions, file: string, inputs: InstanceInputs, budget: RunBudget, files: InputReader): InstanceOutcome {
  try {
    return lintInstance(instance, options, file, inputs, budget, files);
  } catch (error) {
    throw new InternalError(file, error);
  }
}

/** Evaluates one instance with `inputs`. `file` is the source's path as reports show it. */
function lintInstance(instance: TemplateInstance, options: LintOptions, file: string, inputs: InstanceInputs, budget: RunBudget, files: InputReader): InstanceOutcome {
  const { source } = instance;
  const outcome: InstanceOutcome = { results: [], errors: [], warnings: [], nested: [], declared: new Set() };
  const { errors } = outcome;
  const embedded = instance.deployed?.embedded;
  const loaded = loadTemplate(source, files, REPORTED_TYPES, embedded !== undefined);
  if ('skipped' in loaded) return outcome;
  if ('failure' in loaded) {
    errors.push(embeddedError(instance, { file, ...loaded.position, code: loaded.code, message: loaded.failure }));
    return outcome;
  }
  const { body, sourceMap } = loaded;
  outcome.warnings = loaded.warnings.map((warning) => ({ file, ...warning }));
  const templateResults: TrailResult[] = [];
  let locate = (at: TemplatePath) => sourceMap?.locate(body, at) ?? { line: 1, column: 1 };
  try {
    // No prototype: a parameter named `toString` or `constructor` is data, not a method.
    const parameters: Record<string, string> = Object.assign(Object.create(null), inputs.parameters);
    const declarations = parameterDeclarations(body);
    const unfixed = new Set(inputs.allFree ? declarations.keys() : inputs.unfixed);
    const inputOptions = { parameters, previous: new Set(inputs.previous), region: inputs.region, strict: inputs.strict, unfixed };
    // Loops are expanded, and nested stacks passed values, by what fixes a parameter in every deployment.
    const fixedValue = fixedValues(declarations, inputOptions);
    const model = buildModel(body, fixedValue, declarations);
    const tooMany = tooManyOfType(model.idsByType, REPORTED_TYPES);
    if (tooMany) throw new TemplateError(Code.TooManyReportedResources, tooMany, ['Resources']);
    for (const name of model.parameters.keys()) outcome.declared.add(name);
    if (inputs.named) checkGivenValues(model, parameters);
    // Resources generated by Fn::ForEach are located where their loop writes them.
    const locateWritten = locate;
    locate = (at) => {
      const origin = at[0] === 'Resources' ? model.origins.get(String(at[1])) : undefined;
      return locateWritten(origin ? [...origin, ...at.slice(2)] : at);
    };
    const analyzer = new Analyzer(model);
    analyzer.checkAllConditions();
    const acknowledgements = source.cdk?.acknowledgements;
    const rules = selectedRules(options);
    for (const rule of rules) {
      for (const logicalId of model.idsByType.get(rule.resourceType) ?? []) {
        const resource = model.resources[logicalId] as Record<string, unknown>;
        const decision = decideProperty(model, analyzer, logicalId, rule, inputOptions, budget);
        const result = toResult(rule, decision, model, logicalId, instance, file, locate, sourceMap !== undefined, unfixed);
        const lookup = findSuppression(resource, logicalId, [rule.id, ...rule.aliases], own(acknowledgements, logicalId) as { id: string; reason: string }[] | undefined);
        if (lookup.error) throw new TemplateError(lookup.error.code, lookup.error.message, lookup.error.path);
        if (lookup.suppression && (result.status === 'fail' || result.status === 'unknown')) {
          result.status = 'suppressed';
          result.suppression = lookup.suppression;
        }
        templateResults.push(result);
      }
      for (const loop of model.unresolvedLoops) {
        // A loop that does not write its Type writes any type; one that writes stacks hides what they deploy.
        if (loop.type !== undefined && loop.type !== rule.resourceType && !deploysTemplates(loop.type)) continue;
        const message = `${rule.noun} ${loop.logicalId}: cannot tell whether it ${rule.compliantBehaviour}: ${loop.reason}`;
        templateResults.push(unreadResult(rule, file, loop.logicalId, locate(loop.path), message, loop.reason, rule.fix));
      }
    }
    const deploys = deployedBy(model, instance, fixedValue);
    for (const child of deploys.children) outcome.nested.push({ child, position: locate(child.at) });
    for (const hidden of deploys.unread) {
      // For the rules the run applies: a registered rule nobody chose has nothing to say.
      for (const rule of rules) {
        const message = `${hidden.what} ${hidden.logicalId}: its ${rule.nounPlural} cannot be checked: ${hidden.reason}`;
        templateResults.push(unreadResult(rule, file, hidden.logicalId, locate(hidden.at), message, hidden.reason, hidden.fix));
      }
    }
    for (const missing of deploys.missing) errors.push({ file, ...locate(missing.at), code: Code.NestedStackNoFile, message: missing.message });
    // Kept to the end of the run only when a set rule will read it: a model holds the whole parsed template.
    if (selectedSetRules(options).length > 0) {
      const unread = model.unresolvedLoops.filter((loop) => loop.type === undefined || SET_RULE_TYPES.has(loop.type) || deploysTemplates(loop.type)).map((loop) => `${loop.logicalId}: ${loop.reason}`);
      outcome.judged = { model, analyzer, inputs: inputOptions, file, locate, stack: instance.stack, environment: instance.environment, acknowledgements, unread };
    }
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    // CloudFormation rejects the whole template: no verdict for any of its trails.
    errors.push(embeddedError(instance, { file, ...locate(error.path), code: error.code, message: error.message }));
    return outcome;
  }
  outcome.results = embedded ? templateResults.map((result) => embeddedResult(embedded, result)) : templateResults;
  return outcome;
}

/** A result inside an embedded template, placed on the parent's line that holds it; its own line leads the reasons. */
function embeddedResult(embedded: { logicalId: string; at: SourcePosition }, result: TrailResult): TrailResult {
  const where = `in the TemplateBody of ${embedded.logicalId}: line ${result.line}, column ${result.column} of it`;
  return { ...result, ...embedded.at, because: [where, ...(result.because ?? [])] };
}

function embeddedError(instance: TemplateInstance, error: InputErrorRecord): InputErrorRecord {
  const embedded = instance.deployed?.embedded;
  if (!embedded) return error;
  const inner = error.line === undefined ? '' : ` (line ${error.line}, column ${error.column} of it)`;
  return { file: error.file, ...embedded.at, code: error.code, message: `TemplateBody of ${embedded.logicalId}${inner}: ${error.message}` };
}

/** An `unknown` result for what the template does not let the engine read (a loop, a remote nested stack). */
function unreadResult(rule: PropertyRule, file: string, logicalId: string, position: SourcePosition, message: string, reason: string, fix: string): TrailResult {
  return { ruleId: rule.id, status: 'unknown', file, logicalId, ...position, message, because: [reason], fix };
}

function toResult(
  rule: PropertyRule,
  decision: Decision,
  model: TemplateModel,
  logicalId: string,
  instance: TemplateInstance,
  file: string,
  locate: (at: TemplatePath) => { line: number; column: number },
  hasPositions: boolean,
  replacedDefaults: ReadonlySet<string>,
): TrailResult {
  const resource = model.resources[logicalId] as Record<string, unknown>;
  const properties = resource.Properties;
  const propertyPath = ['Resources', logicalId, 'Properties', rule.property];
  const anchor = isObject(properties) && rule.property in properties ? propertyPath : ['Resources', logicalId];
  const { line, column } = locate(anchor);
  const metadata = isObject(resource.Metadata) ? resource.Metadata : {};
  const constructPath = typeof metadata['aws:cdk:path'] === 'string' ? metadata['aws:cdk:path'] : own(instance.source.cdk?.constructPaths, logicalId) as string | undefined;
  const subject = `${rule.noun} ${logicalId}`;
  const message = {
    pass: `${subject} ${rule.compliantBehaviour}`,
    fail: `${subject} ${rule.violationBehaviour}: ${decision.problem}`,
    unknown: `${subject}: cannot tell whether it ${rule.compliantBehaviour}: ${decision.reasons[0]}`,
    skip: `${subject} is created in no deployment: ${decision.reasons[0]}`,
  }[decision.status];
  const result: TrailResult = {
    ruleId: rule.id,
    status: decision.status,
    file,
    logicalId,
    ...(instance.stack !== undefined && { stack: instance.stack }),
    ...(constructPath !== undefined && { constructPath }),
    line,
    column,
    message,
  };
  if (decision.when && Object.keys(decision.when).length > 0) result.when = decision.when;
  if (decision.status === 'fail' || decision.status === 'unknown') {
    const lineOf = (at: TemplatePath) => (hasPositions ? locate(at).line : undefined);
    result.because = explainDecision(decision, model, logicalId, rule, lineOf, replacedDefaults, instance.deployed !== undefined);
    result.fix = rule.fix;
  }
  return result;
}
