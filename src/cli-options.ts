// What the CLI makes of its options before it lints: the Region check, colour, standard input, `--exclude`,
// options per template from the config file, and `--list-rules`. Pure functions of their inputs, apart from the
// reading of standard input and of parameters files, so that the CLI's flow stays in cli.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES, DEFAULT_RULE_IDS } from '../rules';
import { isKnownRegion, looksLikeRegion } from './evaluate/regions';
import { Code, type ErrorCode, type WarningCode } from './codes';
import type { Config } from './config';
import type { LintOptions } from './types';

/** A mistake in how the linter was called or configured: exit 2, one clear line with its code. */
export class OptionError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Something the user is told on standard error that does not stop the run. */
export interface Notice {
  code: WarningCode;
  message: string;
}

/** `-` among the paths: the template is read from standard input. */
export const STDIN_PATH = '-';

/**
 * Standard input's text, with a template file's limits: at most `limit` bytes, no NUL byte. Read from the
 * descriptor (a pipe, a socket, a file, a terminal), not reopened by name: /dev/stdin cannot be opened on a socket.
 */
export function readStandardInput(limit: number): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    let read: number;
    try {
      read = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EOF') break;
      if (code !== 'EAGAIN') throw new OptionError(Code.FileUnreadable, `cannot read standard input: ${code ?? String(error)}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // non-blocking input: wait for more
      continue;
    }
    if (read === 0) break;
    total += read;
    if (total > limit) throw new OptionError(Code.FileTooLarge, `standard input is larger than the limit of ${limit} bytes`);
    chunks.push(Buffer.from(chunk.subarray(0, read)));
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.includes(0)) throw new OptionError(Code.NotText, 'standard input is not a text file (contains NUL bytes)');
  return bytes.toString('utf8');
}

/**
 * Checks a Region given by the user. A value not shaped like a Region (`eu-west1`) is a mistake: left alone it
 * would make every deployment fail to deploy, and every trail `skip`. A well-shaped Region the table does not
 * know is accepted (AWS opens Regions faster than this table learns them): the returned notice says so.
 */
export function checkRegion(region: string): Notice | undefined {
  if (!looksLikeRegion(region)) {
    throw new OptionError(Code.RegionInvalid, `region ${JSON.stringify(region)} is not a Region name (like eu-west-1 or us-gov-west-1)`);
  }
  if (isKnownRegion(region)) return undefined;
  return { code: Code.RegionNotInTable, message: `region ${region} is not in this version's table of Regions; linting for it anyway (its partition is taken from its name)` };
}

/**
 * Colour for the text format: never with `--no-color` or into a file; `FORCE_COLOR` (non-empty, not `0` or
 * `false`) turns it on even off a terminal, `FORCE_COLOR=0` off; `NO_COLOR` with a value turns it off
 * (no-color.org: set and empty means nothing); otherwise on a terminal only.
 */
export function colourWanted(flag: boolean, toFile: boolean, env: NodeJS.ProcessEnv, isTTY: () => boolean): boolean {
  if (!flag || toFile) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY();
}

/**
 * `--exclude` globs (relative to the working directory) and the config file's `exclude` (relative to its folder),
 * as one test of a file's path. picomatch semantics, dot files included; a glob without a slash matches a file's
 * name anywhere (`*.json`), and a glob that matches a folder excludes what is in it (`vendor`).
 */
export function exclusionTest(cliGlobs: string[], cwd: string, config: Config | undefined): LintOptions['isExcluded'] {
  const tests = [
    ...(cliGlobs.length > 0 ? [relativeMatcher(cliGlobs, cwd)] : []),
    ...(config && config.exclude.length > 0 ? [relativeMatcher(config.exclude, config.dir)] : []),
  ];
  if (tests.length === 0) return undefined;
  return (file) => {
    const absolute = path.resolve(cwd, file);
    return tests.some((test) => test(absolute));
  };
}

function relativeMatcher(globs: string[], base: string): (absolute: string) => boolean {
  const picomatch = require('picomatch') as typeof import('picomatch');
  // picomatch's `basename` option is for globs without a slash only (with one, it stops them matching at all).
  const matchers = globs.map((glob) => picomatch(glob, { dot: true, basename: !glob.includes('/') }));
  const isMatch = (relative: string) => matchers.some((matches) => matches(relative));
  return (absolute) => {
    const relative = path.relative(base, absolute).split(path.sep).join('/');
    // The file, and each folder it is in.
    for (let at = relative.length; at > 0; at = relative.lastIndexOf('/', at - 1)) {
      if (isMatch(relative.slice(0, at))) return true;
    }
    return false;
  };
}

/**
 * Options per top-level template from the config file's `templates` (the first entry whose globs match wins),
 * with the command line's parameters, Region and `--strict` winning over the entry's.
 */
export function optionsPerTemplate(
  config: Config,
  cwd: string,
  given: { parameters: Record<string, string>; region?: string; strict?: boolean },
  readParametersFile: (file: string) => Record<string, string>,
): LintOptions['optionsFor'] {
  if (config.templates.length === 0) return undefined;
  const picomatch = require('picomatch') as typeof import('picomatch');
  const entries = config.templates.map((entry) => ({ entry, isMatch: picomatch(entry.files, { dot: true }) }));
  const fromFiles = new Map<string, Record<string, string>>();
  return (file) => {
    const relative = path.relative(config.dir, path.resolve(cwd, file)).split(path.sep).join('/');
    const match = entries.find(({ isMatch }) => isMatch(relative));
    if (!match) return {};
    const { entry } = match;
    let fromFile: Record<string, string> = {};
    if (entry.parametersFile !== undefined) {
      fromFile = fromFiles.get(entry.parametersFile) ?? readParametersFile(entry.parametersFile);
      fromFiles.set(entry.parametersFile, fromFile);
    }
    return {
      parameters: { ...fromFile, ...entry.parameters, ...given.parameters },
      region: given.region ?? entry.region ?? config.region,
      strict: given.strict ?? entry.strict ?? config.strict,
    };
  };
}

/** `--list-rules`: each rule's id, title, severity, aliases, frameworks, documentation, and whether it runs by default. */
export function formatRuleList(format: 'text' | 'json'): string {
  if (format === 'json') {
    const rules = ALL_RULES.map(({ id, title, severity, aliases, frameworks, docsUrl }) => ({
      id, title, severity, aliases, frameworks, docs: docsUrl, default: DEFAULT_RULE_IDS.includes(id),
    }));
    return `${JSON.stringify({ rules }, null, 2)}\n`;
  }
  const blocks = ALL_RULES.map((rule) =>
    [
      `${rule.id}  ${rule.title}${DEFAULT_RULE_IDS.includes(rule.id) ? '' : '  (opt-in: --rule)'}`,
      `  severity:   ${rule.severity}`,
      `  aliases:    ${rule.aliases.join(', ')}`,
      `  frameworks: ${rule.frameworks.join('; ')}`,
      `  docs:       ${rule.docsUrl}`,
    ].join('\n'),
  );
  return `${blocks.join('\n\n')}\n`;
}
