import * as fs from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ParametersError, mergeParameters, parseParameterFlags, parametersFromDocument, type GivenParameters } from './parameters';
import { ALL_RULES, DEFAULT_RULE_IDS } from '../rules';
import { lintPaths } from './lint';
import { parseJson } from './load/json';
import { ParseFailure } from './load/parsed';
import { SourceMap } from './load/positions';
import { FORMATS, formatReport, type Format } from './report';
import type { LintReport } from './types';
import { TOOL } from './version';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

// Written straight to the file descriptors: creating process.stdout's stream (and loading `tty` to ask about a
// terminal) costs more than a small lint does. `isTTY` is asked only where colour could be on.
const processIo: CliIo = {
  stdout: (text) => writeAll(1, text),
  stderr: (text) => writeAll(2, text),
  get isTTY() {
    return (require('node:tty') as typeof import('node:tty')).isatty(1);
  },
  env: process.env,
  cwd: process.cwd(),
};

/** Set once output has been handed to a stream that may still be writing it. */
let outputQueued = false;

/** Writes all of `text` synchronously, as process.stdout does for files and pipes on POSIX. */
function writeAll(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; ) {
    try {
      at += fs.writeSync(fd, bytes, at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return; // the reader went away (`| head`): nothing left to tell it
      // A descriptor inherited in non-blocking mode: let Node's stream queue the rest.
      if (code !== 'EAGAIN') throw error;
      outputQueued = true;
      (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(at));
      return;
    }
  }
}

/** A mistake in how the linter was called or configured: exit 2, one clear line, no stack trace. */
class UsageError extends Error {}

interface CliOptions {
  format: Format;
  output?: string;
  parameters: string[];
  parametersFile?: string;
  region?: string;
  strict?: boolean;
  unknown: 'fail' | 'warn';
  color: boolean;
  skipNonTemplates?: boolean;
  rule: string[];
}

/**
 * Ends the process with `code`: at once when all output is written (Node's orderly shutdown of a large
 * heap takes time a short run notices), else once the streams have drained.
 */
export function exit(code: number): void {
  if (outputQueued) process.exitCode = code;
  else process.exit(code);
}

/** Runs the CLI and returns its exit code: 0 nothing failed, 1 a violation, 2 a usage or input error. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = new Command()
    .name('cfn-trail-lint')
    .description('Checks that every AWS::CloudTrail::Trail in CloudFormation templates and CDK cloud assemblies is multi-Region.')
    .version(TOOL.version, '-v, --version')
    .argument('<paths...>', 'template files (.yaml .yml .json .template), directories, or a CDK cdk.out')
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('-p, --parameters <Key=Value>', 'a parameter value for the deployment (repeatable)', collect, [])
    .option('--parameters-file <file>', 'parameter values: CloudFormation [{ParameterKey, ParameterValue}], CodePipeline {"Parameters": {…}} or {"Key": "Value"}')
    .option('-r, --region <region>', 'the Region deployed to (fixes AWS::Region)')
    .option('--rule <id>', `a rule to apply (repeatable; default ${DEFAULT_RULE_IDS.join(', ')}; also ${ALL_RULES.filter((rule) => !DEFAULT_RULE_IDS.includes(rule.id)).map((rule) => rule.id).join(', ')})`, collect, [])
    .option('--strict', 'parameter Defaults do not fix values: every value a deployer may pass counts')
    .addOption(new Option('--unknown <mode>', 'what an unknown verdict does to the exit code').choices(['fail', 'warn']).default('fail'))
    .option('--skip-non-templates', 'skip named files that are not CloudFormation templates, as in a directory (for pre-commit)')
    .option('--no-color', 'no ANSI colour (NO_COLOR is honoured too)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const options = program.opts<CliOptions>();
  let report: LintReport;
  try {
    const fromFile = options.parametersFile ? readParametersFile(options.parametersFile) : { values: {}, previous: [] };
    const parameters = mergeParameters(fromFile, parseParameterFlags(options.parameters));
    const unknownRule = options.rule.find((id) => !ALL_RULES.some((rule) => rule.id === id));
    if (unknownRule !== undefined) throw new UsageError(`--rule ${unknownRule}: no such rule (${ALL_RULES.map((rule) => rule.id).join(', ')})`);
    report = lintPaths(program.args, {
      ...(options.rule.length > 0 && { rules: options.rule }),
      parameters: parameters.values,
      previousParameters: parameters.previous,
      region: options.region,
      strict: options.strict,
      cwd: io.cwd,
      skipNonTemplates: options.skipNonTemplates,
    });
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ParametersError)) throw error;
    io.stderr(`cfn-trail-lint: ${error.message}\n`);
    return 2;
  }

  const toFile = options.output !== undefined;
  const color = options.format === 'text' && options.color && !toFile && io.env.NO_COLOR === undefined && io.isTTY;
  const rendered = formatReport(report, options.format, { color, cwd: io.cwd });
  if (toFile) {
    try {
      fs.writeFileSync(options.output!, rendered);
    } catch (error) {
      io.stderr(`cfn-trail-lint: cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code}\n`);
      return 2;
    }
    const { summary } = report;
    io.stderr(`cfn-trail-lint: ${summary.fail} fail, ${summary.unknown} unknown, ${summary.errors} errors; report written to ${options.output}\n`);
  } else {
    io.stdout(rendered);
  }
  return exitCode(report, options.unknown);
}

export function exitCode(report: LintReport, unknownMode: 'fail' | 'warn'): number {
  if (report.summary.errors > 0) return 2;
  if (report.summary.fail > 0) return 1;
  if (unknownMode === 'fail' && report.summary.unknown > 0) return 1;
  return 0;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function readParametersFile(file: string): GivenParameters {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read parameters file ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }
  let body: unknown;
  try {
    body = parseJson(text).body;
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error;
    const { line, column } = new SourceMap(text, new WeakMap()).positionOf(error.offset);
    throw new UsageError(`${file}:${line}:${column}: ${error.message}`);
  }
  return parametersFromDocument(body, file);
}

