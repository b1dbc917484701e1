import type { PropertyValue, Qualification, SetRule } from '../src/rule';
import { isTrue, shown } from './CLOUDTRAIL_MULTI_REGION_ENABLED';

/**
 * ACCOUNT_MULTI_REGION_TRAIL_EXISTS — among the templates that deploy to one account, in every permitted deployment
 * at least one trail is created that is multi-Region, logging, with global service events, and records read and
 * write management events from every source (CIS AWS Foundations 3.1, Security Hub CloudTrail.1, AWS Config
 * multi-region-cloudtrail-enabled check the account this way, at run time).
 *
 * Scenarios:
 * - pass: one trail qualifies in every deployment, or trails under complementary conditions do together
 * - fail: some deployment creates no qualifying trail — only regional trails, ReadWriteType ReadOnly,
 *   IncludeManagementEvents false, data-only advanced selectors, IsLogging false
 * - unknown: whether a trail qualifies depends on what the templates cannot tell
 */
const FALSE_SPELLINGS = ['false', 'False', 'FALSE'];

function read(values: Readonly<Record<string, PropertyValue>>, name: string): PropertyValue {
  return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : { present: false };
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const field = (record: Record<string, unknown>, name: string): unknown => (Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined);

/** An EventSelectors entry that records read and write management events from every source. */
function allManagementEvents(selector: unknown): boolean {
  if (!isRecord(selector)) return false;
  const include = field(selector, 'IncludeManagementEvents');
  const readWrite = field(selector, 'ReadWriteType');
  const excluded = field(selector, 'ExcludeManagementEventSources');
  return (include === undefined || isTrue(include)) && (readWrite === undefined || readWrite === 'All') && (excluded === undefined || (Array.isArray(excluded) && excluded.length === 0));
}

/** An AdvancedEventSelectors entry that selects management events, neither read-only nor of some sources only. */
function advancedAllManagementEvents(selector: unknown): boolean {
  if (!isRecord(selector)) return false;
  const fields = field(selector, 'FieldSelectors');
  if (!Array.isArray(fields)) return false;
  const named = (name: string) => fields.filter((entry) => isRecord(entry) && field(entry, 'Field') === name) as Record<string, unknown>[];
  const management = named('eventCategory').some((entry) => {
    const equals = field(entry, 'Equals');
    return Array.isArray(equals) && equals.length === 1 && equals[0] === 'Management' && Object.keys(entry).every((key) => key === 'Field' || key === 'Equals');
  });
  return management && named('readOnly').length === 0 && named('eventSource').length === 0;
}

function qualifies(values: Readonly<Record<string, PropertyValue>>): Qualification {
  const multiRegion = read(values, 'IsMultiRegionTrail');
  if (!multiRegion.present || !isTrue(multiRegion.value)) {
    return { qualifies: false, lacks: multiRegion.present ? `IsMultiRegionTrail is ${shown(multiRegion.value)}` : 'IsMultiRegionTrail is not set (default false)' };
  }
  const logging = read(values, 'IsLogging');
  if (!logging.present || !isTrue(logging.value)) {
    return { qualifies: false, lacks: logging.present ? `IsLogging is ${shown(logging.value)}: it records nothing` : 'IsLogging is not set' };
  }
  const globalEvents = read(values, 'IncludeGlobalServiceEvents');
  if (globalEvents.present && !isTrue(globalEvents.value)) {
    return { qualifies: false, lacks: `IncludeGlobalServiceEvents is ${shown(globalEvents.value)}: CloudTrail refuses it on a multi-Region trail` };
  }
  // `EventSelectors: []`, what a CDK Trail renders by default, is no selection at all: CloudTrail refuses an empty
  // list, so CloudFormation sends none, and the trail keeps its default, every read and write management event.
  const written = read(values, 'EventSelectors');
  const selectors: PropertyValue = written.present && Array.isArray(written.value) && written.value.length === 0 ? { present: false } : written;
  const advanced = read(values, 'AdvancedEventSelectors');
  const listed = (property: PropertyValue) => (property.present && Array.isArray(property.value) ? property.value : []);
  const logsAll =
    (!selectors.present && !advanced.present) || listed(selectors).some(allManagementEvents) || listed(advanced).some(advancedAllManagementEvents);
  if (!logsAll) {
    return {
      qualifies: false,
      lacks: selectors.present
        ? 'its EventSelectors record no read and write management events from every source (ReadWriteType All, IncludeManagementEvents true, no ExcludeManagementEventSources)'
        : 'its AdvancedEventSelectors select no management events of every kind (eventCategory Management, no readOnly, no eventSource)',
    };
  }
  const organization = read(values, 'IsOrganizationTrail');
  if (organization.present && isTrue(organization.value)) {
    return { qualifies: true, note: 'an organization trail: it covers the member accounts only once it is deployed in the management account' };
  }
  return { qualifies: true };
}

export const rule: SetRule = {
  kind: 'set',
  id: 'ACCOUNT_MULTI_REGION_TRAIL_EXISTS',
  title: 'A multi-Region trail that logs all management events exists in every account',
  description:
    'Every account a set of templates deploys to must get at least one CloudTrail trail that is multi-Region, logging, and ' +
    'records read and write management events from every source — what CIS AWS Foundations 3.1, Security Hub CloudTrail.1 ' +
    'and the AWS Config rule multi-region-cloudtrail-enabled check in the running account.',
  severity: 'high',
  aliases: ['CloudTrail.1', 'multi-region-cloudtrail-enabled', 'CIS-AWS-3.1'],
  frameworks: [
    'CIS AWS Foundations Benchmark 3.1 (2.1 in v1.2)',
    'AWS Foundational Security Best Practices (Security Hub CloudTrail.1)',
    'AWS Config multi-region-cloudtrail-enabled',
  ],
  remediation: {
    cloudformation:
      'Add an AWS::CloudTrail::Trail with IsMultiRegionTrail: true and IsLogging: true, and no EventSelectors (or one with ReadWriteType: All and IncludeManagementEvents: true), to a template every account deploys.',
    cdk: "Add `new cloudtrail.Trail(this, 'Trail')` (multi-Region, all management events by default) to a stack of every environment's account.",
    terraform: 'Add an `aws_cloudtrail` with `is_multi_region_trail = true`, `enable_logging = true` and `read_write_type = "All"` management events.',
    awsCli: 'aws cloudtrail create-trail --name <trail> --s3-bucket-name <bucket> --is-multi-region-trail && aws cloudtrail start-logging --name <trail>',
  },
  fix: 'Add a trail with IsMultiRegionTrail: true, IsLogging: true and all read and write management events',
  docsUrl: 'https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html#cloudtrail-1',
  resourceType: 'AWS::CloudTrail::Trail',
  noun: 'CloudTrail trail',
  nounPlural: 'CloudTrail trails',
  shortNoun: 'trail',
  waiver: 'leave its account without a multi-Region trail that logs all management events',
  subject: 'a multi-Region trail that is logging and records all read and write management events',
  properties: ['IsMultiRegionTrail', 'IsLogging', 'IncludeGlobalServiceEvents', 'EventSelectors', 'AdvancedEventSelectors', 'IsOrganizationTrail'],
  significantValues: ['true', 'True', 'TRUE', ...FALSE_SPELLINGS, 'All', 'ReadOnly', 'WriteOnly', 'Management', 'Data', 'eventCategory', 'readOnly', 'eventSource'],
  qualifies,
};
