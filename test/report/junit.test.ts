import { describe, expect, it } from 'vitest';
import { formatJunit } from '../../src/report/junit';
import type { LintReport } from '../../src/types';
import { junit10Violations } from './junit-schema';
import { parseJunit } from './parse-junit';
import { SAMPLE_CWD, SAMPLE_REPORT } from './sample-report';

function junitOf(report: LintReport) {
  return parseJunit(formatJunit(report, { cwd: SAMPLE_CWD })).testsuites;
}

describe('formatJunit', () => {
  it('matches the golden output for the sample report', async () => {
    await expect(formatJunit(SAMPLE_REPORT, { cwd: SAMPLE_CWD })).toMatchFileSnapshot('golden/sample.junit.xml');
  });

  it('counts what the json summary counts: failures = fail + unknown, skipped = skip + suppressed, errors = input errors', () => {
    const root = junitOf(SAMPLE_REPORT);
    const { summary } = SAMPLE_REPORT;
    expect(root).toMatchObject({
      tests: String(summary.pass + summary.fail + summary.unknown + summary.skip + summary.suppressed + summary.errors),
      failures: String(summary.fail + summary.unknown),
      errors: String(summary.errors),
    });
    const skipped = root.testsuite!.reduce((sum, suite) => sum + Number(suite.skipped), 0);
    expect(skipped).toBe(summary.skip + summary.suppressed);
    const cases = root.testsuite!.flatMap((suite) => suite.testcase);
    expect(cases.filter((testCase) => testCase.failure)).toHaveLength(summary.fail + summary.unknown);
    expect(cases.filter((testCase) => testCase.skipped)).toHaveLength(summary.skip + summary.suppressed);
    expect(cases.filter((testCase) => testCase.error)).toHaveLength(summary.errors);
  });

  it('has one suite per template, named by its file or, in a cloud assembly, its stack', () => {
    const suites = junitOf(SAMPLE_REPORT).testsuite!;
    expect(suites.map((suite) => [suite.name, suite.tests])).toEqual([
      ['templates/noncompliant/regional.yaml', '2'],
      ['templates/unknown/ssm parameter.yaml', '1'],
      ['templates/skip/never-created.yaml', '1'],
      ['Prod-Audit', '1'],
      ['templates/broken.yaml', '1'],
    ]);
    const [regional] = suites;
    expect(regional.testcase.map((testCase) => [testCase.name, testCase.classname])).toEqual([
      ['CLOUDTRAIL_MULTI_REGION_ENABLED RegionalTrail', 'templates/noncompliant/regional.yaml'],
      ['CLOUDTRAIL_MULTI_REGION_ENABLED OrganizationTrail', 'templates/noncompliant/regional.yaml'],
    ]);
  });

  it('explains a failure with its location, deployment, reasons and fix', () => {
    const failure = junitOf(SAMPLE_REPORT).testsuite![0].testcase[0].failure!;
    expect(failure.type).toBe('fail');
    expect(failure.message).toBe(SAMPLE_REPORT.results[0].message);
    expect(failure['#text']).toContain('at templates/noncompliant/regional.yaml:9:7');
    expect(failure['#text']).toContain('when: Environment=dev');
    expect(failure['#text']).toContain('  IsProd: !Equals [!Ref Environment, prod] (line 4)');
    expect(failure['#text']).toContain('fix: Set IsMultiRegionTrail: true');
  });

  it('shows a suppressed trail as skipped with its reason, and an unreadable template as an error', () => {
    const suites = junitOf(SAMPLE_REPORT).testsuite!;
    const suppressed = suites[3].testcase[0];
    expect(suppressed.skipped!.message).toContain('Regional data-event trail; the organization trail covers all Regions');
    expect(suppressed.name).toBe('CLOUDTRAIL_MULTI_REGION_ENABLED DataEventsTrail1A2B3C4D (Prod/Audit/DataEventsTrail/Resource)');
    const broken = suites[4].testcase[0];
    expect(broken.error!.type).toBe('E1003');
    expect(broken.error!['#text']).toContain('templates/broken.yaml:5:27');
  });

  it('escapes markup, quotes, newlines and control characters so that the document stays well-formed', () => {
    const hostile = 'a <b> & "c" \'d\'\nsecond line\ttab \u0000\u001b end \ud800';
    const report: LintReport = {
      ...SAMPLE_REPORT,
      results: [{ ...SAMPLE_REPORT.results[0], logicalId: 'T<&>', message: hostile }],
      errors: [],
    };
    const xml = formatJunit(report, { cwd: SAMPLE_CWD });
    const failure = junitOf(report).testsuite![0].testcase[0].failure!;
    expect(failure.message).toBe('a <b> & "c" \'d\'\nsecond line\ttab \\u0000\\u001b end \\ud800');
    // Every character is one XML 1.0 allows (its `Char` production).
    expect(xml).toMatch(/^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u);
  });

  it('is a valid, empty document when nothing was linted', () => {
    const root = junitOf({ ...SAMPLE_REPORT, results: [], errors: [], summary: { pass: 0, fail: 0, unknown: 0, skip: 0, suppressed: 0, errors: 0 } });
    expect(root).toMatchObject({ tests: '0', failures: '0', errors: '0' });
    expect(root.testsuite).toBeUndefined();
  });
});

describe('formatJunit against Jenkins junit-10.xsd', () => {
  it('uses only the schema’s elements and attributes (no skipped on <testsuites>, no file or line on <testcase>)', () => {
    const warn = formatJunit(SAMPLE_REPORT, { cwd: SAMPLE_CWD, unknownMode: 'warn' });
    expect(junit10Violations(formatJunit(SAMPLE_REPORT, { cwd: SAMPLE_CWD }))).toEqual([]);
    expect(junit10Violations(warn)).toEqual([]);
  });

  it('the check finds what the schema refuses', () => {
    expect(junit10Violations('<testsuites skipped="1"><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="t" file="x"/></testsuite></testsuites>')).toEqual([
      'testsuites: attribute skipped is not allowed',
      'testcase: attribute file is not allowed',
    ]);
  });

  it('names each suite’s template in its file attribute', () => {
    expect(junitOf(SAMPLE_REPORT).testsuite!.map((suite) => suite.file)).toEqual([
      'templates/noncompliant/regional.yaml',
      'templates/unknown/ssm parameter.yaml',
      'templates/skip/never-created.yaml',
      'cdk.out/assembly-Prod/ProdAudit.template.json',
      'templates/broken.yaml',
    ]);
  });
});
