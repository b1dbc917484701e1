// Regressions found by attacking #17 (a helper that had not seen the change). Where a comment says what a door
// did, it says what it did before the fix; each test asserts the behaviour now promised.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aspects, CfnParameter, NestedStack, Stack } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { describe, expect, it } from 'vitest';
import { MultiRegionTrailAspect, checkStack } from '../../src/cdk';

const OUT = path.join(__dirname, '..', '.tmp', 'attack-out', 'nested');
fs.rmSync(OUT, { recursive: true, force: true });
let apps = 0;

/** The parent deploys the nested stack with MultiRegion=false; the nested parameter's Default is true. */
function app(): { app: App; nested: NestedStack } {
  const app = new App({ outdir: path.join(OUT, `app-${++apps}`) });
  const parent = new Stack(app, 'Parent');
  const nested = new NestedStack(parent, 'Audit', { parameters: { MultiRegion: 'false' } });
  const multiRegion = new CfnParameter(nested, 'MultiRegion', { type: 'String', allowedValues: ['true', 'false'], default: 'true' });
  new CfnTrail(nested, 'Trail', { s3BucketName: 'b', isLogging: true, isMultiRegionTrail: multiRegion.valueAsString as unknown as boolean });
  return { app, nested };
}

function thrown(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('a nested stack its parent deploys with a parameter that makes the trail single-Region', () => {
  it('the Aspect on the App fails it (control)', () => {
    const { app: a } = app();
    Aspects.of(a).add(new MultiRegionTrailAspect());
    expect(thrown(() => a.synth())).toBeDefined();
  });

  it('checkStack(nestedStack) does not let its Default decide: its parent passes the value', () => {
    const { nested } = app();
    expect(thrown(() => checkStack(nested)), 'checkStack(nested) passed a trail its parent deploys single-Region').toBeDefined();
  });

  it('Aspects.of(nestedStack) fails the synth', () => {
    const { app: a, nested } = app();
    Aspects.of(nested).add(new MultiRegionTrailAspect());
    expect(thrown(() => a.synth()), 'the synth passed a trail its parent deploys single-Region').toBeDefined();
  });
});
