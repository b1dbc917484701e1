// A CDK Pipelines step that gates a stage on the synthesized templates:
//   pipeline.addStage(stage, { pre: [new TrailLintStep('TrailLint', { input: synth })] });
// It installs the linter from npm, lints the synth output (the cloud assembly, every stage and nested stack in
// it), publishes a JUnit report to a CodeBuild report group, and fails the action — so the stage is not deployed —
// when a trail is not multi-Region.
import { aws_codebuild as codebuild, pipelines } from 'aws-cdk-lib';
import { TOOL } from '../version';
import { warnsOnUnknown } from './aspect';

/** Where the JUnit report is written, relative to the step's working directory. */
const JUNIT_FILE = 'cfn-trail-lint-junit.xml';

export interface TrailLintStepProps
  extends Omit<pipelines.CodeBuildStepProps, 'input' | 'commands' | 'installCommands' | 'partialBuildSpec'> {
  /** The step whose output is the cloud assembly: the synth step (its primary output is `cdk.out`). */
  readonly input: pipelines.IFileSetProducer;
  /** What to lint, relative to the input's root. Default: the whole cloud assembly (`.`). */
  readonly paths?: string[];
  /** The npm version or range of cfn-trail-lint to install. Default: the version this construct comes from. */
  readonly version?: string;
  /** A parameters file inside the input (a CodePipeline template configuration file or CloudFormation's parameter list). */
  readonly parametersFile?: string;
  /** Parameter Defaults do not fix values: every value a deployer may pass counts. Default: false. */
  readonly strict?: boolean;
  /** Whether an `unknown` verdict fails the step. Default: 'fail'. `'error'` and `'warning'` are deprecated aliases. */
  readonly unknown?: 'fail' | 'warn' | 'error' | 'warning';
  /**
   * The config file (`.cfn-trail-lint.yaml`) inside the input, its globs relative to where it lies. Default: the one
   * at the input's root, if any — copy the repository's into the synth output (`cp .cfn-trail-lint.yaml cdk.out/`).
   */
  readonly config?: string;
  /** The report group, created as `<project name>-<this>` (the project's role may create `<project name>-*`). Default: 'cfn-trail-lint'. */
  readonly reportGroupName?: string;
}

export class TrailLintStep extends pipelines.CodeBuildStep {
  constructor(id: string, props: TrailLintStepProps) {
    const { input, paths = ['.'], version = TOOL.version, parametersFile, strict, unknown, config, reportGroupName = 'cfn-trail-lint', ...codeBuildProps } = props;
    const options = [
      'cfn-trail-lint',
      ...(parametersFile ? ['--parameters-file', shellQuote(parametersFile)] : []),
      ...(strict ? ['--strict'] : []),
      ...(unknown ? ['--unknown', warnsOnUnknown(unknown) ? 'warn' : 'fail'] : []),
      ...(config ? ['--config', shellQuote(config)] : []),
    ].join(' ');
    // The paths after `--`: one that begins with "-" stays a path, never an option.
    const operands = ['--', ...paths.map(shellQuote)].join(' ');
    super(id, {
      ...codeBuildProps,
      input,
      installCommands: [`npm install --global ${shellQuote(`cfn-trail-lint@${version}`)}`],
      commands: [
        // The report first, whatever the verdict (CodeBuild publishes it even when the build fails); then the gate.
        `${options} --format junit --output ${JUNIT_FILE} ${operands} || true`,
        `${options} --no-color ${operands}`,
      ],
      partialBuildSpec: codebuild.BuildSpec.fromObject({
        phases: { install: { 'runtime-versions': { nodejs: 20 } } },
        reports: { [reportGroupName]: { files: [JUNIT_FILE], 'file-format': 'JUNITXML' } },
      }),
    });
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
