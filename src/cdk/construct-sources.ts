import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { AssetStaging, CfnElement, Stack, Stage } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Code } from '../codes';
import { ALL_RULES, DEFAULT_RULE_IDS, RULES } from '../../rules';
import { lintSources, type TemplateSource } from '../lint';
import type { PropertyRule } from '../rule';
import type { InputErrorRecord, LintOptions, TrailResult } from '../types';
import { cdkFix, ruleOf } from './findings';
import { isObject } from '../evaluate/model';
import { ACKNOWLEDGED_RULES_METADATA, acknowledgementsAt } from '../load/cloud-assembly';
import type { Acknowledgement } from '../load/source';
import { isTemplateFileName } from '../load/template-file';

/** A finding, the construct it is about (to annotate), and what the user should know beyond the verdict. */
export interface ConstructFinding {
  result: TrailResult;
  construct: IConstruct;
  notes: string[];
}

/**
 * Lints every resource the selected rules read in the stacks under `root` (a construct inside a stack: that stack's),
 * with the file engine — the Aspect's whole evaluation. A stack whose parent is not among them (the App's stacks, or
 * a NestedStack the Aspect was added to) is a named template, given the deployer's parameters.
 *
 * Each stack is judged by the template it renders (`_toCloudFormation()`, what synthesis writes), not construct by
 * construct: so `overrideLogicalId`, `addOverride('Type', …)` on any resource, raw overrides of Properties and
 * every other escape hatch count as they will in `cdk.out`. Logical IDs lead back to their constructs for
 * annotations and construct paths. Nested stacks are located here — a `NestedStack` by its own rendering, an
 * `AWS::CloudFormation::Stack` whose template is a file asset by the asset's file — and followed by the engine as
 * the command line follows them in `cdk.out`, each with what its parent resource passes. A NestedStack whose
 * TemplateURL the user overrode deploys what that URL names (a file asset, else unknown), not its own template.
 */
export function lintConstructTree(root: IConstruct, options: LintOptions): { findings: ConstructFinding[]; errors: InputErrorRecord[] } {
  const findings: ConstructFinding[] = [];
  const errors: InputErrorRecord[] = [];
  const render = renderer();
  const scope = lintedScope(root);
  // findAll descends into Stages too, which the App's own aspects never visit. A stack that renders no template
  // (nothing in it: cdk.out holds `{}`) is kept: its parent's stack resource deploys it, and the engine passes over
  // it as the CLI does.
  const stacks = scope.node.findAll().filter((construct): construct is Stack => Stack.isStack(construct));
  const linted = new Set(stacks);
  // A NestedStack's resource deploys its template unless the user overrode its TemplateURL: then the URL decides.
  const deployingOwn = new Set(stacks.filter((stack) => stack.nestedStackParent && linted.has(stack.nestedStackParent) && deploysOwnTemplate(stack, render)));
  // Named templates, judged with the deployer's parameters and their Defaults: every stack no linted parent deploys
  // (the App's stacks; a NestedStack the Aspect was added to; one whose TemplateURL was overridden, as the command
  // line lints an unclaimed template in cdk.out — never skipped silently).
  const topLevel = stacks.filter((stack) => !deployingOwn.has(stack));
  const ownTemplateResources = new Set<IConstruct>([...deployingOwn].map((stack) => stack.nestedStackResource!));
  // Any stack's template asset may be deployed by a stack resource anywhere in the app.
  const stagings = scope.node.root.node.findAll().filter((construct): construct is AssetStaging => construct instanceof AssetStaging);
  const rendered = new Map(stacks.map((stack) => [stack, renderedStack(stack, render, ownTemplateResources, stagings)] as const));
  // Where the results about each template point: its stack's constructs, or the stack resource deploying an asset.
  const places = new Map<string, { stack?: RenderedStack; construct: IConstruct }>();
  for (const [stack, rendering] of rendered) {
    places.set(path.resolve(rendering.source.file), { stack: rendering, construct: stack });
    for (const asset of rendering.assetTemplates) places.set(path.resolve(asset.source.file), { construct: asset.resource });
    errors.push(...rendering.acknowledgementErrors);
  }
  // A template file staged as an asset that no stack resource here deploys (a Service Catalog product, a plain
  // Asset) is in cdk.out all the same, where the command line lints it as a loose file: so does the Aspect.
  const located = new Set([...rendered.values()].flatMap((rendering) => rendering.assetTemplates.map((asset) => path.resolve(asset.source.file))));
  const looseAssets = new Map<string, IConstruct>();
  for (const staging of stagings) {
    const file = path.resolve(staging.absoluteStagedPath);
    if (located.has(file) || looseAssets.has(file) || !linted.has(stackOf(staging)!) || !isTemplateFileName(file) || !isFile(file)) continue;
    looseAssets.set(file, staging.node.scope ?? staging);
    places.set(file, { construct: staging.node.scope ?? staging });
  }
  for (const stack of deployingOwn) {
    const parent = stack.nestedStackParent!;
    rendered.get(parent)!.source.cdk!.nestedTemplates!.set(parent.resolve(stack.nestedStackResource!.logicalId) as string, rendered.get(stack)!.source);
  }
  for (const stack of topLevel) {
    if (!stack.nestedStackParent || !linted.has(stack.nestedStackParent)) continue;
    // Deployed by nothing: named by its construct path, in no account (the account rule credits none of its trails).
    const cdk = rendered.get(stack)!.source.cdk!;
    cdk.stack = stack.node.path;
    delete cdk.environment;
  }
  // Command-line style inputs apply to the stacks they name (the top-level ones): each gets the values of the
  // parameters it declares; a nested stack's come from its parent only.
  const given = new Map(topLevel.map((stack) => [path.resolve(rendered.get(stack)!.source.file), onlyDeclared(options.parameters, declaredParameters(render(stack)))]));
  // A NestedStack checked without its parent gets, when deployed, what that parent passes, never its Defaults:
  // every value of its parameters counts, as under --strict.
  const withoutParent = new Set(topLevel.filter((stack) => stack.nestedStackParent && !linted.has(stack.nestedStackParent)).map((stack) => path.resolve(rendered.get(stack)!.source.file)));
  for (const file of looseAssets.keys()) given.set(file, options.parameters);
  const report = lintSources(
    [...topLevel.map((stack) => rendered.get(stack)!.source), ...[...looseAssets.keys()].map((file) => ({ file, inCloudAssembly: true }))],
    {
      ...options,
      rules: options.rules ?? [...DEFAULT_RULE_IDS],
      parameters: undefined,
      optionsFor: (file) => ({ parameters: given.get(path.resolve(file)), ...(withoutParent.has(path.resolve(file)) && { strict: true }) }),
    },
  );
  const placeOf = (file: string) => places.get(path.resolve(options.cwd ?? process.cwd(), file));
  for (const error of report.errors) {
    const place = placeOf(error.file);
    // The engine rejects a template for an acknowledgement without a reason, as the CLI does in cdk.out; the
    // error that names the construct carrying it (above) replaces the engine's, which can only name the template.
    if (place?.stack?.acknowledgementErrors.length && error.code === Code.AcknowledgementWithoutReason) continue;
    errors.push(place?.stack ? { ...error, file: place.construct.node.path } : error);
  }
  for (const result of report.results) {
    const place = placeOf(result.file);
    const element = place?.stack?.elements.get(result.logicalId);
    // A template asset is a file the user wrote: results point into it, as the command line's do.
    if (!place || place.stack) locateInApp(result, element ?? place?.construct ?? root);
    if (result.status === 'fail' || result.status === 'unknown') result.fix = cdkFix(result.ruleId);
    findings.push({ result, construct: element ?? place?.construct ?? root, notes: element ? unhonouredAcknowledgements(element, result.ruleId) : [] });
  }
  // As the command line refuses a parameter no linted template declares (a misspelt key would let the Default decide).
  const declared = new Set(topLevel.flatMap((stack) => declaredParameters(render(stack))));
  for (const name of Object.keys(options.parameters ?? {})) {
    if (!declared.has(name)) {
      errors.push({ file: root.node.path || 'App', code: Code.ParameterUndeclared, message: `parameter ${name} is declared by no stack of this app (CloudFormation refuses a parameter the template does not declare)` });
    }
  }
  return { findings, errors };
}

/**
 * The construct whose stacks are linted: `root`, or — when the Aspect or checkStack is given a construct inside a
 * stack — the stack holding it, with its nested stacks. More than asked for beats checking nothing.
 */
function lintedScope(root: IConstruct): IConstruct {
  if (Stack.isStack(root) || Stage.isStage(root) || !root.node.scopes.some((scope) => Stack.isStack(scope))) return root;
  return Stack.of(root);
}

/**
 * Whether a NestedStack's resource still deploys the NestedStack's own template, as a nested stack. Its
 * TemplateURL names the template's asset by the hash CDK gives it (`sha256` of the rendered template; measured at
 * validation time, aws-cdk-lib 2.276), or reads `<unresolved>` before synthesis prepares the asset; anything else
 * is a user's override (`addPropertyOverride('TemplateURL', …)`), and the engine follows what that URL says.
 */
function deploysOwnTemplate(nested: Stack, render: (stack: Stack) => unknown): boolean {
  const parent = nested.nestedStackParent!;
  const template = render(parent);
  const logicalId = parent.resolve(nested.nestedStackResource!.logicalId) as string;
  const resources = isObject(template) && isObject(template.Resources) ? template.Resources : {};
  const resource = Object.hasOwn(resources, logicalId) ? resources[logicalId] : undefined;
  // An override of its Type (a StackSet) deploys the template elsewhere, as another resource: the engine decides.
  if (!isObject(resource) || resource.Type !== NESTED_STACK_TYPE) return false;
  const url = isObject(resource.Properties) ? resource.Properties.TemplateURL : undefined;
  if (url === UNPREPARED_TEMPLATE_URL) return true;
  return JSON.stringify(url ?? '').includes(createHash('sha256').update(JSON.stringify(render(nested))).digest('hex'));
}

function stackOf(construct: IConstruct): Stack | undefined {
  try {
    return Stack.of(construct);
  } catch {
    return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function declaredParameters(template: unknown): string[] {
  return isObject(template) && isObject(template.Parameters) ? Object.keys(template.Parameters) : [];
}

function onlyDeclared(given: Record<string, string> | undefined, names: string[]): Record<string, string> | undefined {
  if (!given) return undefined;
  const parameters: Record<string, string> = Object.create(null);
  for (const name of names) if (Object.prototype.hasOwnProperty.call(given, name)) parameters[name] = given[name];
  return parameters;
}

interface RenderedStack {
  source: TemplateSource;
  /** Logical ID (as rendered, overrides included) → the element that renders it. */
  elements: Map<string, CfnElement>;
  /** Templates of `AWS::CloudFormation::Stack` resources that are file assets of this stack, by logical ID. */
  assetTemplates: { logicalId: string; source: TemplateSource; resource: IConstruct }[];
  acknowledgementErrors: InputErrorRecord[];
}

/** The resource types some rule reads: their construct paths and acknowledgements are gathered for the engine. */
const RULE_TYPES: ReadonlySet<unknown> = new Set(ALL_RULES.map((rule) => rule.resourceType));
const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';
/** A NestedStack resource's TemplateURL until synthesis prepares the template's asset (aws-cdk-lib 2.100–2.276). */
const UNPREPARED_TEMPLATE_URL = '<unresolved>';

/** CDK's internal renderer, what synthesis writes; each stack rendered once (a parent is read by its nested stacks too). */
function renderer(): (stack: Stack) => unknown {
  const rendered = new Map<Stack, unknown>();
  return (stack) => {
    if (!rendered.has(stack)) rendered.set(stack, (stack as unknown as { _toCloudFormation(): unknown })._toCloudFormation());
    return rendered.get(stack);
  };
}

function renderedStack(stack: Stack, render: (stack: Stack) => unknown, ownTemplateResources: ReadonlySet<IConstruct>, stagings: readonly AssetStaging[]): RenderedStack {
  const template = render(stack);
  const resources = isObject(template) && isObject(template.Resources) ? template.Resources : {};
  const elements = new Map<string, CfnElement>();
  for (const element of stack.node.findAll()) {
    if (CfnElement.isCfnElement(element) && element.stack === stack) elements.set(stack.resolve(element.logicalId) as string, element);
  }
  // Maps without prototypes: a logical ID is data (`toString`, `constructor` are valid ones).
  const constructPaths: Record<string, string> = Object.create(null);
  const acknowledgements: Record<string, Acknowledgement[]> = Object.create(null);
  const acknowledgementErrors: InputErrorRecord[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    const element = elements.get(logicalId);
    if (!element || !isObject(resource) || !RULE_TYPES.has(resource.Type)) continue;
    constructPaths[logicalId] = element.node.path;
    const found = acknowledgementsAt(element.node.path, acknowledgementsRecordedAbove(element));
    const unexplained = found.find((acknowledgement) => ruleIdOf(acknowledgement.id) !== undefined && !acknowledgement.reason.trim());
    if (unexplained) acknowledgementErrors.push(unexplainedAcknowledgement(element, unexplained.id));
    if (found.length > 0) acknowledgements[logicalId] = found;
  }
  const stackName = stackNameOf(stack);
  const assetTemplates = assetTemplatesOf(resources, elements, ownTemplateResources, stagings);
  // Filled by lintConstructTree with the stack's NestedStacks; a file asset's template is read from its file.
  const nestedTemplates = new Map(assetTemplates.map((asset) => [asset.logicalId, asset.source]));
  const source: TemplateSource = {
    file: path.join(Stage.of(stack)?.outdir ?? '', stack.templateFile),
    body: template,
    cdk: { stack: stackName, environment: stack.environment, constructPaths, acknowledgements, nestedTemplates },
  };
  return { source, elements, assetTemplates, acknowledgementErrors };
}

/**
 * `Validations.of(x).acknowledge()` / `acknowledge()` data on the construct and its ancestors up to its (outermost)
 * stack, by construct path. Not above the stack: cdk.out keeps a stack's metadata only, and the CLI must agree.
 */
function acknowledgementsRecordedAbove(construct: IConstruct): (constructPath: string) => Record<string, unknown>[] {
  const byPath = new Map<string, Record<string, unknown>[]>();
  const scopes = construct.node.scopes;
  for (const scope of scopes.slice(scopes.findIndex((candidate) => Stack.isStack(candidate)))) byPath.set(scope.node.path, recordedOn(scope));
  return (constructPath) => byPath.get(constructPath) ?? [];
}

function recordedOn(construct: IConstruct): Record<string, unknown>[] {
  return construct.node.metadata
    .filter((entry) => entry.type === ACKNOWLEDGED_RULES_METADATA && isObject(entry.data))
    .map((entry) => entry.data as Record<string, unknown>);
}

/** The rule an acknowledged id names (`X`, `cfn-trail-lint::X`, `Annotation::X` or an alias), if it is one of ours. */
function acknowledgedRule(recorded: string): PropertyRule | undefined {
  const id = recorded.replace(/^(Annotation|cfn-trail-lint)::/, '');
  return RULES.find((rule) => rule.id === id || rule.aliases.includes(id));
}

function ruleIdOf(recorded: string): string | undefined {
  return acknowledgedRule(recorded)?.id;
}

/** An acknowledgement of a rule without a reason is an error, named where the user wrote it. */
function unexplainedAcknowledgement(resource: IConstruct, id: string): InputErrorRecord {
  const rule = acknowledgedRule(id);
  const carrier = [...resource.node.scopes].reverse().find((scope) => recordedOn(scope).some((data) => Object.keys(data).some((key) => ruleIdOf(key) === rule?.id)));
  const at = carrier?.node.path || resource.node.path;
  const why = rule ? `: say why the ${rule.shortNoun} may ${rule.waiver}` : '';
  return { file: at, code: Code.AcknowledgementWithoutReason, message: `the acknowledgement of ${id.replace(/^Annotation::/, '')} on ${at} has no reason${why}` };
}

/**
 * Acknowledgements on a Stage or the App above the resource's stack: not honoured (cdk.out does not record them),
 * which a user who wrote one must be told rather than left guessing.
 */
function unhonouredAcknowledgements(resource: IConstruct, ruleId: string): string[] {
  const scopes = resource.node.scopes;
  const outermostStack = scopes.findIndex((scope) => Stack.isStack(scope));
  const notes: string[] = [];
  for (const scope of scopes.slice(0, Math.max(0, outermostStack))) {
    const acknowledged = recordedOn(scope).some((data) => Object.keys(data).some((id) => ruleIdOf(id) === ruleId));
    if (!acknowledged) continue;
    const what = Stage.isStage(scope) && scope.node.scope === undefined ? 'the App' : `${scope.node.path} (a ${Stage.isStage(scope) ? 'Stage' : 'construct above the stack'})`;
    notes.push(`an acknowledgement on ${what} is not honoured: acknowledge the ${ruleOf(ruleId).shortNoun} or its stack instead (cdk.out records acknowledgements per stack)`);
  }
  return notes;
}

/** Named as the cloud assembly reader names it: a nested stack is `<parent>/<logical ID of its stack resource>`. */
function stackNameOf(stack: Stack): string {
  const parent = stack.nestedStackParent;
  const resource = stack.nestedStackResource;
  if (!parent || !resource) return stack.stackName;
  return `${stackNameOf(parent)}/${parent.resolve(resource.logicalId) as string}`;
}

/**
 * `AWS::CloudFormation::Stack` resources whose TemplateURL names a file asset of the app (`new Asset(…)` and
 * `templateUrl: asset.httpUrl`, the asset made in this stack or any other): the asset's file is their template,
 * read as the command line reads it in cdk.out. A `NestedStack`'s resource deploying its own template
 * (`ownTemplateResources`) is not one of them: its stack is rendered on its own.
 */
function assetTemplatesOf(
  resources: Record<string, unknown>,
  elements: Map<string, CfnElement>,
  ownTemplateResources: ReadonlySet<IConstruct>,
  stagings: readonly AssetStaging[],
): RenderedStack['assetTemplates'] {
  const found: RenderedStack['assetTemplates'] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    const element = elements.get(logicalId);
    if (!isObject(resource) || resource.Type !== NESTED_STACK_TYPE || !element || ownTemplateResources.has(element)) continue;
    const properties = isObject(resource.Properties) ? resource.Properties : {};
    const url = JSON.stringify(properties.TemplateURL ?? '');
    const staging = stagings.find((candidate) => url.includes(candidate.assetHash));
    if (!staging) continue; // a remote TemplateURL: nothing this app holds to read
    found.push({ logicalId, source: { file: staging.absoluteStagedPath, explicit: true }, resource: element });
  }
  return found;
}

/**
 * A finding's location in the app rather than in a template the user never wrote: the source line that created the
 * construct when CDK recorded it (`aws:cdk:creationStack`; column 0 when it did not record one), else the construct
 * path (line and column 0).
 */
function locateInApp(result: TrailResult, construct: IConstruct): void {
  const site = creationSite(construct);
  if (site) Object.assign(result, site);
  else Object.assign(result, { file: construct.node.path, line: 0, column: 0 });
}

function creationSite(construct: IConstruct): Pick<TrailResult, 'file' | 'line' | 'column'> | undefined {
  for (const entry of construct.node.metadata) {
    const frames = entry.type === 'aws:cdk:creationStack' && Array.isArray(entry.data) ? (entry.data as unknown[]) : (entry.trace ?? []);
    for (const frame of frames) {
      // CDK writes frames as `<function> (<file>:<line>:<column>)`, `<file>:<line> (:)` or `<file>:<line>: (…)`.
      for (const [, file, line, column] of typeof frame === 'string' ? frame.matchAll(/(?:file:\/\/)?((?:[A-Za-z]:)?[\\/][^():]*?):(\d+)(?::(\d+))?/g) : []) {
        if (/[\\/]node_modules[\\/]/.test(file)) continue;
        const relative = path.relative(process.cwd(), file);
        const shown = (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative).split(path.sep).join('/');
        return { file: shown, line: Number(line), column: column === undefined ? 0 : Number(column) };
      }
    }
  }
  return undefined;
}
