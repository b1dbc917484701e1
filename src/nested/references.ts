import * as path from 'node:path';
import { isObject, passedParameters, type JsonObject, type TemplateModel } from '../evaluate/model';
import { isWithin } from '../load/read-file';
import type { TemplatePath } from '../types';

/**
 * Every way a template makes CloudFormation deploy another template, or resources it does not show: nested
 * stacks, SAM applications, StackSets, `AWS::Include` and other macros, registry modules. Each is either a
 * template to follow (local or inline) or something the engine cannot see through (`unread`: reported
 * `unknown`). Nothing that deploys is left out (README, "What the linter refuses to skip").
 */

/** What a parent passes to the template it deploys. */
export interface PassedInputs {
  parameters: Record<string, string>;
  /** Parameters the parent sets to values the template cannot tell: their Defaults do not apply. */
  unfixedParameters?: string[];
  /** The parent's whole `Parameters` is computed (`!If [...]`): every parameter of the child is free. */
  allParametersFree?: boolean;
}

interface Deployment {
  logicalId: string;
  /** Where the parent says what it deploys (its TemplateURL, Location or TemplateBody). */
  path: TemplatePath;
  /** A StackSet deploys into other accounts and Regions: `--region` does not fix the child's. */
  elsewhere?: boolean;
}

/** Who is told to do what about a template the engine cannot read. */
export const UNREAD_FIXES: Record<string, string> = {
  macro: 'Lint the template the macro produces (the processed template CloudFormation shows) too',
  module: 'Lint the template of the module too',
};

export type NestedStackReference =
  | (Deployment & { kind: 'local'; file: string; passed: PassedInputs })
  | (Deployment & { kind: 'inline'; text: string; passed: PassedInputs })
  | (Deployment & { kind: 'unread'; reason: string; remote: boolean; what: string })
  | (Deployment & { kind: 'outside'; message: string });

/** The resource types that deploy a template of their own. */
export const DEPLOYING_TYPES: ReadonlySet<string> = new Set([
  'AWS::CloudFormation::Stack',
  'AWS::Serverless::Application',
  'AWS::CloudFormation::StackSet',
]);

/** Whether resources of `type` deploy templates of their own (nested stacks, StackSets, modules, products). */
export function deploysTemplates(type: unknown): boolean {
  if (typeof type !== 'string') return false;
  return DEPLOYING_TYPES.has(type) || /::MODULE$/.test(type) || type === 'AWS::ServiceCatalog::CloudFormationProvisionedProduct';
}

/** Template-level transforms the engine reads itself. */
const KNOWN_TRANSFORMS = new Set(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions']);

const REMOTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The templates `model` deploys and what hides resources from the engine, in template order. A local path is
 * followed within `root` only, with the parameters the parent passes (literals, and `Ref`s to parent parameters
 * that `fixedValue` fixes); remote, computed and registry-resolved templates are `unread`.
 */
export function nestedStacks(
  model: TemplateModel,
  templateFile: string,
  root: string,
  fixedValue: (parameter: string) => string | undefined,
): NestedStackReference[] {
  const references: NestedStackReference[] = [...hiddenByTransforms(model)];
  for (const [logicalId, resource] of Object.entries(model.resources)) {
    if (!isObject(resource)) continue;
    const type = resource.Type;
    if (typeof type === 'string' && /::MODULE$/.test(type)) {
      const reason = `module ${type} is expanded from the CloudFormation registry, where its resources are not seen`;
      references.push({ kind: 'unread', logicalId, path: ['Resources', logicalId, 'Type'], reason, remote: true, what: 'module' });
      continue;
    }
    if (type === 'AWS::ServiceCatalog::CloudFormationProvisionedProduct') {
      const reason = 'it provisions a Service Catalog product, whose template is not fetched';
      references.push({ kind: 'unread', logicalId, path: ['Resources', logicalId, 'Type'], reason, remote: true, what: 'Service Catalog product' });
      continue;
    }
    if (typeof type !== 'string' || !DEPLOYING_TYPES.has(type)) continue;
    const properties = isObject(resource.Properties) ? resource.Properties : {};
    if (containsTransform(properties)) {
      // A macro (AWS::Include…) writes part of what the parent passes or deploys: nothing of it can be read.
      const reason = 'its properties hold an Fn::Transform, which may change the template it deploys or what it passes';
      references.push({ kind: 'unread', logicalId, path: ['Resources', logicalId, 'Properties'], reason, remote: false, what: 'macro' });
      continue;
    }
    const local = (at: TemplatePath, url: string, passed: PassedInputs, elsewhere?: boolean) =>
      localReference(logicalId, at, url, templateFile, root, passed, elsewhere);
    const at = (property: string) => ['Resources', logicalId, 'Properties', property];
    if (type === 'AWS::CloudFormation::Stack') {
      references.push(locationReference(logicalId, at('TemplateURL'), properties.TemplateURL, 'nested stack', (url) => local(at('TemplateURL'), url, passed(properties.Parameters))));
    } else if (type === 'AWS::Serverless::Application') {
      const location = properties.Location;
      if (isObject(location) && 'ApplicationId' in location) {
        const reason = 'it deploys a Serverless Application Repository application, which is not fetched';
        references.push({ kind: 'unread', logicalId, path: at('Location'), reason, remote: true, what: 'SAM application' });
      } else {
        references.push(locationReference(logicalId, at('Location'), location, 'SAM application', (url) => local(at('Location'), url, passed(properties.Parameters))));
      }
    } else {
      const parameters = stackSetParameters(properties.Parameters);
      const inputs = withOverrides(parameters === undefined ? { parameters: {}, allParametersFree: true } : passed(parameters), properties.StackInstancesGroup);
      if (typeof properties.TemplateBody === 'string') {
        references.push({ kind: 'inline', logicalId, path: at('TemplateBody'), text: properties.TemplateBody, passed: inputs, elsewhere: true });
      } else if (properties.TemplateBody !== undefined) {
        const reason = 'its TemplateBody is computed at deploy time';
        references.push({ kind: 'unread', logicalId, path: at('TemplateBody'), reason, remote: false, what: 'StackSet' });
      } else {
        references.push(locationReference(logicalId, at('TemplateURL'), properties.TemplateURL, 'StackSet', (url) => local(at('TemplateURL'), url, inputs, true)));
      }
    }
  }
  return references;

  function passed(parameters: unknown): PassedInputs {
    return passedInputs(parameters, fixedValue);
  }
}

/**
 * What a parent resource's `Parameters` map passes (`passedParameters`). A whole map given by an intrinsic
 * (`Parameters: !If [C, {…}, {…}]`) is decided at deploy time: no child parameter is fixed, and none takes its
 * Default — it is never read as one parameter named `Fn::If`.
 */
export function passedInputs(parameters: unknown, fixedValue: (parameter: string) => string | undefined): PassedInputs {
  if (isIntrinsic(parameters)) return { parameters: {}, allParametersFree: true };
  return passedParameters(parameters, fixedValue);
}

/** A `TemplateURL` or `Location`: a local path is followed; a URL or a computed value is not read. */
function locationReference(
  logicalId: string,
  at: TemplatePath,
  url: unknown,
  what: string,
  followLocal: (url: string) => NestedStackReference,
): NestedStackReference {
  if (typeof url !== 'string') {
    const reason = url === undefined ? 'it names no template' : 'its template location is computed at deploy time';
    return { kind: 'unread', logicalId, path: at, reason, remote: false, what };
  }
  if (REMOTE_URL.test(url) || url.startsWith('{{resolve:')) {
    return { kind: 'unread', logicalId, path: at, reason: `its template ${url} is remote and is not fetched`, remote: true, what };
  }
  return followLocal(url);
}

function localReference(
  logicalId: string,
  at: TemplatePath,
  url: string,
  templateFile: string,
  root: string,
  passed: PassedInputs,
  elsewhere?: boolean,
): NestedStackReference {
  const file = path.resolve(path.dirname(templateFile), url);
  if (!isWithin(root, file)) {
    return { kind: 'outside', logicalId, path: at, message: `nested stack ${logicalId}: ${at[at.length - 1]} ${url} leaves the linted folder ${root}` };
  }
  return { kind: 'local', logicalId, path: at, file, passed, ...(elsewhere && { elsewhere }) };
}

/**
 * A StackSet's `Parameters`, a list of `{ParameterKey, ParameterValue}`, as a nested stack's map; undefined
 * when the list is computed (an intrinsic, or an entry that is one), so that no parameter is fixed.
 */
function stackSetParameters(list: unknown): JsonObject | undefined {
  if (list === undefined) return {};
  if (!Array.isArray(list)) return undefined;
  const entries: [string, unknown][] = [];
  for (const entry of list) {
    if (!isObject(entry) || typeof entry.ParameterKey !== 'string') return undefined;
    entries.push([entry.ParameterKey, entry.ParameterValue]);
  }
  return Object.fromEntries(entries); // own properties, even for a key named __proto__
}

/**
 * A StackSet's instances may override parameters (`StackInstancesGroup[].ParameterOverrides`): an overridden
 * parameter takes the StackSet's value in some instances and the override in others — free, without its Default.
 * Overrides that cannot be read free every parameter.
 */
function withOverrides(inputs: PassedInputs, groups: unknown): PassedInputs {
  if (groups === undefined) return inputs;
  const unreadable: PassedInputs = { parameters: {}, allParametersFree: true };
  if (!Array.isArray(groups)) return unreadable;
  const overridden: string[] = [];
  for (const group of groups) {
    if (!isObject(group)) return unreadable;
    if (group.ParameterOverrides === undefined) continue;
    if (!Array.isArray(group.ParameterOverrides)) return unreadable;
    for (const entry of group.ParameterOverrides) {
      if (!isObject(entry) || typeof entry.ParameterKey !== 'string') return unreadable;
      overridden.push(entry.ParameterKey);
    }
  }
  if (overridden.length === 0) return inputs;
  const parameters: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(inputs.parameters)) if (!overridden.includes(name)) parameters[name] = value;
  return { ...inputs, parameters, unfixedParameters: [...new Set([...(inputs.unfixedParameters ?? []), ...overridden])] };
}

/** Whether an `Fn::Transform` sits anywhere in `value`. */
function containsTransform(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsTransform);
  if (!isObject(value)) return false;
  return Object.entries(value).some(([key, inner]) => key === 'Fn::Transform' || containsTransform(inner));
}

/** `{"Fn::If": …}` or `{"Ref": …}`: a value computed by CloudFormation rather than written out. */
function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

/**
 * Macros the engine does not run: a template `Transform` other than SAM and LanguageExtensions, and
 * `Fn::Transform` (`AWS::Include` included) where it supplies resources — in `Resources` itself or as a
 * whole resource. Any of them may add a trail the engine never sees. (An `Fn::Transform` inside a trail's
 * properties already makes that trail's verdict `unknown`.)
 */
function hiddenByTransforms(model: TemplateModel): NestedStackReference[] {
  const hidden: NestedStackReference[] = [];
  model.transforms.forEach((name, index) => {
    if (KNOWN_TRANSFORMS.has(name)) return;
    const at = Array.isArray(model.body.Transform) ? ['Transform', index] : ['Transform'];
    hidden.push({ kind: 'unread', logicalId: name, path: at, reason: `the template Transform ${name} may add or change resources`, remote: false, what: 'macro' });
  });
  for (const [key, value] of Object.entries(model.resources)) {
    const transform = key === 'Fn::Transform' ? value : isObject(value) ? value['Fn::Transform'] : undefined;
    if (transform === undefined) continue;
    const name = isObject(transform) && typeof transform.Name === 'string' ? transform.Name : 'Fn::Transform';
    const location = isObject(transform) && isObject(transform.Parameters) ? transform.Parameters.Location : undefined;
    const snippet = typeof location === 'string' ? ` (${location})` : '';
    const at = key === 'Fn::Transform' ? ['Resources', key] : ['Resources', key, 'Fn::Transform'];
    const reason = `Fn::Transform ${name}${snippet} may add resources the linter does not read`;
    hidden.push({ kind: 'unread', logicalId: key, path: at, reason, remote: false, what: 'macro' });
  }
  return hidden;
}
