import { ALL_RULES, DEFAULT_RULE_IDS } from '../../rules';
import { describeWhen } from '../report/finding';
import type { Rule } from '../rule';
import type { InputErrorRecord, TrailResult } from '../types';

/**
 * Thrown at the end of synthesis (or by `checkStack`) when a resource in the app breaks a rule — a trail that would not
 * log every Region, with the default rule; the name stays, users catch it by it. Its message is in the words of the
 * rules whose findings it lists. One error lists every finding, so that one run shows them all; it carries them as
 * data too, for tests: each result's location is in the app — `constructPath`, `stack`, `logicalId`, and
 * `file`/`line`/`column` of the line that created the construct when CDK recorded it (else `file` is the construct
 * path, line and column 0) — and `fix` is the CDK fix.
 */
export class MultiRegionTrailError extends Error {
  declare readonly results: TrailResult[];
  /** Templates that could not be checked (CloudFormation would reject them, or an acknowledgement has no reason). */
  declare readonly inputErrors: InputErrorRecord[];

  constructor(results: TrailResult[], inputErrors: InputErrorRecord[], notes: ReadonlyMap<TrailResult, string[]> = new Map()) {
    super(describeFailure(results, inputErrors, notes));
    // The name and the data for tests, kept out of what Node prints for an uncaught error (not enumerable).
    Object.defineProperties(this, {
      name: { value: 'MultiRegionTrailError', writable: true, configurable: true },
      results: { value: results },
      inputErrors: { value: inputErrors },
    });
    // The report is the whole message: frames of CDK's synthesis would only bury it. Node prints an uncaught error
    // as its `stack`, in brackets unless a line starts with '    at' after the message — hence the stack is the
    // message alone (then Node looks from its start) and each trail has an `at:` line.
    this.stack = this.message;
  }
}

/** One finding in a line: what, and in which deployment. */
export function summarizeFinding(result: TrailResult): string {
  return result.when ? `${result.message} (when ${describeWhen(result.when)})` : result.message;
}

/** One finding as an annotation on its construct: what, in which deployment, and the CDK fix. */
export function describeFinding(result: TrailResult): string {
  const summary = `[${result.ruleId}] ${summarizeFinding(result)}`;
  if (result.suppression) return `${summary}; acknowledged (${result.suppression.id}): ${result.suppression.reason}`;
  return result.status === 'fail' || result.status === 'unknown' ? `${summary}; fix: ${cdkFix(result.ruleId)}` : summary;
}

function describeFailure(results: TrailResult[], errors: InputErrorRecord[], notes: ReadonlyMap<TrailResult, string[]>): string {
  const lines: string[] = [];
  const rules = [...new Set(results.map((result) => result.ruleId))].map(ruleOf);
  for (const rule of rules) lines.push(`cfn-trail-lint: ${headline(rule, results.filter((result) => result.ruleId === rule.id).length)} (${rule.id})`);
  for (const result of results) {
    const createdAt = result.line > 0 ? `${result.file}:${result.line}${result.column > 0 ? `:${result.column}` : ''}, ` : '';
    lines.push('', `  ✗ ${result.constructPath ?? result.logicalId}`, `    at: ${createdAt}stack ${result.stack}, logical ID ${result.logicalId}`);
    lines.push(`    ${result.message}`);
    if (result.when) lines.push(`    when: ${describeWhen(result.when)}`);
    for (const step of result.because ?? []) lines.push(`    because: ${step}`);
    lines.push(`    fix: ${result.fix ?? cdkFix(result.ruleId)}`);
    for (const note of notes.get(result) ?? []) lines.push(`    note: ${note}`);
  }
  if (errors.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(`cfn-trail-lint: ${errors.length === 1 ? 'a stack' : `${errors.length} stacks`} could not be checked:`);
    for (const error of errors) lines.push(`  ✗ ${error.message.includes(error.file) ? error.message : `${error.file}: ${error.message}`} (${error.code})`);
  }
  if (rules.length > 0) lines.push('');
  for (const { id, shortNoun, waiver } of rules) {
    const call = `acknowledge(${shortNoun}, '<why>'${id === DEFAULT_RULE_IDS[0] ? '' : `, '${id}'`})`;
    lines.push(`A ${shortNoun} that may ${waiver}: ${call} (from 'cfn-trail-lint/cdk'), or Validations.of(${shortNoun}).acknowledge({ id: '${id}', reason: '<why>' })`);
  }
  return lines.join('\n');
}

/** What a rule's findings amount to, in the rule's words: resources for a property rule, accounts for a set rule. */
function headline(rule: Rule, count: number): string {
  if (rule.kind === 'set') return `${count === 1 ? '1 account' : `${count} accounts`} in this app would lack ${rule.subject}`;
  return `${count} ${count === 1 ? rule.noun : rule.nounPlural} in this app would not ${rule.requirement}`;
}

/** The registered rule a finding names. */
export function ruleOf(ruleId: string): Rule {
  const rule = ALL_RULES.find((candidate) => candidate.id === ruleId);
  if (!rule) throw new Error(`cfn-trail-lint: a finding of rule ${ruleId}, which is not registered`);
  return rule;
}

export function cdkFix(ruleId: string): string {
  return ruleOf(ruleId).remediation.cdk;
}
