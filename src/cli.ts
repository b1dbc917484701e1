import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { Code, type ErrorCode, type WarningCode } from './codes';
import { InternalError } from './internal-error';
import { ParametersError, mergeParameters, parseParameterFlags } from './parameters';
import { ALL_RULES, DEFAULT_RULE_IDS } from '../rules';
import { OptionError, STDIN_PATH, checkRegion, colourWanted, exclusionTest, formatRuleList, optionsPerTemplate, readStandardInput } from './cli-options';
import { findConfigFile, loadConfig, type Config } from './config';
import { lintPaths } from './lint';
import { MAX_REPORT_CHARS } from './limits';
import { MAX_FILE_BYTES } from './load/read-file';
import { readParametersFile } from './load/parameters-file';
import { InputReader, isWithin } from './load/read-file';
import { FORMATS, formatReport, type Format } from './report';
import { safeLines } from './report/escape';
import type { LintOptions, LintReport } from './types';
import { TOOL } from './version';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Standard input's text, for the path `-` (default: read the process's standard input). */
  readStdin?: () => string;
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
      // A descriptor inherited in non-blocking mode: let Node's stream queue the rest.
      if (code !== 'EAGAIN') throw new OutputError(fd, code ?? String(error));
      outputQueued = true;
      const stream = fd === 1 ? process.stdout : process.stderr;
      stream.once('error', (streamError: NodeJS.ErrnoException) => endOnOutputError(new OutputError(fd, streamError.code ?? streamError.message)));
      stream.write(bytes.subarray(at));
      return;
    }
  }
}

/** A mistake in how the linter was called or configured: exit 2, one clear line, no stack trace. */
class UsageError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** `cfn-trail-lint: error E4006 no template given…`: the text format's way of saying an error, on standard error. */
function codedLine(severity: 'error' | 'warning', code: ErrorCode | WarningCode, message: string): string {
  return `${safeLines(`cfn-trail-lint: ${severity} ${code} ${message}`)}\n`;
}

/** Standard output or error cannot take the report (EPIPE: the reader went away; ENOSPC: a full disk). */
class OutputError extends Error {
  constructor(fd: 1 | 2, code: string) {
    super(`cannot write to standard ${fd === 1 ? 'output' : 'error'}: ${code}`);
  }
}

/** An output error after main returned (a queued write failed): the run did not deliver its report. */
function endOnOutputError(error: OutputError): void {
  try {
    fs.writeSync(2, `cfn-trail-lint: ${error.message}\n`);
  } catch {
    // standard error is gone too: the exit code is all that is left to say it
  }
  process.exit(2);
}

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
  debug?: boolean;
  stdinFilename?: string;
  exclude: string[];
  listRules?: boolean;
  config?: string;
}

/**
 * Ends the process with `code`: at once when all output is written (Node's orderly shutdown of a large
 * heap takes time a short run notices), else once the streams have drained.
 */
export function exit(code: number): void {
  if (outputQueued) process.exitCode = code;
  else process.exit(code);
}

/**
 * Runs the CLI and returns its exit code: 0 nothing failed, 1 a violation, 2 a usage or input error — and 2 for
 * anything unexpected too, with one line (`--debug` adds the stack): a crash must never read as a verdict.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    reportCrash(error, argv.includes('--debug'), io);
    return 2;
  }
}

function reportCrash(error: unknown, debug: boolean, io: CliIo): void {
  let line: string;
  if (error instanceof OutputError) line = `cfn-trail-lint: ${error.message}`;
  else if (error instanceof InternalError) line = `cfn-trail-lint: internal error while linting ${error.file}: ${messageOf(error.cause)}`;
  else line = `cfn-trail-lint: internal error: ${messageOf(error)}`;
  const cause = error instanceof InternalError ? error.cause : error;
  const stack = debug && cause instanceof Error && cause.stack ? `\n${cause.stack}` : '';
  try {
    io.stderr(`${safeLines(line)}${stack}\n`);
  } catch {
    // standard error is gone too: the exit code is all that is left to say it
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const program = new Command()
    .name('cfn-trail-lint')
    .description('Checks that every AWS::CloudTrail::Trail in CloudFormation templates and CDK cloud assemblies is multi-Region.')
    .version(TOOL.version, '-v, --version')
    .argument('[paths...]', 'template files (.yaml .yml .json .template), directories, a CDK cdk.out, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('-p, --parameters <Key=Value>', 'a parameter value for the deployment (repeatable)', collect, [])
    .option('--parameters-file <file>', 'parameter values: CloudFormation [{ParameterKey, ParameterValue}], CodePipeline {"Parameters": {…}} or {"Key": "Value"}')
    .option('-r, --region <region>', 'the Region deployed to (fixes AWS::Region)')
    .option('--rule <id>', `a rule to apply (repeatable; default ${DEFAULT_RULE_IDS.join(', ')}; also ${ALL_RULES.filter((rule) => !DEFAULT_RULE_IDS.includes(rule.id)).map((rule) => rule.id).join(', ')})`, collect, [])
    .option('--strict', 'parameter Defaults do not fix values: every value a deployer may pass counts')
    .addOption(new Option('--unknown <mode>', 'what an unknown verdict does to the exit code').choices(['fail', 'warn']).default('fail'))
    .option('--skip-non-templates', 'skip named files that are not CloudFormation templates, as in a directory (for pre-commit)')
    .option('--no-color', 'no ANSI colour (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('--stdin-filename <name>', 'the name reports give the template read from standard input (-)')
    .option('--exclude <glob>', 'skip files whose path (relative to the working directory) matches the glob (repeatable)', collect, [])
    .option('--config <file>', `the config file (default: ${'.cfn-trail-lint.yaml'} in the working directory or a folder above)`)
    .option('--list-rules', 'list the rules (id, title, severity, aliases, frameworks, docs); with --format json as JSON')
    .option('--debug', 'on an internal error, print its stack trace too')
    .exitOverride()
    // Commander echoes the arguments it rejects: they are shown, not obeyed. Its errors are usage errors, coded.
    .configureOutput({
      writeOut: io.stdout,
      writeErr: (text) => io.stderr(text.startsWith('error: ') ? codedLine('error', Code.UsageInvalid, text.slice('error: '.length).trimEnd()) : safeLines(text)),
    });

  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const options = program.opts<CliOptions>();
  if (options.listRules) return listRules(options.format, io);
  const files = new InputReader();
  let report: LintReport;
  try {
    const config = readConfig(options, io, files);
    // The command line wins over the config file; commander's defaults count as not given.
    const given = (name: string) => program.getOptionValueSource(name) === 'cli';
    options.format = given('format') ? options.format : (config?.format ?? options.format);
    options.unknown = given('unknown') ? options.unknown : (config?.unknown ?? options.unknown);
    // Relative to the process's directory where it is the one the user ran in: messages name paths as given.
    const paths = pathsToLint(program.args, options).map((given) => (path.resolve(io.cwd) === process.cwd() || path.isAbsolute(given) ? given : path.resolve(io.cwd, given)));
    report = lintPaths(paths, lintOptions(options, program.args.includes(STDIN_PATH), config, io, files), files);
    if (options.output !== undefined) checkOutputTarget(options.output, files.filesRead, io.cwd);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ParametersError || error instanceof OptionError)) throw error;
    io.stderr(codedLine('error', error.code, error.message));
    return 2;
  }

  const toFile = options.output !== undefined;
  const color = options.format === 'text' && colourWanted(options.color, toFile, io.env, () => io.isTTY);
  const rendered = formatReport(report, options.format, { color, cwd: io.cwd, unknownMode: options.unknown });
  if (rendered.length > MAX_REPORT_CHARS) {
    io.stderr(codedLine('error', Code.ReportTooLarge, `the report is ${rendered.length} characters; the limit is ${MAX_REPORT_CHARS} (lint fewer files at a time)`));
    return 2;
  }
  if (toFile) {
    try {
      writeFileByRename(options.output!, rendered);
    } catch (error) {
      io.stderr(codedLine('error', Code.OutputRefused, `cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`));
      return 2;
    }
    const { summary } = report;
    io.stderr(`${safeLines(`cfn-trail-lint: ${summary.fail} fail, ${summary.unknown} unknown, ${summary.errors} errors; report written to ${options.output}`)}\n`);
  } else {
    io.stdout(rendered);
  }
  return exitCode(report, options.unknown);
}

/**
 * `--output` must not name a file the run read (the report would replace a template), nor lead out of the
 * working directory through a symbolic link to a folder (a folder link committed in a pull request).
 */
function checkOutputTarget(target: string, filesRead: ReadonlySet<string>, cwd: string): void {
  const absolute = path.resolve(cwd, target);
  let real: string | undefined;
  try {
    real = fs.realpathSync.native(absolute);
  } catch {
    // nothing there yet
  }
  if (real !== undefined && filesRead.has(real)) throw new UsageError(Code.OutputRefused, `--output ${target} is a file this run lints: it would be overwritten`);
  let realCwd: string;
  let realFolder: string;
  try {
    realCwd = fs.realpathSync.native(cwd);
    realFolder = fs.realpathSync.native(path.dirname(absolute));
  } catch (error) {
    throw new UsageError(Code.OutputRefused, `cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? messageOf(error)}`);
  }
  if (isWithin(path.resolve(cwd), path.dirname(absolute)) && !isWithin(realCwd, realFolder)) {
    throw new UsageError(Code.OutputRefused, `--output ${target}: its folder leads outside the working directory through a symbolic link`);
  }
}

/**
 * Writes `text` to a new file beside `target`, then renames it over `target`: a symbolic link there is replaced,
 * never followed, and a reader of `target` sees the old report or the whole new one, never half of one.
 */
function writeFileByRename(target: string, text: string): void {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  // 'wx' is O_CREAT|O_EXCL: it creates the file or fails, and never opens through a link planted at that name.
  const fd = fs.openSync(temporary, 'wx', 0o666);
  try {
    try {
      fs.writeFileSync(fd, text);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function listRules(format: Format, io: CliIo): number {
  if (format !== 'text' && format !== 'json') {
    io.stderr(codedLine('error', Code.UsageInvalid, `--list-rules prints text or json, not ${format}`));
    return 2;
  }
  io.stdout(formatRuleList(format));
  return 0;
}

/** The config file named by --config, or found from the working directory upwards; its notices go to stderr. */
function readConfig(options: CliOptions, io: CliIo, files: InputReader): Config | undefined {
  const file = options.config !== undefined ? path.resolve(io.cwd, options.config) : findConfigFile(io.cwd);
  if (file === undefined) return undefined;
  const config = loadConfig(file, files);
  for (const notice of config.notices) io.stderr(codedLine('warning', notice.code, notice.message));
  return config;
}

/** The paths to walk: `-` (standard input) is not one of them. */
function pathsToLint(args: string[], options: CliOptions): string[] {
  const paths = args.filter((arg) => arg !== STDIN_PATH);
  if (args.length === 0) throw new UsageError(Code.UsageInvalid, 'no template given: name files, directories, a cdk.out, or - for standard input');
  if (args.length - paths.length > 1) throw new UsageError(Code.UsageInvalid, '- (standard input) may be given once');
  if (options.stdinFilename !== undefined && paths.length === args.length) throw new UsageError(Code.UsageInvalid, '--stdin-filename names the template read from -, which is not among the paths');
  return paths;
}

/** The command line's options and the config file's, as lintPaths takes them. */
function lintOptions(options: CliOptions, fromStdin: boolean, config: Config | undefined, io: CliIo, files: InputReader): LintOptions {
  if (options.region !== undefined) {
    const notice = checkRegion(options.region);
    if (notice) io.stderr(codedLine('warning', notice.code, notice.message));
  }
  const fromFile = options.parametersFile ? readParametersFile(options.parametersFile, files) : { values: {}, previous: [] };
  const parameters = mergeParameters(fromFile, parseParameterFlags(options.parameters));
  const region = options.region ?? config?.region;
  const strict = options.strict ?? config?.strict;
  const unknownRule = options.rule.find((id) => !ALL_RULES.some((rule) => rule.id === id));
  if (unknownRule !== undefined) throw new UsageError(Code.RuleUnknown, `--rule ${unknownRule}: no such rule (${ALL_RULES.map((rule) => rule.id).join(', ')})`);
  const rules = options.rule.length > 0 ? options.rule : config?.rules;
  return {
    ...(rules !== undefined && rules.length > 0 && { rules }),
    parameters: parameters.values,
    previousParameters: parameters.previous,
    region,
    strict,
    cwd: io.cwd,
    skipNonTemplates: options.skipNonTemplates,
    isExcluded: exclusionTest(options.exclude, io.cwd, config),
    optionsFor: config && optionsPerTemplate(config, io.cwd, { parameters: parameters.values, region: options.region, strict: options.strict }, (file) => readParametersFile(file, files, config.dir).values),
    stdin: fromStdin ? { file: options.stdinFilename ?? '<stdin>', text: readStdin(io) } : undefined,
  };
}

function readStdin(io: CliIo): string {
  return io.readStdin ? io.readStdin() : readStandardInput(MAX_FILE_BYTES);
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


