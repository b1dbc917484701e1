import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, CfnParameter, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import { CfnTrail, Trail } from 'aws-cdk-lib/aws-cloudtrail';
import type { Construct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TemplateSource } from '../../src/load/source';
import { discoverCloudAssembly as readAssembly, isCloudAssembly } from '../../src/load/cloud-assembly';

// Assemblies synthesized here in-process by aws-cdk-lib (no `aws:cdk:path` / `aws:asset:path` metadata: that is
// what `app.synth()` writes). The CLI-synthesized variant is covered in cli.test.ts.

const OUT = path.join(__dirname, '..', '.tmp', 'cdk-assembly');

function synthesize(name: string, build: (app: App) => void): string {
  const outdir = path.join(OUT, name);
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  build(app);
  app.synth();
  return outdir;
}

/**
 * The reader's sources with the nested templates hanging from them listed after their parents, each named as its
 * parent deploys it (`<parent stack>/<logical ID>`): every template the assembly holds, in report order.
 */
function discoverCloudAssembly(dir: string) {
  const read = readAssembly(dir);
  const all: TemplateSource[] = [];
  const visit = (source: TemplateSource) => {
    all.push(source);
    for (const [logicalId, child] of source.cdk?.nestedTemplates ?? []) visit({ ...child, cdk: { ...child.cdk, stack: `${source.cdk?.stack}/${logicalId}` } });
  };
  read.sources.forEach(visit);
  return { ...read, sources: all };
}

function trail(scope: Construct, id: string): CfnTrail {
  return new CfnTrail(scope, id, { s3BucketName: 'audit-logs', isLogging: true });
}

describe('isCloudAssembly', () => {
  it('recognizes a synthesized assembly, and not a directory whose manifest.json declares no artifacts', () => {
    const assembly = synthesize('recognize', (app) => trail(new Stack(app, 'Audit'), 'Trail'));
    expect(isCloudAssembly(assembly)).toBe(true);
    const webApp = path.join(OUT, 'web-app');
    fs.mkdirSync(webApp, { recursive: true });
    fs.writeFileSync(path.join(webApp, 'manifest.json'), JSON.stringify({ name: 'A web app', icons: [] }));
    expect(isCloudAssembly(webApp)).toBe(false);
    expect(isCloudAssembly(path.join(assembly, 'no-such-dir'))).toBe(false);
  });
});

describe('discoverCloudAssembly', () => {
  let assembly: string;
  beforeAll(() => {
    assembly = synthesize('fleet', (app) => {
      const audit = new Stack(app, 'Audit');
      const multiRegion = new CfnParameter(audit, 'MultiRegion', { default: 'true' });
      const acknowledged = new Trail(audit, 'Regional', { isMultiRegionTrail: false });
      Validations.of(acknowledged).acknowledge({ id: 'CLOUDTRAIL_MULTI_REGION_ENABLED', reason: 'data events only' });
      const logging = new NestedStack(audit, 'Logging', { parameters: { Literal: 'false', Passed: multiRegion.valueAsString } });
      new CfnParameter(logging, 'Literal');
      new CfnParameter(logging, 'Passed');
      const raw = trail(logging, 'Raw');
      Validations.of(raw).acknowledge({ id: 'cfn-trail-lint::CLOUDTRAIL_MULTI_REGION_ENABLED', reason: 'nested on purpose' });
      trail(new Stack(new Stage(app, 'Prod'), 'Audit'), 'Trail');
      trail(new Stack(new Stage(new Stage(app, 'Beta'), 'EU'), 'Audit'), 'Trail');
    });
  });

  it('reads every stack template once: top-level, nested, in a Stage and in a nested Stage', () => {
    const { sources, errors } = discoverCloudAssembly(assembly);
    expect(errors).toEqual([]);
    const relative = sources.map((source) => [path.relative(assembly, source.file), source.cdk?.stack]);
    expect(relative).toEqual([
      ['Audit.template.json', 'Audit'],
      [expect.stringMatching(/^AuditLogging[0-9A-F]{8}\.nested\.template\.json$/), expect.stringMatching(/^Audit\/LoggingNestedStackLoggingNestedStackResource[0-9A-F]{8}$/)],
      [expect.stringMatching(/^assembly-Prod\/ProdAudit[0-9A-F]{8}\.template\.json$/), 'Prod-Audit'],
      [expect.stringMatching(/^assembly-Beta\/assembly-Beta-EU\/BetaEUAudit[0-9A-F]{8}\.template\.json$/), 'Beta-EU-Audit'],
    ]);
  });

  it('gives construct paths from the stack metadata, each resource in the template of its own (nested) stack', () => {
    const [top, nested, stage] = discoverCloudAssembly(assembly).sources;
    expect(top.cdk?.constructPaths).toMatchObject({ MultiRegion: 'Audit/MultiRegion' });
    expect(Object.entries(top.cdk?.constructPaths ?? {})).toContainEqual([expect.stringMatching(/^Regional/), 'Audit/Regional/Resource']);
    expect(top.cdk?.constructPaths).not.toHaveProperty('Raw');
    expect(nested.cdk?.constructPaths).toEqual({ Literal: 'Audit/Logging/Literal', Passed: 'Audit/Logging/Passed', Raw: 'Audit/Logging/Raw' });
    expect(Object.values(stage.cdk?.constructPaths ?? {})).toContain('Prod/Audit/Trail');
  });

  it('judges a nested template as its parent deploys it, naming the parent resource', async () => {
    const { lintPaths } = await import('../../src/lint');
    const raw = lintPaths([assembly]).results.find((result) => result.logicalId === 'Raw');
    // Raw is acknowledged; what matters is that it is judged once, as Audit deploys it.
    expect(raw).toMatchObject({ status: 'suppressed', deployedBy: [{ file: expect.stringMatching(/Audit\.template\.json$/), logicalId: expect.stringMatching(/^LoggingNestedStack/) }] });
  });

  it('reads acknowledgements from the stack metadata, on the construct or an ancestor, under the id the user wrote', () => {
    const [top, nested] = discoverCloudAssembly(assembly).sources;
    const regional = Object.keys(top.cdk?.constructPaths ?? {}).find((id) => top.cdk?.constructPaths?.[id] === 'Audit/Regional/Resource') as string;
    expect(top.cdk?.acknowledgements?.[regional]).toEqual([{ id: 'CLOUDTRAIL_MULTI_REGION_ENABLED', reason: 'data events only' }]);
    expect(nested.cdk?.acknowledgements).toEqual({ Raw: [{ id: 'cfn-trail-lint::CLOUDTRAIL_MULTI_REGION_ENABLED', reason: 'nested on purpose' }] });
  });
});

describe('discoverCloudAssembly — nested stack templates', () => {
  it('links two nested stacks with identical templates each to its own file', () => {
    const assembly = synthesize('twins', (app) => {
      const audit = new Stack(app, 'Audit');
      trail(new NestedStack(audit, 'Left'), 'Trail');
      trail(new NestedStack(audit, 'Right'), 'Trail');
    });
    const { sources } = discoverCloudAssembly(assembly);
    expect(sources.map((source) => [path.basename(source.file), source.cdk?.constructPaths])).toEqual([
      ['Audit.template.json', expect.anything()],
      [expect.stringMatching(/^AuditLeft/), { Trail: 'Audit/Left/Trail' }],
      [expect.stringMatching(/^AuditRight/), { Trail: 'Audit/Right/Trail' }],
    ]);
  });

  it('without template metadata, follows the TemplateURL asset through the stack’s assets.json', () => {
    const assembly = synthesize('assets-only', (app) => {
      const audit = new Stack(app, 'Audit');
      trail(new NestedStack(new NestedStack(audit, 'Outer'), 'Inner'), 'Trail');
    });
    const metadataFile = path.join(assembly, 'Audit.metadata.json');
    const metadata = JSON.parse(fs.readFileSync(metadataFile, 'utf8')) as Record<string, { type: string }[]>;
    for (const key of Object.keys(metadata)) metadata[key] = metadata[key].filter((entry) => entry.type !== 'aws:cdk:templateFile');
    fs.writeFileSync(metadataFile, JSON.stringify(metadata));
    const { sources, errors } = discoverCloudAssembly(assembly);
    expect(errors).toEqual([]);
    expect(sources.map((source) => [path.basename(source.file), source.cdk?.stack])).toEqual([
      ['Audit.template.json', 'Audit'],
      [expect.stringMatching(/^AuditOuter[0-9A-F]{8}\.nested/), expect.stringMatching(/^Audit\/OuterNestedStack/)],
      [expect.stringMatching(/^AuditOuterInner[0-9A-F]{8}\.nested/), expect.stringMatching(/^Audit\/OuterNestedStack\w+\/InnerNestedStack\w+$/)],
    ]);
  });
});

describe('discoverCloudAssembly — a nested template no parent leads to', () => {
  it('is still read, named after its construct path, so that no template is skipped silently', () => {
    const assembly = synthesize('orphan', (app) => trail(new NestedStack(new Stack(app, 'Audit'), 'Logging'), 'Trail'));
    const parentFile = path.join(assembly, 'Audit.template.json');
    const parent = JSON.parse(fs.readFileSync(parentFile, 'utf8')) as { Resources: Record<string, { Type: string }> };
    for (const [id, resource] of Object.entries(parent.Resources)) if (resource.Type === 'AWS::CloudFormation::Stack') delete parent.Resources[id];
    fs.writeFileSync(parentFile, JSON.stringify(parent));
    const { sources } = discoverCloudAssembly(assembly);
    expect(sources.map((source) => [path.basename(source.file), source.cdk?.stack, source.cdk?.constructPaths])).toEqual([
      ['Audit.template.json', 'Audit', expect.anything()],
      [expect.stringMatching(/^AuditLogging[0-9A-F]{8}\.nested\.template\.json$/), 'Audit/Logging', { Trail: 'Audit/Logging/Trail' }],
    ]);
  });
});

describe('discoverCloudAssembly — staying inside the assembly', () => {
  function assemblyWithTemplateFile(name: string, templateFile: string): string {
    const assembly = synthesize(name, (app) => trail(new Stack(app, 'Audit'), 'Trail'));
    const manifestFile = path.join(assembly, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    manifest.artifacts.Audit.properties.templateFile = templateFile;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    return assembly;
  }

  it('a template path that leaves the assembly directory is an input error, and is not read', () => {
    const outside = path.join(OUT, 'outside.template.json');
    fs.writeFileSync(outside, JSON.stringify({ Resources: { Trail: { Type: 'AWS::CloudTrail::Trail', Properties: {} } } }));
    const assembly = assemblyWithTemplateFile('escape', '../outside.template.json');
    const { sources, errors } = discoverCloudAssembly(assembly);
    expect(sources).toEqual([]);
    expect(errors).toEqual([
      { file: path.join(assembly, 'manifest.json'), code: 'E5002', message: 'artifact Audit: templateFile "../outside.template.json" points outside the cloud assembly' },
    ]);
  });

  it('so is a symbolic link inside the assembly that leads out of it', () => {
    const assembly = assemblyWithTemplateFile('symlink-escape', 'linked.template.json');
    fs.symlinkSync(path.join(OUT, 'outside.template.json'), path.join(assembly, 'linked.template.json'));
    const { sources, errors } = discoverCloudAssembly(assembly);
    expect(sources).toEqual([]);
    expect(errors).toMatchObject([{ code: 'E5002' }]);
  });

  it('a missing template is an input error naming it', () => {
    const assembly = assemblyWithTemplateFile('missing', 'Gone.template.json');
    expect(discoverCloudAssembly(assembly).errors).toEqual([{ file: path.join(assembly, 'Gone.template.json'), code: 'E0001', message: 'no such file or directory' }]);
  });
});

describe('nested stacks in a cloud assembly, linted', () => {
  it('reports a CfnStack with a literal remote TemplateURL as unknown, and a CDK NestedStack by its template', async () => {
    const { CfnStack } = await import('aws-cdk-lib');
    const { lintPaths } = await import('../../src/lint');
    const assembly = synthesize('remote-nested', (app) => {
      const parent = new Stack(app, 'Parent');
      new CfnStack(parent, 'External', { templateUrl: 'https://example.com/audit.json' });
      trail(new NestedStack(parent, 'Trails'), 'Inner');
    });
    const report = lintPaths([assembly]);
    expect(report.errors).toEqual([]);
    const byId = Object.fromEntries(report.results.map((result) => [result.logicalId, result.status]));
    expect(byId).toMatchObject({ External: 'unknown' });
    expect(report.results.filter((result) => result.status === 'unknown')).toHaveLength(1); // not the NestedStack's computed URL
    expect(report.results.find((result) => result.logicalId.startsWith('Inner'))?.status).toBe('fail');
  });
});
