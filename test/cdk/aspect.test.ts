import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aspects, CfnCondition, CfnParameter, Fn, NestedStack, Stack, Stage, Token, Validations, type IAspect } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CfnTrail, Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { Construct, type IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { MultiRegionTrailAspect, MultiRegionTrailError, type MultiRegionTrailAspectOptions } from '../../src/cdk';
import { synthAndCompare } from './agreement';

// Real in-process synthesis: the Aspect runs inside CDK's own synth, as in a user's unit test.

const OUT = path.join(__dirname, '..', '.tmp', 'cdk-aspect');
let apps = 0;
// Each run starts empty: a template left in an app's folder by an earlier run is linted as a loose file.
fs.rmSync(OUT, { recursive: true, force: true });

/** CDK's own built-in template validation only adds noise to these tests' output. */
function newApp(): App {
  return new App({ outdir: path.join(OUT, `app-${++apps}`), builtinCloudFormationValidation: false });
}

/** The options of the Aspect on each app made by appWithAspect, for the CLI to get the same. */
const optionsOf = new WeakMap<App, MultiRegionTrailAspectOptions>();

function appWithAspect(options?: MultiRegionTrailAspectOptions): App {
  const app = newApp();
  Aspects.of(app).add(new MultiRegionTrailAspect(options));
  optionsOf.set(app, options ?? {});
  return app;
}

/**
 * Synthesizes and returns the Aspect's error, or undefined when synthesis passed. An app with the Aspect on the App
 * is also linted from its cdk.out, which must agree.
 */
function synthError(app: App): MultiRegionTrailError | undefined {
  const options = optionsOf.get(app);
  if (options) return synthAndCompare(app, options);
  try {
    app.synth();
    return undefined;
  } catch (error) {
    if (error instanceof MultiRegionTrailError) return error;
    throw error;
  }
}

function bucketTrail(scope: IConstruct, id: string, props: Partial<ConstructorParameters<typeof CfnTrail>[2]> = {}): CfnTrail {
  return new CfnTrail(scope, id, { s3BucketName: 'audit-logs', isLogging: true, ...props });
}

describe('MultiRegionTrailAspect — noncompliance', () => {
  it('flags an L2 Trail with isMultiRegionTrail: false, naming its construct path and the CDK fix', () => {
    const app = appWithAspect();
    new Trail(new Stack(app, 'Audit'), 'Trail', { isMultiRegionTrail: false });
    const error = synthError(app);
    expect(error?.results).toMatchObject([
      { status: 'fail', stack: 'Audit', constructPath: 'Audit/Trail/Resource', message: expect.stringContaining('IsMultiRegionTrail is false') },
    ]);
    expect(error?.message).toContain('Audit/Trail/Resource');
    expect(error?.message).toContain("new cloudtrail.Trail(this, 'Trail')");
  });

  it('flags an L2 Trail made regional by an escape hatch, which the property getter does not show', () => {
    const app = appWithAspect();
    const trail = new Trail(new Stack(app, 'Audit'), 'Trail');
    const cfnTrail = trail.node.defaultChild as CfnTrail;
    cfnTrail.addPropertyOverride('IsMultiRegionTrail', false);
    expect(cfnTrail.isMultiRegionTrail).toBe(true);
    expect(synthError(app)?.results).toMatchObject([{ status: 'fail', constructPath: 'Audit/Trail/Resource' }]);
  });

  it('flags a CfnTrail without the property inside a NestedStack', () => {
    const app = appWithAspect();
    const nested = new NestedStack(new Stack(app, 'Audit'), 'Logging');
    bucketTrail(nested, 'Regional');
    const [result] = synthError(app)?.results ?? [];
    expect(result).toMatchObject({ status: 'fail', constructPath: 'Audit/Logging/Regional', message: expect.stringContaining('not set') });
    expect(result.stack).toMatch(/^Audit\/LoggingNestedStackLoggingNestedStackResource[0-9A-F]{8}$/);
  });

  it("flags a CfnTrail fed by a CfnParameter whose Default is 'false', naming that deployment", () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Audit');
    const multiRegion = new CfnParameter(stack, 'MultiRegion', { default: 'false', allowedValues: ['true', 'false'] });
    bucketTrail(stack, 'Trail', { isMultiRegionTrail: multiRegion.value });
    const error = synthError(app);
    expect(error?.results).toMatchObject([{ status: 'fail', when: { MultiRegion: 'false' } }]);
    expect(error?.message).toContain('when: MultiRegion=false');
  });

  it('flags a regional trail in a stack inside a Stage, and inside a Stage nested in a Stage', () => {
    const app = appWithAspect();
    new Trail(new Stack(new Stage(app, 'Prod'), 'Audit'), 'Trail', { isMultiRegionTrail: false });
    bucketTrail(new Stack(new Stage(new Stage(app, 'Beta'), 'EU'), 'Audit'), 'Trail');
    expect(synthError(app)?.results).toMatchObject([
      { status: 'fail', stack: 'Prod-Audit', constructPath: 'Prod/Audit/Trail/Resource' },
      { status: 'fail', stack: 'Beta-EU-Audit', constructPath: 'Beta/EU/Audit/Trail' },
    ]);
  });

  it('lists every violation of the app in one error', () => {
    const app = appWithAspect();
    bucketTrail(new Stack(app, 'One'), 'Trail');
    bucketTrail(new Stack(new Stage(app, 'Prod'), 'Two'), 'Trail');
    const error = synthError(app);
    expect(error?.results.map((result) => result.constructPath)).toEqual(['One/Trail', 'Prod/Two/Trail']);
    expect(error?.message).toMatch(/^cfn-trail-lint: 2 CloudTrail trails in this app would not log every Region/);
  });

  it('in strict mode, a parameter Default does not make a trail compliant', () => {
    const build = (app: App) => {
      const stack = new Stack(app, 'Audit');
      const multiRegion = new CfnParameter(stack, 'MultiRegion', { default: 'true' });
      bucketTrail(stack, 'Trail', { isMultiRegionTrail: multiRegion.value });
    };
    const lenient = appWithAspect();
    build(lenient);
    expect(synthError(lenient)).toBeUndefined();
    const strict = appWithAspect({ strict: true });
    build(strict);
    expect(synthError(strict)?.results).toMatchObject([{ status: 'fail' }]);
  });

  it('annotates the failing trail with an error', () => {
    const app = appWithAspect();
    const trail = bucketTrail(new Stack(app, 'Audit'), 'Trail', { isMultiRegionTrail: false });
    synthError(app);
    expect(trail.node.metadata).toContainEqual(
      expect.objectContaining({ type: 'aws:cdk:error', data: expect.stringMatching(/^\[CLOUDTRAIL_MULTI_REGION_ENABLED\] .*IsMultiRegionTrail is false; fix: /) }),
    );
  });
});

describe('MultiRegionTrailAspect — compliance', () => {
  it('passes an L2 Trail with its defaults', () => {
    const app = appWithAspect();
    new Trail(new Stack(app, 'Audit'), 'Trail');
    expect(synthError(app)).toBeUndefined();
  });

  it('passes Fn.conditionIf whose condition holds under the parameter defaults', () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Audit');
    const environment = new CfnParameter(stack, 'Environment', { default: 'prod', allowedValues: ['dev', 'prod'] });
    const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(environment.valueAsString, 'prod') });
    bucketTrail(stack, 'Trail', { isMultiRegionTrail: Fn.conditionIf(isProd.logicalId, true, false) });
    expect(synthError(app)).toBeUndefined();
  });

  it('fails the same Fn.conditionIf when the deployment passes the other value', () => {
    const app = appWithAspect({ parameters: { Environment: 'dev' } });
    const stack = new Stack(app, 'Audit');
    const environment = new CfnParameter(stack, 'Environment', { default: 'prod', allowedValues: ['dev', 'prod'] });
    const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(environment.valueAsString, 'prod') });
    bucketTrail(stack, 'Trail', { isMultiRegionTrail: Fn.conditionIf(isProd.logicalId, true, false) });
    expect(synthError(app)?.results).toMatchObject([{ status: 'fail', when: { Environment: 'dev' } }]);
  });

  it.each(['CLOUDTRAIL_MULTI_REGION_ENABLED', 'cfn-trail-lint::CLOUDTRAIL_MULTI_REGION_ENABLED', 'CKV_AWS_67'])(
    'passes a trail acknowledged with Validations.of(trail).acknowledge({ id: %j }), noting it as info',
    (id) => {
      const app = appWithAspect();
      const stack = new Stack(app, 'Audit');
      const trail = new Trail(stack, 'Trail', { isMultiRegionTrail: false });
      Validations.of(trail).acknowledge({ id, reason: 'regional data-event trail; the organization trail covers every Region' });
      expect(synthError(app)).toBeUndefined();
      Annotations.fromStack(stack).hasInfo('/Audit/Trail/Resource', Match.stringLikeRegexp(`acknowledged \\(${id}\\): regional data-event trail`));
    },
  );

  it('honours an acknowledgement on an ancestor within the stack, as CDK does for validation plugins', () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Audit');
    bucketTrail(new NestedStack(stack, 'Logging'), 'Trail');
    Validations.of(stack).acknowledge({ id: 'CLOUDTRAIL_MULTI_REGION_ENABLED', reason: 'sandbox account' });
    expect(synthError(app)).toBeUndefined();
  });

  it('does not honour one above the stack (on a Stage or the App), which cdk.out does not record for the CLI', () => {
    const app = appWithAspect();
    const stage = new Stage(app, 'Sandbox');
    bucketTrail(new Stack(stage, 'Audit'), 'Trail');
    Validations.of(stage).acknowledge({ id: 'CLOUDTRAIL_MULTI_REGION_ENABLED', reason: 'sandbox account' });
    expect(synthError(app)?.results).toMatchObject([{ status: 'fail', constructPath: 'Sandbox/Audit/Trail' }]);
  });

  it('an acknowledgement without a reason fails the synth', () => {
    const app = appWithAspect();
    const trail = bucketTrail(new Stack(app, 'Audit'), 'Trail');
    Validations.of(trail).acknowledge({ id: 'CLOUDTRAIL_MULTI_REGION_ENABLED', reason: '' });
    expect(synthError(app)?.inputErrors).toMatchObject([{ code: 'E5003' }]);
  });

  it('evaluates the trail as rendered after every other aspect ran', () => {
    const makeMultiRegion: IAspect = {
      visit: (node) => {
        if (node instanceof CfnTrail) node.addPropertyOverride('IsMultiRegionTrail', true);
      },
    };
    const app = appWithAspect();
    const stack = new Stack(app, 'Audit');
    Aspects.of(stack).add(makeMultiRegion);
    bucketTrail(stack, 'Trail');
    expect(synthError(app)).toBeUndefined();
  });
});

describe('MultiRegionTrailAspect — placement', () => {
  it('works when added to a Stage instead of the App', () => {
    const app = newApp();
    const stage = new Stage(app, 'Prod');
    Aspects.of(stage).add(new MultiRegionTrailAspect());
    bucketTrail(new Stack(stage, 'Audit'), 'Trail');
    expect(synthError(app)?.results.map((result) => result.constructPath)).toEqual(['Prod/Audit/Trail']);
  });

  it('works when added to one Stack, and checks only that stack', () => {
    const app = newApp();
    const checked = new Stack(app, 'Checked');
    Aspects.of(checked).add(new MultiRegionTrailAspect());
    bucketTrail(checked, 'Trail');
    bucketTrail(new Stack(app, 'Unchecked'), 'Trail');
    expect(synthError(app)?.results.map((result) => result.constructPath)).toEqual(['Checked/Trail']);
  });

  // Issue #17 (attack17 #1): a NestedStack has a parent, yet the Aspect on it has nothing above it to lint.
  it('works when added to a NestedStack: its template is judged as named, with its Defaults, and its own nested stacks', () => {
    const app = newApp();
    const parent = new Stack(app, 'Audit');
    const multi = new CfnParameter(parent, 'Multi', { allowedValues: ['true', 'false'], default: 'true' });
    const nested = new NestedStack(parent, 'Logging', { parameters: { ChildMulti: multi.valueAsString } });
    // Its parent passes 'true' by Default; linted on its own, its Default 'false' counts (conservative).
    const childMulti = new CfnParameter(nested, 'ChildMulti', { allowedValues: ['true', 'false'], default: 'false' });
    bucketTrail(nested, 'Passed', { isMultiRegionTrail: Token.asAny(childMulti.valueAsString) as unknown as boolean });
    bucketTrail(new NestedStack(nested, 'Inner'), 'Regional', { isMultiRegionTrail: false });
    bucketTrail(parent, 'Unchecked', { isMultiRegionTrail: false });
    Aspects.of(nested).add(new MultiRegionTrailAspect());
    expect(synthError(app)?.results.map((result) => `${result.status} ${result.constructPath}`).sort()).toEqual(['fail Audit/Logging/Inner/Regional', 'fail Audit/Logging/Passed']);
  });

  // Issue #17 (attack17 #20): over-reporting beats silence.
  it('works when added to a construct inside a stack: checks the whole stack that holds it, nested stacks included', () => {
    const app = newApp();
    const stack = new Stack(app, 'Audit');
    const group = new Construct(stack, 'Logging');
    bucketTrail(group, 'Regional', { isMultiRegionTrail: false });
    bucketTrail(new NestedStack(stack, 'Nested'), 'Outside', { isMultiRegionTrail: false });
    Aspects.of(group).add(new MultiRegionTrailAspect());
    expect(synthError(app)?.results.map((result) => result.constructPath).sort()).toEqual(['Audit/Logging/Regional', 'Audit/Nested/Outside']);
  });
});

describe('MultiRegionTrailAspect — values it cannot know', () => {
  const importedValue = (app: App) => {
    const stack = new Stack(app, 'Audit');
    bucketTrail(stack, 'Trail', { isMultiRegionTrail: Token.asAny(Fn.importValue('shared-multi-region')) });
    return stack;
  };

  it('fails the synth on an unknown value by default, saying what it depends on', () => {
    const app = appWithAspect();
    importedValue(app);
    expect(synthError(app)?.results).toMatchObject([{ status: 'unknown', message: expect.stringContaining('cannot tell') }]);
  });

  it("fails on it with any other value of the option, so that a misspelling does not turn the gate off", () => {
    const app = appWithAspect({ unknown: 'warnings' as 'warn' });
    importedValue(app);
    expect(synthError(app)?.results).toMatchObject([{ status: 'unknown' }]);
  });

  it.each(['warn', 'warning'] as const)("with unknown: '%s', warns on the trail instead ('warning' is the deprecated spelling)", (unknown) => {
    const app = appWithAspect({ unknown });
    const stack = importedValue(app);
    expect(synthError(app)).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Audit/Trail', Match.stringLikeRegexp('cannot tell'));
  });

  it.each(['fail', 'error'] as const)("with unknown: '%s', fails the synth ('error' is the deprecated spelling)", (unknown) => {
    const app = appWithAspect({ unknown });
    importedValue(app);
    expect(synthError(app)?.results).toMatchObject([{ status: 'unknown' }]);
  });
});
