import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_RULE_IDS, RULES } from '../rules';
import { Analyzer } from './evaluate/analyze';
import { decideProperty, type Decision } from './evaluate/decide';
import { newRunBudget, type RunBudget } from './evaluate/intrinsics';
import { own } from './evaluate/values';
import { judgeSetRules, type JudgedTemplate } from './lint-set';
import { constraintsOf } from './evaluate/inputs';
import { TemplateError, buildModel, isObject, parameterString, type TemplateModel } from './evaluate/model';
import { explainDecision } from './explain';
import { InternalError } from './internal-error';
import { RunLimits, tooManyMentions, tooManyOfType } from './limits';
import { discoverCloudAssembly, isCloudAssembly } from './load/cloud-assembly';
import { discover } from './load/discover';
import { SourceMap } from './load/positions';
import { InputReader } from './load/read-file';
import { claimsToBeTemplate, isTemplate, parseTemplateText, readTemplateText } from './load/template-file';
import type { PropertyRule } from './rule';
import { nestedStacks } from './nested-stacks';
import { findSuppression } from './suppressions';
import type { InputErrorRecord, LintOptions, LintReport, Summary, TemplatePath, TrailResult } from './types';
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
  /** Values a parent passes (nested stack): they fix those inputs. */
  parameters?: Record<string, string>;
  /** logicalId → CDK acknowledged rules (`Validations.of(construct).acknowledge`). */
  acknowledgements?: Record<string, { id: string; reason: string }[]>;
  /** Named by the user: a file that is not a template is an error, not a skip. */
  explicit?: boolean;
  /** Local nested stacks are followed only inside this folder (default: the template's own folder). */
  root?: string;
  /** Parameters a parent sets to values the template cannot tell: their Defaults do not apply. */
  unfixedParameters?: string[];
  /** Real paths of the parent templates that led here, to stop at a cycle. */
  parents?: string[];
}

/** The resource types the rules report on: their positions are wanted for every one of them. */
const REPORTED_TYPES: ReadonlySet<string> = new Set(RULES.map((rule) => rule.resourceType));

/** Lints files, directories (recursively) and CDK cloud assemblies. */
/** `files` reads every file of the run (pass one to learn which files were read). */
export function lintPaths(paths: string[], options: LintOptions = {}, files: InputReader = new InputReader()): LintReport {
  const found = discover(paths, (dir) => isCloudAssembly(dir, files));
  const sources: TemplateSource[] = found.files.map(({ file, explicit, root }) => ({ file, explicit: explicit && !options.skipNonTemplates, root }));
  const errors = [...found.errors];
  for (const dir of found.assemblies) {
    const assembly = discoverCloudAssembly(dir, files);
    sources.push(...assembly.sources);
    errors.push(...assembly.errors);
  }
  const report = lintSources(sources, options, files);
  report.errors.unshift(...errors.map((error) => ({ ...error, file: displayPath(error.file, options) })));
  report.summary.errors = report.errors.length;
  return report;
}

export function lintSources(sources: TemplateSource[], options: LintOptions = {}, files: InputReader = new InputReader()): LintReport {
  const outcomes: SourceOutcome[] = [];
  const queue = [...sources];
  const display = displayPaths(options);
  const budget = newRunBudget();
  const limits = new RunLimits();
  let stopped: InputErrorRecord | undefined; // the first template not linted, once the run reached a limit
  for (let source = queue.shift(); source; source = queue.shift()) {
    const reached = limits.reached();
    if (reached) {
      stopped = { file: display(source.file), message: reached };
      break;
    }
    const outcome = lintReportingCrash(source, options, display(source.file), budget, files);
    limits.count(outcome.results, outcome.errors);
    outcomes.push(outcome);
    queue.push(...outcome.nested);
  }
  // A nested template that a directory also holds on its own is reported once: as its parent deploys it.
  const nestedFiles = new Set(outcomes.filter((outcome) => outcome.isNested).map((outcome) => outcome.file));
  const kept = outcomes.filter((outcome) => outcome.isNested || !nestedFiles.has(outcome.file));
  const results = kept.flatMap((outcome) => outcome.results);
  results.push(...judgeSetRules(kept.flatMap((outcome) => (outcome.judged ? [outcome.judged] : [])), options, budget));
  const errors = [...undeclaredParameters(outcomes, options), ...kept.flatMap((outcome) => outcome.errors)];
  if (stopped) errors.push(stopped);
  return { tool: TOOL, results, errors, summary: summarize(results, errors) };
}

/** lintSource, with the file it was linting on any exception: none is expected, and the CLI names the file. */
function lintReportingCrash(source: TemplateSource, options: LintOptions, file: string, budget: RunBudget, files: InputReader): SourceOutcome {
  try {
    return lintSource(source, options, file, budget, files);
  } catch (error) {
    throw new InternalError(file, error);
  }
}

interface SourceOutcome {
  file: string;
  isNested: boolean;
  results: TrailResult[];
  errors: InputErrorRecord[];
  /** Local nested stacks to lint next, with the parameters this template passes them. */
  nested: TemplateSource[];
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

/** `file` is the source's path as reports show it. */
function lintSource(source: TemplateSource, options: LintOptions, file: string, budget: RunBudget, files: InputReader): SourceOutcome {
  const outcome: SourceOutcome = { file, isNested: source.parents !== undefined, results: [], errors: [], nested: [], declared: new Set() };
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
    const parsed = parseTemplateText(source.file, text, REPORTED_TYPES, read.asciiBytes);
    if ('message' in parsed) {
      // In a directory, files that are not templates (a buildspec, a manifest) are not ours to judge.
      if (!source.explicit && (parsed.notATemplate || !claimsToBeTemplate(text))) return outcome;
      const position = parsed.offset === undefined ? undefined : new SourceMap(text, new WeakMap()).positionOf(parsed.offset);
      errors.push({ file, ...position, message: parsed.message });
      return outcome;
    }
    ({ body, sourceMap } = parsed);
  }
  const templateResults: TrailResult[] = [];
  let locate = (at: TemplatePath) => sourceMap?.locate(body, at) ?? { line: 1, column: 1 };
  try {
    // No prototype: a parameter named `toString` or `constructor` is data, not a method.
    const parameters: Record<string, string> = Object.assign(Object.create(null), options.parameters, source.parameters);
    const strict = options.strict ?? false;
    const unfixed = new Set(source.unfixedParameters);
    const fixedValue = (name: string) => (Object.hasOwn(parameters, name) ? parameters[name] : strict || unfixed.has(name) ? undefined : defaultOf(body, name));
    const model = buildModel(body as Record<string, unknown>, fixedValue);
    const tooMany = tooManyOfType(model.idsByType, REPORTED_TYPES);
    if (tooMany) throw new TemplateError(tooMany, ['Resources']);
    const previous = new Set(options.previousParameters);
    for (const name of model.parameters.keys()) outcome.declared.add(name);
    if (source.parents === undefined) checkGivenValues(model, parameters);
    // Resources generated by Fn::ForEach are located where their loop writes them.
    const locateWritten = locate;
    locate = (at) => {
      const origin = at[0] === 'Resources' ? model.origins.get(String(at[1])) : undefined;
      return locateWritten(origin ? [...origin, ...at.slice(2)] : at);
    };
    const analyzer = new Analyzer(model);
    analyzer.checkAllConditions();
    const inputOptions = { parameters, previous, region: options.region, strict, unfixed };
    const unread = model.unresolvedLoops.filter((loop) => loop.type === undefined || loop.type === 'AWS::CloudTrail::Trail').map((loop) => `${loop.logicalId}: ${loop.reason}`);
    for (const rule of selectedRules(options)) {
      for (const logicalId of model.idsByType.get(rule.resourceType) ?? []) {
        const resource = model.resources[logicalId] as Record<string, unknown>;
        const decision = decideProperty(model, analyzer, logicalId, rule, inputOptions, budget);
        const result = toResult(rule, decision, model, logicalId, source, file, locate, sourceMap !== undefined);
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
    if (source.body === undefined) outcome.nested = followNestedStacks(model, source, fixedValue, templateResults, file, locate);
    outcome.judged = { model, analyzer, inputs: inputOptions, file, locate, stack: source.stack, environment: source.environment, acknowledgements: source.acknowledgements, unread };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    // CloudFormation rejects the whole template: no verdict for any of its trails.
    errors.push({ file, ...locate(error.path), message: error.message });
    return outcome;
  }
  outcome.results = templateResults;
  return outcome;
}

function followNestedStacks(
  model: TemplateModel,
  source: TemplateSource,
  fixedValue: (parameter: string) => string | undefined,
  results: TrailResult[],
  file: string,
  locate: (at: TemplatePath) => { line: number; column: number },
): TemplateSource[] {
  const children: TemplateSource[] = [];
  let parents: string[] | undefined; // resolving real paths costs a system call per file: only where a nested stack is
  // A cloud assembly's reader finds its nested stacks itself (their URLs are computed from asset buckets); only
  // a literal remote URL, which no assembly holds, is reported here.
  const fromAssembly = source.stack !== undefined;
  const root = source.root ?? path.dirname(source.file);
  for (const reference of nestedStacks(model, source.file, root, fixedValue)) {
    if (fromAssembly && !(reference.kind === 'unread' && reference.remote)) continue;
    if (reference.kind === 'outside') throw new TemplateError(reference.message, reference.path);
    if (reference.kind === 'unread') {
      for (const rule of RULES) {
        const message = `nested stack ${reference.logicalId}: its ${rule.noun}s cannot be checked: ${reference.reason}`;
        const fix = 'Lint the nested template too: cfn-trail-lint <its file>';
        results.push(unreadResult(rule, source, file, reference.logicalId, locate(reference.path), message, reference.reason, fix));
      }
      continue;
    }
    parents ??= [...(source.parents ?? []), realPath(source.file)];
    if (parents.includes(realPath(reference.file))) {
      throw new TemplateError(`nested stack ${reference.logicalId}: nested stacks form a cycle back to ${path.basename(reference.file)}`, reference.path);
    }
    children.push({
      file: reference.file,
      explicit: true,
      root,
      parameters: reference.parameters,
      unfixedParameters: reference.unfixedParameters,
      parents,
    });
  }
  return children;
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
    result.because = explainDecision(decision, model, logicalId, rule.property, lineOf);
    result.fix = rule.fix;
  }
  return result;
}

function defaultOf(body: unknown, parameter: string): string | undefined {
  const declaration = own(own(body, 'Parameters'), parameter);
  return isObject(declaration) ? parameterString(own(declaration, 'Default')) : undefined;
}
