// Hand-written probes, one per class of issues #12 and #20 that templates2.ts does not reach (names that are
// JavaScript properties, YAML 1.1 scalars, Java patterns, AWS::NotificationARNs, Regions beyond the table, nested
// stacks, Fn::ForEach…). Each names the deployment that makes its trail single-Region (or refused by CloudTrail):
// the engine must not say pass or skip. Templates are written to a temporary folder and linted from disk.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/codes';
import { lintPaths } from '../../src/lint';
import type { LintOptions, LintReport } from '../../src/types';

interface Probe {
  /** The class of the issue it belongs to, and the failing deployment. */
  name: string;
  /** File name → text; the first file is the one linted unless `lint` names others. */
  files: Record<string, string>;
  lint?: string[];
  options?: LintOptions;
  /** The trail judged, and in which file (default: the first). */
  trail?: string;
  file?: string;
  /** `every`: every result for the trail is fail/unknown (default); `some`: at least one is (a file judged twice). */
  expect?: 'every' | 'some';
}

/** A trail whose IsMultiRegionTrail is `value` (YAML), created under `condition` when given. */
function trail(value: string, condition?: string, extra = ''): string {
  return `  Trail:
    Type: AWS::CloudTrail::Trail
${condition ? `    Condition: ${condition}\n` : ''}    Properties:
      IsLogging: true
      S3BucketName: logs
      IsMultiRegionTrail: ${value}
${extra}`;
}

const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7', 'ap-south-1',
  'ap-south-2', 'ap-east-1', 'ca-central-1', 'ca-west-1', 'sa-east-1', 'me-south-1', 'me-central-1', 'il-central-1',
  'af-south-1', 'mx-central-1', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1',
];

const JS_NAMES = ['valueOf', 'toString', 'constructor', 'hasOwnProperty', '__proto__'];

const PROBES: Probe[] = [
  // #12: names are data.
  ...JS_NAMES.flatMap((name): Probe[] => [
    {
      name: `#12 parameter named ${name} (${name}=false)`,
      files: {
        'template.yaml': `Parameters:
  ${name}:
    Type: String
    AllowedValues: ['true', 'false']
Conditions:
  IsOff: !Equals [!Ref ${name}, 'false']
Resources:
${trail('!If [IsOff, false, true]')}`,
      },
    },
    {
      name: `#12 parameter named ${name} in strict mode, its Default fixing nothing (${name}=false)`,
      files: {
        'template.yaml': `Parameters:
  ${name}:
    Type: String
    Default: 'true'
Resources:
${trail(`!Ref ${name}`)}`,
      },
      options: { strict: true },
    },
    {
      name: `#12 condition named ${name} (Env=prod)`,
      files: {
        'template.yaml': `Parameters:
  Env:
    Type: String
Conditions:
  ${name}: !Equals [!Ref Env, prod]
Resources:
${trail(`!If [${name}, false, true]`)}`,
      },
    },
    {
      name: `#12 mapping named ${name} (Env=dev)`,
      files: {
        'template.yaml': `Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
Mappings:
  ${name}:
    dev: {Multi: false}
    prod: {Multi: true}
Resources:
${trail(`!FindInMap [${name}, !Ref Env, Multi]`)}`,
      },
    },
  ]),
  {
    name: '#12 Fn::ForEach over a parameter named toString (Names=a: TrailA single-Region)',
    files: {
      'template.yaml': `Transform: AWS::LanguageExtensions
Parameters:
  toString:
    Type: CommaDelimitedList
Resources:
  Fn::ForEach::Trails:
    - Name
    - !Ref toString
    - 'Trail\${Name}':
        Type: AWS::CloudTrail::Trail
        Properties:
          IsLogging: true
          S3BucketName: logs
          IsMultiRegionTrail: false
`,
    },
    trail: '*',
  },
  // #12: pseudo parameters with their types.
  {
    name: '#12 AWS::NotificationARNs is a list (no topics: the trail is created single-Region)',
    files: {
      'template.yaml': `Conditions:
  NoTopics: !Equals [!Join ['', !Ref AWS::NotificationARNs], '']
Resources:
${trail('false', 'NoTopics')}`,
    },
  },
  // #12: Defaults CloudFormation refuses fix nothing.
  {
    name: '#12 Default outside its own AllowedValues (Env=dev)',
    files: {
      'template.yaml': `Parameters:
  Env:
    Type: String
    Default: prod
    AllowedValues: [dev, staging]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
${trail('!If [IsProd, true, false]')}`,
    },
  },
  {
    name: '#12 Default not matching its AllowedPattern (Env=dev-1)',
    files: {
      'template.yaml': `Parameters:
  Env:
    Type: String
    Default: prod
    AllowedPattern: '[a-z]+-[0-9]'
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
${trail('!If [IsProd, true, false]')}`,
    },
  },
  {
    name: '#12 Default longer than MaxLength (Env=dev)',
    files: {
      'template.yaml': `Parameters:
  Env:
    Type: String
    Default: production
    MaxLength: 4
Conditions:
  IsProduction: !Equals [!Ref Env, production]
Resources:
${trail('!If [IsProduction, true, false]')}`,
    },
  },
  // #12: patterns.
  {
    name: "#12 AllowedPattern \\d{12} that no made-up value matches (Account = the stack's account)",
    files: {
      'template.yaml': `Parameters:
  Account:
    Type: String
    AllowedPattern: '\\d{12}'
Conditions:
  IsHome: !Equals [!Ref Account, !Ref AWS::AccountId]
Resources:
${trail('false', 'IsHome')}`,
    },
  },
  {
    name: '#12 Java AllowedPattern \\p{Lower}+ (Env=dev)',
    files: {
      'template.yaml': `Parameters:
  Env:
    Type: String
    AllowedPattern: '\\p{Lower}+'
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
${trail('!If [IsProd, true, false]')}`,
    },
  },
  {
    name: '#12 Java AllowedPattern \\A[a-z]+\\z (Env=dev)',
    files: {
      'template.yaml': `Parameters:
  Env:
    Type: String
    AllowedPattern: '\\A[a-z]+\\z'
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
${trail('!If [IsProd, true, false]')}`,
    },
  },
  // #12: computed comparisons, pseudo parameters, other parameters (also generated; here as plain probes).
  {
    name: '#12 parameter compared with a Join (Env=prod)',
    files: {
      'template.yaml': `Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, !Join ['', [pr, od]]]
Resources:
${trail('!If [IsProd, false, true]')}`,
    },
  },
  {
    name: '#12 parameter compared with a mapping value (Env=prod)',
    files: {
      'template.yaml': `Parameters:
  Env:
    Type: String
Mappings:
  Names:
    Production: {Name: prod}
Conditions:
  IsProd: !Equals [!Ref Env, !FindInMap [Names, Production, Name]]
Resources:
${trail('!If [IsProd, false, true]')}`,
    },
  },
  ...['AWS::Region', 'AWS::AccountId', 'AWS::StackName'].map(
    (pseudo): Probe => ({
      name: `#12 parameter compared with ${pseudo} (Home = ${pseudo})`,
      files: {
        'template.yaml': `Parameters:
  Home:
    Type: String
Conditions:
  IsHome: !Equals [!Ref ${pseudo}, !Ref Home]
Resources:
${trail('false', 'IsHome')}`,
      },
    }),
  ),
  {
    name: '#12 two parameters compared (A = B)',
    files: {
      'template.yaml': `Parameters:
  A:
    Type: String
  B:
    Type: String
Conditions:
  Same: !Equals [!Ref A, !Ref B]
Resources:
${trail('false', 'Same')}`,
    },
  },
  // #12: lazy Fn::If.
  {
    name: '#12 Fn::If whose untaken branch fails to evaluate (Env=dev)',
    files: {
      'template.yaml': `Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
${trail('!If [IsProd, !Select [5, [a]], false]')}`,
    },
  },
  {
    name: '#12 Fn::If whose untaken branch is a FindInMap miss (Env=dev)',
    files: {
      'template.yaml': `Parameters:
  Env:
    Type: String
Mappings:
  Flags:
    prod: {Multi: true}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
${trail('!If [IsProd, !FindInMap [Flags, !Ref Env, Multi], false]')}`,
    },
  },
  {
    name: '#12 map name from a Ref (Profile=Dev)',
    files: {
      'template.yaml': `Parameters:
  Profile:
    Type: String
Mappings:
  Dev:
    Settings: {Multi: false}
  Prod:
    Settings: {Multi: true}
Resources:
${trail('!FindInMap [!Ref Profile, Settings, Multi]')}`,
    },
  },
  // #12: YAML 1.1 scalars.
  {
    name: "#12 unquoted off is YAML 1.1 false (Flag='false')",
    files: {
      'template.yaml': `Parameters:
  Flag:
    Type: String
    AllowedValues: ['true', 'false']
Conditions:
  IsOff: !Equals [!Ref Flag, off]
Resources:
${trail('false', 'IsOff')}`,
    },
  },
  {
    name: "#12 unquoted yes is YAML 1.1 true (Flag='true')",
    files: {
      'template.yaml': `Parameters:
  Flag:
    Type: String
    AllowedValues: ['true', 'false']
Conditions:
  IsOn: !Equals [!Ref Flag, yes]
Resources:
${trail('false', 'IsOn')}`,
    },
  },
  {
    name: "#12 unquoted 1.0 is \"1.0\" (Version='1.0')",
    files: {
      'template.yaml': `Parameters:
  Version:
    Type: String
    AllowedValues: ['1.0', '2.0']
Conditions:
  IsFirst: !Equals [!Ref Version, 1.0]
Resources:
${trail('false', 'IsFirst')}`,
    },
  },
  // #20: list parameters are lists.
  {
    name: "#20 CommaDelimitedList with AllowedValues read at index 1 (Names='true,false')",
    files: {
      'template.yaml': `Parameters:
  Names:
    Type: CommaDelimitedList
    AllowedValues: ['true', 'false']
Resources:
${trail('!Select [1, !Ref Names]')}`,
    },
  },
  {
    name: "#20 CommaDelimitedList Join round trip (Names='dev,prod')",
    files: {
      'template.yaml': `Parameters:
  Names:
    Type: CommaDelimitedList
    AllowedValues: [dev, prod]
Conditions:
  Both: !Equals [!Join [',', !Ref Names], 'dev,prod']
Resources:
${trail('false', 'Both')}`,
    },
  },
  // #20: a failed deployment is not proof.
  {
    name: "#20 Select out of range for every tried value of a list (Names='a,false')",
    files: {
      'template.yaml': `Parameters:
  Names:
    Type: CommaDelimitedList
Resources:
${trail('!Select [1, !Ref Names]')}`,
    },
  },
  {
    name: "#20 Select out of range for every tried value of a split string (Env='a,false')",
    files: {
      'template.yaml': `Parameters:
  Env:
    Type: String
Resources:
${trail("!Select [1, !Split [',', !Ref Env]]")}`,
    },
  },
  {
    name: "#20 Select index from a parameter, out of range for every made-up value (Index='1')",
    files: {
      'template.yaml': `Parameters:
  Index:
    Type: String
Resources:
${trail("!Select [!Ref Index, ['true', 'false']]")}`,
    },
  },
  // #20: the Region domain stays open.
  {
    name: '#20 every known Region in a mapping with DefaultValue false (a Region the table does not name)',
    files: {
      'template.yaml': `Transform: AWS::LanguageExtensions
Mappings:
  RegionMap:
${REGIONS.map((region) => `    ${region}: {Multi: true}`).join('\n')}
Resources:
${trail('!FindInMap [RegionMap, !Ref AWS::Region, Multi, {DefaultValue: false}]')}`,
    },
  },
  // #20 (README, "The two rules"): CloudTrail refuses a multi-Region trail without global service events.
  {
    name: '#20 IsMultiRegionTrail true with IncludeGlobalServiceEvents false',
    files: {
      'template.yaml': `Resources:
${trail('true', undefined, '      IncludeGlobalServiceEvents: false\n')}`,
    },
  },
  {
    name: "#20 IncludeGlobalServiceEvents 'false' under a condition (Env=prod)",
    files: {
      'template.yaml': `Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
${trail('true', undefined, "      IncludeGlobalServiceEvents: !If [IsProd, 'false', true]\n")}`,
    },
  },
  // #12: Fn::ForEach wherever CloudFormation allows it.
  {
    name: '#12 Fn::ForEach in Conditions (Stage=Prod)',
    files: {
      'template.yaml': `Transform: AWS::LanguageExtensions
Parameters:
  Stage:
    Type: String
Conditions:
  Fn::ForEach::Stages:
    - Name
    - [Dev, Prod]
    - 'Is\${Name}': !Equals [!Ref Stage, '\${Name}']
Resources:
${trail('false', 'IsProd')}`,
    },
  },
  {
    name: '#12 Fn::ForEach inside a loop that cannot be expanded (trails are not dropped)',
    files: {
      'template.yaml': `Transform: AWS::LanguageExtensions
Parameters:
  Names:
    Type: CommaDelimitedList
Resources:
  Fn::ForEach::Outer:
    - Name
    - !Ref Names
    - Fn::ForEach::Inner:
        - Kind
        - [A, B]
        - 'Trail\${Name}\${Kind}':
            Type: AWS::CloudTrail::Trail
            Properties:
              IsLogging: true
              S3BucketName: logs
              IsMultiRegionTrail: false
`,
    },
    trail: '*',
  },
  // #12 / #20: nested stacks.
  {
    name: "#12 nested stack whose whole Parameters is an Fn::If (UseRegional=yes passes MultiRegion 'false')",
    files: {
      'parent.yaml': `Parameters:
  UseRegional:
    Type: String
    AllowedValues: ['yes', 'no']
Conditions:
  Regional: !Equals [!Ref UseRegional, 'yes']
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./child.yaml
      Parameters: !If [Regional, {MultiRegion: 'false'}, {MultiRegion: 'true'}]
`,
      'child.yaml': `Parameters:
  MultiRegion:
    Type: String
    Default: 'true'
Resources:
${trail('!Ref MultiRegion')}`,
    },
    lint: ['parent.yaml'],
    file: 'child.yaml',
    expect: 'some',
  },
  {
    name: "#12 AWS::Serverless::Application with a local Location (passes MultiRegion 'false')",
    files: {
      'parent.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  Child:
    Type: AWS::Serverless::Application
    Properties:
      Location: ./child.yaml
      Parameters:
        MultiRegion: 'false'
`,
      'child.yaml': `Parameters:
  MultiRegion:
    Type: String
    Default: 'true'
Resources:
${trail('!Ref MultiRegion')}`,
    },
    lint: ['parent.yaml'],
    file: 'child.yaml',
    expect: 'some',
  },
  {
    name: "#12 a never-deployed parent does not hide a child that fails on its own (MultiRegion='false')",
    files: {
      'child.yaml': `Parameters:
  MultiRegion:
    Type: String
    AllowedValues: ['true', 'false']
Resources:
${trail('!Ref MultiRegion')}`,
      'parent.yaml': `Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./child.yaml
      Parameters:
        MultiRegion: 'true'
`,
    },
    lint: ['.'],
    file: 'child.yaml',
    expect: 'some',
  },
  {
    name: "#20 command-line parameters do not reach a nested template (parent passes MultiRegion 'false')",
    files: {
      'parent.yaml': `Parameters:
  MultiRegion:
    Type: String
    Default: 'true'
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./child.yaml
      Parameters:
        MultiRegion: 'false'
`,
      'child.yaml': `Parameters:
  MultiRegion:
    Type: String
Resources:
${trail('!Ref MultiRegion')}`,
    },
    lint: ['parent.yaml'],
    options: { parameters: { MultiRegion: 'true' } },
    file: 'child.yaml',
    expect: 'some',
  },
];

/** Templates CloudFormation rejects (issue #12, "wrong the other way"): each must be an input error. */
const REJECTED: { name: string; text: string; code: ErrorCode }[] = [
  {
    name: 'Fn::ForEach without Transform: AWS::LanguageExtensions',
    code: 'E2002',
    text: `Resources:
  Fn::ForEach::Trails:
    - Name
    - [A, B]
    - 'Trail\${Name}':
        Type: AWS::CloudTrail::Trail
        Properties: {IsLogging: true, S3BucketName: logs, IsMultiRegionTrail: true}
`,
  },
  {
    name: 'four-argument Fn::FindInMap without Transform: AWS::LanguageExtensions',
    code: 'E2002',
    text: `Mappings:
  Flags:
    a: {Multi: true}
Resources:
${trail('!FindInMap [Flags, a, Multi, {DefaultValue: true}]')}`,
  },
  { name: 'Type AWS::Cloudtrail::Trail (wrong case)', code: 'E2201', text: trail('true').replace('AWS::CloudTrail::Trail', 'AWS::Cloudtrail::Trail').replace(/^/, 'Resources:\n') },
  { name: 'a resource that is a string', code: 'E2201', text: `Resources:\n  Trail: AWS::CloudTrail::Trail\n` },
  {
    name: 'Fn::GetAtt without an attribute',
    code: 'E2401',
    text: `Resources:
  Bucket:
    Type: AWS::S3::Bucket
${trail('true').replace('S3BucketName: logs', 'S3BucketName: !GetAtt Bucket')}`,
  },
];

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));

function writeFolder(files: Record<string, string>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-probe-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
  return folder;
}

function lintProbe(probe: Probe): { report: LintReport; folder: string } {
  const folder = writeFolder(probe.files);
  const named = probe.lint ?? [Object.keys(probe.files)[0]];
  const report = lintPaths(
    named.map((name) => path.join(folder, name)),
    { cwd: folder, ...probe.options },
  );
  return { report, folder };
}

describe('probes of issues #12 and #20: never pass or skip', () => {
  it.each(PROBES.map((probe) => [probe.name, probe] as const))('%s', (_, probe) => {
    const { report } = lintProbe(probe);
    expect(report.errors, JSON.stringify(report.errors)).toEqual([]);
    const file = probe.file ?? Object.keys(probe.files)[0];
    const results = report.results.filter((result) => result.file === file && (probe.trail === '*' || result.logicalId === (probe.trail ?? 'Trail')));
    const seen = JSON.stringify(report.results.map(({ file, logicalId, status, message }) => ({ file, logicalId, status, message })));
    expect(results.length, `no result for the trail: ${seen}`).toBeGreaterThan(0);
    const failing = results.filter((result) => result.status === 'fail' || result.status === 'unknown');
    if ((probe.expect ?? 'every') === 'every') expect(failing.length, seen).toBe(results.length);
    else expect(failing.length, seen).toBeGreaterThan(0);
  });
});

describe('templates CloudFormation rejects are input errors', () => {
  it.each(REJECTED.map((probe) => [probe.name, probe] as const))('%s', (_, probe) => {
    const { report } = lintProbe({ name: probe.name, files: { 'template.yaml': probe.text } });
    expect(report.errors.map((error) => error.code), JSON.stringify(report.results.map(({ logicalId, status }) => ({ logicalId, status })))).toEqual([probe.code]);
  });
});
