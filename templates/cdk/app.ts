// A CDK Pipelines app gated by cfn-trail-lint: the README's example ("A CDK Pipelines app"), word for word.
// test/cdk/cdk-cli.test.ts compiles this file and synthesizes it with the real `cdk` CLI.
import { App, Aspects, Stack, Stage, type StageProps } from 'aws-cdk-lib';
import { Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { CodePipeline, CodePipelineSource, ShellStep } from 'aws-cdk-lib/pipelines';
import { MultiRegionTrailAspect, acknowledge } from 'cfn-trail-lint/cdk';
import type { Construct } from 'constructs';

class AuditStage extends Stage {
  constructor(scope: Construct, id: string, props?: StageProps) {
    super(scope, id, props);
    const audit = new Stack(this, 'Audit');
    new Trail(audit, 'Management'); // multi-Region unless told otherwise
    const dataEvents = new Trail(audit, 'DataEvents', { isMultiRegionTrail: false });
    acknowledge(dataEvents, 'S3 data events of buckets in this Region only; the Management trail logs every Region');
  }
}

const app = new App();
Aspects.of(app).add(new MultiRegionTrailAspect());

const pipeline = new CodePipeline(new Stack(app, 'Delivery'), 'Pipeline', {
  synth: new ShellStep('Synth', {
    input: CodePipelineSource.gitHub('example-org/audit', 'main'),
    commands: ['npm ci', 'npx cdk synth'],
  }),
});
pipeline.addStage(new AuditStage(app, 'Prod'));

app.synth();
