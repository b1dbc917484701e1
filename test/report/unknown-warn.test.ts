// Issue #14: under `--unknown warn` the run exits 0 with unknown trails; no format may show them as errors.
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/report';
import { parseJunit } from './parse-junit';
import { SAMPLE_CWD, SAMPLE_REPORT } from './sample-report';

const UNKNOWN = SAMPLE_REPORT.results.find((result) => result.status === 'unknown')!;
const render = (format: 'text' | 'sarif' | 'junit' | 'github', unknownMode: 'fail' | 'warn') =>
  formatReport(SAMPLE_REPORT, format, { color: false, cwd: SAMPLE_CWD, unknownMode });

describe('an unknown verdict under --unknown warn is a warning in every format', () => {
  it('github: ::warning instead of ::error', () => {
    const line = (mode: 'fail' | 'warn') => render('github', mode).split('\n').find((text) => text.includes(`${UNKNOWN.logicalId}`))!;
    expect(line('fail')).toMatch(/^::error /);
    expect(line('warn')).toMatch(/^::warning /);
  });

  it('sarif: level warning instead of error', () => {
    const level = (mode: 'fail' | 'warn') => JSON.parse(render('sarif', mode)).runs[0].results.find((result: { properties: { status: string } }) => result.properties.status === 'unknown').level;
    expect([level('fail'), level('warn')]).toEqual(['error', 'warning']);
  });

  it('junit: a passing testcase that carries the warning, instead of a failure', () => {
    const caseOf = (mode: 'fail' | 'warn') => parseJunit(render('junit', mode)).testsuites.testsuite!.flatMap((suite) => suite.testcase).find((testCase) => testCase.name!.includes(UNKNOWN.logicalId))!;
    expect(caseOf('fail').failure).toBeDefined();
    const warned = caseOf('warn');
    expect(warned.failure).toBeUndefined();
    expect(String(warned['system-out'])).toContain(`warning (--unknown warn): ${UNKNOWN.message}`);
    expect(parseJunit(render('junit', 'warn')).testsuites.failures).toBe(String(SAMPLE_REPORT.summary.fail));
  });

  it('text: the line says warning', () => {
    expect(render('text', 'fail')).toContain(`: unknown ${UNKNOWN.ruleId}`);
    expect(render('text', 'warn')).toContain(`: unknown (warning) ${UNKNOWN.ruleId}`);
  });
});
