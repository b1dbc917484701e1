import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ALL_RULES, DEFAULT_RULE_IDS } from '../../rules';
import { ACKNOWLEDGED_RULES_METADATA } from '../load/cloud-assembly';
import { TOOL } from '../version';

/**
 * Acknowledges that the resources of `construct` and of all its children may break the rule `ruleId` (by default the
 * first default rule: trails may log one Region), for `reason` (required), as cdk-nag users suppress findings.
 * Honoured by `MultiRegionTrailAspect`, `checkStack`, the validation plugin and `cfn-trail-lint cdk.out` alike: it
 * records CDK's own acknowledgement metadata (`aws:cdk:acknowledged-rules`, as `Validations.of(construct).acknowledge()`
 * does on recent aws-cdk-lib), which `cdk synth` writes into the stack's metadata in cdk.out. Works on every supported
 * aws-cdk-lib, including those without `Validations`.
 *
 * On a Stage or the App, whose metadata cdk.out does not keep, it is recorded on every stack below instead.
 */
export function acknowledge(construct: IConstruct, reason: string, ruleId: string = DEFAULT_RULE_IDS[0]): void {
  const rule = ALL_RULES.find((candidate) => candidate.id === ruleId);
  if (!rule) throw new Error(`${TOOL.name}: acknowledge(${construct.node.path || 'the App'}): no rule ${ruleId} (${ALL_RULES.map(({ id }) => id).join(', ')})`);
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new Error(`${TOOL.name}: acknowledge(${construct.node.path || 'the App'}): the reason is required: say why its ${rule.nounPlural} may ${rule.waiver}`);
  }
  // Recorded under the plugin's name: CDK then matches it to MultiRegionTrailPlugin's violations as well.
  const data = { [`${TOOL.name}::${rule.id}`]: reason };
  for (const holder of holdersOf(construct)) holder.node.addMetadata(ACKNOWLEDGED_RULES_METADATA, data);
}

/**
 * `acknowledge()` for the construct at `path` in `stack`, as `NagSuppressions.addResourceSuppressionsByPath`: the
 * path as `cdk synth` prints it (`/Audit/Trail/Resource`; the leading `/` is optional), or relative to the stack.
 * A path that names no construct throws, so that a renamed construct does not leave a stale acknowledgement.
 */
export function acknowledgeByPath(stack: Stack, path: string, reason: string, ruleId: string = DEFAULT_RULE_IDS[0]): void {
  const wanted = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const candidates = [wanted, `${stack.node.path}/${wanted}`];
  const found = [stack, ...stack.node.findAll()].find((construct) => candidates.includes(construct.node.path));
  if (!found) throw new Error(`${TOOL.name}: acknowledgeByPath: no construct at "${path}" in stack ${stack.node.path}`);
  acknowledge(found, reason, ruleId);
}

/** The constructs whose metadata cdk.out keeps for `construct`'s resources: itself within a stack, else the stacks below it. */
function holdersOf(construct: IConstruct): IConstruct[] {
  if (construct.node.scopes.some((scope) => Stack.isStack(scope))) return [construct];
  const stacks: IConstruct[] = [];
  const visit = (scope: IConstruct) => {
    for (const child of scope.node.children) {
      if (Stack.isStack(child)) stacks.push(child);
      else visit(child);
    }
  };
  visit(construct);
  return stacks;
}
