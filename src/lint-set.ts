// Set rules (rules over the resources several templates deploy together, such as the account-level trail
// control) run after every template of a run is read: templates are grouped (by account in a cloud assembly),
// each template is decided on its own, and the group gets one result.
import * as path from 'node:path';
import { SET_RULES } from '../rules';
import type { Analyzer } from './evaluate/analyze';
import { decideSet } from './evaluate/decide-set';
import type { InputOptions } from './evaluate/inputs';
import type { RunBudget } from './evaluate/intrinsics';
import type { TemplateModel } from './evaluate/model';
import { own } from './evaluate/values';
import type { SetRule } from './rule';
import { findSuppression } from './suppressions';
import type { LintOptions, TemplatePath, TrailResult } from './types';

/** One template of a run as the set rules need it: its model and how to locate and name things in it. */
export interface JudgedTemplate {
  model: TemplateModel;
  analyzer: Analyzer;
  inputs: InputOptions;
  file: string;
  locate(at: TemplatePath): { line: number; column: number };
  stack?: string;
  /** `aws://ACCOUNT/REGION` of a cloud assembly's stack; plain templates have none. */
  environment?: string;
  acknowledgements?: Record<string, { id: string; reason: string }[]>;
  /** Parts of the template that could not be read (a remote nested stack, a loop that cannot be expanded). */
  unread: string[];
}

/** The set rules a run applies: those `options.rules` names (none by default). */
export function selectedSetRules(options: LintOptions): SetRule[] {
  return SET_RULES.filter((rule) => options.rules?.includes(rule.id));
}

export function judgeSetRules(templates: JudgedTemplate[], options: LintOptions, budget: RunBudget): TrailResult[] {
  const results: TrailResult[] = [];
  for (const rule of selectedSetRules(options)) {
    for (const [group, members] of groupByAccount(templates)) results.push(judgeGroup(rule, group, members, budget));
  }
  return results;
}

/** A cloud assembly's stacks by the account of their environment; plain templates form one group. */
function groupByAccount(templates: JudgedTemplate[]): Map<string, JudgedTemplate[]> {
  const groups = new Map<string, JudgedTemplate[]>();
  for (const template of templates) {
    const account = template.environment === undefined ? 'templates' : accountOf(template.environment);
    const members = groups.get(account);
    if (members) members.push(template);
    else groups.set(account, [template]);
  }
  return groups;
}

function accountOf(environment: string): string {
  const match = /^aws:\/\/([^/]+)\//.exec(environment);
  const account = match?.[1];
  return account === undefined || account === 'unknown-account' || account.startsWith('${') ? 'account unknown-account' : `account ${account}`;
}

function judgeGroup(rule: SetRule, group: string, members: JudgedTemplate[], budget: RunBudget): TrailResult {
  const decisions = members.map((member) => ({ member, decision: decideSet(member.model, member.analyzer, rule, member.inputs, budget) }));
  const environments = [...new Set(members.map((member) => member.environment).filter((environment) => environment !== undefined))];
  const where = group === 'templates' ? `the ${members.length} template${members.length === 1 ? '' : 's'} linted together` : `${group}${environments.length > 0 ? ` (${environments.join(', ')})` : ''}`;
  const base = { ruleId: rule.id, group };

  const passing = decisions.find(({ decision }) => decision.status === 'pass');
  if (passing && passing.decision.status === 'pass') {
    const { member, decision } = passing;
    const names = decision.qualifying.map((resource) => resource.logicalId);
    const notes = decision.qualifying.flatMap((resource) => (resource.note ? [`${resource.logicalId}: ${resource.note}`] : []));
    return {
      ...base,
      status: 'pass',
      ...located(member, names[0] ?? ''),
      message: `${where}: ${names.join(' or ')} ${names.length > 1 ? 'are' : 'is'} ${rule.subject} in every deployment${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
    };
  }
  const unread = members.flatMap((member) => member.unread.map((reason) => `${member.file}: ${reason}`));
  const unknown = decisions.filter(({ decision }) => decision.status === 'unknown');
  const anchor = decisions.find(({ decision }) => decision.status !== 'pass') ?? decisions[0];
  let result: TrailResult;
  if (unknown.length > 0 || unread.length > 0) {
    const reasons = [
      ...unread,
      ...unknown.flatMap(({ member, decision }) => (decision.status === 'unknown' ? decision.reasons.map((reason) => `${member.file}: ${reason}`) : [])),
    ];
    const at = unknown[0]?.member ?? anchor.member;
    result = {
      ...base,
      status: 'unknown',
      ...located(at, firstOfType(at, rule.resourceType) ?? ''),
      message: `${where}: cannot tell whether ${rule.subject} exists in every deployment: ${reasons[0]}`,
      because: reasons,
      fix: rule.fix,
    };
  } else {
    const when: Record<string, string> = {};
    const because: string[] = [];
    for (const { member, decision } of decisions) {
      if (decision.status !== 'fail') continue;
      for (const [name, value] of Object.entries(decision.when)) {
        Object.defineProperty(when, members.length > 1 ? `${member.file}: ${name}` : name, { value, enumerable: true, writable: true, configurable: true });
      }
      if (decision.lacks.size === 0) because.push(`${member.file}: creates no ${rule.noun}`);
      for (const [logicalId, lacks] of decision.lacks) because.push(`${member.file}:${member.locate(['Resources', logicalId]).line} ${logicalId}: ${lacks}`);
      for (const reading of decision.readings) because.push(`${member.file}: YAML ${reading}`);
    }
    const at = anchor.member;
    result = {
      ...base,
      status: 'fail',
      ...located(at, firstOfType(at, rule.resourceType) ?? ''),
      message: `${where}: some deployment lacks ${rule.subject}`,
      ...(Object.keys(when).length > 0 && { when }),
      because,
      fix: rule.fix,
    };
  }
  return suppressed(rule, members, result);
}

/** A suppression of the rule on any resource of its type in the group covers the group's finding. */
function suppressed(rule: SetRule, members: JudgedTemplate[], result: TrailResult): TrailResult {
  for (const member of members) {
    for (const logicalId of member.model.idsByType.get(rule.resourceType) ?? []) {
      const resource = own(member.model.resources, logicalId) as Record<string, unknown>;
      const lookup = findSuppression(resource, logicalId, [rule.id, ...rule.aliases], member.acknowledgements?.[logicalId]);
      if (lookup.suppression) return { ...result, status: 'suppressed', suppression: lookup.suppression };
    }
  }
  return result;
}

function firstOfType(member: JudgedTemplate, type: string): string | undefined {
  return member.model.idsByType.get(type)?.[0];
}

function located(member: JudgedTemplate, logicalId: string): Pick<TrailResult, 'file' | 'logicalId' | 'line' | 'column' | 'stack'> {
  const position = logicalId === '' ? { line: 1, column: 1 } : member.locate(['Resources', logicalId]);
  return { file: member.file, logicalId: logicalId === '' ? path.basename(member.file) : logicalId, ...position, ...(member.stack !== undefined && { stack: member.stack }) };
}

