import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aspects, CfnCondition, CfnParameter, CfnResource, CfnStack, DefaultStackSynthesizer, Fn, NestedStack, Stack, Stage, Token, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnTrail, Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct, type IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { MultiRegionTrailAspect, MultiRegionTrailError, acknowledge, acknowledgeByPath, checkStack, type MultiRegionTrailAspectOptions } from '../../src/cdk';
import { lintPaths } from '../../src/lint';
import { synthAndCompare } from './agreement';

// Real in-process synthesis, as in a user's unit test. Every app with the Aspect on the App goes through
// synthAndCompare: the CLI on its cdk.out must reach the same verdicts at the same locations.

const OUT = path.join(__dirname, '..', '.tmp', 'cdk-door');
let apps = 0;
// Each run starts empty: a template left in an app's folder by an earlier run is linted as a loose file.
fs.rmSync(OUT, { recursive: true, force: true });

function newApp(): App {
  return new App({ outdir: path.join(OUT, `app-${++apps}`), builtinCloudFormationValidation: false });
}

function appWithAspect(options: MultiRegionTrailAspectOptions = {}): App {
  const app = newApp();
  Aspects.of(app).add(new MultiRegionTrailAspect(options));
  return app;
}

function bucketTrail(scope: IConstruct, id: string, props: Partial<ConstructorParameters<typeof CfnTrail>[2]> = {}): CfnTrail {
  return new CfnTrail(scope, id, { s3BucketName: 'audit-logs', isLogging: true, ...props });
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('unit tests of a stack inside a Stage', () => {
  function stageApp(): { app: App; stack: Stack } {
    const app = appWithAspect();
    const stack = new Stack(new Stage(app, 'Prod'), 'Audit');
    new Trail(stack, 'Trail', { isMultiRegionTrail: false });
    return { app, stack };
  }

  // Measured (aws-cdk-lib 2.276): Template.fromStack synthesizes the Stage alone, where the App's aspects never run.
  it('Template.fromStack and stage.synth() do not run the App Aspect: CDK offers no hook there', () => {
    const { stack } = stageApp();
    expect(() => Template.fromStack(stack)).not.toThrow();
    expect(() => (Stage.of(stack) as Stage).synth()).not.toThrow();
  });

  it('checkStack(stack) fails on it, naming the construct path', () => {
    const { stack } = stageApp();
    Template.fromStack(stack);
    const error = thrown(() => checkStack(stack));
    expect(error).toBeInstanceOf(MultiRegionTrailError);
    expect((error as MultiRegionTrailError).results).toMatchObject([{ status: 'fail', stack: 'Prod-Audit', constructPath: 'Prod/Audit/Trail/Resource' }]);
    expect((error as MultiRegionTrailError).message).toContain('✗ Prod/Audit/Trail/Resource');
  });

  it('checkStack(stage) checks every stack of the Stage; a compliant stack passes', () => {
    const app = newApp();
    const stage = new Stage(app, 'Prod');
    new Trail(new Stack(stage, 'Good'), 'Trail');
    const bad = new Stack(stage, 'Bad');
    bucketTrail(new NestedStack(bad, 'Logging'), 'Regional');
    expect(() => checkStack(stage.node.findChild('Good') as Stack)).not.toThrow();
    expect((thrown(() => checkStack(stage)) as MultiRegionTrailError).results.map((result) => result.constructPath)).toEqual(['Prod/Bad/Logging/Regional']);
  });

  it('checkStack takes the same options as the Aspect', () => {
    const app = newApp();
    const stack = new Stack(app, 'Audit');
    bucketTrail(stack, 'Trail', { isMultiRegionTrail: Token.asAny(Fn.importValue('org-multi-region')) });
    expect(thrown(() => checkStack(stack))).toBeInstanceOf(MultiRegionTrailError);
    expect(() => checkStack(stack, { unknown: 'warn' })).not.toThrow();
  });

  // Issue #17 (attack17 #1, #20): checkStack of a nested stack, or of a construct, checks something.
  it('checkStack(nestedStack) checks the nested stack; checkStack(construct) the stack that holds it', () => {
    const app = newApp();
    const stack = new Stack(new Stage(app, 'Prod'), 'Audit');
    const nested = new NestedStack(stack, 'Logging');
    bucketTrail(nested, 'Regional', { isMultiRegionTrail: false });
    const group = new Construct(stack, 'Group');
    const inside = new Construct(nested, 'Inside');
    const paths = (scope: IConstruct) => (thrown(() => checkStack(scope)) as MultiRegionTrailError | undefined)?.results.map((result) => result.constructPath);
    expect(paths(nested)).toEqual(['Prod/Audit/Logging/Regional']);
    expect(paths(group)).toEqual(['Prod/Audit/Logging/Regional']);
    expect(paths(inside)).toEqual(['Prod/Audit/Logging/Regional']);
  });
});

describe('MultiRegionTrailError, as a CDK user reads it', () => {
  it('carries construct path, stack, logical ID, the line that created the trail, and the CDK fix', () => {
    const app = appWithAspect();
    const line = new Error().stack?.split('\n')[1] ?? '';
    new Trail(new Stack(app, 'Audit'), 'Trail', { isMultiRegionTrail: false });
    const [result] = synthAndCompare(app)?.results ?? [];
    expect(result).toMatchObject({ status: 'fail', stack: 'Audit', constructPath: 'Audit/Trail/Resource', logicalId: expect.stringMatching(/^Trail[0-9A-F]{8}$/) });
    expect(result.fix).toContain("new cloudtrail.Trail(this, 'Trail')");
    expect(result.file).toBe(path.relative(process.cwd(), __filename));
    expect(result.line).toBe(Number(/:(\d+):\d+\)?$/.exec(line)?.[1]) + 1);
  });

  it('prints the report alone: no stack frames, no empty first line', () => {
    const app = appWithAspect();
    bucketTrail(new Stack(app, 'Audit'), 'Trail');
    const error = synthAndCompare(app) as MultiRegionTrailError;
    expect(error.stack).toBe(error.message);
    expect(error.stack).not.toMatch(/\n\s+at /);
    expect(error.message).toMatch(/^cfn-trail-lint: 1 CloudTrail trail in this app would not log every Region/);
  });

  it('an acknowledgement without a reason: the error names the construct that carries it', () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Audit');
    bucketTrail(new NestedStack(stack, 'Logging'), 'Trail');
    Validations.of(stack.node.findChild('Logging')).acknowledge({ id: 'CLOUDTRAIL_MULTI_REGION_ENABLED', reason: '' });
    const error = synthAndCompare(app) as MultiRegionTrailError;
    expect(error.inputErrors).toMatchObject([{ file: 'Audit/Logging', code: 'E5003' }]);
    expect(error.message).toMatch(/^cfn-trail-lint: a stack could not be checked:\n {2}✗ the acknowledgement of CLOUDTRAIL_MULTI_REGION_ENABLED on Audit\/Logging has no reason/);
    expect(error.message).toContain('(E5003)');
  });

  it.each([
    ['a Stage', (_app: App, stage: Stage) => Validations.of(stage).acknowledge({ id: 'CLOUDTRAIL_MULTI_REGION_ENABLED', reason: 'sandbox' }), 'on Sandbox (a Stage) is not honoured'],
    ['the App', (app: App) => Validations.of(app).acknowledge({ id: 'CLOUDTRAIL_MULTI_REGION_ENABLED', reason: 'sandbox' }), 'on the App is not honoured'],
  ])('an acknowledgement on %s is not honoured, and the failure says so', (_where, acknowledgeAbove, note) => {
    const app = appWithAspect();
    const stage = new Stage(app, 'Sandbox');
    bucketTrail(new Stack(stage, 'Audit'), 'Trail');
    acknowledgeAbove(app, stage);
    const error = synthAndCompare(app) as MultiRegionTrailError;
    expect(error.results).toMatchObject([{ status: 'fail', constructPath: 'Sandbox/Audit/Trail' }]);
    expect(error.message).toContain(`note: an acknowledgement ${note}`);
  });
});

describe('acknowledge() and acknowledgeByPath()', () => {
  it('acknowledgeByPath takes the path as cdk synth prints it, with or without the leading /, or relative to the stack', () => {
    for (const [at, stackPath] of [['/Audit/Trail/Resource', 'Audit'], ['Audit/Trail', 'Audit'], ['Trail/Resource', 'Audit']]) {
      const app = appWithAspect();
      const stack = new Stack(app, stackPath);
      new Trail(stack, 'Trail', { isMultiRegionTrail: false });
      acknowledgeByPath(stack, at, 'data events of one bucket');
      expect(synthAndCompare(app), at).toBeUndefined();
      const report = lintPaths([app.outdir]);
      expect(report.results).toMatchObject([{ status: 'suppressed', constructPath: 'Audit/Trail/Resource', suppression: { reason: 'data events of one bucket' } }]);
    }
  });

  it('acknowledge(construct) covers the construct and all its children, nested stacks included', () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Audit');
    const group = new Stack(app, 'Other');
    bucketTrail(stack, 'One');
    bucketTrail(new NestedStack(stack, 'Logging'), 'Two');
    bucketTrail(group, 'Three');
    acknowledge(stack, 'sandbox account');
    const error = synthAndCompare(app) as MultiRegionTrailError;
    expect(error.results.map((result) => result.constructPath)).toEqual(['Other/Three']);
    expect(lintPaths([app.outdir]).summary).toMatchObject({ suppressed: 2, fail: 1 });
  });

  it('acknowledge(stage) is recorded on each stack of the Stage, so that cdk.out keeps it', () => {
    const app = appWithAspect();
    const stage = new Stage(app, 'Sandbox');
    bucketTrail(new Stack(stage, 'One'), 'Trail');
    bucketTrail(new Stack(new Stage(stage, 'Inner'), 'Two'), 'Trail');
    acknowledge(stage, 'sandbox account');
    expect(synthAndCompare(app)).toBeUndefined();
    expect(lintPaths([app.outdir]).summary).toMatchObject({ suppressed: 2, fail: 0 });
  });

  it('an empty reason throws, naming the construct; a path that names no construct throws', () => {
    const stack = new Stack(newApp(), 'Audit');
    const trail = new Trail(stack, 'Trail');
    expect(() => acknowledge(trail, '')).toThrow(/acknowledge\(Audit\/Trail\): the reason is required/);
    expect(() => acknowledge(trail, '   ')).toThrow(/the reason is required/);
    expect(() => acknowledgeByPath(stack, '/Audit/Trail', '')).toThrow(/the reason is required/);
    expect(() => acknowledgeByPath(stack, '/Audit/Missing', 'why')).toThrow(/no construct at "\/Audit\/Missing" in stack Audit/);
  });
});

describe('the Aspect judges the stack as it will synthesize (issue #20.5)', () => {
  it('overrideLogicalId: a Ref to the renamed parameter resolves, the finding names the new logical ID', () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Audit');
    const multiRegion = new CfnParameter(stack, 'MultiRegion', { default: 'false', allowedValues: ['true', 'false'] });
    multiRegion.overrideLogicalId('TrailIsMultiRegion');
    const trail = bucketTrail(stack, 'Trail', { isMultiRegionTrail: Token.asAny(multiRegion.valueAsString) });
    trail.overrideLogicalId('AuditTrail');
    expect(synthAndCompare(app)?.results).toMatchObject([{ status: 'fail', logicalId: 'AuditTrail', constructPath: 'Audit/Trail', when: { TrailIsMultiRegion: 'false' } }]);
  });

  it("addOverride('Type', 'AWS::CloudTrail::Trail') on another resource makes it a trail", () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Audit');
    const resource = new CfnResource(stack, 'Disguised', { type: 'AWS::S3::Bucket', properties: { S3BucketName: 'audit-logs', IsLogging: true } });
    resource.addOverride('Type', 'AWS::CloudTrail::Trail');
    expect(synthAndCompare(app)?.results).toMatchObject([{ status: 'fail', logicalId: 'Disguised', constructPath: 'Audit/Disguised' }]);
  });

  it("a trail whose Type an override changes is no longer a trail", () => {
    const app = appWithAspect();
    const trail = bucketTrail(new Stack(app, 'Audit'), 'Trail');
    trail.addOverride('Type', 'AWS::S3::Bucket');
    expect(synthAndCompare(app)).toBeUndefined();
  });

  it('raw overrides of Properties count', () => {
    const app = appWithAspect();
    const trail = new Trail(new Stack(app, 'Audit'), 'Trail');
    (trail.node.defaultChild as CfnTrail).addOverride('Properties.IsMultiRegionTrail', false);
    expect(synthAndCompare(app)?.results).toMatchObject([{ status: 'fail', constructPath: 'Audit/Trail/Resource' }]);
  });

  it("a condition and a parameter renamed with overrideLogicalId", () => {
    const app = appWithAspect({ parameters: { Env: 'dev' } });
    const stack = new Stack(app, 'Audit');
    const environment = new CfnParameter(stack, 'Environment', { default: 'prod', allowedValues: ['dev', 'prod'] });
    environment.overrideLogicalId('Env');
    const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(environment.valueAsString, 'prod') });
    isProd.overrideLogicalId('Production');
    bucketTrail(stack, 'Trail', { isMultiRegionTrail: Fn.conditionIf('Production', true, false) });
    expect(synthAndCompare(app, { parameters: { Env: 'dev' } })?.results).toMatchObject([{ status: 'fail', when: { Env: 'dev' } }]);
  });

  it('a parameters key no stack declares is an error (a misspelt key must not let the Default decide); each stack gets its own', () => {
    const build = (options: MultiRegionTrailAspectOptions) => {
      const app = appWithAspect(options);
      const audit = new Stack(app, 'Audit');
      const multiRegion = new CfnParameter(audit, 'MultiRegion', { default: 'true', allowedValues: ['true', 'false'] });
      bucketTrail(audit, 'Trail', { isMultiRegionTrail: Token.asAny(multiRegion.valueAsString) });
      new Trail(new Stack(app, 'Other'), 'Trail');
      return app;
    };
    const misspelt = { parameters: { MultiRegon: 'false' } };
    expect(synthAndCompare(build(misspelt), misspelt)?.inputErrors).toMatchObject([{ code: 'E4001', message: expect.stringContaining('MultiRegon') }]);
    const given = { parameters: { MultiRegion: 'false' } };
    expect(synthAndCompare(build(given), given)?.results).toMatchObject([{ status: 'fail', constructPath: 'Audit/Trail', when: { MultiRegion: 'false' } }]);
  });

  it('takes a parameters file as the command line reads it; parameters given in code win over it', () => {
    const build = (options: MultiRegionTrailAspectOptions) => {
      const app = appWithAspect(options);
      const audit = new Stack(app, 'Audit');
      const multiRegion = new CfnParameter(audit, 'MultiRegion', { default: 'true', allowedValues: ['true', 'false'] });
      bucketTrail(audit, 'Trail', { isMultiRegionTrail: Token.asAny(multiRegion.valueAsString) });
      return app;
    };
    // CodePipeline's template configuration file.
    const file = assetTemplate('params.json', JSON.stringify({ Parameters: { MultiRegion: 'false' } }));
    expect(synthAndCompare(build({ parametersFile: file }), { parametersFile: file })?.results).toMatchObject([
      { status: 'fail', constructPath: 'Audit/Trail', when: { MultiRegion: 'false' } },
    ]);
    expect(synthAndCompare(build({ parametersFile: file, parameters: { MultiRegion: 'true' } }), { parametersFile: file, parameters: { MultiRegion: 'true' } })).toBeUndefined();
    // A file that cannot be read fails the synth, naming the file, line and column.
    const broken = assetTemplate('broken-params.json', '{\n  "Parameters": {\n    "MultiRegion": "false",\n    "MultiRegion": "true"\n  }\n}\n');
    const error = thrown(() => build({ parametersFile: broken }).synth()) as MultiRegionTrailError;
    expect(error.inputErrors).toMatchObject([{ file: broken, code: 'E4003', message: expect.stringMatching(/broken-params\.json:4:5: /) }]);
  });

  function assetTemplate(name: string, text: string): string {
    fs.mkdirSync(OUT, { recursive: true });
    const file = path.join(OUT, name);
    fs.writeFileSync(file, text);
    return file;
  }

  const CHILD = {
    Parameters: { MultiRegion: { Type: 'String', AllowedValues: ['true', 'false'] } },
    Resources: { ChildTrail: { Type: 'AWS::CloudTrail::Trail', Properties: { S3BucketName: 'audit-logs', IsLogging: true, IsMultiRegionTrail: { Ref: 'MultiRegion' } } } },
  };

  it('a CfnStack whose template is a file Asset is followed, with the parameters its resource passes', () => {
    const app = appWithAspect({ parameters: { MultiRegion: 'true' } });
    const stack = new Stack(app, 'Audit');
    const child = new Asset(stack, 'ChildTemplate', { path: assetTemplate('child.json', JSON.stringify(CHILD)) });
    new CfnStack(stack, 'Child', { templateUrl: child.httpUrl, parameters: { MultiRegion: 'false' } });
    // The top-level value of MultiRegion does not reach the child: its parent passes 'false'.
    const [result] = synthAndCompare(app, { parameters: { MultiRegion: 'true' } })?.results ?? [];
    expect(result).toMatchObject({ status: 'fail', logicalId: 'ChildTrail', stack: 'Audit/Child' });
  });

  it('a CfnStack with a remote template is unknown in both doors, never nothing to check', () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Audit');
    new CfnStack(stack, 'Remote', { templateUrl: 'https://s3.amazonaws.com/bucket/audit.yaml' });
    const error = synthAndCompare(app);
    expect(error?.results).toMatchObject([{ status: 'unknown', logicalId: 'Remote', stack: 'Audit', message: expect.stringContaining('is remote and is not fetched') }]);
  });

  it('a NestedStack gets what its parent passes as the engine reads it: a parent parameter fixed by a value given reaches it', () => {
    const build = (given: string) => {
      const app = appWithAspect({ parameters: { Multi: given } });
      const parent = new Stack(app, 'Audit');
      const multi = new CfnParameter(parent, 'Multi', { type: 'String', allowedValues: ['true', 'false'] });
      const nested = new NestedStack(parent, 'Logging', { parameters: { ChildMulti: multi.valueAsString } });
      const childMulti = new CfnParameter(nested, 'ChildMulti', { type: 'String', allowedValues: ['true', 'false'] });
      bucketTrail(nested, 'Trail', { isMultiRegionTrail: Token.asAny(childMulti.value) as unknown as boolean });
      return app;
    };
    // Found through the parent's `Ref Multi`, fixed by the value given: one deployment, which passes or fails.
    expect(synthAndCompare(build('true'), { parameters: { Multi: 'true' } })).toBeUndefined();
    const error = synthAndCompare(build('false'), { parameters: { Multi: 'false' } });
    expect(error?.results).toMatchObject([{ status: 'fail', constructPath: 'Audit/Logging/Trail', when: { ChildMulti: 'false' } }]);
  });

  // Issue #17 (attack17 #14): nothing in it, nothing to say — in both doors.
  it('an empty NestedStack, or one with Parameters only, renders no template: passed over in both doors', () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Audit');
    new NestedStack(stack, 'Empty');
    new CfnParameter(new NestedStack(stack, 'OnlyParameters'), 'Unused', { default: 'x' });
    bucketTrail(stack, 'Trail', { isMultiRegionTrail: true });
    expect(synthAndCompare(app)).toBeUndefined();
  });

  // Issue #17 (attack17 #15): an asset is any stack's file; CloudFormation reads it wherever the URL is used.
  it("a template asset of the parent stack deployed by a CfnStack inside its NestedStack is followed in both doors", () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Audit');
    const child = new Asset(stack, 'ChildTemplate', { path: assetTemplate('parent-asset.json', JSON.stringify(CHILD)) });
    new CfnStack(new NestedStack(stack, 'Inner'), 'Deploys', { templateUrl: child.httpUrl, parameters: { MultiRegion: 'false' } });
    expect(synthAndCompare(app)?.results).toMatchObject([{ status: 'fail', logicalId: 'ChildTrail', when: { MultiRegion: 'false' } }]);
  });

  // Issue #17 (attack17 #2, #13): CloudFormation deploys what the resource says, not the NestedStack's own template,
  // which is linted on its own (as the command line lints an unclaimed template in cdk.out).
  it("a NestedStack whose TemplateURL is overridden: what the URL names is judged, its own template on its own", () => {
    const build = (url: (stack: Stack) => string) => {
      const app = appWithAspect();
      const stack = new Stack(app, 'Audit');
      const nested = new NestedStack(stack, 'Logging');
      bucketTrail(nested, 'Own', { isMultiRegionTrail: true });
      const resource = nested.nestedStackResource as CfnStack;
      resource.addPropertyOverride('TemplateURL', url(stack));
      resource.addPropertyOverride('Parameters', { MultiRegion: 'false' });
      return app;
    };
    const judged = (error: MultiRegionTrailError | undefined) => error?.results.map((result) => `${result.status} ${result.stack} ${result.logicalId}`);
    const resource = 'LoggingNestedStackLoggingNestedStackResourceBF8F7D28';
    expect(judged(synthAndCompare(build(() => 'https://s3.amazonaws.com/someone-else/audit.json')))).toEqual([`unknown Audit ${resource}`]);
    const asset = (stack: Stack) => new Asset(stack, 'Other', { path: assetTemplate('other-child.json', JSON.stringify(CHILD)) }).httpUrl;
    expect(judged(synthAndCompare(build(asset)))).toEqual([`fail Audit/${resource} ChildTrail`]);
  });

  it("a NestedStack whose TemplateURL is overridden does not credit its own template's trail to the account", () => {
    const rules = ['ACCOUNT_MULTI_REGION_TRAIL_EXISTS'];
    const app = appWithAspect({ rules });
    const nested = new NestedStack(new Stack(app, 'Audit', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Logging');
    bucketTrail(nested, 'Trail', { isMultiRegionTrail: true });
    (nested.nestedStackResource as CfnStack).addPropertyOverride('TemplateURL', 'https://s3.amazonaws.com/someone-else/audit.json');
    const error = synthAndCompare(app, { rules });
    expect(error?.results.filter((result) => result.ruleId === rules[0])).toMatchObject([{ status: expect.stringMatching(/^(fail|unknown)$/) }]);
  });

  it('a NestedStack whose resource Type is overridden to a StackSet is not followed as a nested stack', () => {
    const app = appWithAspect();
    const nested = new NestedStack(new Stack(app, 'Audit'), 'Logging');
    bucketTrail(nested, 'Trail', { isMultiRegionTrail: true });
    const resource = nested.nestedStackResource as CfnStack;
    resource.addOverride('Type', 'AWS::CloudFormation::StackSet');
    resource.addPropertyOverride('StackSetName', 'everywhere');
    resource.addPropertyOverride('PermissionModel', 'SELF_MANAGED');
    expect(synthAndCompare(app)?.results).toMatchObject([{ status: 'unknown', stack: 'Audit' }]);
  });

  // The doors are compared under every option the Aspect takes, a set rule and a parameters file included.
  it('an account whose only qualifying trail is in a NestedStack is credited by both doors; another account fails', () => {
    const rules = ['ACCOUNT_MULTI_REGION_TRAIL_EXISTS'];
    const app = appWithAspect({ rules });
    const stage = new Stage(app, 'Prod');
    const good = new Stack(stage, 'Good', { env: { account: '111111111111', region: 'eu-west-1' } });
    bucketTrail(new NestedStack(good, 'Logging'), 'Trail', { isMultiRegionTrail: true });
    bucketTrail(new Stack(stage, 'Bad', { env: { account: '222222222222', region: 'eu-west-1' } }), 'Regional', { isMultiRegionTrail: false });
    const error = synthAndCompare(app, { rules });
    expect(error?.results.filter((result) => result.ruleId === rules[0])).toMatchObject([{ status: 'fail', message: expect.stringContaining('222222222222') }]);
  });

  it('a YAML template asset is followed too', () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Audit');
    const child = new Asset(stack, 'ChildTemplate', { path: assetTemplate('child.yaml', 'Resources:\n  ChildTrail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: logs\n      IsLogging: true\n') });
    new CfnStack(stack, 'Child', { templateUrl: child.httpUrl });
    // Not compared with the CLI here: its cdk.out reader follows `*.json` template assets only (issue #20.5, src/load).
    const error = thrown(() => app.synth()) as MultiRegionTrailError;
    expect(error.results).toMatchObject([{ status: 'fail', logicalId: 'ChildTrail', stack: 'Audit/Child', file: expect.stringMatching(/asset\.[0-9a-f]+\.yaml$/) }]);
  });
});

describe('template names are data', () => {
  // CDK itself can write such a name only as the first entry of its section (its merge asks `id in section`):
  // hence one name per section, in stacks without the BootstrapVersion parameter.
  it.each(['toString', 'valueOf', 'constructor', 'hasOwnProperty'])('a parameter, a condition and a trail named %s', (name) => {
    const app = appWithAspect();
    const stackProps = { synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) };
    const byParameter = new Stack(app, 'ByParameter', stackProps);
    const parameter = new CfnParameter(byParameter, 'Parameter', { default: 'false', allowedValues: ['true', 'false'] });
    parameter.overrideLogicalId(name);
    bucketTrail(byParameter, 'Trail', { isMultiRegionTrail: Token.asAny(parameter.valueAsString) });

    const byCondition = new Stack(app, 'ByCondition', stackProps);
    const environment = new CfnParameter(byCondition, 'Environment', { default: 'dev', allowedValues: ['dev', 'prod'] });
    const condition = new CfnCondition(byCondition, 'Condition', { expression: Fn.conditionEquals(environment.valueAsString, 'prod') });
    condition.overrideLogicalId(name);
    bucketTrail(byCondition, 'Trail', { isMultiRegionTrail: Fn.conditionIf(name, true, false) });

    // A trail so named, next to an acknowledged one: its acknowledgements are looked up by its name.
    const named = new Stack(app, 'Named', stackProps);
    bucketTrail(named, 'Regional', { isMultiRegionTrail: false }).overrideLogicalId(name);
    acknowledge(bucketTrail(named, 'Acknowledged', { isMultiRegionTrail: false }), 'data events of one bucket');

    const error = synthAndCompare(app) as MultiRegionTrailError;
    expect(error.results).toMatchObject([
      { status: 'fail', constructPath: 'ByParameter/Trail', when: { [name]: 'false' } },
      { status: 'fail', constructPath: 'ByCondition/Trail', when: { Environment: 'dev' } },
      { status: 'fail', constructPath: 'Named/Regional', logicalId: name },
    ]);
    expect(lintPaths([app.outdir]).results).toMatchObject([
      { status: 'fail', constructPath: 'ByParameter/Trail', when: { [name]: 'false' } },
      { status: 'fail', constructPath: 'ByCondition/Trail', when: { Environment: 'dev' } },
      { status: 'fail', constructPath: 'Named/Regional', logicalId: name },
      { status: 'suppressed', constructPath: 'Named/Acknowledged' },
    ]);
  });
});
