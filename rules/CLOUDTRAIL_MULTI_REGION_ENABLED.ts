import type { PropertyCheck, PropertyRule, PropertyValue } from '../src/rule';

/**
 * CLOUDTRAIL_MULTI_REGION_ENABLED — every AWS::CloudTrail::Trail a deployment creates has IsMultiRegionTrail true.
 *
 * Scenarios (templates/ holds one of each):
 * - pass: `IsMultiRegionTrail: true`, or "true" / "True" / "TRUE" (CloudFormation converts strings for Boolean properties)
 * - fail: false, "false", "yes", 1, a list, unset (CloudFormation's default is false), or removed by AWS::NoValue
 * - fail: IsMultiRegionTrail true with IncludeGlobalServiceEvents false — CloudTrail refuses to create it
 *   ("Multi-Region trail must include global service events"), so no multi-Region trail exists
 * - skip: the trail's Condition is false in every deployment
 * - unknown: the value depends on something the template cannot tell (SSM parameter, dynamic reference, macro…)
 */
const TRUE_SPELLINGS = new Set(['true', 'True', 'TRUE']);
const FALSE_SPELLINGS = ['false', 'False', 'FALSE'];

/** A value as a message shows it: short, whatever the template holds (a string of megabytes, an alias bomb). */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'a mapping';
  return JSON.stringify(value) ?? String(value);
}

export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && TRUE_SPELLINGS.has(value));
}

function check(property: PropertyValue, values: Readonly<Record<string, PropertyValue>> = {}): PropertyCheck {
  if (!property.present) return { compliant: false, problem: "IsMultiRegionTrail is not set (CloudFormation's default is false)" };
  if (!isTrue(property.value)) return { compliant: false, problem: `IsMultiRegionTrail is ${shown(property.value)}` };
  // Its default is true; CloudTrail refuses a multi-Region trail without it, and anything but true is not true.
  const globalEvents = Object.prototype.hasOwnProperty.call(values, 'IncludeGlobalServiceEvents') ? values.IncludeGlobalServiceEvents : undefined;
  if (globalEvents?.present && !isTrue(globalEvents.value)) {
    return {
      compliant: false,
      problem: `IncludeGlobalServiceEvents is ${shown(globalEvents.value)}: CloudTrail refuses a multi-Region trail without global service events, so it is never created multi-Region (set IncludeGlobalServiceEvents: true or remove it)`,
    };
  }
  return { compliant: true };
}

export const rule: PropertyRule = {
  kind: 'property',
  id: 'CLOUDTRAIL_MULTI_REGION_ENABLED',
  title: 'CloudTrail trails are multi-Region',
  description:
    'Every AWS::CloudTrail::Trail must set IsMultiRegionTrail to true, so that API activity in every Region is recorded — ' +
    'including Regions the account does not mean to use, where an attacker would go. CloudFormation creates a single-Region ' +
    'trail when the property is missing.',
  severity: 'high',
  aliases: ['CKV_AWS_67', 'D9.AWS.LOG.01', 'AVD-AWS-0014', 'CIS-AWS-3.1', 'CloudTrail.1', 'multi-region-cloudtrail-enabled'],
  frameworks: [
    'CIS AWS Foundations Benchmark 3.1 (2.1 in v1.2)',
    'AWS Foundational Security Best Practices (Security Hub CloudTrail.1)',
    'AWS Config multi-region-cloudtrail-enabled',
    'Check Point CloudGuard D9.AWS.LOG.01',
    'Checkov CKV_AWS_67',
    'Trivy AVD-AWS-0014',
  ],
  remediation: {
    cloudformation: 'Set `IsMultiRegionTrail: true` on the AWS::CloudTrail::Trail resource.',
    cdk: "Use `new cloudtrail.Trail(this, 'Trail')` (multi-Region by default) or pass `isMultiRegionTrail: true`; remove any `addPropertyOverride('IsMultiRegionTrail', false)`.",
    terraform: 'Set `is_multi_region_trail = true` on the `aws_cloudtrail` resource.',
    awsCli: 'aws cloudtrail update-trail --name <trail> --is-multi-region-trail',
  },
  fix: 'Set IsMultiRegionTrail: true',
  docsUrl: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html',
  resourceType: 'AWS::CloudTrail::Trail',
  property: 'IsMultiRegionTrail',
  relatedProperties: ['IncludeGlobalServiceEvents'],
  significantValues: [...TRUE_SPELLINGS, ...FALSE_SPELLINGS],
  noun: 'CloudTrail trail',
  nounPlural: 'CloudTrail trails',
  shortNoun: 'trail',
  compliantBehaviour: 'logs every Region',
  violationBehaviour: 'logs only its home Region',
  requirement: 'log every Region',
  whenUnset: "CloudFormation's default is false",
  waiver: 'log one Region',
  check,
};
