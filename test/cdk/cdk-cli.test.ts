import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LintReport, TrailResult } from '../../src/types';
import { COMPLIANT_ESM_APP, FLEET_CHILD_TEMPLATE, FLEET_MODULE, PIPELINE_APP, cdkSynth, compileApp, regionalTrailApp, writeApp, type CdkRun } from './cdk-cli';

// End to end with the real `cdk` CLI (each synth takes seconds: the runs start together in beforeAll).
// dist/ is built by vitest's global setup; the apps load it through this package's "exports" map.

describe('MultiRegionTrailAspect under plain `cdk synth`', () => {
  const runs: Record<string, CdkRun> = {};
  let exampleComplaints: string[];
  beforeAll(async () => {
    const apps: Record<string, [string, Record<string, string>]> = {
      topLevel: ['node app.js', { 'app.js': regionalTrailApp("const stack = new Stack(app, 'Audit');") }],
      stage: ['node app.js', { 'app.js': regionalTrailApp("const stack = new Stack(new Stage(app, 'Prod'), 'Audit');") }],
      pipeline: ['node app.js', { 'app.js': PIPELINE_APP }],
      compliant: ['node app.mjs', { 'app.mjs': COMPLIANT_ESM_APP }],
    };
    const synths = Object.entries(apps).map(async ([name, [command, files]]) => {
      runs[name] = await cdkSynth(writeApp(`aspect-${name}`, files), command);
    });
    // The documented example (templates/cdk/app.ts), compiled while the other apps synthesize.
    const example = writeApp('example', {});
    exampleComplaints = compileApp(path.resolve(__dirname, '..', '..', 'templates', 'cdk', 'app.ts'), example);
    synths.push(cdkSynth(example, 'node app.js').then((run) => void (runs.example = run)));
    await Promise.all(synths);
  });

  it.each([
    ['topLevel', 'Audit/Trail/Resource'],
    ['stage', 'Prod/Audit/Trail/Resource'],
    ['pipeline', 'Prod/Audit/Trail/Resource'],
  ])('fails for a regional trail (%s), naming its construct path, the failing value and the fix', (name, constructPath) => {
    const { status, output } = runs[name];
    expect(status).not.toBe(0);
    expect(output).toContain('cfn-trail-lint: 1 CloudTrail trail in this app would not log every Region');
    expect(output).toContain(`✗ ${constructPath}`);
    expect(output).toContain('IsMultiRegionTrail is false');
    expect(output).toContain("fix: Use `new cloudtrail.Trail(this, 'Trail')`");
    // The report alone: no stack frames of CDK's synthesis, and it starts on its first line.
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).toMatch(/\n\ncfn-trail-lint: 1 CloudTrail trail in this app would not log every Region \(CLOUDTRAIL_MULTI_REGION_ENABLED\)\n\n {2}✗ /);
    expect(output).not.toMatch(/^\[/m);
    expect(output).not.toContain('could not be checked');
    expect(output).toMatch(/\n {4}at: app\.js:\d+:\d+, stack /);
  });

  it('passes an ES module app whose trails are all multi-Region or acknowledged', () => {
    expect(runs.compliant).toMatchObject({ status: 0 });
    expect(runs.compliant.output).not.toContain('cfn-trail-lint');
  });

  it('passes the example CDK Pipelines app of templates/cdk, which type-checks against the built package', () => {
    expect(exampleComplaints).toEqual([]);
    expect(runs.example).toMatchObject({ status: 0 });
  });
});

/** The cfn-trail-lint binary, as a user runs it on a cloud assembly. */
function lintWithCli(assembly: string): LintReport {
  const bin = path.resolve(__dirname, '..', '..', 'bin', 'cfn-trail-lint');
  const run = spawnSync(process.execPath, [bin, assembly, '--format', 'json'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(1); // the fleet holds failing trails
  return JSON.parse(run.stdout) as LintReport;
}

describe('the CLI on a cloud assembly, against the Aspect', () => {
  // A nested stack's name ends in CDK's hash of its resource: shown as '#'.
  const key = (result: TrailResult) =>
    `${result.stack?.replace(/[0-9A-F]{8}$/, '#')} ${result.constructPath} ${result.status} ${JSON.stringify(result.when ?? {})}`;
  let dir: string;
  let viaCli: TrailResult[];
  beforeAll(async () => {
    dir = writeApp('fleet', { 'fleet.js': FLEET_MODULE, 'child.json': FLEET_CHILD_TEMPLATE });
    const run = await cdkSynth(dir, 'node fleet.js');
    expect(run).toMatchObject({ status: 0 });
    const report = lintWithCli(path.join(dir, 'cdk.out'));
    expect(report.errors).toEqual([]);
    viaCli = report.results;
  });

  it('reports every trail of a `cdk synth` assembly once, with stack and construct path', () => {
    expect(viaCli.map(key).sort()).toEqual(
      [
        'Audit Audit/Everywhere/Resource pass {}',
        'Audit Audit/ByParameter fail {"MultiRegion":"false"}',
        'Audit Audit/DataEvents/Resource suppressed {}',
        'Logging/TrailsNestedStackTrailsNestedStackResource# Logging/Trails/Unset fail {}',
        'Logging/TrailsNestedStackTrailsNestedStackResource# Logging/Trails/FromParent pass {}',
        'Prod-Audit Prod/Audit/Regional/Resource fail {}',
        'Prod-Audit Prod/Audit/Imported unknown {}',
        'Audit Audit/Renamed fail {}',
        'Audit Audit/Disguised fail {}',
        'Logging/Child undefined fail {"MultiRegion":"false"}',
        'Prod-Audit Prod/Audit/Sandbox suppressed {}',
      ].sort(),
    );
  });

  it('gives the same verdicts for the assembly app.synth() writes, without path metadata', () => {
    const fleet = createRequire(__filename)(path.join(dir, 'fleet.js')) as { build(app: App): App; App: typeof App };
    const outdir = path.join(dir, 'in-process.out');
    fleet.build(new fleet.App({ outdir, builtinCloudFormationValidation: false })).synth();
    expect(lintWithCli(outdir).results.map(key).sort()).toEqual(viaCli.map(key).sort());
  });

  it('the Aspect fails on exactly the trails the CLI fails or cannot decide', () => {
    const load = createRequire(path.join(dir, 'fleet.js'));
    const fleet = load('./fleet.js') as { build(app: App): App; App: typeof App };
    const { Aspects } = load('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const { MultiRegionTrailAspect, MultiRegionTrailError } = load('cfn-trail-lint/cdk') as typeof import('../../src/cdk');
    const app = new fleet.App({ outdir: path.join(dir, 'aspect.out'), builtinCloudFormationValidation: false });
    Aspects.of(app).add(new MultiRegionTrailAspect());
    fleet.build(app);
    let error: unknown;
    try {
      app.synth();
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(MultiRegionTrailError);
    const failing = viaCli.filter((result) => result.status === 'fail' || result.status === 'unknown');
    expect((error as InstanceType<typeof MultiRegionTrailError>).results.map(key).sort()).toEqual(failing.map(key).sort());
  });
});
