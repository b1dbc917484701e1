// JUnit XML, the format CI test-report views read (CodeBuild report groups as JUNITXML, Jenkins, GitLab, Azure).
// One testsuite per template, one testcase per trail; fail and unknown are failures (an unknown under
// `--unknown warn` passes, with the warning in its system-out), skip and suppressed are skipped (with the reason),
// and a template that cannot be read is an error testcase so that it is not green.
// Elements and attributes are those of the common schema, Jenkins' junit-10.xsd: a testcase has only name,
// classname and time (its file is its suite's `file`, its position in the message), and <testsuites> no `skipped`.
import type { InputErrorRecord, LintReport, TrailResult } from '../types';
import { describeDeployedBy, detailLines, relativePath, type UnknownMode } from './finding';

interface TestCase {
  name: string;
  outcome?: { element: 'failure' | 'error' | 'skipped'; type?: string; message: string; body?: string };
  /** Printed as the case's system-out: a warning that does not fail it. */
  output?: string;
}

interface TestSuite {
  name: string;
  file: string;
  cases: TestCase[];
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

export function formatJunit(report: LintReport, ctx: { cwd: string; unknownMode?: UnknownMode }): string {
  const suites = groupIntoSuites(report, ctx.cwd, ctx.unknownMode ?? 'fail');
  const { tests, failures, errors } = sumCounts(suites.map((suite) => countCases(suite.cases)));
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites ${attributes({ name: report.tool.name, tests, failures, errors, time: 0 })}>`];
  for (const suite of suites) {
    lines.push(`  <testsuite ${attributes({ name: suite.name, ...countCases(suite.cases), time: 0, file: suite.file })}>`);
    for (const testCase of suite.cases) lines.push(...renderCase(testCase, suite.name));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** One suite per template — its stack name for a cloud assembly, else its file — in the order the report met them. */
function groupIntoSuites(report: LintReport, cwd: string, unknownMode: UnknownMode): TestSuite[] {
  const suites = new Map<string, TestSuite>();
  const suiteFor = (file: string, stack: string | undefined): TestSuite => {
    const key = `${file}\0${stack ?? ''}`;
    let suite = suites.get(key);
    if (!suite) {
      suite = { name: stack ?? file, file, cases: [] };
      suites.set(key, suite);
    }
    return suite;
  };
  for (const result of report.results) {
    const file = relativePath(result.file, cwd);
    suiteFor(file, result.stack).cases.push(resultCase(result, file, unknownMode));
  }
  for (const error of report.errors) {
    const file = relativePath(error.file, cwd);
    suiteFor(file, undefined).cases.push(errorCase(error, file));
  }
  return [...suites.values()];
}

function resultCase(result: TrailResult, file: string, unknownMode: UnknownMode): TestCase {
  const deployedBy = describeDeployedBy(result);
  const name = `${result.ruleId} ${result.logicalId}${result.constructPath ? ` (${result.constructPath})` : ''}${deployedBy ? ` deployed by ${deployedBy}` : ''}`;
  const base = { name };
  switch (result.status) {
    case 'pass':
      return base;
    case 'unknown':
    case 'fail':
      if (result.status === 'unknown' && unknownMode === 'warn') {
        return { ...base, output: [`warning (--unknown warn): ${result.message}`, `at ${file}:${result.line}:${result.column}`, ...detailLines(result)].join('\n') };
      }
      return {
        ...base,
        outcome: {
          element: 'failure',
          type: result.status,
          message: result.message,
          body: [result.message, `at ${file}:${result.line}:${result.column}`, ...detailLines(result)].join('\n'),
        },
      };
    case 'skip':
      return { ...base, outcome: { element: 'skipped', message: result.message } };
    case 'suppressed':
      return {
        ...base,
        outcome: { element: 'skipped', message: describeSuppression(result) },
      };
  }
}

function describeSuppression(result: TrailResult): string {
  if (!result.suppression) return `suppressed: ${result.message}`;
  const { id, source, reason } = result.suppression;
  return `suppressed (${id}, ${source}): ${reason}`;
}

function errorCase(error: InputErrorRecord, file: string): TestCase {
  const position = error.line === undefined ? file : `${file}:${error.line}${error.column === undefined ? '' : `:${error.column}`}`;
  return {
    name: 'loads as a CloudFormation template',
    outcome: { element: 'error', type: error.code, message: error.message, body: `${position}: ${error.code} ${error.message}` },
  };
}

function renderCase(testCase: TestCase, classname: string): string[] {
  const open = `    <testcase ${attributes({ name: testCase.name, classname, time: 0 })}`;
  const { outcome } = testCase;
  if (testCase.output !== undefined) return [`${open}>`, `      <system-out>${escapeText(testCase.output)}</system-out>`, '    </testcase>'];
  if (!outcome) return [`${open}/>`];
  const outcomeAttributes = attributes({ message: outcome.message, type: outcome.type });
  const element =
    outcome.body === undefined
      ? `      <${outcome.element} ${outcomeAttributes}/>`
      : `      <${outcome.element} ${outcomeAttributes}>${escapeText(outcome.body)}</${outcome.element}>`;
  return [`${open}>`, element, '    </testcase>'];
}

function countCases(cases: TestCase[]): Counts {
  const count = (element: string) => cases.filter((testCase) => testCase.outcome?.element === element).length;
  return { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
}

function sumCounts(all: Counts[]): Counts {
  return all.reduce(
    (sum, counts) => ({
      tests: sum.tests + counts.tests,
      failures: sum.failures + counts.failures,
      errors: sum.errors + counts.errors,
      skipped: sum.skipped + counts.skipped,
    }),
    { tests: 0, failures: 0, errors: 0, skipped: 0 },
  );
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${name}="${escapeAttribute(String(value))}"`)
    .join(' ');
}

/**
 * Characters outside XML 1.0's `Char` production (control characters, lone surrogates) cannot be written even as
 * references; DEL, C1 and the bidirectional controls are XML but would reach a terminal that prints the report.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\u007e\u00a0-\u061b\u061d-\u200d\u2010-\u2027\u202f-\u2065\u206a-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function escapeText(text: string): string {
  return text
    .replace(NOT_XML_CHAR, (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Also newlines and tabs, which a parser would otherwise normalize to spaces inside an attribute. */
function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
