import * as path from 'node:path';
import { RULES } from '../../rules';
import { describeWhen } from '../report/finding';
import type { InputErrorRecord, TrailResult } from '../types';

/**
 * Thrown at the end of synthesis when a trail in the app would not log every Region. One error lists every
 * finding, so that one run shows them all; it carries them as data too, for tests.
 */
export class MultiRegionTrailError extends Error {
  declare readonly results: TrailResult[];
  /** Templates that could not be checked (CloudFormation would reject them, or an acknowledgement has no reason). */
  declare readonly inputErrors: InputErrorRecord[];

  constructor(results: TrailResult[], inputErrors: InputErrorRecord[]) {
    super(describeFailure(results, inputErrors));
    this.name = 'MultiRegionTrailError';
    // Data for tests, kept out of what Node prints for an uncaught error.
    Object.defineProperties(this, { results: { value: results }, inputErrors: { value: inputErrors } });
    this.stack = `${this.name}: ${this.message}\n${callerFrames()}`;
  }
}

/**
 * The frames of a stack trace outside CDK's synthesis and this package — the user's `app.synth()` line — so
 * that the report is not buried under frames that say nothing to the reader.
 */
function callerFrames(): string {
  const internal = [path.resolve(__dirname, '..') + path.sep, `${path.sep}node_modules${path.sep}aws-cdk-lib${path.sep}`, `${path.sep}node_modules${path.sep}constructs${path.sep}`, 'node:internal', '(<anonymous>)'];
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100; // synthesis is deep: the user's frame lies far below this one
  const trace: { stack?: string } = {};
  Error.captureStackTrace(trace);
  Error.stackTraceLimit = limit;
  return (trace.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && !internal.some((marker) => line.includes(marker)))
    .join('\n');
}

/** One finding in a line: what, and in which deployment. */
export function summarizeFinding(result: TrailResult): string {
  return result.when ? `${result.message} (when ${describeWhen(result.when)})` : result.message;
}

/** One finding as an annotation on the trail: what, in which deployment, and the CDK fix. */
export function describeFinding(result: TrailResult): string {
  const summary = `[${result.ruleId}] ${summarizeFinding(result)}`;
  if (result.suppression) return `${summary}; acknowledged (${result.suppression.id}): ${result.suppression.reason}`;
  return result.status === 'fail' || result.status === 'unknown' ? `${summary}; fix: ${cdkFix(result.ruleId)}` : summary;
}

function describeFailure(results: TrailResult[], errors: InputErrorRecord[]): string {
  const lines: string[] = [];
  if (results.length > 0) {
    const trails = results.length === 1 ? '1 CloudTrail trail' : `${results.length} CloudTrail trails`;
    lines.push(`cfn-trail-lint: ${trails} in this app would not log every Region (${[...new Set(results.map((r) => r.ruleId))].join(', ')})`);
  }
  for (const result of results) {
    lines.push('', `  ✗ ${result.constructPath ?? result.logicalId}  (stack ${result.stack}, logical ID ${result.logicalId})`);
    lines.push(`    ${result.message}`);
    if (result.when) lines.push(`    when: ${describeWhen(result.when)}`);
    for (const step of result.because ?? []) lines.push(`    because: ${step}`);
    lines.push(`    fix: ${cdkFix(result.ruleId)}`);
  }
  if (errors.length > 0) {
    lines.push('', `cfn-trail-lint: ${errors.length === 1 ? 'a template' : `${errors.length} templates`} could not be checked:`);
    for (const error of errors) lines.push(`  ✗ ${error.file}: ${error.message}`);
  }
  if (results.length > 0) {
    lines.push(
      '',
      `A trail that is single-Region on purpose: Validations.of(trail).acknowledge({ id: '${results[0].ruleId}', reason: '<why>' })`,
    );
  }
  return lines.join('\n');
}

export function cdkFix(ruleId: string): string {
  return RULES.find((rule) => rule.id === ruleId)?.remediation.cdk ?? '';
}
