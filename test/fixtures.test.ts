// The fixture set: every template under templates/ has its verdicts beside it in
// <file>.expected.json, and every broken input under test/fixtures/invalid/ has the
// errors it must produce. See test/fixtures/README.md for the file formats.
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ErrorCode } from '../src/codes';
import { lintPaths } from '../src/index';
import { STATUSES, type LintOptions, type LintReport, type Status, type TrailResult } from '../src/types';

const repoRoot = path.resolve(__dirname, '..');
const templatesDir = path.join(repoRoot, 'templates');
const invalidDir = path.join(repoRoot, 'test', 'fixtures', 'invalid');
// Owned and tested by the pipeline and CDK suites; they are CDK apps, not CloudFormation fixtures.
const foldersTestedElsewhere = new Set(['pipeline', 'cdk']);

/** One result: a resource (or, for a set rule, the resource its group's finding points at) under one rule. */
interface ExpectedResult {
  ruleId: string;
  logicalId: string;
  status: Status;
  line: number;
  column: number;
  /** Given only where exactly one failing deployment exists. */
  when?: Record<string, string>;
}

interface ExpectedTemplate {
  options?: LintOptions;
  results: ExpectedResult[];
}

/** An input error by its stable code (src/codes.ts), not its wording. */
interface ExpectedError {
  code: ErrorCode;
  line?: number;
  column?: number;
}

const isTemplateFile = (file: string): boolean =>
  /\.(ya?ml|json|template)$/.test(file) && !file.endsWith('.expected.json');

function filesUnder(dir: string, skip: ReadonlySet<string> = new Set()): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !skip.has(entry.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(full) : [full];
    })
    .sort();
}

const expectedFileOf = (file: string): string => `${file}.expected.json`;
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
const relative = (file: string): string => path.relative(repoRoot, file).split(path.sep).join('/');

const templateFiles = filesUnder(templatesDir, foldersTestedElsewhere).filter(isTemplateFile);
const fixtures = templateFiles.filter((file) => fs.existsSync(expectedFileOf(file)));

const reports = new Map<string, LintReport>();
function lintOnce(file: string, options: LintOptions = {}): LintReport {
  const key = `${file}\n${JSON.stringify(options)}`;
  let report = reports.get(key);
  if (!report) {
    report = lintPaths([file], { ...options, cwd: repoRoot });
    reports.set(key, report);
  }
  return report;
}

/** Lint options that pin every input of a reported deployment; `AWS::Region` goes to `region`. */
function optionsReplaying(base: LintOptions, when: Record<string, string>): LintOptions {
  const { 'AWS::Region': region, ...parameters } = when;
  return {
    ...base,
    parameters: { ...base.parameters, ...parameters },
    ...(region === undefined ? {} : { region }),
  };
}

function asExpected(result: TrailResult, expected: ExpectedResult | undefined): ExpectedResult {
  return {
    ruleId: result.ruleId,
    logicalId: result.logicalId,
    status: result.status,
    line: result.line,
    column: result.column,
    ...(expected?.when ? { when: result.when as Record<string, string> } : {}),
  };
}

/** Results are a set: one per rule and logical ID, in whatever order the engine gives them. */
const keyOf = (result: { ruleId: string; logicalId: string }): string => `${result.ruleId} ${result.logicalId}`;

function keyed<T extends { ruleId: string; logicalId: string }>(results: readonly T[]): Map<string, T> {
  return new Map(results.map((result) => [keyOf(result), result]));
}

/** Keys that occur more than once: a fixture (or a run) must not say two things of one resource under one rule. */
function repeatedKeys(results: readonly { ruleId: string; logicalId: string }[]): string[] {
  const keys = results.map(keyOf);
  return keys.filter((key, index) => keys.indexOf(key) !== index);
}

describe('templates/ (the README demo)', () => {
  it('has an expected file beside every template', () => {
    const missing = templateFiles.filter((file) => !fs.existsSync(expectedFileOf(file))).map(relative);
    expect(missing).toEqual([]);
    expect(fixtures.length).toBeGreaterThan(30);
  });

  it('has no expected file without its template', () => {
    const orphans = filesUnder(templatesDir, foldersTestedElsewhere)
      .filter((file) => file.endsWith('.expected.json'))
      .filter((file) => !fs.existsSync(file.slice(0, -'.expected.json'.length)))
      .map(relative);
    expect(orphans).toEqual([]);
  });

  it('covers every verdict (README, Verdicts)', () => {
    const statuses = new Set(fixtures.flatMap((file) => readJson<ExpectedTemplate>(expectedFileOf(file)).results.map((r) => r.status)));
    expect([...statuses].sort()).toEqual([...STATUSES].sort());
  });

  it('expects the same verdicts of a JSON twin as of its YAML template', () => {
    const verdicts = (file: string) =>
      keyed(readJson<ExpectedTemplate>(expectedFileOf(file)).results.map(({ ruleId, logicalId, status, when }) => ({ ruleId, logicalId, status, when })));
    const twins = fixtures.filter((file) => file.endsWith('.json') && fs.existsSync(file.replace(/\.json$/, '.yaml')));
    expect(twins.length).toBeGreaterThanOrEqual(10);
    for (const twin of twins) expect(verdicts(twin), relative(twin)).toEqual(verdicts(twin.replace(/\.json$/, '.yaml')));
  });

  it('lints as a whole with passes and failures and no input error', () => {
    const report = lintOnce(templatesDir);
    expect(report.errors).toEqual([]);
    expect(report.summary.pass).toBeGreaterThan(0);
    expect(report.summary.fail).toBeGreaterThan(0);
  });

  it('gives each fixture the same results in directory mode as alone', () => {
    const report = lintOnce(templatesDir);
    for (const file of fixtures) {
      if (readJson<ExpectedTemplate>(expectedFileOf(file)).options) continue;
      const inDirectory = report.results.filter((result) => result.file === relative(file));
      expect(inDirectory, relative(file)).toEqual(lintOnce(file).results);
    }
  });
});

describe.each(fixtures.map(relative))('%s', (name) => {
  const file = path.join(repoRoot, name);
  const expected = readJson<ExpectedTemplate>(expectedFileOf(file));
  const options = expected.options ?? {};

  it('is read without input errors', () => {
    expect(lintOnce(file, options).errors).toEqual([]);
  });

  it('names a rule in every expected result, and each (rule, logical ID) once', () => {
    for (const result of expected.results) expect(typeof result.ruleId, JSON.stringify(result)).toBe('string');
    expect(repeatedKeys(expected.results)).toEqual([]);
  });

  it('gives every resource its expected status, position and deployment under each rule', () => {
    const results = lintOnce(file, options).results;
    expect(repeatedKeys(results)).toEqual([]);
    const wanted = keyed(expected.results);
    const got = keyed(results.map((result) => asExpected(result, wanted.get(keyOf(result)))));
    expect(got).toEqual(wanted);
    for (const result of results) expect(result.file).toBe(name);
  });

  it('names a deployment that really fails for every failing trail', () => {
    const failing = lintOnce(file, options).results.filter((result) => result.status === 'fail');
    for (const result of failing) {
      const replay = lintOnce(file, optionsReplaying(options, result.when ?? {}));
      const again = replay.results.find((candidate) => keyOf(candidate) === keyOf(result));
      expect(again?.status, `${result.logicalId} when ${JSON.stringify(result.when)}`).toBe('fail');
    }
  });
});

describe('test/fixtures/invalid/', () => {
  const invalidFiles = filesUnder(invalidDir).filter(isTemplateFile);

  it('has an expected file beside every invalid input', () => {
    expect(invalidFiles.filter((file) => !fs.existsSync(expectedFileOf(file))).map(relative)).toEqual([]);
    expect(invalidFiles.length).toBeGreaterThanOrEqual(19);
  });

  describe.each(invalidFiles.map(relative))('%s', (name) => {
    const file = path.join(repoRoot, name);
    const expected = readJson<{ errors: ExpectedError[] }>(expectedFileOf(file));

    it('is the expected input error at the expected place', () => {
      const got = lintOnce(file).errors.map(({ file: where, code, line, column }) => ({ file: where, code, ...(line !== undefined && { line, column }) }));
      expect(got).toEqual(expected.errors.map((want) => ({ file: name, ...want })));
    });
  });

  it('skips files that are not templates silently in directory mode', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-not-templates-'));
    try {
      for (const name of ['buildspec.yml', 'empty.yaml']) fs.copyFileSync(path.join(invalidDir, name), path.join(dir, name));
      fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "app", "version": "1.0.0" }\n');
      const report = lintPaths([dir], { cwd: dir });
      expect(report.errors).toEqual([]);
      expect(report.results).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
