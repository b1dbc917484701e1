// The stable codes of every input error and warning the linter reports, as cfn-lint numbers its checks: the first
// digit is the family, the code never changes meaning once released, and the message beside it may be reworded at
// will. Scripts, tests and suppression lists match codes; only golden files match wording. Plain data, importable
// by every layer. README "Error codes" lists the same table (a test keeps the two equal).

/** Every code by name: the name is what source code writes, the value what reports print. */
export const Code = {
  // E0: reading the input
  FileNotFound: 'E0001',
  FileUnreadable: 'E0002',
  LinkOutsideRoot: 'E0003',
  NotRegularFile: 'E0004',
  FileTooLarge: 'E0005',
  NotText: 'E0006',
  // E1: parsing
  YamlSyntax: 'E1001',
  JsonSyntax: 'E1002',
  UnknownTag: 'E1003',
  EmptyFile: 'E1004',
  NotATemplate: 'E1005',
  // E2: a template CloudFormation rejects
  SectionNotMapping: 'E2001',
  LanguageExtensionsRequired: 'E2002',
  ParameterInvalid: 'E2101',
  ParameterValueRefused: 'E2102',
  ResourceInvalid: 'E2201',
  ConditionUndefined: 'E2301',
  ConditionCycle: 'E2302',
  ConditionNameInvalid: 'E2303',
  FunctionArguments: 'E2401',
  ReferenceUndefined: 'E2402',
  MappingUndefined: 'E2403',
  NestedStackNoFile: 'E2501',
  NestedStackOutside: 'E2502',
  NestedStackCycle: 'E2503',
  ForEachInvalid: 'E2601',
  ForEachDuplicateOutput: 'E2602',
  ForEachUnexpandable: 'E2603',
  SuppressionInvalid: 'E2701',
  SuppressionWithoutReason: 'E2702',
  // E3: the linter's own limits
  TooManyInstances: 'E3001',
  RunLimitReached: 'E3002',
  RunReadLimit: 'E3003',
  TooManyReportedResources: 'E3004',
  TemplateTooComplex: 'E3005',
  ReportTooLarge: 'E3006',
  NestingTooDeep: 'E3007',
  // E4: how the linter was called
  ParameterUndeclared: 'E4001',
  ParameterFlagInvalid: 'E4002',
  ParametersFileInvalid: 'E4003',
  ConfigInvalid: 'E4004',
  RegionInvalid: 'E4005',
  UsageInvalid: 'E4006',
  RuleUnknown: 'E4007',
  OutputRefused: 'E4008',
  // E5: CDK apps and cloud assemblies
  AssemblyManifestInvalid: 'E5001',
  AssemblyPathInvalid: 'E5002',
  AcknowledgementWithoutReason: 'E5003',
  // W1: what a template holds that CloudFormation reads otherwise than it looks
  DuplicateKey: 'W1001',
  YamlAlias: 'W1002',
  YamlMergeKey: 'W1003',
  MoreWarnings: 'W1004',
  // W4: how the linter was called
  RegionNotInTable: 'W4001',
} as const;

export type Code = (typeof Code)[keyof typeof Code];
/** Codes of input errors (exit 2). */
export type ErrorCode = Extract<Code, `E${string}`>;
/** Codes of warnings (never change the exit code). */
export type WarningCode = Extract<Code, `W${string}`>;

export interface CodeDescription {
  /** A few words: what went wrong. */
  title: string;
  /** What the user should do about it. */
  action: string;
}

/** The families, by a code's first two characters. */
export const FAMILIES: Readonly<Record<string, string>> = {
  E0: 'Reading the input',
  E1: 'Parsing',
  E2: 'A template CloudFormation rejects',
  E3: "The linter's own limits",
  E4: 'How the linter was called',
  E5: 'CDK apps and cloud assemblies',
  W1: 'Templates CloudFormation reads otherwise than they look',
  W4: 'How the linter was called',
};

/** Every code, described: the type requires one entry per code and no other. */
export const CODES: Readonly<Record<Code, CodeDescription>> = {
  E0001: { title: 'File not found', action: 'Check the path: it names no file or folder.' },
  E0002: { title: 'File or folder cannot be read', action: 'Check its permissions; the message gives the system error.' },
  E0003: { title: 'Symbolic link leads outside the folder named', action: 'Lint the target where it is, or replace the link by the file: links out of the named folder are never followed.' },
  E0004: { title: 'Not a regular file', action: 'Name a template file, not a FIFO, device, socket or /proc entry.' },
  E0005: { title: 'File larger than the size limit', action: 'A template CloudFormation accepts is far smaller: check that this file is a template.' },
  E0006: { title: 'Not a text file', action: 'The file holds NUL bytes: a template is UTF-8 text.' },
  E1001: { title: 'YAML syntax error', action: 'Fix the YAML at the line and column given.' },
  E1002: { title: 'JSON syntax error', action: 'Fix the JSON at the line and column given.' },
  E1003: { title: 'Unknown YAML tag', action: 'Use a CloudFormation short form (!Ref, !Sub, !If, …) or the long form (Fn::…).' },
  E1004: { title: 'Empty file', action: 'Write the template, or do not name the file (in a folder it is skipped).' },
  E1005: { title: 'Not a CloudFormation template', action: 'A template has a Resources mapping or AWSTemplateFormatVersion; do not name other files (or pass --skip-non-templates).' },
  E2001: { title: 'Template section is not a mapping', action: 'Write the section (Parameters, Conditions, Resources, …) as a mapping of names to declarations.' },
  E2002: { title: 'Needs Transform: AWS::LanguageExtensions', action: 'Add Transform: AWS::LanguageExtensions, or do without Fn::ForEach and the fourth argument of Fn::FindInMap.' },
  E2101: { title: 'Parameter declaration CloudFormation rejects', action: 'Give the parameter a Type; AllowedValues a list of strings; Default a string.' },
  E2102: { title: 'Parameter value refused by its constraints', action: 'Pass a value its AllowedValues, AllowedPattern and length or number bounds accept.' },
  E2201: { title: 'Resource declaration CloudFormation rejects', action: 'Write the resource as a mapping with a Type, spelt with its exact case.' },
  E2301: { title: 'Condition not defined', action: 'Declare the condition in Conditions, or fix the name that Condition, Fn::If or a resource names.' },
  E2302: { title: 'Conditions form a cycle', action: 'Break the cycle: a condition cannot depend on itself through others.' },
  E2303: { title: 'Condition not named by a string', action: 'Name the condition by its name, a plain string.' },
  E2401: { title: 'Intrinsic function with wrong arguments', action: 'Give the function the arguments CloudFormation documents for it.' },
  E2402: { title: 'Ref or Fn::GetAtt names nothing', action: 'Declare the parameter or resource, or fix the name.' },
  E2403: { title: 'Mapping not defined', action: 'Declare the mapping in Mappings, or fix the name Fn::FindInMap gives.' },
  E2501: { title: 'Nested stack names no file', action: 'Fix the local TemplateURL (or Location): `aws cloudformation package` refuses it too.' },
  E2502: { title: 'Nested stack outside the linted folder', action: 'Lint the folder that holds both templates.' },
  E2503: { title: 'Nested stacks form a cycle', action: 'Break the cycle: CloudFormation cannot deploy a stack that deploys itself.' },
  E2601: { title: 'Fn::ForEach written wrongly', action: 'Write Fn::ForEach::Name: [identifier, collection, {output key: output value}].' },
  E2602: { title: 'Fn::ForEach writes a logical ID twice', action: 'Make the output keys unique (use the identifier in them).' },
  E2603: { title: 'Fn::ForEach in Conditions cannot be expanded', action: 'Write the conditions out, or make the collection a fixed list.' },
  E2701: { title: 'Suppression metadata written wrongly', action: 'Write Metadata cfn-trail-lint.suppress (or checkov.skip) as a list of {id, reason}.' },
  E2702: { title: 'Suppression without a reason', action: 'Say why the finding does not apply: a silenced finding must give its reason.' },
  E3001: { title: 'Too many template instances', action: 'Lint fewer templates at a time: nested stacks are reached by too many paths.' },
  E3002: { title: "Run reached its limit of templates or results", action: 'Lint fewer files at a time.' },
  E3003: { title: "Run reached its limit of bytes read", action: 'Lint fewer files at a time.' },
  E3004: { title: 'Too many reported resources in one template', action: 'Split the template: CloudFormation accepts 500 resources.' },
  E3005: { title: "Template beyond the linter's per-template limits", action: 'Simplify the template: nesting, aliases, AllowedValues or Fn::ForEach output past the limits in README "Limits".' },
  E3006: { title: 'Report larger than its limit', action: 'Lint fewer files at a time.' },
  E3007: { title: 'Nested stacks too deep', action: 'Nest stacks fewer than 100 levels deep, or lint the deep templates on their own.' },
  E4001: { title: 'Parameter given but declared by no template', action: 'Fix the parameter name (a misspelt key would let a Default decide), or drop it.' },
  E4002: { title: '--parameters written wrongly', action: 'Write Key=Value, or ParameterKey=K,ParameterValue=V.' },
  E4003: { title: 'Parameters file CloudFormation or the AWS CLI would refuse', action: 'Write [{ParameterKey, ParameterValue}], {"Parameters": {…}} or {"Key": "Value"}, each key once.' },
  E4004: { title: 'Config file error', action: 'Fix the config file at the line and column given.' },
  E4005: { title: 'Not a Region name', action: 'Give a Region name such as eu-west-1.' },
  E4006: { title: 'Command line usage error', action: 'See cfn-trail-lint --help.' },
  E4007: { title: 'No such rule', action: 'Name a rule cfn-trail-lint --list-rules lists.' },
  E4008: { title: 'Report cannot be written there', action: 'Write the report to another path: never over an input, never through a link out of the working directory.' },
  E5001: { title: 'Cloud assembly manifest or metadata file unreadable', action: 'Synthesize the app again (cdk synth): the file is not what CDK writes.' },
  E5002: { title: 'Cloud assembly names a file it does not hold', action: 'Synthesize the app again (cdk synth): a path the manifest gives is missing or outside the assembly.' },
  E5003: { title: 'Acknowledgement without a reason', action: 'Give Validations.of(…).acknowledge (or acknowledge / acknowledgeByPath) a reason.' },
  W1001: { title: 'Duplicate key', action: 'Remove the duplicate: CloudFormation keeps the last value, which may not be the one a reader sees.' },
  W1002: { title: 'YAML alias', action: 'Write the value out: CloudFormation refuses aliases; `aws cloudformation package` expands them.' },
  W1003: { title: 'YAML merge key', action: 'Write the keys out: CloudFormation refuses merge keys; `aws cloudformation package` merges them.' },
  W1004: { title: 'More warnings not shown', action: 'Fix the warnings shown first.' },
  W4001: { title: "Region not in this version's table", action: 'Check the Region name; if it is new, the linter takes its partition from its name.' },
};
