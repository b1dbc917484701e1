// One template per way the first two rounds of probing got a false `pass` or `skip` (issues #12 and #20), each
// with the verdicts it may get. A probe's text is real CloudFormation YAML, linted as the CLI lints a file.
import { describe, expect, it } from 'vitest';
import { lintSources } from '../../src/lint';
import type { LintOptions, Status } from '../../src/types';

interface Probe {
  name: string;
  yaml: string;
  /** Verdicts allowed for the trail named Trail. */
  allowed: Status[];
  options?: LintOptions;
}

const trail = (value: string, extra = '') => `
  Trail:
    Type: AWS::CloudTrail::Trail
${extra}    Properties:
      IsLogging: true
      S3BucketName: logs
      IsMultiRegionTrail: ${value}
`;

const NOT_PASS: Status[] = ['fail', 'unknown'];

const PROBES: Probe[] = [
  {
    name: 'a parameter compared with a computed value (Fn::Join) is tried with that value',
    yaml: `Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, !Join ['', [pr, od]]]
Resources:${trail('!If [IsProd, false, true]')}`,
    allowed: ['fail'],
  },
  {
    name: 'a parameter compared with a Fn::Sub of constants',
    yaml: `Parameters:
  Env: {Type: String}
Conditions:
  IsProd: !Equals [!Sub 'pr\${Suffix}', !Ref Env]
Resources:${trail('!If [IsProd, false, true]')}`.replace('${Suffix}', 'od'),
    allowed: ['fail'],
  },
  {
    name: 'a parameter compared with a mapping value',
    yaml: `Parameters:
  Env: {Type: String}
Mappings:
  Names: {Prod: {Name: production}}
Conditions:
  IsProd: !Equals [!Ref Env, !FindInMap [Names, Prod, Name]]
Resources:${trail('!If [IsProd, false, true]')}`,
    allowed: ['fail'],
  },
  {
    name: 'a parameter compared with the Region',
    yaml: `Parameters:
  HomeRegion: {Type: String}
Conditions:
  IsHome: !Equals [!Ref AWS::Region, !Ref HomeRegion]
Resources:${trail('false', '    Condition: IsHome\n')}`,
    allowed: ['fail'],
  },
  {
    name: 'a parameter compared with the account ID',
    yaml: `Parameters:
  Audit: {Type: String}
Conditions:
  IsAudit: !Equals [!Ref Audit, !Ref AWS::AccountId]
Resources:${trail('false', '    Condition: IsAudit\n')}`,
    allowed: ['fail'],
  },
  {
    name: 'two parameters compared with each other',
    yaml: `Parameters:
  A: {Type: String}
  B: {Type: String}
Conditions:
  Same: !Equals [!Ref A, !Ref B]
Resources:${trail('!If [Same, true, false]')}`,
    allowed: ['fail'],
  },
  {
    name: 'an AllowedPattern none of the made-up values matches',
    yaml: `Parameters:
  Account: {Type: String, AllowedPattern: '\\d{12}'}
Conditions:
  IsAudit: !Equals [!Ref Account, '123456789012']
Resources:${trail('false', '    Condition: IsAudit\n')}`,
    allowed: ['fail'],
  },
  {
    name: 'an error in the branch Fn::If does not take',
    yaml: `Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:${trail("!If [IsProd, !Select [5, [a]], false]")}`,
    allowed: ['fail'],
  },
  {
    name: 'AWS::NotificationARNs is a list',
    yaml: `Conditions:
  NoTopics: !Equals [!Join [',', !Ref AWS::NotificationARNs], '']
Resources:${trail('false', '    Condition: NoTopics\n')}`,
    allowed: ['fail', 'unknown'],
  },
  {
    name: 'a mapping name from a parameter',
    yaml: `Parameters:
  Profile: {Type: String}
Mappings:
  Strict: {Trail: {Multi: true}}
  Loose: {Trail: {Multi: false}}
Resources:${trail('!FindInMap [!Ref Profile, Trail, Multi]')}`,
    allowed: ['fail'],
  },
  {
    name: 'a Default outside its own AllowedValues fixes nothing',
    yaml: `Parameters:
  Multi: {Type: String, Default: 'true', AllowedValues: ['false', 'no']}
Resources:${trail('!Ref Multi')}`,
    allowed: ['fail'],
  },
  {
    name: 'a parameter named valueOf',
    yaml: `Parameters:
  valueOf: {Type: String, AllowedValues: ['true', 'false']}
Resources:${trail('!Ref valueOf')}`,
    allowed: ['fail'],
  },
  {
    name: 'a condition named toString and a parameter named constructor',
    yaml: `Parameters:
  constructor: {Type: String}
Conditions:
  toString: !Equals [!Ref constructor, prod]
Resources:${trail('!If [toString, true, false]')}`,
    allowed: ['fail'],
  },
  {
    name: 'Fn::ForEach over a parameter named toString',
    yaml: `Transform: AWS::LanguageExtensions
Parameters:
  toString: {Type: CommaDelimitedList, Default: 'A,B'}
Resources:
  Fn::ForEach::Trails:
    - Name
    - !Ref toString
    - Trail\${Name}:
        Type: AWS::CloudTrail::Trail
        Properties:
          IsLogging: true
          S3BucketName: logs
          IsMultiRegionTrail: false
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, S3BucketName: logs, IsMultiRegionTrail: false}
`,
    allowed: ['fail'],
  },
  {
    name: 'a list parameter with AllowedValues read past its first item',
    yaml: `Parameters:
  Modes: {Type: CommaDelimitedList, AllowedValues: [single, multi]}
Conditions:
  SecondIsSingle: !Equals [!Select [1, !Ref Modes], single]
Resources:${trail('false', '    Condition: SecondIsSingle\n')}`,
    allowed: ['fail'],
  },
  {
    name: 'a Region-keyed mapping that names many Regions still meets one it does not name',
    yaml: `Transform: AWS::LanguageExtensions
Mappings:
  Regions:
${['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-south-1', 'ap-south-2', 'ap-east-1', 'ca-central-1', 'ca-west-1', 'sa-east-1', 'me-south-1', 'me-central-1', 'il-central-1', 'af-south-1', 'mx-central-1'].map((region) => `    ${region}: {Multi: true}`).join('\n')}
Resources:${trail("!FindInMap [Regions, !Ref AWS::Region, Multi, {DefaultValue: false}]")}`,
    allowed: ['fail'],
  },
  {
    name: 'every value tried makes the deployment fail to evaluate, for an input not covered',
    yaml: `Parameters:
  Index: {Type: String}
Resources:${trail("!Select [!Ref Index, [true, false]]")}`,
    allowed: ['fail', 'unknown'],
  },
  {
    name: 'a multi-Region trail without global service events',
    yaml: `Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, S3BucketName: logs, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false}
`,
    allowed: ['fail'],
  },
  {
    name: 'an input that reaches the value through string functions',
    yaml: `Parameters:
  Flag: {Type: String}
Resources:${trail("!Select [0, !Split [',', !Sub '${Flag},x']]")}`,
    allowed: NOT_PASS,
  },
];

describe('probes: no false pass or skip', () => {
  for (const probe of PROBES) {
    it(probe.name, () => {
      for (const strict of [false, true]) {
        const report = lintSources([{ file: '/tmp/probe.yaml', text: probe.yaml }], { cwd: '/tmp', strict, ...probe.options });
        expect(report.errors, JSON.stringify(report.errors)).toEqual([]);
        const results = report.results.filter((result) => result.logicalId === 'Trail');
        expect(results).toHaveLength(1);
        expect(probe.allowed, `${results[0].status}: ${results[0].message}`).toContain(results[0].status);
      }
    });
  }
});

// Breaks an attacker found in the first version of the observed-inputs engine; each must stay fixed.
const ATTACKS: Probe[] = [
  {
    name: 'YAML merge keys are read expanded',
    yaml: `Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Mappings:
  M:
    dev: {multi: 'true'}
    prod: {<<: {multi: 'false'}}
Resources:${trail('!FindInMap [M, !Ref Env, multi]')}`,
    allowed: ['fail'],
  },
  {
    name: 'AWS::Include inside Mappings makes the mapping unknown',
    yaml: `Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Mappings:
  M:
    dev: {multi: 'true'}
    prod:
      Fn::Transform: {Name: AWS::Include, Parameters: {Location: 's3://bucket/snippet.yaml'}}
Resources:${trail('!FindInMap [M, !Ref Env, multi]')}`,
    allowed: NOT_PASS,
  },
  {
    name: 'Fn::ForEach replaces its identifier in plain strings',
    yaml: `Transform: AWS::LanguageExtensions
Conditions:
  Fn::ForEach::Envs:
    - Name
    - [prod]
    - Is\${Name}: !Equals ['\${Name}', 'prod']
Resources:${trail('!If [Isprod, false, true]')}`,
    allowed: ['fail'],
  },
  {
    name: 'a list read past its fourth item is tried long enough',
    yaml: `Parameters:
  L: {Type: CommaDelimitedList}
Resources:${trail('!Select [5, !Ref L]')}`,
    allowed: ['fail'],
  },
  {
    name: 'Fn::ForEach does not expand over a Default CloudFormation refuses',
    yaml: `Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList, Default: 'a,b', AllowedValues: [c, d]}
Mappings:
  M:
    c: {multi: 'false'}
    d: {multi: 'true'}
Resources:
  Fn::ForEach::Trails:
    - Name
    - !Ref Names
    - Trail\${Name}:
        Type: AWS::CloudTrail::Trail
        Properties: {IsLogging: true, S3BucketName: logs, IsMultiRegionTrail: !FindInMap [M, !Ref Name, multi]}
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, S3BucketName: logs, IsMultiRegionTrail: true}
`,
    allowed: ['pass'],
  },
];

describe('probes: attacks on the observed-inputs engine', () => {
  for (const probe of ATTACKS) {
    it(probe.name, () => {
      for (const strict of [false, true]) {
        const report = lintSources([{ file: '/tmp/probe.yaml', text: probe.yaml }], { cwd: '/tmp', strict });
        expect(report.errors, JSON.stringify(report.errors)).toEqual([]);
        const statuses = report.results.map((result) => [result.logicalId, result.status]);
        const trail = report.results.find((result) => result.logicalId === 'Trail');
        expect(probe.allowed, JSON.stringify(statuses)).toContain(trail?.status);
        // Every other trail (those a loop writes) may never pass.
        for (const result of report.results) if (result.logicalId !== 'Trail') expect(result.status, JSON.stringify(statuses)).not.toBe('pass');
      }
    });
  }

  it('two deployments never share a key (values with NUL characters)', () => {
    const template = {
      Parameters: { X: { Type: 'String' }, Y: { Type: 'String' } },
      Conditions: {
        Decoy: { 'Fn::And': [{ 'Fn::Equals': [{ Ref: 'X' }, 'a\u0000string:b'] }, { 'Fn::Equals': [{ Ref: 'Y' }, 'c'] }] },
        Bad: { 'Fn::And': [{ 'Fn::Equals': [{ Ref: 'X' }, 'a'] }, { 'Fn::Equals': [{ Ref: 'Y' }, 'b\u0000string:c'] }] },
      },
      Resources: {
        Trail: {
          Type: 'AWS::CloudTrail::Trail',
          Properties: { IsLogging: true, S3BucketName: 'logs', IsMultiRegionTrail: { 'Fn::If': ['Decoy', true, { 'Fn::If': ['Bad', false, true] }] } },
        },
      },
    };
    const report = lintSources([{ file: '/tmp/probe.json', text: JSON.stringify(template) }], { cwd: '/tmp' });
    expect(report.results.map((result) => result.status)).toEqual(['fail']);
  });
});

describe('probes: a fixed input compared with an open one', () => {
  it('its value is a constant the open input is also tried unequal to', () => {
    const yaml = `Parameters:
  Env: {Type: String, Default: us-east-1}
Conditions:
  Elsewhere: !Not [!Equals [!Ref Env, !Ref AWS::Region]]
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Condition: Elsewhere
    Properties: {IsLogging: true, S3BucketName: logs, IsMultiRegionTrail: false}
`;
    const report = lintSources([{ file: '/tmp/probe.yaml', text: yaml }], { cwd: '/tmp' });
    expect(report.results.map((result) => result.status)).toEqual(['fail']);
  });
});
