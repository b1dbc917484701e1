import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

// Runs the real `cdk` CLI on small JavaScript apps written under test/.tmp. The apps load this package the way a
// user's app does — `require('cfn-trail-lint/cdk')`, resolved through package.json "exports" to the built dist/ —
// and aws-cdk-lib from this repository's node_modules.

const ROOT = path.resolve(__dirname, '..', '..');
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');
export const E2E_DIR = path.join(ROOT, 'test', '.tmp', 'cdk-e2e');

/** Writes `files` into a fresh directory for one app, and returns it. */
export function writeApp(name: string, files: Record<string, string>): string {
  const dir = path.join(E2E_DIR, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

/**
 * Type-checks a TypeScript app against the built package (as a user's project would, through "exports") and
 * compiles it into `outDir`; returns the compiler's complaints.
 */
export function compileApp(file: string, outDir: string): string[] {
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    types: ['node'],
    rootDir: path.dirname(file),
    outDir,
  });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  return diagnostics.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

export interface CdkRun {
  status: number | null;
  output: string;
}

/**
 * `cdk synth` as a CI job runs it, with nothing allowed to reach the network: no notices, no version check, no
 * telemetry, no AWS credentials or instance metadata, and any HTTP(S) request sent to a closed local port.
 */
export function cdkSynth(dir: string, app: string, selectors: string[] = []): Promise<CdkRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CDK_DISABLE_VERSION_CHECK: '1',
    CDK_DISABLE_CLI_TELEMETRY: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-aws-credentials'),
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '',
  };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'NODE_ENV']) delete env[name];
  const args = ['synth', ...selectors, '--app', app, '--output', 'cdk.out', '--no-notices', '--no-version-reporting', '--quiet'];
  return new Promise((resolve, reject) => {
    const child = spawn(CDK, args, { cwd: dir, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** A regional trail somewhere in an app; `placement` builds the stack it goes into. */
export function regionalTrailApp(placement: string): string {
  return `const { App, Aspects, Stack, Stage } = require('aws-cdk-lib');
const { Trail } = require('aws-cdk-lib/aws-cloudtrail');
const { MultiRegionTrailAspect } = require('cfn-trail-lint/cdk');

const app = new App();
Aspects.of(app).add(new MultiRegionTrailAspect());
new Stack(app, 'Clean');
${placement}
new Trail(stack, 'Trail', { isMultiRegionTrail: false });
app.synth();
`;
}

/** A CDK Pipelines app whose one deployment stage holds a regional trail. */
export const PIPELINE_APP = `const { App, Aspects, Stack, Stage } = require('aws-cdk-lib');
const { PipelineType } = require('aws-cdk-lib/aws-codepipeline');
const { Trail } = require('aws-cdk-lib/aws-cloudtrail');
const pipelines = require('aws-cdk-lib/pipelines');
const { MultiRegionTrailAspect } = require('cfn-trail-lint/cdk');

class AuditStage extends Stage {
  constructor(scope, id) {
    super(scope, id);
    new Trail(new Stack(this, 'Audit'), 'Trail', { isMultiRegionTrail: false });
  }
}

const app = new App();
Aspects.of(app).add(new MultiRegionTrailAspect());
const pipeline = new pipelines.CodePipeline(new Stack(app, 'Delivery'), 'Pipeline', {
  pipelineType: PipelineType.V2,
  synth: new pipelines.ShellStep('Synth', {
    input: pipelines.CodePipelineSource.gitHub('example/audit', 'main'),
    commands: ['npm ci', 'npx cdk synth'],
  }),
});
pipeline.addStage(new AuditStage(app, 'Prod'));
app.synth();
`;

/** An ES module app where every trail is multi-Region or acknowledged: Stage, nested stack, Fn.conditionIf. */
export const COMPLIANT_ESM_APP = `import { App, Aspects, CfnCondition, CfnParameter, Fn, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import { CfnTrail, Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { MultiRegionTrailAspect } from 'cfn-trail-lint/cdk';

const app = new App();
Aspects.of(app).add(new MultiRegionTrailAspect());
const audit = new Stack(app, 'Audit');
new Trail(audit, 'Everywhere');
const regional = new Trail(audit, 'DataEvents', { isMultiRegionTrail: false });
Validations.of(regional).acknowledge({ id: 'CLOUDTRAIL_MULTI_REGION_ENABLED', reason: 'data events of one bucket' });
new CfnTrail(new NestedStack(audit, 'Logging'), 'Nested', { s3BucketName: 'audit-logs', isLogging: true, isMultiRegionTrail: true });
const prod = new Stack(new Stage(app, 'Prod'), 'Audit');
const environment = new CfnParameter(prod, 'Environment', { default: 'prod', allowedValues: ['dev', 'prod'] });
const isProd = new CfnCondition(prod, 'IsProd', { expression: Fn.conditionEquals(environment.valueAsString, 'prod') });
new CfnTrail(prod, 'Trail', { s3BucketName: 'audit-logs', isLogging: true, isMultiRegionTrail: Fn.conditionIf(isProd.logicalId, true, false) });
app.synth();
`;

/**
 * The fleet the CLI and the Aspect must judge alike: two stacks, a nested stack, a Stage, every verdict.
 * `build(app)` adds it to an app; run as a script, it synthesizes it without the Aspect.
 */
export const FLEET_MODULE = `const path = require('node:path');
const { App, CfnParameter, CfnResource, CfnStack, Fn, NestedStack, Stack, Stage, Validations } = require('aws-cdk-lib');
const { CfnTrail, Trail } = require('aws-cdk-lib/aws-cloudtrail');
const { Asset } = require('aws-cdk-lib/aws-s3-assets');
const { acknowledgeByPath } = require('cfn-trail-lint/cdk');

function bucketTrail(scope, id, props = {}) {
  return new CfnTrail(scope, id, { s3BucketName: 'audit-logs', isLogging: true, ...props });
}

function build(app) {
  const audit = new Stack(app, 'Audit');
  new Trail(audit, 'Everywhere');
  const multiRegion = new CfnParameter(audit, 'MultiRegion', { default: 'false', allowedValues: ['true', 'false'] });
  bucketTrail(audit, 'ByParameter', { isMultiRegionTrail: multiRegion.valueAsString });
  const acknowledged = new Trail(audit, 'DataEvents', { isMultiRegionTrail: false });
  Validations.of(acknowledged).acknowledge({ id: 'CLOUDTRAIL_MULTI_REGION_ENABLED', reason: 'data events of one bucket' });
  // Escape hatches the synthesized template shows: a new logical ID, a resource made a trail by its Type.
  bucketTrail(audit, 'Renamed', { isMultiRegionTrail: false }).overrideLogicalId('RenamedTrail');
  const disguised = new CfnResource(audit, 'Disguised', { type: 'AWS::S3::Bucket', properties: { S3BucketName: 'audit-logs', IsLogging: true } });
  disguised.addOverride('Type', 'AWS::CloudTrail::Trail');

  const logging = new Stack(app, 'Logging');
  const nested = new NestedStack(logging, 'Trails', { parameters: { Multi: 'true' } });
  const passed = new CfnParameter(nested, 'Multi');
  bucketTrail(nested, 'Unset');
  bucketTrail(nested, 'FromParent', { isMultiRegionTrail: passed.valueAsString });
  // A nested stack whose template is a file asset (child.json, next to this file).
  const child = new Asset(logging, 'ChildTemplate', { path: path.join(__dirname, 'child.json') });
  new CfnStack(logging, 'Child', { templateUrl: child.httpUrl, parameters: { MultiRegion: 'false' } });

  const prod = new Stack(new Stage(app, 'Prod'), 'Audit');
  new Trail(prod, 'Regional', { isMultiRegionTrail: false });
  bucketTrail(prod, 'Imported', { isMultiRegionTrail: Fn.importValue('org-multi-region') });
  bucketTrail(prod, 'Sandbox');
  acknowledgeByPath(prod, '/Prod/Audit/Sandbox', 'sandbox account, deleted nightly');
  return app;
}

module.exports = { build, App };
if (require.main === module) build(new App()).synth();
`;

/** The template of the fleet's file-asset nested stack. */
export const FLEET_CHILD_TEMPLATE = JSON.stringify({
  Parameters: { MultiRegion: { Type: 'String', AllowedValues: ['true', 'false'] } },
  Resources: { ChildTrail: { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: 'audit-logs', IsLogging: true, IsMultiRegionTrail: { Ref: 'MultiRegion' } } } },
});
