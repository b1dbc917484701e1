// Deterministic CloudFormation inputs for `npm run bench`.
//
// A template is built once as plain data in long form (`{ Ref }`, `{ 'Fn::If' }`…):
// the JSON twin is that data as is, the YAML text is the same data written with
// short-form tags. Every trail is generated together with the verdict it gets
// when parameter Defaults fix the inputs (README, "How templates are evaluated"),
// so the bench can check that our speed does not come from skipping work.

import { Buffer } from 'node:buffer';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a tiny seeded PRNG, so every run of the bench reads the same bytes. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

// ---------------------------------------------------------------- intrinsics (long form)

const ref = (name) => ({ Ref: name });
const getAtt = (resource, attribute) => ({ 'Fn::GetAtt': [resource, attribute] });
const sub = (text) => ({ 'Fn::Sub': text });
const join_ = (separator, parts) => ({ 'Fn::Join': [separator, parts] });
const if_ = (condition, whenTrue, whenFalse) => ({ 'Fn::If': [condition, whenTrue, whenFalse] });
const findInMap = (map, key, attribute) => ({ 'Fn::FindInMap': [map, key, attribute] });
const equals = (a, b) => ({ 'Fn::Equals': [a, b] });
const not = (condition) => ({ 'Fn::Not': [condition] });
const and = (...conditions) => ({ 'Fn::And': conditions });
const or = (...conditions) => ({ 'Fn::Or': conditions });
const condition = (name) => ({ Condition: name });

// ---------------------------------------------------------------- shared sections

// Defaults fix these inputs (without --strict), so every trail below has one verdict.
// `RegionalTrailFlag` has an unquoted YAML boolean Default on purpose: it means the string "false".
const PARAMETERS = {
  Environment: { Type: 'String', AllowedValues: ['dev', 'staging', 'prod'], Default: 'prod', Description: 'Deployment stage' },
  ProjectName: { Type: 'String', Default: 'bench', AllowedPattern: '^[a-z][a-z0-9-]*$' },
  MultiRegionEnabled: { Type: 'String', AllowedValues: ['true', 'false'], Default: 'true' },
  RegionalTrailFlag: { Type: 'String', AllowedValues: ['true', 'false'], Default: false },
  LogRetentionDays: { Type: 'Number', Default: 30, AllowedValues: [7, 14, 30, 90, 365] },
};

const MAPPINGS = {
  StageConfig: {
    dev: { MemorySize: 128, Timeout: 10, Retention: 7 },
    staging: { MemorySize: 256, Timeout: 20, Retention: 14 },
    prod: { MemorySize: 1024, Timeout: 30, Retention: 90 },
  },
  RegionConfig: {
    'us-east-1': { Short: 'use1', Tier: 'primary' },
    'us-west-2': { Short: 'usw2', Tier: 'secondary' },
    'eu-west-1': { Short: 'euw1', Tier: 'secondary' },
  },
};

const CONDITIONS = {
  IsProduction: equals(ref('Environment'), 'prod'),
  IsDevelopment: equals(ref('Environment'), 'dev'),
  IsNotProduction: not(condition('IsProduction')),
  UseMultiRegion: equals(ref('MultiRegionEnabled'), 'true'),
  WantsRegionalTrail: equals(ref('RegionalTrailFlag'), 'true'),
  ProductionMultiRegion: and(condition('IsProduction'), condition('UseMultiRegion')),
  DevOrRegional: or(condition('IsDevelopment'), condition('WantsRegionalTrail')),
};

// ---------------------------------------------------------------- trails

/**
 * Ways to write IsMultiRegionTrail, each with the verdict it gets under the Defaults above
 * (Environment=prod, MultiRegionEnabled="true", RegionalTrailFlag="false").
 * cfn-guard sees only what is written: it fails every intrinsic here, whatever the Defaults say.
 */
const TRAIL_VARIANTS = [
  { name: 'literal true', value: true, expected: 'pass' },
  { name: 'literal false', value: false, expected: 'fail' },
  { name: 'missing', value: undefined, expected: 'fail' },
  { name: 'string "true"', value: 'true', expected: 'pass' },
  { name: 'Ref to Default "true"', value: ref('MultiRegionEnabled'), expected: 'pass' },
  { name: 'Ref to Default false', value: ref('RegionalTrailFlag'), expected: 'fail' },
  { name: 'If on a true condition', value: if_('IsProduction', true, false), expected: 'pass' },
  { name: 'If on a false condition', value: if_('IsDevelopment', true, false), expected: 'fail' },
  { name: 'If, branches swapped', value: if_('DevOrRegional', false, true), expected: 'pass' },
  { name: 'If over a Ref', value: if_('ProductionMultiRegion', ref('MultiRegionEnabled'), false), expected: 'pass' },
  { name: 'If on a Not', value: if_('IsNotProduction', true, false), expected: 'fail' },
  // A dev-only trail: its resource Condition is false under the Defaults, so no deployment creates it.
  { name: 'created only in dev', value: false, resourceCondition: 'IsDevelopment', expected: 'skip' },
];

function trailResource(random, index, bucketId, bucketPolicyId) {
  const variant = random.pick(TRAIL_VARIANTS);
  const properties = {
    TrailName: sub(`\${ProjectName}-\${Environment}-trail-${index}`),
    S3BucketName: ref(bucketId),
    S3KeyPrefix: join_('/', ['cloudtrail', ref('AWS::Region'), String(index)]),
    IsLogging: true,
    EnableLogFileValidation: true,
    IncludeGlobalServiceEvents: true,
  };
  if (variant.value !== undefined) properties.IsMultiRegionTrail = variant.value;
  properties.Tags = tags(random, index);
  const resource = { Type: 'AWS::CloudTrail::Trail' };
  if (variant.resourceCondition) resource.Condition = variant.resourceCondition;
  if (bucketPolicyId) resource.DependsOn = bucketPolicyId;
  resource.Properties = properties;
  return { resource, variant };
}

// ---------------------------------------------------------------- other resources

const WORDS = ['Orders', 'Billing', 'Audit', 'Invoices', 'Users', 'Search', 'Reports', 'Media',
  'Payments', 'Catalog', 'Shipping', 'Inventory', 'Alerts', 'Metrics', 'Sessions', 'Exports'];

function tags(random, index) {
  const list = [
    { Key: 'Project', Value: ref('ProjectName') },
    { Key: 'Stage', Value: ref('Environment') },
    { Key: 'Owner', Value: 'platform-team' },
  ];
  if (random.next() < 0.6) list.push({ Key: 'CostCenter', Value: `cc-${1000 + (index % 97)}` });
  if (random.next() < 0.4) list.push({ Key: 'Region', Value: findInMap('RegionConfig', ref('AWS::Region'), 'Short') });
  return list;
}

const LAMBDA_CODE = [
  'import json, os',
  '',
  'def handler(event, context):',
  "    body = {'queue': os.environ['QUEUE_URL'], 'records': len(event.get('Records', []))}",
  "    return {'statusCode': 200, 'body': json.dumps(body)}",
  '',
].join('\n');

/** One application unit, in an order where every reference points backwards (any prefix is valid). */
const UNIT = ['Bucket', 'BucketPolicy', 'Queue', 'Role', 'Function', 'LogGroup'];

function unitResource(kind, unit, random) {
  const { id, index } = unit;
  switch (kind) {
    case 'Bucket':
      return {
        Type: 'AWS::S3::Bucket',
        DeletionPolicy: 'Retain',
        Properties: {
          BucketName: join_('-', [ref('ProjectName'), ref('Environment'), `${id.toLowerCase()}-bucket`, ref('AWS::AccountId')]),
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
          VersioningConfiguration: { Status: if_('IsProduction', 'Enabled', 'Suspended') },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          Tags: tags(random, index),
        },
      };
    case 'BucketPolicy':
      return {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: ref(`${id}Bucket`),
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' },
                Action: 's3:GetBucketAcl', Resource: getAtt(`${id}Bucket`, 'Arn') },
              { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' },
                Action: 's3:PutObject', Resource: sub(`\${${id}Bucket.Arn}/AWSLogs/\${AWS::AccountId}/*`),
                Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
            ],
          },
        },
      };
    case 'Queue':
      return {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: sub(`\${ProjectName}-\${Environment}-${id.toLowerCase()}-queue`),
          VisibilityTimeout: findInMap('StageConfig', ref('Environment'), 'Timeout'),
          MessageRetentionPeriod: 345600,
          ReceiveMessageWaitTimeSeconds: 20,
          SqsManagedSseEnabled: true,
          Tags: tags(random, index),
        },
      };
    case 'Role':
      return {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: sub(`Execution role of the \${ProjectName} ${id.toLowerCase()} function`),
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
          },
          ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')],
          Policies: [{
            PolicyName: `${id}Access`,
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: getAtt(`${id}Queue`, 'Arn') },
                { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: sub(`\${${id}Bucket.Arn}/*`) },
              ],
            },
          }],
        },
      };
    case 'Function': {
      const properties = {
        FunctionName: sub(`\${ProjectName}-\${Environment}-${id.toLowerCase()}`),
        Runtime: 'python3.12',
        Handler: 'index.handler',
        Role: getAtt(`${id}Role`, 'Arn'),
        MemorySize: findInMap('StageConfig', ref('Environment'), 'MemorySize'),
        Timeout: findInMap('StageConfig', ref('Environment'), 'Timeout'),
        Code: random.next() < 0.5
          ? { ZipFile: LAMBDA_CODE }
          : { S3Bucket: ref(`${id}Bucket`), S3Key: sub(`artifacts/\${Environment}/${id.toLowerCase()}.zip`) },
        Environment: { Variables: { QUEUE_URL: ref(`${id}Queue`), BUCKET_NAME: ref(`${id}Bucket`), STAGE: ref('Environment') } },
        TracingConfig: { Mode: if_('IsProduction', 'Active', 'PassThrough') },
        Tags: tags(random, index),
      };
      return { Type: 'AWS::Lambda::Function', Properties: properties };
    }
    case 'LogGroup':
      return {
        Type: 'AWS::Logs::LogGroup',
        Properties: {
          LogGroupName: sub(`/aws/lambda/\${${id}Function}`),
          RetentionInDays: if_('IsProduction', ref('LogRetentionDays'), findInMap('StageConfig', ref('Environment'), 'Retention')),
        },
      };
    default:
      throw new Error(`unknown unit resource ${kind}`);
  }
}

// ---------------------------------------------------------------- templates

/**
 * A template of `resources` resources, `trails` of them CloudTrail trails, spread evenly.
 * Returns the template and, per trail, its logical ID and expected verdict.
 */
export function generateTemplate({ seed, resources, trails }) {
  if (trails < 1 || resources < trails + 1) throw new Error('need at least one trail and one bucket before it');
  const random = createRandom(seed);
  const trailSlots = new Set(Array.from({ length: trails }, (_, j) => Math.floor(((j + 1) * resources) / (trails + 1))));
  const body = {};
  const expected = [];
  let unit = null;
  let step = UNIT.length;
  let unitCount = 0;
  let trailCount = 0;

  for (let slot = 0; slot < resources; slot++) {
    if (trailSlots.has(slot)) {
      trailCount++;
      const logicalId = `AuditTrail${trailCount}`;
      const policyId = unit && step > 1 ? `${unit.id}BucketPolicy` : undefined;
      const { resource, variant } = trailResource(random, trailCount, `${unit.id}Bucket`, policyId);
      body[logicalId] = resource;
      expected.push({
        logicalId,
        variant: variant.name,
        expected: variant.expected,
        written: variant.value,
      });
      continue;
    }
    if (step === UNIT.length) {
      unitCount++;
      unit = { id: `${random.pick(WORDS)}${unitCount}`, index: unitCount };
      step = 0;
    }
    const kind = UNIT[step++];
    body[`${unit.id}${kind}`] = unitResource(kind, unit, random);
  }

  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Generated benchmark stack (seed ${seed}, ${resources} resources, ${trails} trails)`,
    Parameters: PARAMETERS,
    Mappings: MAPPINGS,
    Conditions: CONDITIONS,
    Resources: body,
    Outputs: {
      FirstBucketArn: { Value: getAtt(Object.keys(body)[0], 'Arn'), Export: { Name: sub('${AWS::StackName}-first-bucket') } },
    },
  };
  return { template, trails: expected };
}

// ---------------------------------------------------------------- YAML with short-form tags

const INTRINSIC = /^(Ref|Condition|Fn::[A-Za-z]+)$/;
// Plain scalars we allow unquoted: safe in block and flow context, not a YAML 1.2 core-schema keyword or number.
const PLAIN = /^[A-Za-z_][A-Za-z0-9_.\-/]*(::?[A-Za-z0-9_.\-/]+)*$/;
const KEYWORD = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function intrinsicOf(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSIC.test(keys[0]) ? keys[0] : null;
}

function tagOf(name) {
  return `!${name.replace(/^Fn::/, '')}`;
}

function scalar(value) {
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (PLAIN.test(value) && !KEYWORD.test(value)) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

/** Short enough to sit on one line in flow style: scalars and tagged scalars, nested one level. */
function isFlowable(value, depth = 0) {
  if (value === null || typeof value !== 'object') return typeof value !== 'string' || !value.includes('\n');
  const name = intrinsicOf(value);
  if (name) return isFlowable(value[name], depth);
  if (Array.isArray(value)) return depth < 2 && value.every((item) => isFlowable(item, depth + 1));
  return false;
}

function flow(value) {
  const name = intrinsicOf(value);
  if (name) {
    const argument = value[name];
    if (name === 'Fn::GetAtt') return `${tagOf(name)} ${argument.join('.')}`;
    return `${tagOf(name)} ${flow(argument)}`;
  }
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  return scalar(value);
}

/** Lines of a value placed after `key:` or `- ` at indentation `indent`. */
function block(value, indent) {
  const pad = ' '.repeat(indent);
  if (typeof value === 'string' && value.includes('\n')) {
    const body = value.replace(/\n$/, '').split('\n').map((line) => (line ? `${pad}  ${line}` : ''));
    return { inline: value.endsWith('\n') ? '|' : '|-', lines: body };
  }
  if (value === null || typeof value !== 'object' || isFlowable(value)) return { inline: flow(value), lines: [] };
  const name = intrinsicOf(value);
  if (name) {
    const inner = block(value[name], indent);
    return { inline: `${tagOf(name)}${inner.inline ? ` ${inner.inline}` : ''}`, lines: inner.lines };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { inline: '[]', lines: [] };
    return { inline: '', lines: value.flatMap((item) => sequenceItem(item, indent + 2)) };
  }
  if (Object.keys(value).length === 0) return { inline: '{}', lines: [] };
  return { inline: '', lines: mappingLines(value, indent + 2) };
}

function sequenceItem(item, indent) {
  const pad = ' '.repeat(indent);
  const isMapping = item && typeof item === 'object' && !Array.isArray(item) && !intrinsicOf(item);
  if (isMapping && Object.keys(item).length > 0) {
    // "- Key: value" with the rest of the mapping aligned under the first key.
    const lines = mappingLines(item, indent + 2);
    lines[0] = `${pad}- ${lines[0].slice(indent + 2)}`;
    return lines;
  }
  const { inline, lines } = block(item, indent);
  return [`${pad}-${inline ? ` ${inline}` : ''}`, ...lines];
}

function mappingLines(mapping, indent) {
  const pad = ' '.repeat(indent);
  const out = [];
  for (const [key, value] of Object.entries(mapping)) {
    if (value === undefined) continue;
    const { inline, lines } = block(value, indent);
    out.push(`${pad}${scalar(key)}:${inline ? ` ${inline}` : ''}`, ...lines);
  }
  return out;
}

/** CloudFormation YAML as people write it: short-form tags, flow style for short lists. */
export function toYaml(template) {
  const sections = Object.entries(template).map(([key, value]) => mappingLines({ [key]: value }, 0).join('\n'));
  return `${sections.join('\n\n')}\n`;
}

/** The JSON twin: long-form intrinsics, as `aws cloudformation` and CDK write them. */
export function toJson(template) {
  return `${JSON.stringify(template, null, 2)}\n`;
}

// ---------------------------------------------------------------- the suite

/** Trails per template: 1 in 25 resources, but at least three so small inputs still hold every kind of verdict. */
const trailsFor = (resources) => Math.max(3, Math.round(resources / 25));

/**
 * Writes every bench input under `workDir` and returns them with their expected verdicts.
 * `expected` maps a file path (as given, joined onto workDir) to its trails.
 */
export function writeSuite(workDir, { quick = false } = {}) {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const inputs = [];
  const sizes = quick ? [20, 500] : [20, 500, 5000];
  for (const resources of sizes) {
    const { template, trails } = generateTemplate({ seed: resources, resources, trails: trailsFor(resources) });
    for (const [format, text] of [['yaml', toYaml(template)], ['json', toJson(template)]]) {
      const file = join(workDir, `stack-${resources}.${format}`);
      writeFileSync(file, text);
      inputs.push({
        name: `${resources} resources, ${format.toUpperCase()}`,
        key: `${format}-${resources}`,
        path: file,
        bytes: Buffer.byteLength(text),
        expected: { [file]: trails },
      });
    }
  }
  inputs.push(writeDirectory(join(workDir, 'many-small'), 200));
  return inputs;
}

/** 200 small templates (5–15 resources, 1–3 trails), mostly YAML, every fourth JSON, in a few subfolders. */
function writeDirectory(dir, count) {
  const random = createRandom(count);
  const expected = {};
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const resources = random.int(5, 15);
    const { template, trails } = generateTemplate({ seed: 10_000 + i, resources, trails: random.int(1, 3) });
    const isJson = i % 4 === 3;
    const text = isJson ? toJson(template) : toYaml(template);
    const folder = join(dir, `team-${i % 8}`);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `service-${String(i).padStart(3, '0')}.${isJson ? 'json' : 'yaml'}`);
    writeFileSync(file, text);
    expected[file] = trails;
    bytes += Buffer.byteLength(text);
  }
  return { name: `${count} small templates (directory)`, key: `dir-${count}`, path: dir, bytes, expected };
}
