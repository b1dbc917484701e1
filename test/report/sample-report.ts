// A hand-built report with one result of every status, a cloud-assembly result, an input error, a warning, and
// text that each format must escape — so the golden outputs do not move when the engine's wording does.
import type { LintReport } from '../../src/types';

/** Where the sample was "linted"; one result carries an absolute path under it. */
export const SAMPLE_CWD = '/home/ci/project';

export const SAMPLE_REPORT: LintReport = {
  tool: { name: 'cfn-trail-lint', version: '1.0.0' },
  results: [
    {
      ruleId: 'CLOUDTRAIL_MULTI_REGION_ENABLED',
      status: 'fail',
      file: 'templates/noncompliant/regional.yaml',
      logicalId: 'RegionalTrail',
      line: 9,
      column: 7,
      message: 'CloudTrail trail RegionalTrail logs only its home Region: IsMultiRegionTrail is false',
      when: { Environment: 'dev' },
      because: [
        'IsMultiRegionTrail: !If [IsProd, true, false] (line 9)',
        'IsProd: !Equals [!Ref Environment, prod] (line 4)',
        'Environment: no Default; AllowedValues [dev, prod] (line 2)',
      ],
      fix: 'Set IsMultiRegionTrail: true',
    },
    {
      ruleId: 'CLOUDTRAIL_MULTI_REGION_ENABLED',
      status: 'pass',
      file: 'templates/noncompliant/regional.yaml',
      logicalId: 'OrganizationTrail',
      line: 15,
      column: 7,
      message: 'CloudTrail trail OrganizationTrail logs every Region',
    },
    {
      ruleId: 'CLOUDTRAIL_MULTI_REGION_ENABLED',
      status: 'unknown',
      file: 'templates/unknown/ssm parameter.yaml',
      logicalId: 'SsmTrail',
      line: 12,
      column: 7,
      message: 'CloudTrail trail SsmTrail: IsMultiRegionTrail depends on an SSM parameter, 50% unknowable: "a, b" <&>',
      because: ['IsMultiRegionTrail: !Ref MultiRegion (line 12)', 'MultiRegion: AWS::SSM::Parameter::Value<String> (line 3)'],
      fix: 'Set IsMultiRegionTrail: true',
    },
    {
      ruleId: 'CLOUDTRAIL_MULTI_REGION_ENABLED',
      status: 'skip',
      file: 'templates/skip/never-created.yaml',
      logicalId: 'NeverTrail',
      line: 8,
      column: 3,
      message: 'CloudTrail trail NeverTrail is created by no deployment: condition Never is false',
    },
    {
      ruleId: 'CLOUDTRAIL_MULTI_REGION_ENABLED',
      status: 'suppressed',
      file: `${SAMPLE_CWD}/cdk.out/assembly-Prod/ProdAudit.template.json`,
      logicalId: 'DataEventsTrail1A2B3C4D',
      stack: 'Prod-Audit',
      constructPath: 'Prod/Audit/DataEventsTrail/Resource',
      line: 23,
      column: 9,
      message: 'CloudTrail trail DataEventsTrail1A2B3C4D logs only its home Region: IsMultiRegionTrail is false',
      because: ['IsMultiRegionTrail: false (line 23)'],
      fix: 'Set IsMultiRegionTrail: true',
      suppression: {
        id: 'CKV_AWS_67',
        reason: 'Regional data-event trail; the organization trail covers all Regions',
        source: 'checkov',
      },
    },
  ],
  errors: [
    {
      file: 'templates/broken.yaml',
      line: 5,
      column: 27,
      code: 'E1003',
      message: 'unknown tag !Reff\u0007 (did you mean !Ref?)',
    },
  ],
  warnings: [
    {
      file: 'templates/noncompliant/regional.yaml',
      line: 12,
      column: 5,
      message: "duplicate key 'IsLogging': CloudFormation keeps the last value (this one), not the one at line 10",
      code: 'W1001',
    },
  ],
  summary: { pass: 1, fail: 1, unknown: 1, skip: 1, suppressed: 1, errors: 1 },
};
