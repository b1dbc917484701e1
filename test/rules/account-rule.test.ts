// ACCOUNT_MULTI_REGION_TRAIL_EXISTS over sets of templates that deploy together: each class the issue names.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPaths, lintSources } from '../../src/lint';
import type { TrailResult } from '../../src/types';

const RULE = 'ACCOUNT_MULTI_REGION_TRAIL_EXISTS';

function trail(properties: string, extra = ''): string {
  return `    Type: AWS::CloudTrail::Trail\n${extra}    Properties:\n      S3BucketName: logs\n${properties
    .trim()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n')}\n`;
}

function judge(...templates: string[]): TrailResult {
  const sources = templates.map((text, index) => ({ file: `/tmp/account-${index}.yaml`, text }));
  const report = lintSources(sources, { cwd: '/tmp', rules: [RULE] });
  expect(report.errors).toEqual([]);
  const results = report.results.filter((result) => result.ruleId === RULE);
  expect(results).toHaveLength(1);
  return results[0];
}

const QUALIFYING = `Resources:\n  Audit:\n${trail('IsMultiRegionTrail: true\nIsLogging: true')}`;

describe(RULE, () => {
  it('Compliance: a multi-Region, logging trail with the default event selection', () => {
    const result = judge(QUALIFYING);
    expect([result.status, result.logicalId]).toEqual(['pass', 'Audit']);
  });

  it('Compliance: an EventSelectors entry with ReadWriteType All and management events', () => {
    expect(judge(`Resources:\n  Audit:\n${trail('IsMultiRegionTrail: true\nIsLogging: true\nEventSelectors:\n  - {ReadWriteType: All, IncludeManagementEvents: true}')}`).status).toBe('pass');
  });

  it('Compliance: trails under complementary conditions pass together', () => {
    const template = `Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [Condition: IsProd]
Resources:
  ProdTrail:
${trail('IsMultiRegionTrail: true\nIsLogging: true', '    Condition: IsProd\n')}  DevTrail:
${trail('IsMultiRegionTrail: true\nIsLogging: true', '    Condition: IsDev\n')}`;
    expect(judge(template).status).toBe('pass');
  });

  it('Compliance: one qualifying template is enough for the set', () => {
    const regional = `Resources:\n  Regional:\n${trail('IsMultiRegionTrail: false\nIsLogging: true')}`;
    expect(judge(regional, QUALIFYING).status).toBe('pass');
  });

  it('Compliance: an organization trail, with the note on member accounts', () => {
    const result = judge(`Resources:\n  Org:\n${trail('IsMultiRegionTrail: true\nIsLogging: true\nIsOrganizationTrail: true')}`);
    expect(result.status).toBe('pass');
    expect(result.message).toMatch(/member accounts/);
  });

  const failing: [string, string][] = [
    ['only regional trails', 'IsMultiRegionTrail: false\nIsLogging: true'],
    ['ReadWriteType ReadOnly', 'IsMultiRegionTrail: true\nIsLogging: true\nEventSelectors:\n  - {ReadWriteType: ReadOnly}'],
    ['IncludeManagementEvents false', 'IsMultiRegionTrail: true\nIsLogging: true\nEventSelectors:\n  - {IncludeManagementEvents: false}'],
    [
      'data-only advanced selectors',
      'IsMultiRegionTrail: true\nIsLogging: true\nAdvancedEventSelectors:\n  - FieldSelectors:\n      - {Field: eventCategory, Equals: [Data]}\n      - {Field: resources.type, Equals: [AWS::S3::Object]}',
    ],
    ['IsLogging false', 'IsMultiRegionTrail: true\nIsLogging: false'],
  ];
  it.each(failing)('Noncompliance: %s', (_name, properties) => {
    const result = judge(`Resources:\n  Candidate:\n${trail(properties)}`);
    expect(result.status).toBe('fail');
    expect(result.because?.join('\n')).toMatch(/Candidate/);
  });

  it('Noncompliance: IsLogging from a parameter whose AllowedValues include false names that deployment', () => {
    const result = judge(`Parameters:
  Logging: {Type: String, AllowedValues: ['true', 'false']}
Resources:
  Audit:
${trail('IsMultiRegionTrail: true\nIsLogging: !Ref Logging')}`);
    expect([result.status, result.when]).toEqual(['fail', { Logging: 'false' }]);
  });

  it('Noncompliance: a qualifying trail under a condition some deployment turns off', () => {
    const result = judge(`Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Audit:
${trail('IsMultiRegionTrail: true\nIsLogging: true', '    Condition: IsProd\n')}`);
    expect([result.status, result.when]).toEqual(['fail', { Env: 'dev' }]);
  });

  it('unknown where the template cannot tell', () => {
    const result = judge(`Parameters:
  Logging: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /audit/logging}
Resources:
  Audit:
${trail('IsMultiRegionTrail: true\nIsLogging: !Ref Logging')}`);
    expect(result.status).toBe('unknown');
  });

  it('is opt-in: not run unless selected', () => {
    const report = lintSources([{ file: '/tmp/a.yaml', text: QUALIFYING }], { cwd: '/tmp' });
    expect(report.results.map((result) => result.ruleId)).toEqual(['CLOUDTRAIL_MULTI_REGION_ENABLED']);
  });

  it('groups a cloud assembly by account: one account without a qualifying trail fails, naming it', async () => {
    const { App, Stack } = await import('aws-cdk-lib');
    const { CfnTrail } = await import('aws-cdk-lib/aws-cloudtrail');
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'account-rule-'));
    const app = new App({ outdir });
    const good = new Stack(app, 'Good', { env: { account: '111111111111', region: 'eu-west-1' } });
    new CfnTrail(good, 'Audit', { isLogging: true, isMultiRegionTrail: true, s3BucketName: 'logs' });
    const bad = new Stack(app, 'Bad', { env: { account: '222222222222', region: 'eu-west-1' } });
    new CfnTrail(bad, 'Regional', { isLogging: true, isMultiRegionTrail: false, s3BucketName: 'logs' });
    app.synth();
    const report = lintPaths([outdir], { cwd: outdir, rules: [RULE] });
    const byGroup = Object.fromEntries(report.results.map((result) => [result.group, result.status]));
    expect(byGroup).toEqual({ 'account 111111111111': 'pass', 'account 222222222222': 'fail' });
    expect(report.results.find((result) => result.status === 'fail')?.message).toMatch(/account 222222222222 \(aws:\/\/222222222222\/eu-west-1\)/);
  });
});

describe(`${RULE} in the CDK Aspect`, () => {
  it('fails app.synth() when one account of the app, inside a Stage, lacks a qualifying trail, naming the account', async () => {
    const { App, Aspects, Stack, Stage } = await import('aws-cdk-lib');
    const { CfnTrail } = await import('aws-cdk-lib/aws-cloudtrail');
    const { MultiRegionTrailAspect, MultiRegionTrailError } = await import('../../src/cdk');
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'account-aspect-')) });
    Aspects.of(app).add(new MultiRegionTrailAspect({ rules: [RULE] }));
    const stage = new Stage(app, 'Prod');
    const good = new Stack(stage, 'Good', { env: { account: '111111111111', region: 'eu-west-1' } });
    new CfnTrail(good, 'Audit', { isLogging: true, isMultiRegionTrail: true, s3BucketName: 'logs' });
    const bad = new Stack(stage, 'Bad', { env: { account: '222222222222', region: 'eu-west-1' } });
    new CfnTrail(bad, 'Regional', { isLogging: true, isMultiRegionTrail: false, s3BucketName: 'logs' });
    let thrown: unknown;
    try {
      app.synth();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MultiRegionTrailError);
    expect(String((thrown as Error).message)).toMatch(/account 222222222222/);
    expect(String((thrown as Error).message)).not.toMatch(/account 111111111111/);
  });
});
