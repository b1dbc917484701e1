import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_RULE_IDS, RULES } from '../rules';
import { Analyzer } from './evaluate/analyze';
import { decideProperty, type Decision } from './evaluate/decide';
import { newRunBudget, type RunBudget } from './evaluate/intrinsics';
import { own } from './evaluate/values';
import { judgeSetRules, type JudgedTemplate } from './lint-set';
import { constraintsOf } from './evaluate/inputs';
import { TemplateError, buildModel, parameterDeclarations, isObject, type TemplateModel } from './evaluate/model';
import { explainDecision } from './explain';
import { InternalError } from './internal-error';
import { RunLimits, tooManyMentions, tooManyOfType } from './limits';
import { discoverCloudAssembly, isCloudAssembly } from './load/cloud-assembly';
import { discover } from './load/discover';
import { SourceMap } from './load/positions';
import { InputReader } from './load/read-file';
import { isKnownNonTemplateName, isTemplate, parseTemplateText, readTemplateText } from './load/template-file';
import type { PropertyRule } from './rule';
import { UNREAD_FIXES, nestedStacks, passedInputs, type PassedInputs } from './nested-stacks';
import { findSuppression } from './suppressions';
import type { DeployedBy, InputErrorRecord, LintOptions, LintReport, SourcePosition, Summary, TemplatePath, TrailResult } from './types';
import { TOOL } from './version';

export interface TemplateSource {
  /** Path of the template file on disk (results show it relative to options.cwd). */
  file: string;
  /** Raw text if already read; else the file is read. */
  text?: string;
  /** An already-parsed template (CDK in-process): then there are no positions, and line/column are 1/1. */
  body?: unknown;
  /** CDK stack (artifact) name. */
  stack?: string;
  /** The stack artifact's environment, `aws://ACCOUNT/REGION` (cloud assemblies). */
  environment?: string;
  /** logicalId → construct path, where resources carry no `aws:cdk:path` metadata. */
  constructPaths?: Record<string, string>;
  /**
   * Values a parent passes (nested stack): they fix those inputs. A nested template (`parents` set) gets only
   * these; a template the user named gets these and `options.parameters`, as CloudFormation scopes them.
   */
  parameters?: Record<string, string>;
  /** logicalId → CDK acknowledged rules (`Validations.of(construct).acknowledge`). */
  acknowledgements?: Record<string, { id: string; reason: string }[]>;
  /** Named by the user: a file that is not a template is an error, not a skip. */
  explicit?: boolean;
  /** Found inside a cloud assembly: CDK's own files there (`manifest.json`, `*.assets.json`…) are not templates. */
  inCloudAssembly?: boolean;
  /** Local nested stacks are followed only inside this folder (default: the template's own folder). */
  root?: string;
  /** Parameters a parent sets to values the template cannot tell: their Defaults do not apply. */
  unfixedParameters?: string[];
  /** Real paths of the parent templates that led here, to stop at a cycle; set for every nested template. */
  parents?: string[];
  /** The parent's whole `Parameters` is computed: every parameter is free, none takes its Default. */
  allParametersFree?: boolean;
  /** Deployed by a StackSet into other accounts and Regions: `options.region` does not apply. */
  elsewhere?: boolean;
  /** The chain of parent resources that deploys this template, outermost first (files as reports show them). */
  deployedBy?: DeployedBy[];
  /** A cloud assembly's nested templates, by the logical ID of the parent's stack resource (found from its metadata). */
  nestedTemplates?: Map<string, TemplateSource>;
  /** A template written inside its parent (a StackSet's TemplateBody): results point at `at` in `file`. */
  embedded?: { logicalId: string; at: SourcePosition };
}

/** The resource types the rules report on: their positions are wanted for every one of them. */
const REPORTED_TYPES: ReadonlySet<string> = new Set(RULES.map((rule) => rule.resourceType));

/** Lints files, directories (recursively) and CDK cloud assemblies; `files` reads every file of the run. */
export function lintPaths(paths: string[], options: LintOptions = {}, files: InputReader = new InputReader()): LintReport {
  const found = discover(paths, (dir) => isCloudAssembly(dir, files));
  const excluded = (file: string) => options.isExcluded?.(file) ?? false;
  const errors = [...found.errors];
  const fromAssemblies: TemplateSource[] = [];
  const reached = new Set<string>();
  for (const dir of found.assemblies) {
    if (reached.has(path.resolve(dir, 'manifest.json'))) continue; // a stage assembly its parent's manifest names
    const assembly = discoverCloudAssembly(dir, files);
    fromAssemblies.push(...assembly.sources.filter(({ file }) => !excluded(file)));
    errors.push(...assembly.errors);
    for (const file of assembly.reached) reached.add(file);
  }
  // Every template file an assembly did not reach is linted as a loose file: a manifest never hides one.
  const sources: TemplateSource[] = found.files
    .filter(({ file }) => !reached.has(path.resolve(file)) && !excluded(file))
    .map(({ file, explicit, root, inCloudAssembly }) => ({ file, explicit: explicit && !options.skipNonTemplates, root, ...(inCloudAssembly && { inCloudAssembly }) }));
  if (options.stdin) sources.unshift({ file: options.stdin.file, text: options.stdin.text, explicit: true, root: path.dirname(path.resolve(options.stdin.file)) });
  const report = lintSources([...sources, ...fromAssemblies], options, files);
  report.errors.unshift(...errors.map((error) => ({ ...error, file: displayPath(error.file, options) })));
  report.summary.errors = report.errors.length;
  return report;
}

/** More instances than this (nested templates reached by many paths) end the run with an input error. */
export const MAX_TEMPLATE_INSTANCES = 50_000;

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
  const evaluations = new Map<string, SourceOutcome>();
  const deploys = new DeploymentGraph();
  const budget = newRunBudget();
  const limits = new RunLimits();
  const instances = new Set<string>();
  const inherited = new Map<TemplateSource, LintOptions>();
  const queue = [...sources];
  for (let next = 0; next < queue.length; next++) {
    const source = queue[next];
    const file = display(source.file);
    // Options per template (the config file) apply to the templates named; a nested stack keeps its parent's.
    const own = inherited.get(source) ?? (options.optionsFor && source.parents === undefined ? { ...options, ...options.optionsFor(source.file) } : options);
    const inputs = effectiveInputs(source, own);
    const evaluationKey = `${identityOf(source)}\u0000${inputsKey(inputs)}`;
    const instanceKey = `${evaluationKey}\u0000${source.stack ?? ''}`;
    if (instances.has(instanceKey)) continue;
    if (instances.size === MAX_TEMPLATE_INSTANCES) {
      errors.push({ file, message: `more than ${MAX_TEMPLATE_INSTANCES} template instances (nested stacks reached by many paths): the rest are not linted` });
      break;
    }
    instances.add(instanceKey);
    let outcome = evaluations.get(evaluationKey);
    if (!outcome) {
      const reached = limits.reached();
      if (reached) {
        errors.push({ file, message: reached });
        break;
      }
      evaluations.set(evaluationKey, (outcome = lintReportingCrash(source, own, file, inputs, budget, files)));
      limits.count(outcome.results, outcome.errors);
      outcome.identity = identityOf(source);
      outcome.named = inputs.named;
    }
    for (const result of outcome.results) {
      const instance: TrailResult = { ...result, ...(source.stack !== undefined && { stack: source.stack }) };
      if (source.deployedBy) instance.deployedBy = source.deployedBy;
      if (firstTime(resultKey(instance))) results.push(instance);
    }
    outcome.errors.forEach(addError);
    for (const child of outcome.nested) {
      const instance = nestedInstance(source, file, child);
      inherited.set(instance, own);
      deploys.add(identityOf(source), identityOf(instance), { file, ...child.position, message: cycleMessage(child) });
      // A cycle: reported below, from the whole graph (instances seen before are not followed again).
      if (!instance.parents!.includes(identityOf(instance))) queue.push(instance);
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
function judgedForSetRules(outcomes: SourceOutcome[]): JudgedTemplate[] {
  const deployed = new Set(outcomes.filter((outcome) => !outcome.named).map((outcome) => outcome.identity));
  return outcomes.flatMap((outcome) => (outcome.judged && !(outcome.named && deployed.has(outcome.identity)) ? [outcome.judged] : []));
}

function cycleMessage(child: NestedTemplate): string {
  return `nested stack ${child.logicalId}: nested stacks form a cycle back to ${path.basename(child.source.file)}`;
}

/** Which template deploys which: CloudFormation cannot deploy a cycle of nested stacks. */
class DeploymentGraph {
  private readonly edges = new Map<string, { child: string; error: InputErrorRecord }[]>();

  add(parent: string, child: string, error: InputErrorRecord): void {
    const edges = this.edges.get(parent) ?? [];
    if (!edges.some((edge) => edge.child === child && edge.error.message === error.message)) edges.push({ child, error });
    this.edges.set(parent, edges);
  }

  /** An error at each edge that closes a cycle (depth-first, iteratively: a chain of thousands is no deep recursion). */
  cycles(): InputErrorRecord[] {
    const found: InputErrorRecord[] = [];
    const state = new Map<string, 'open' | 'done'>();
    for (const start of this.edges.keys()) {
      if (state.has(start)) continue;
      const stack: { node: string; next: number }[] = [{ node: start, next: 0 }];
      state.set(start, 'open');
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        const edge = this.edges.get(top.node)?.[top.next++];
        if (!edge) {
          state.set(top.node, 'done');
          stack.pop();
        } else if (state.get(edge.child) === 'open') {
          found.push(edge.error);
        } else if (!state.has(edge.child)) {
          state.set(edge.child, 'open');
          stack.push({ node: edge.child, next: 0 });
        }
      }
    }
    return found;
  }
}

interface SourceOutcome {
  results: TrailResult[];
  errors: InputErrorRecord[];
  warnings: InputErrorRecord[];
  /** The templates this one deploys, with what it passes them. */
  nested: NestedTemplate[];
  /** Which template was evaluated (identityOf), and whether as the user named it. */
  identity?: string;
  named?: boolean;
  /** The parameters the template declares. */
  declared: Set<string>;
  /** The template as set rules read it, once it was read without error. */
  judged?: JudgedTemplate;
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
    if (refusal !== undefined) throw new TemplateError(`the value ${JSON.stringify(given[name])} given for parameter ${name} is refused: ${refusal}`, ['Parameters', name]);
  }
}

/** A given parameter no linted template declares is refused by CloudFormation (a misspelt key would let a Default decide). */
function undeclaredParameters(outcomes: SourceOutcome[], options: LintOptions): InputErrorRecord[] {
  if (outcomes.length === 0) return [];
  const declared = new Set(outcomes.flatMap((outcome) => [...outcome.declared]));
  const given = [...Object.keys(options.parameters ?? {}), ...(options.previousParameters ?? [])];
  return given
    .filter((name) => !declared.has(name))
    .map((name) => ({ file: '--parameters', message: `parameter ${name} is declared by no linted template (CloudFormation refuses a parameter the template does not declare)` }));
}

/** A template a parent deploys, as one evaluation of the parent found it (before it becomes an instance). */
interface NestedTemplate {
  source: TemplateSource;
  logicalId: string;
  /** Where the parent names it. */
  position: SourcePosition;
}

/** The values that fix a source's inputs: a named template gets the deployer's, a nested one its parent's only. */
interface Inputs {
  /** The deployer's values (`options`) reach only a template the user named. */
  named: boolean;
  parameters: Record<string, string>;
  /** Parameters given `UsePreviousValue` (named templates only). */
  previous: string[];
  unfixed: string[];
  allFree: boolean;
  region?: string;
  strict: boolean;
}

function effectiveInputs(source: TemplateSource, options: LintOptions): Inputs {
  const named = source.parents === undefined;
  return {
    named,
    parameters: named ? { ...options.parameters, ...source.parameters } : { ...source.parameters },
    previous: named ? [...(options.previousParameters ?? [])] : [],
    unfixed: [...(source.unfixedParameters ?? [])].sort(),
    allFree: source.allParametersFree ?? false,
    region: source.elsewhere ? undefined : options.region,
    strict: options.strict ?? false,
  };
}

function inputsKey(inputs: Inputs): string {
  const parameters = Object.entries(inputs.parameters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([inputs.named, parameters, inputs.previous, inputs.unfixed, inputs.allFree, inputs.region ?? null, inputs.strict]);
}

/** Which template a source is: its file (real path for nested ones), and the parent resource for an embedded one. */
function identityOf(source: TemplateSource): string {
  const file = source.parents === undefined ? path.resolve(source.file) : realPath(source.file);
  return source.embedded ? `${file}#${source.embedded.logicalId}` : file;
}

/** Two results that say the same about the same trail (its instance aside) are one finding. */
function resultKey(result: TrailResult): string {
  const { file, stack, logicalId, ruleId, status, message, when, because, line, column } = result;
  return JSON.stringify([file, stack ?? null, logicalId, ruleId, status, message, when ?? null, because ?? null, line, column]);
}

/** A template `parent` deploys, as an instance of its own: its chain of parents, its stack name, its inputs. */
function nestedInstance(parent: TemplateSource, parentFile: string, child: NestedTemplate): TemplateSource {
  const parents = [...(parent.parents ?? []), identityOf(parent)];
  return {
    ...child.source,
    parents,
    deployedBy: [...(parent.deployedBy ?? []), { file: parentFile, logicalId: child.logicalId }],
    ...(parent.stack !== undefined && { stack: `${parent.stack}/${child.logicalId}` }),
    // A nested stack deploys into its parent's account and Region (a StackSet's child, elsewhere: none is known).
    ...(parent.environment !== undefined && child.source.environment === undefined && !child.source.elsewhere && { environment: parent.environment }),
  };
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

/** lintSource, with the file it was linting on any exception: none is expected, and the CLI names the file. */
function lintReportingCrash(source: TemplateSource, options: LintOptions, file: string, inputs: Inputs, budget: RunBudget, files: InputReader): SourceOutcome {
  try {
    return lintSource(source, options, file, inputs, budget, files);
  } catch (error) {
    throw new InternalError(file, error);
  }
}

/** Evaluates one template with `inputs`. `file` is the source's path as reports show it. */
function lintSource(source: TemplateSource, options: LintOptions, file: string, inputs: Inputs, budget: RunBudget, files: InputReader): SourceOutcome {
  const outcome: SourceOutcome = { results: [], errors: [], warnings: [], nested: [], declared: new Set() };
  const { errors } = outcome;
  let body: unknown;
  let sourceMap: SourceMap | undefined;
  if (source.body !== undefined) {
    body = source.body;
    if (!isTemplate(body)) {
      errors.push({ file, message: 'not a CloudFormation template' });
      return outcome;
    }
  } else {
    const read = source.text !== undefined ? { text: source.text } : readTemplateText(source.file, source.root ?? path.dirname(source.file), files);
    if ('message' in read) {
      errors.push({ file, message: read.message });
      return outcome;
    }
    const { text } = read;
    const tooMany = tooManyMentions(text, REPORTED_TYPES);
    if (tooMany) {
      errors.push({ file, message: tooMany });
      return outcome;
    }
    // An embedded template is YAML or JSON whatever its parent is: its content tells (a `.template` name).
    const parsed = parseTemplateText(source.embedded ? 'TemplateBody.template' : source.file, text, REPORTED_TYPES, read.asciiBytes);
    if ('message' in parsed) {
      // In a directory, a file that is plainly no template (it parses and has no Resources, or its name says what
      // it is) is not ours to judge; any other file that does not parse is an input error, whatever it holds.
      if (!source.explicit && (parsed.notATemplate || isKnownNonTemplateName(source.file, source.inCloudAssembly))) return outcome;
      const position = parsed.offset === undefined ? undefined : new SourceMap(text, new WeakMap()).positionOf(parsed.offset);
      errors.push(embeddedError(source, { file, ...position, message: parsed.message }));
      return outcome;
    }
    ({ body, sourceMap } = parsed);
    outcome.warnings = parsed.warnings.map(({ offset, message, code }) => ({ file, ...parsed.sourceMap.positionOf(offset), message, code }));
  }
  const templateResults: TrailResult[] = [];
  let locate = (at: TemplatePath) => sourceMap?.locate(body, at) ?? { line: 1, column: 1 };
  try {
    // No prototype: a parameter named `toString` or `constructor` is data, not a method.
    const parameters: Record<string, string> = Object.assign(Object.create(null), inputs.parameters);
    const { region } = inputs;
    const strict = options.strict ?? false;
    const declaredNames = isObject((body as Record<string, unknown>).Parameters) ? Object.keys((body as Record<string, Record<string, unknown>>).Parameters) : [];
    const unfixed = new Set(inputs.allFree ? declaredNames : inputs.unfixed);
    // A Default fixes its parameter only where CloudFormation accepts it (a refused one, or one an unreadable
    // pattern may refuse, fixes nothing: a loop over it is not expanded, a nested stack does not get it).
    const declarations = parameterDeclarations(body as Record<string, unknown>);
    const acceptedDefault = (name: string) => {
      const declaration = declarations.get(name);
      if (declaration?.default === undefined || declaration.defaultReadings !== undefined) return undefined;
      const constraints = constraintsOf(declaration);
      return constraints.unreadPattern || constraints.refusal(declaration.default) !== undefined ? undefined : declaration.default;
    };
    const fixedValue = (name: string) => (Object.hasOwn(parameters, name) ? parameters[name] : strict || unfixed.has(name) ? undefined : acceptedDefault(name));
    const model = buildModel(body as Record<string, unknown>, fixedValue, declarations);
    const tooMany = tooManyOfType(model.idsByType, REPORTED_TYPES);
    if (tooMany) throw new TemplateError(tooMany, ['Resources']);
    const previous = new Set(inputs.previous);
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
    const inputOptions = { parameters, previous, region, strict, unfixed };
    const unread = model.unresolvedLoops.filter((loop) => loop.type === undefined || loop.type === 'AWS::CloudTrail::Trail').map((loop) => `${loop.logicalId}: ${loop.reason}`);
    for (const rule of selectedRules(options)) {
      for (const logicalId of model.idsByType.get(rule.resourceType) ?? []) {
        const resource = model.resources[logicalId] as Record<string, unknown>;
        const decision = decideProperty(model, analyzer, logicalId, rule, inputOptions, budget);
        const result = toResult(rule, decision, model, logicalId, source, file, locate, sourceMap !== undefined, unfixed);
        const lookup = findSuppression(resource, logicalId, [rule.id, ...rule.aliases], own(source.acknowledgements, logicalId) as { id: string; reason: string }[] | undefined);
        if (lookup.error) throw new TemplateError(lookup.error.message, lookup.error.path);
        if (lookup.suppression && (result.status === 'fail' || result.status === 'unknown')) {
          result.status = 'suppressed';
          result.suppression = lookup.suppression;
        }
        templateResults.push(result);
      }
      for (const loop of model.unresolvedLoops) {
        if (loop.type !== undefined && loop.type !== rule.resourceType) continue; // a loop that writes its Type is any type
        const message = `${rule.noun} ${loop.logicalId}: cannot tell whether it ${rule.compliantBehaviour}: ${loop.reason}`;
        templateResults.push(unreadResult(rule, source, file, loop.logicalId, locate(loop.path), message, loop.reason, rule.fix));
      }
    }
    if (source.body === undefined) outcome.nested = followNestedStacks(model, source, fixedValue, templateResults, errors, file, locate);
    outcome.judged = { model, analyzer, inputs: inputOptions, file, locate, stack: source.stack, environment: source.environment, acknowledgements: source.acknowledgements, unread };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    // CloudFormation rejects the whole template: no verdict for any of its trails.
    errors.push(embeddedError(source, { file, ...locate(error.path), message: error.message }));
    return outcome;
  }
  outcome.results = source.embedded ? templateResults.map((result) => embeddedResult(source, result)) : templateResults;
  return outcome;
}

/** A result inside an embedded template, placed on the parent's line that holds it; its own line leads the reasons. */
function embeddedResult(source: TemplateSource, result: TrailResult): TrailResult {
  const { logicalId, at } = source.embedded!;
  const where = `in the TemplateBody of ${logicalId}: line ${result.line}, column ${result.column} of it`;
  return { ...result, ...at, because: [where, ...(result.because ?? [])] };
}

function embeddedError(source: TemplateSource, error: InputErrorRecord): InputErrorRecord {
  if (!source.embedded) return error;
  const { logicalId, at } = source.embedded;
  const inner = error.line === undefined ? '' : ` (line ${error.line}, column ${error.column} of it)`;
  return { file: error.file, ...at, message: `TemplateBody of ${logicalId}${inner}: ${error.message}` };
}

/**
 * The templates this one deploys, as sources to lint next; what cannot be followed becomes an `unknown` result
 * (added to `results`) naming what hides the template.
 */
function followNestedStacks(
  model: TemplateModel,
  source: TemplateSource,
  fixedValue: (parameter: string) => string | undefined,
  results: TrailResult[],
  errors: InputErrorRecord[],
  file: string,
  locate: (at: TemplatePath) => { line: number; column: number },
): NestedTemplate[] {
  const children: NestedTemplate[] = [];
  const root = source.root ?? path.dirname(source.file);
  for (const reference of nestedStacks(model, source.file, root, fixedValue)) {
    const position = locate(reference.path);
    // In a cloud assembly the reader found the nested template from CDK's metadata (its URL is computed from
    // an asset bucket); a stack resource it could not match is followed or reported as any other.
    const fromAssembly = source.nestedTemplates?.get(reference.logicalId);
    if (fromAssembly && reference.kind !== 'outside') {
      const passed = 'passed' in reference ? reference.passed : passedInputsOf(model, reference.logicalId, fixedValue);
      children.push({ source: { ...fromAssembly, ...passedFields(passed) }, logicalId: reference.logicalId, position });
      continue;
    }
    if (reference.kind === 'outside') throw new TemplateError(reference.message, reference.path);
    if (reference.kind === 'unread') {
      for (const rule of RULES) {
        const message = `${reference.what} ${reference.logicalId}: its ${rule.noun}s cannot be checked: ${reference.reason}`;
        const fix = UNREAD_FIXES[reference.what] ?? 'Lint the template it deploys too: cfn-trail-lint <its file>';
        results.push(unreadResult(rule, source, file, reference.logicalId, position, message, reference.reason, fix));
      }
      continue;
    }
    const common = { explicit: true, root, ...passedFields(reference.passed), ...(reference.elsewhere && { elsewhere: true }) };
    if (reference.kind === 'local') {
      // `aws cloudformation package` refuses a local path that names no file: an error at the parent's line.
      if (!fs.existsSync(reference.file)) errors.push({ file, ...position, message: `${reference.logicalId}: ${path.relative(path.dirname(source.file), reference.file)} names no file` });
      else children.push({ source: { file: reference.file, ...common }, logicalId: reference.logicalId, position });
    } else {
      const embedded = { logicalId: reference.logicalId, at: position };
      children.push({ source: { file: source.file, text: reference.text, embedded, ...common }, logicalId: reference.logicalId, position });
    }
  }
  return children;
}

function passedFields(passed: PassedInputs): Pick<TemplateSource, 'parameters' | 'unfixedParameters' | 'allParametersFree'> {
  return {
    parameters: passed.parameters,
    ...(passed.unfixedParameters && { unfixedParameters: passed.unfixedParameters }),
    ...(passed.allParametersFree && { allParametersFree: true }),
  };
}

/** What a stack resource passes, for a reference the assembly resolved but nestedStacks could not (a computed URL). */
function passedInputsOf(model: TemplateModel, logicalId: string, fixedValue: (parameter: string) => string | undefined): PassedInputs {
  const resource = model.resources[logicalId];
  const properties = isObject(resource) && isObject(resource.Properties) ? resource.Properties : {};
  return passedInputs(properties.Parameters, fixedValue);
}

/** An `unknown` result for what the template does not let the engine read (a loop, a remote nested stack). */
function unreadResult(
  rule: PropertyRule,
  source: TemplateSource,
  file: string,
  logicalId: string,
  position: { line: number; column: number },
  message: string,
  reason: string,
  fix: string,
): TrailResult {
  return {
    ruleId: rule.id,
    status: 'unknown',
    file,
    logicalId,
    ...(source.stack !== undefined && { stack: source.stack }),
    ...position,
    message,
    because: [reason],
    fix,
  };
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function toResult(
  rule: PropertyRule,
  decision: Decision,
  model: TemplateModel,
  logicalId: string,
  source: TemplateSource,
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
  const constructPath = typeof metadata['aws:cdk:path'] === 'string' ? metadata['aws:cdk:path'] : source.constructPaths?.[logicalId];
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
    ...(source.stack !== undefined && { stack: source.stack }),
    ...(constructPath !== undefined && { constructPath }),
    line,
    column,
    message,
  };
  if (decision.when && Object.keys(decision.when).length > 0) result.when = decision.when;
  if (decision.status === 'fail' || decision.status === 'unknown') {
    const lineOf = (at: TemplatePath) => (hasPositions ? locate(at).line : undefined);
    result.because = explainDecision(decision, model, logicalId, rule.property, lineOf, replacedDefaults);
    result.fix = rule.fix;
  }
  return result;
}
