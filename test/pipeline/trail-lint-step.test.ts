// A real CDK Pipelines stack with the step in front of a stage: what CodeBuild project it synthesizes, and what its
// commands do when run in a real cloud assembly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Stage, aws_cloudtrail as cloudtrail, pipelines } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrailLintStep, type TrailLintStepProps } from '../../src/cdk/trail-lint-step';
import { TOOL } from '../../src/version';
import { parseJunit } from '../report/parse-junit';
import { installCli, makeWorkDir, runCommands } from './ci-runner';

const env = { account: '111111111111', region: 'us-east-1' };
const CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

interface BuildSpec {
  phases: { install: { 'runtime-versions'?: Record<string, unknown>; commands: string[] }; build: { commands: string[] } };
  reports?: Record<string, { files: string[]; 'file-format': string }>;
}

let workDir: string;

beforeAll(() => {
  workDir = makeWorkDir('trail-lint-step');
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** A pipeline app whose `Prod` stage deploys one trail, with the lint step before the stage; synthesized to disk. */
function synthPipeline(options: { multiRegion: boolean; step?: Omit<TrailLintStepProps, 'input'> }) {
  const app = new App({ outdir: fs.mkdtempSync(path.join(workDir, 'cdk.out-')) });
  const pipelineStack = new Stack(app, 'PipelineStack', { env });
  const synth = new pipelines.ShellStep('Synth', {
    input: pipelines.CodePipelineSource.connection('acme/infrastructure', 'main', { connectionArn: CONNECTION_ARN }),
    commands: ['npm ci', 'npx cdk synth'],
  });
  const pipeline = new pipelines.CodePipeline(pipelineStack, 'Pipeline', { synth });
  const stage = new Stage(app, 'Prod', { env });
  const audit = new Stack(stage, 'Audit');
  new cloudtrail.CfnTrail(audit, 'AuditTrail', { isLogging: true, s3BucketName: 'audit-logs', isMultiRegionTrail: options.multiRegion });
  pipeline.addStage(stage, { pre: [new TrailLintStep('TrailLint', { input: synth, ...options.step })] });
  const assembly = app.synth();
  return { assemblyDir: assembly.directory, template: Template.fromStack(pipelineStack) };
}

/** The CodeBuild project that runs cfn-trail-lint, and its buildspec. */
function lintProject(template: Template) {
  const projects = Object.entries(template.findResources('AWS::CodeBuild::Project')).filter(([, project]) =>
    String(project.Properties.Source.BuildSpec).includes('cfn-trail-lint '),
  );
  expect(projects).toHaveLength(1);
  const [logicalId, project] = projects[0];
  return { logicalId, buildSpec: JSON.parse(project.Properties.Source.BuildSpec) as BuildSpec };
}

describe('TrailLintStep', () => {
  it('synthesizes a CodeBuild project that installs the linter, lints the synth output and publishes a JUnit report', () => {
    const { buildSpec } = lintProject(synthPipeline({ multiRegion: true }).template);
    expect(buildSpec.phases.install).toEqual({ 'runtime-versions': { nodejs: 20 }, commands: [`npm install --global cfn-trail-lint@${TOOL.version}`] });
    expect(buildSpec.phases.build.commands).toEqual([
      'cfn-trail-lint --format junit --output cfn-trail-lint-junit.xml -- . || true',
      'cfn-trail-lint --no-color -- .',
    ]);
    expect(buildSpec.reports).toEqual({ 'cfn-trail-lint': { files: ['cfn-trail-lint-junit.xml'], 'file-format': 'JUNITXML' } });
  });

  it('passes version, parameters file, strict and unknown mode to the commands', () => {
    const step = { version: '^1.2.0', parametersFile: 'config/prod params.json', strict: true, unknown: 'warn' as const, paths: ['assembly-Prod'] };
    const { buildSpec } = lintProject(synthPipeline({ multiRegion: true, step }).template);
    expect(buildSpec.phases.install.commands).toEqual(["npm install --global 'cfn-trail-lint@^1.2.0'"]);
    expect(buildSpec.phases.build.commands.at(-1)).toBe("cfn-trail-lint --parameters-file 'config/prod params.json' --strict --unknown warn --no-color -- assembly-Prod");
  });

  it('passes a config file in the synth output with config', () => {
    const { buildSpec } = lintProject(synthPipeline({ multiRegion: true, step: { config: 'lint config.yaml' } }).template);
    expect(buildSpec.phases.build.commands.at(-1)).toBe("cfn-trail-lint --config 'lint config.yaml' --no-color -- .");
  });

  it.each([
    ['warning', 'warn'],
    ['error', 'fail'],
  ] as const)("takes the deprecated spelling unknown: '%s' as '%s', the Aspect's old vocabulary", (unknown, option) => {
    const { buildSpec } = lintProject(synthPipeline({ multiRegion: true, step: { unknown } }).template);
    expect(buildSpec.phases.build.commands.at(-1)).toBe(`cfn-trail-lint --unknown ${option} --no-color -- .`);
  });

  it('runs before the stage deploys, on the synth step output', () => {
    const { template } = synthPipeline({ multiRegion: true });
    const { logicalId } = lintProject(template);
    const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
    type Action = { Name: string; RunOrder: number; Configuration?: { ProjectName?: { Ref?: string } }; InputArtifacts?: { Name: string }[] };
    const stages = pipeline.Properties.Stages as { Name: string; Actions: Action[] }[];
    const prod = stages.find((stage) => stage.Name === 'Prod')!;
    const lint = prod.Actions.find((action) => action.Configuration?.ProjectName?.Ref === logicalId)!;
    const deploys = prod.Actions.filter((action) => action !== lint);
    expect(deploys.length).toBeGreaterThan(0);
    for (const deploy of deploys) expect(deploy.RunOrder).toBeGreaterThan(lint.RunOrder);
    const build = stages.find((stage) => stage.Name === 'Build')!;
    const synthOutput = (build.Actions[0] as Action & { OutputArtifacts: { Name: string }[] }).OutputArtifacts[0].Name;
    expect(lint.InputArtifacts).toEqual([{ Name: synthOutput }]);
  });

  it("lets the project's role create the report group", () => {
    const { template } = synthPipeline({ multiRegion: true });
    const { logicalId } = lintProject(template);
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const reportGroupResources = statements
      .filter((statement) => [statement.Action].flat().includes('codebuild:CreateReportGroup'))
      .map((statement) => JSON.stringify(statement.Resource));
    expect(reportGroupResources.some((resource) => resource.includes(`:report-group/",{"Ref":"${logicalId}"},"-*"`))).toBe(true);
  });

  describe('its commands, run in the synthesized cloud assembly', () => {
    let cliDir: string;
    beforeAll(() => {
      cliDir = installCli(workDir);
    });

    it('fail the action when a trail in the stage is single-Region, with the failure in the JUnit report', () => {
      const { assemblyDir, template } = synthPipeline({ multiRegion: false });
      const run = runCommands(lintProject(template).buildSpec.phases.build.commands, assemblyDir, cliDir);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stdout).toContain('fail CLOUDTRAIL_MULTI_REGION_ENABLED');
      const suites = parseJunit(fs.readFileSync(path.join(assemblyDir, 'cfn-trail-lint-junit.xml'), 'utf8')).testsuites;
      expect(suites.failures).toBe('1');
      expect(suites.testsuite!.map((suite) => suite.name)).toContain('Prod-Audit');
    });

    it('read the config file the synth step copied into the cloud assembly', () => {
      const { assemblyDir, template } = synthPipeline({ multiRegion: false });
      fs.writeFileSync(path.join(assemblyDir, '.cfn-trail-lint.yaml'), 'exclude: ["assembly-Prod/**"]\n');
      const run = runCommands(lintProject(template).buildSpec.phases.build.commands, assemblyDir, cliDir);
      expect(run.stdout).not.toContain('CLOUDTRAIL_MULTI_REGION_ENABLED');
      expect(run.status, run.stdout + run.stderr).toBe(0);
    });

    it('pass when every trail is multi-Region', () => {
      const { assemblyDir, template } = synthPipeline({ multiRegion: true });
      const run = runCommands(lintProject(template).buildSpec.phases.build.commands, assemblyDir, cliDir);
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain('pass CLOUDTRAIL_MULTI_REGION_ENABLED');
    });
  });
});
