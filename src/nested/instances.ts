import * as fs from 'node:fs';
import * as path from 'node:path';
import { Code } from '../codes';
import { TemplateError, isObject, type TemplateModel } from '../evaluate/model';
import type { TemplateSource } from '../load/source';
import type { DeployedBy, LintOptions, SourcePosition, TemplatePath } from '../types';
import { UNREAD_FIXES, nestedStacks, passedInputs, type NestedStackReference, type PassedInputs } from './references';

/**
 * One deployment of a template: the source a loader gave, and — for a template another one deploys — how it is
 * deployed. The same nested template deployed by two parents, or with two sets of inputs, is two instances.
 */
export interface TemplateInstance {
  source: TemplateSource;
  /** The stack it becomes, when known (CDK): a nested one is `<parent stack>/<logical ID>`. */
  stack?: string;
  /** `aws://ACCOUNT/REGION` of that stack: a nested stack deploys into its parent's. */
  environment?: string;
  /** Set for a template a parent deploys. */
  deployed?: Deployment;
}

/** How a parent deploys an instance. */
export interface Deployment {
  /** Identities (identityOf) of the parent instances that led here, outermost first: a cycle stops here. */
  parents: string[];
  /** The chain of parent resources that deploys it, outermost first (files as reports show them). */
  by: DeployedBy[];
  /** What the parent resource passes: only these fix the template's inputs. */
  passed: PassedInputs;
  /** Deployed by a StackSet (here or above) into other accounts and Regions: the run's `--region` does not apply. */
  elsewhere?: boolean;
  /** Some parent resource on the way has a Condition: the template is deployed in some deployments only. */
  conditional?: boolean;
  /** Written inside the parent (a StackSet's TemplateBody): results point at `at` in the parent's file. */
  embedded?: { logicalId: string; at: SourcePosition };
}

/** A template the user named (or a loader found): deployed by nobody the run knows of. */
export function namedInstance(source: TemplateSource): TemplateInstance {
  return { source, ...(source.cdk && { stack: source.cdk.stack, ...(source.cdk.environment !== undefined && { environment: source.cdk.environment }) }) };
}

/**
 * Which template an instance is: its file (real path for nested ones); for one embedded in its parent, the parent
 * (itself perhaps embedded) and the resource that holds it.
 */
export function identityOf(instance: TemplateInstance): string {
  let identity = identities.get(instance);
  if (identity === undefined) {
    const { deployed } = instance;
    if (deployed?.embedded) identity = `${deployed.parents[deployed.parents.length - 1]}#${deployed.embedded.logicalId}`;
    else identity = deployed === undefined ? path.resolve(instance.source.file) : realPath(instance.source.file);
    identities.set(instance, identity);
  }
  return identity;
}

/** Each instance's identity, found once: a nested one's costs a realpath, and the run asks for it several times. */
const identities = new WeakMap<TemplateInstance, string>();

/** A template one evaluation of a parent deploys, before it becomes an instance of its own. */
export interface DeployedTemplate {
  source: TemplateSource;
  logicalId: string;
  /** Where the parent names it. */
  at: TemplatePath;
  passed: PassedInputs;
  elsewhere?: boolean;
  /** The parent resource has a Condition. */
  conditional?: boolean;
  /** Its text is the parent's (a StackSet's TemplateBody). */
  embedded?: boolean;
}

/** Something a template deploys that the engine cannot read (a remote template, a macro, a module). */
export interface UnreadDeployment {
  logicalId: string;
  at: TemplatePath;
  /** What deploys it ('nested stack', 'macro', …) and why it is not read. */
  what: string;
  reason: string;
  fix: string;
}

/** A local template a parent names that does not exist. */
export interface MissingTemplate {
  at: TemplatePath;
  message: string;
}

/**
 * What one evaluation of `instance` deploys — for plain templates, SAM applications, StackSets, cloud assemblies
 * and CDK apps alike: the templates a loader located for its stack resources (CDK), else local files and inline
 * bodies found from the template itself; what cannot be followed is `unread`. A local path outside the
 * instance's root makes CloudFormation's packaging refuse the template (TemplateError).
 */
export function deployedBy(
  model: TemplateModel,
  instance: TemplateInstance,
  fixedValue: (parameter: string) => string | undefined,
): { children: DeployedTemplate[]; unread: UnreadDeployment[]; missing: MissingTemplate[] } {
  const { source } = instance;
  const children: DeployedTemplate[] = [];
  const unread: UnreadDeployment[] = [];
  const missing: MissingTemplate[] = [];
  const root = source.root ?? path.dirname(source.file);
  const located = source.cdk?.nestedTemplates;
  for (const reference of nestedStacks(model, source.file, root, fixedValue)) {
    const { logicalId, path: at } = reference;
    const conditional = hasCondition(model, logicalId);
    // A CDK app's nested templates are found from its metadata (their URL is computed from an asset bucket);
    // a stack resource it could not match is followed or reported as any other.
    const fromApp = followsLocated(model, reference) ? located?.get(logicalId) : undefined;
    if (fromApp) {
      const passed = 'passed' in reference ? reference.passed : passedInputs(propertiesOf(model, logicalId).Parameters, fixedValue);
      children.push({ source: fromApp, logicalId, at, passed, conditional });
    } else if (reference.kind === 'outside') {
      throw new TemplateError(Code.NestedStackOutside, reference.message, at);
    } else if (reference.kind === 'unread') {
      unread.push({ logicalId, at, what: reference.what, reason: reference.reason, fix: fixFor(reference.what) });
    } else if (reference.kind === 'local' && source.body !== undefined) {
      // A template rendered in memory (a CDK stack) has no folder its local paths could be read from.
      const reason = `its template ${reference.file} is not a file of the app`;
      unread.push({ logicalId, at, what: 'nested stack', reason, fix: fixFor('nested stack') });
    } else if (reference.kind === 'local') {
      // `aws cloudformation package` refuses a local path that names no file: an error at the parent's line.
      if (!fs.existsSync(reference.file)) missing.push({ at, message: `${logicalId}: ${path.relative(path.dirname(source.file), reference.file)} names no file` });
      else children.push({ source: { file: reference.file, explicit: true, root }, logicalId, at, passed: reference.passed, conditional, ...(reference.elsewhere && { elsewhere: true }) });
    } else {
      children.push({ source: { file: source.file, text: reference.text, explicit: true, root }, logicalId, at, passed: reference.passed, conditional, elsewhere: true, embedded: true });
    }
  }
  return { children, unread, missing };
}

/** A template `parent` deploys, as an instance of its own: its chain of parents, its stack name, its inputs. */
export function childInstance(parent: TemplateInstance, parentFile: string, child: DeployedTemplate, position: SourcePosition): TemplateInstance {
  const deployed: Deployment = {
    parents: [...(parent.deployed?.parents ?? []), identityOf(parent)],
    by: [...(parent.deployed?.by ?? []), { file: parentFile, logicalId: child.logicalId }],
    passed: child.passed,
    ...((child.elsewhere || parent.deployed?.elsewhere) && { elsewhere: true }),
    ...((child.conditional || parent.deployed?.conditional) && { conditional: true }),
    // Inside a parent that is itself written in its parent, positions are the outermost file's: the outer body's.
    ...(child.embedded && { embedded: { logicalId: child.logicalId, at: parent.deployed?.embedded?.at ?? position } }),
  };
  // A nested stack deploys into its parent's account and Region, whatever stack the app first found it under
  // (a StackSet's child, elsewhere: none is known).
  const environment = deployed.elsewhere ? undefined : (parent.environment ?? child.source.cdk?.environment);
  return {
    source: child.source,
    ...(parent.stack !== undefined ? { stack: `${parent.stack}/${child.logicalId}` } : child.source.cdk && { stack: child.source.cdk.stack }),
    ...(environment !== undefined && { environment }),
    deployed,
  };
}

/**
 * A template the app located is what a stack resource deploys only when nothing says otherwise: the resource is
 * an `AWS::CloudFormation::Stack` (an override may have made it something else), its TemplateURL is computed as
 * CDK computes an asset's (not written out) and not chosen by a condition, and no macro writes its properties.
 */
function followsLocated(model: TemplateModel, reference: NestedStackReference): boolean {
  if (reference.kind === 'outside' || (reference.kind === 'unread' && reference.what === 'macro')) return false;
  const resource = model.resources[reference.logicalId];
  if (!isObject(resource) || resource.Type !== 'AWS::CloudFormation::Stack') return false;
  const url = propertiesOf(model, reference.logicalId).TemplateURL;
  // CDK writes an asset's URL from its bucket (Fn::Join, Fn::Sub): a URL written out names what it deploys, even if
  // it ends in an asset's hash. '<unresolved>' is CDK's own placeholder before synthesis.
  if (typeof url === 'string') return url === '<unresolved>';
  return !JSON.stringify(url ?? null).includes('"Fn::If"');
}

function hasCondition(model: TemplateModel, logicalId: string): boolean {
  const resource = model.resources[logicalId];
  return isObject(resource) && Object.hasOwn(resource, 'Condition');
}

/** Who is told to do what about a deployment the engine cannot read. */
function fixFor(what: string): string {
  return UNREAD_FIXES[what] ?? 'Lint the template it deploys too: cfn-trail-lint <its file>';
}

function propertiesOf(model: TemplateModel, logicalId: string): Record<string, unknown> {
  const resource = model.resources[logicalId];
  return isObject(resource) && isObject(resource.Properties) ? resource.Properties : {};
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** The values that fix an instance's inputs: a named template gets the deployer's, a deployed one its parent's only. */
export interface InstanceInputs {
  /** The deployer's values (the run's options) reach only a template the user named. */
  named: boolean;
  parameters: Record<string, string>;
  /** Parameters given `UsePreviousValue` (named templates only). */
  previous: string[];
  /** Parameters whose Defaults do not apply: the parent passes a value the template cannot tell. */
  unfixed: string[];
  /** The parent's whole `Parameters` is computed: no parameter takes its Default. */
  allFree: boolean;
  region?: string;
  strict: boolean;
}

export function inputsOf(instance: TemplateInstance, options: LintOptions): InstanceInputs {
  const { deployed } = instance;
  return {
    named: deployed === undefined,
    parameters: deployed ? { ...deployed.passed.parameters } : { ...options.parameters },
    previous: deployed ? [] : [...(options.previousParameters ?? [])],
    unfixed: [...(deployed?.passed.unfixedParameters ?? [])].sort(),
    allFree: deployed?.passed.allParametersFree ?? false,
    region: deployed?.elsewhere ? undefined : options.region,
    strict: options.strict ?? false,
  };
}

/** Instances with equal keys are evaluated once. */
export function inputsKey(inputs: InstanceInputs): string {
  const parameters = Object.entries(inputs.parameters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([inputs.named, parameters, inputs.previous, inputs.unfixed, inputs.allFree, inputs.region ?? null, inputs.strict]);
}
