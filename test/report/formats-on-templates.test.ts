// Every machine-readable format, run on the engine's verdicts for templates/, counts what the json summary counts.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/lint';
import { formatGithub } from '../../src/report/github';
import { formatJunit } from '../../src/report/junit';
import { formatSarif } from '../../src/report/sarif';
import { parseJunit } from './parse-junit';
import { validateSarif } from './sarif-schema';

const ROOT = path.resolve(__dirname, '..', '..');
const ctx = { cwd: ROOT };
const report = lintPaths(['templates'], { cwd: ROOT });
const { summary } = report;

describe('formats on templates/', () => {
  it('lints a set with violations, unknowns, suppressions, passes and skips', () => {
    for (const status of ['fail', 'unknown', 'suppressed', 'pass', 'skip'] as const) expect(summary[status]).toBeGreaterThan(0);
  });

  it('sarif: a valid log with one result per fail, unknown and suppressed trail', () => {
    const log = JSON.parse(formatSarif(report, ctx));
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    const [run] = log.runs;
    const count = (status: string) => run.results.filter((result: { properties: { status: string } }) => result.properties.status === status).length;
    expect([count('fail'), count('unknown'), count('suppressed')]).toEqual([summary.fail, summary.unknown, summary.suppressed]);
    expect(run.results.filter((result: { suppressions?: unknown[] }) => result.suppressions)).toHaveLength(summary.suppressed);
    expect(run.invocations[0].toolExecutionNotifications).toHaveLength(summary.errors);
    expect(run.properties.summary).toEqual(summary);
  });

  it('junit: one testcase per trail and input error, with the summary counts', () => {
    const root = parseJunit(formatJunit(report, ctx)).testsuites;
    expect(root).toMatchObject({
      tests: String(summary.pass + summary.fail + summary.unknown + summary.skip + summary.suppressed + summary.errors),
      failures: String(summary.fail + summary.unknown),
      errors: String(summary.errors),
    });
  });

  it('github: one annotation per finding and input error, then the summary', () => {
    const lines = formatGithub(report, ctx).trimEnd().split('\n');
    const count = (prefix: string) => lines.filter((line) => line.startsWith(prefix)).length;
    expect(count('::error ')).toBe(summary.fail + summary.unknown + summary.errors);
    expect(count('::notice ')).toBe(summary.suppressed);
    expect(lines.at(-1)).toBe(
      `cfn-trail-lint: ${summary.fail} fail, ${summary.unknown} unknown, ${summary.suppressed} suppressed, ${summary.pass} pass, ${summary.skip} skip, ${summary.errors} input errors`,
    );
  });
});
