// Regressions found by attacking #17 (a helper that had not seen the change). Where a comment says what a door
// did, it says what it did before the fix; each test asserts the behaviour now promised.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aspects, CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { describe, expect, it } from 'vitest';
import { MultiRegionTrailAspect, MultiRegionTrailError, MultiRegionTrailPlugin } from '../../src/cdk';

const OUT = path.join(__dirname, '..', '.tmp', 'attack-out', 'options');
fs.rmSync(OUT, { recursive: true, force: true });
let apps = 0;
const PARAMS = path.join(__dirname, '..', '.tmp', 'attack-out', 'prod-params.json');
fs.mkdirSync(path.dirname(PARAMS), { recursive: true });
fs.writeFileSync(PARAMS, JSON.stringify([{ ParameterKey: 'MultiRegion', ParameterValue: 'false' }]));

/** A trail multi-Region by its parameter's Default; the deployment's parameters file says false. */
function trailStack(app: App): void {
  const stack = new Stack(app, 'Audit');
  const multiRegion = new CfnParameter(stack, 'MultiRegion', { type: 'String', allowedValues: ['true', 'false'], default: 'true' });
  new CfnTrail(stack, 'Trail', { s3BucketName: 'b', isLogging: true, isMultiRegionTrail: multiRegion.valueAsString as unknown as boolean });
}

function synthError(app: App): unknown {
  try {
    app.synth();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parametersFile', () => {
  it('the Aspect fails the trail the deployment makes single-Region (control)', () => {
    const app = new App({ outdir: path.join(OUT, `app-${++apps}`) });
    Aspects.of(app).add(new MultiRegionTrailAspect({ parametersFile: PARAMS }));
    trailStack(app);
    expect(synthError(app)).toBeInstanceOf(MultiRegionTrailError);
  });

  it('the validation plugin reads parametersFile as the Aspect does', () => {
    const app = new App({ outdir: path.join(OUT, `app-${++apps}`) });
    Validations.of(app).addPlugins(new MultiRegionTrailPlugin({ parametersFile: PARAMS }));
    trailStack(app);
    const error = synthError(app);
    console.log(String(error));
    expect(error, 'the plugin passed a trail the deployment (its parametersFile) makes single-Region').toBeDefined();
  });
});

describe('an unknown rule id in the CDK door', () => {
  it('the Aspect refuses it with E4007', () => {
    const app = new App({ outdir: path.join(OUT, `app-${++apps}`) });
    Aspects.of(app).add(new MultiRegionTrailAspect({ rules: ['NO_SUCH_RULE'] }));
    trailStack(app);
    const error = synthError(app) as Error;
    console.log(error.constructor.name, error.message);
    expect(error.message, 'the command line says E4007 for the same mistake').toMatch(/E4007/);
  });

  it('the plugin constructor refuses it with E4007', () => {
    let error: Error | undefined;
    try {
      new MultiRegionTrailPlugin({ rules: ['NO_SUCH_RULE'] });
    } catch (thrown) {
      error = thrown as Error;
    }
    console.log(error?.message);
    expect(error?.message).toMatch(/E4007/);
  });
});
