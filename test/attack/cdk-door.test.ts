// Regressions found by attacking #17 (a helper that had not seen the change). Where a comment says what a door
// did, it says what it did before the fix; each test asserts the behaviour now promised.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aspects, CfnStack, Fn, Stack } from 'aws-cdk-lib';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { describe, expect, it } from 'vitest';
import { MultiRegionTrailAspect } from '../../src/cdk';
import { lintConstructTree } from '../../src/cdk/construct-sources';
import { aspectLintOptions } from '../../src/cdk/aspect';
import { lintPaths } from '../../src/lint';

const OUT = path.join(__dirname, '..', '.tmp', 'attack-out');
fs.rmSync(OUT, { recursive: true, force: true });
let apps = 0;
const FIXTURES = path.join(__dirname, 'fixtures');

function appWithAspect(): App {
  const app = new App({ outdir: path.join(OUT, `app-${++apps}`), builtinCloudFormationValidation: false });
  Aspects.of(app).add(new MultiRegionTrailAspect());
  return app;
}

/** Both doors' statuses, no assertion of agreement (synthAndCompare stops at the first difference). */
function bothDoors(app: App): { synthThrew: boolean; aspect: string[]; cli: string[]; cliErrors: string[] } {
  let synthThrew = false;
  try {
    app.synth();
  } catch {
    synthThrew = true;
    app.synth({ force: true, skipValidation: true });
  }
  const aspect = lintConstructTree(app, aspectLintOptions({})).findings.map((f) => `${f.result.logicalId} ${f.result.status}`);
  const cli = lintPaths([app.outdir], {});
  return { synthThrew, aspect, cli: cli.results.map((r) => `${r.logicalId} ${r.status}`), cliErrors: cli.errors.map((e) => `${e.code} ${e.message}`) };
}

describe('CDK door: an asset hash in a TemplateURL that is not the asset object key', () => {
  // The Aspect takes any TemplateURL containing an asset's hash for that asset; the CLI wants the object key
  // (`<hash>.json`). A URL at another host that names the hash: the Aspect reads the local (compliant) file and
  // passes the synth; the CLI says unknown (a remote template). What deploys is whatever that host serves.
  it('a TemplateURL written out with an asset hash names a remote template: unknown in both doors', () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Parent');
    const asset = new Asset(stack, 'Child', { path: path.join(FIXTURES, 'compliant.json') });
    new CfnStack(stack, 'Nested', { templateUrl: Fn.join('', ['https://templates.example.com/', asset.assetHash]) });
    const doors = bothDoors(app);
    console.log(JSON.stringify(doors, null, 1));
    expect(doors.synthThrew, 'the Aspect passed a stack whose nested template is remote').toBe(true);
  });
});

describe('CDK door: a template asset deployed by something the Aspect does not follow', () => {
  // A template staged as an asset and not referenced by an AWS::CloudFormation::Stack (a Service Catalog product,
  // a pipeline action, a StackSet …). The CLI lints every template file in cdk.out it did not reach as a loose file.
  it('a template asset no stack resource deploys is linted by the Aspect as by the CLI in cdk.out', () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Parent');
    new Asset(stack, 'Product', { path: path.join(FIXTURES, 'single-region.json') });
    const doors = bothDoors(app);
    console.log(JSON.stringify(doors, null, 1));
    expect(doors.cli).toContain('RegionalTrail fail');
    expect(doors.synthThrew, 'the CLI fails a trail the synth let through').toBe(true);
  });
});

describe('both doors: an object key at another bucket is taken for the local asset', () => {
  // The TemplateURL names another bucket (not the bootstrap bucket the asset is published to), whose object
  // under the same key holds whatever its owner put there: both doors read the local compliant file and pass.
  it('a TemplateURL at another bucket is unknown in both doors, not the local asset', () => {
    const app = appWithAspect();
    const stack = new Stack(app, 'Parent');
    const asset = new Asset(stack, 'Child', { path: path.join(FIXTURES, 'compliant.json') });
    new CfnStack(stack, 'Nested', { templateUrl: Fn.join('', ['https://someone-elses-bucket.s3.amazonaws.com/', asset.s3ObjectKey]) });
    const doors = bothDoors(app);
    console.log(JSON.stringify(doors, null, 1));
    expect(doors.cli, 'the CLI took a remote template for the local asset').toContain('Nested unknown');
    expect(doors.synthThrew, 'the Aspect took a remote template for the local asset').toBe(true);
  });
});

describe('CDK door: a Service Catalog product template from an asset', () => {
  it('a Service Catalog product template from an asset fails the synth, as the CLI fails it', async () => {
    const servicecatalog = await import('aws-cdk-lib/aws-servicecatalog');
    const app = appWithAspect();
    const stack = new Stack(app, 'Catalog');
    new servicecatalog.CloudFormationProduct(stack, 'Product', {
      productName: 'audit',
      owner: 'security',
      productVersions: [{ productVersionName: 'v1', cloudFormationTemplate: servicecatalog.CloudFormationTemplate.fromAsset(path.join(FIXTURES, 'single-region.json')) }],
    });
    const doors = bothDoors(app);
    console.log(JSON.stringify(doors, null, 1));
    expect(doors.cli).toContain('RegionalTrail fail');
    expect(doors.synthThrew, 'the synth let through what the CLI fails').toBe(true);
  });
});
