import * as path from 'node:path';
import { CfnElement, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { lintSources, type TemplateSource } from '../lint';
import type { InputErrorRecord, LintOptions, TrailResult } from '../types';
import { passedParameters } from '../evaluate/model';
import { ACKNOWLEDGED_RULES_METADATA, acknowledgementsAt } from '../load/cloud-assembly';

/** A finding, and the trail construct it is about (to annotate). */
export interface ConstructFinding {
  result: TrailResult;
  trail: CfnResource;
}

/**
 * Lints every trail under `root` with the file engine — the Aspect's whole evaluation. Each stack is linted on its
 * own, so that each finding leads back to its construct.
 */
export function lintConstructTree(root: IConstruct, options: LintOptions): { findings: ConstructFinding[]; errors: InputErrorRecord[] } {
  const findings: ConstructFinding[] = [];
  const errors: InputErrorRecord[] = [];
  for (const { source, trails } of stackSources(root)) {
    const report = lintSources([source], options);
    errors.push(...report.errors);
    for (const result of report.results) {
      const trail = trails.get(result.logicalId);
      if (trail) findings.push({ result, trail });
    }
  }
  return { findings, errors };
}

/** A stack's template as the engine reads it, and its trails by logical ID, to hang findings on. */
interface StackSource {
  source: TemplateSource;
  trails: Map<string, CfnResource>;
}

const TRAIL_TYPE = 'AWS::CloudTrail::Trail';

/**
 * The template of every stack under `root` that holds a trail — top-level stacks, nested stacks, and stacks
 * inside Stages at any depth — rendered as synthesis writes it.
 *
 * Rendering goes through CDK's internal `_toCloudFormation()` and `stack.resolve()`: property getters such as
 * `CfnTrail.isMultiRegionTrail` miss escape hatches (`addPropertyOverride`), the rendered template does not.
 */
function stackSources(root: IConstruct): StackSource[] {
  const byStack = new Map<Stack, CfnResource[]>();
  // findAll descends into Stages too, which the App's own aspects never visit.
  for (const construct of root.node.findAll()) {
    if (!CfnResource.isCfnResource(construct) || construct.cfnResourceType !== TRAIL_TYPE) continue;
    const stack = Stack.of(construct);
    byStack.set(stack, [...(byStack.get(stack) ?? []), construct]);
  }
  return [...byStack].map(([stack, trails]) => stackSource(stack, trails));
}

function stackSource(stack: Stack, trails: CfnResource[]): StackSource {
  const byLogicalId = new Map<string, CfnResource>();
  const constructPaths: Record<string, string> = {};
  const acknowledgements: NonNullable<TemplateSource['acknowledgements']> = {};
  for (const trail of trails) {
    const logicalId = stack.resolve(trail.logicalId) as string;
    byLogicalId.set(logicalId, trail);
    constructPaths[logicalId] = trail.node.path;
    const found = acknowledgementsAt(trail.node.path, acknowledgementsRecordedAbove(trail));
    if (found.length > 0) acknowledgements[logicalId] = found;
  }
  const source: TemplateSource = {
    file: path.join(Stage.of(stack)?.outdir ?? '', stack.templateFile),
    body: renderedForTrails(stack),
    stack: stackNameOf(stack),
    constructPaths,
  };
  if (Object.keys(acknowledgements).length > 0) source.acknowledgements = acknowledgements;
  Object.assign(source, parametersPassedTo(stack));
  return { source, trails: byLogicalId };
}

/**
 * `Validations.of(x).acknowledge()` data on the construct and its ancestors up to its (outermost) stack, by
 * construct path. Not above the stack: cdk.out keeps a stack's metadata only, and the CLI must agree.
 */
function acknowledgementsRecordedAbove(construct: IConstruct): (constructPath: string) => Record<string, unknown>[] {
  const byPath = new Map<string, Record<string, unknown>[]>();
  const scopes = construct.node.scopes;
  for (const scope of scopes.slice(scopes.findIndex((candidate) => Stack.isStack(candidate)))) {
    const data = scope.node.metadata
      .filter((entry) => entry.type === ACKNOWLEDGED_RULES_METADATA && typeof entry.data === 'object' && entry.data !== null)
      .map((entry) => entry.data as Record<string, unknown>);
    byPath.set(scope.node.path, data);
  }
  return (constructPath) => byPath.get(constructPath) ?? [];
}

/** Named as the cloud assembly reader names it: a nested stack is `<parent>/<logical ID of its stack resource>`. */
function stackNameOf(stack: Stack): string {
  const parent = stack.nestedStackParent;
  const resource = stack.nestedStackResource;
  if (!parent || !resource) return stack.stackName;
  return `${stackNameOf(parent)}/${parent.resolve(resource.logicalId) as string}`;
}

/** What the parent passes to a nested stack (its `AWS::CloudFormation::Stack` resource's Parameters). */
function parametersPassedTo(stack: Stack): Pick<TemplateSource, 'parameters' | 'unfixedParameters'> | undefined {
  const parent = stack.nestedStackParent;
  const resource = stack.nestedStackResource;
  if (!parent || !resource) return undefined;
  const template = parent.resolve(rendered(resource)) as { Resources?: Record<string, { Properties?: { Parameters?: unknown } }> };
  const [rendering] = Object.values(template.Resources ?? {});
  return passedParameters(rendering?.Properties?.Parameters);
}

/**
 * The parts of a stack's template a trail's verdict can depend on, rendered as synthesis writes them: its
 * trails and every element that is not a resource (Parameters, Conditions, Mappings…), and its transforms.
 * Every other resource is written as its type only
 * (a `Ref` to it must resolve to something): rendering the whole stack twice would cost as much as its synthesis.
 */
function renderedForTrails(stack: Stack): unknown {
  const template: Record<string, Record<string, unknown>> = { Resources: {} };
  for (const element of stack.node.findAll()) {
    if (!CfnElement.isCfnElement(element) || element.stack !== stack) continue;
    if (CfnResource.isCfnResource(element) && element.cfnResourceType !== TRAIL_TYPE) {
      // getLogicalId gives the name without a token round trip: this loop runs over every resource of the stack.
      template.Resources[stack.getLogicalId(element)] = { Type: element.cfnResourceType };
      continue;
    }
    const fragment = stack.resolve(rendered(element)) as Record<string, Record<string, unknown>>;
    for (const [section, entries] of Object.entries(fragment)) template[section] = { ...template[section], ...entries };
  }
  const transforms = stack.templateOptions.transforms;
  return transforms && transforms.length > 0 ? { ...template, Transform: transforms.length === 1 ? transforms[0] : transforms } : template;
}

/** CDK's internal renderer: exactly what synthesis writes, overrides included. */
function rendered(element: Stack | CfnElement): unknown {
  return (element as unknown as { _toCloudFormation(): unknown })._toCloudFormation();
}
