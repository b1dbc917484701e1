import { Code, type ErrorCode } from './codes';
import { isObject } from './evaluate/model';
import type { TemplatePath } from './types';

export interface Suppression {
  id: string;
  reason: string;
  /** Where it was written: `cfn-trail-lint`, `checkov` or `cdk` (Validations.of(…).acknowledge). */
  source: 'cfn-trail-lint' | 'checkov' | 'cdk';
}

export type SuppressionLookup = { suppression?: Suppression; error?: { code: ErrorCode; message: string; path: TemplatePath } };

/**
 * Finds a suppression of a rule on one resource: our own Metadata (`cfn-trail-lint.suppress[{id, reason}]`),
 * Checkov's (`checkov.skip[{id, comment}]`, with any of the rule's aliases), or a CDK acknowledgement.
 * A suppression without a reason is an error: a silenced finding must say why.
 */
export function findSuppression(
  resource: Record<string, unknown>,
  logicalId: string,
  ruleIds: readonly string[],
  acknowledgements: { id: string; reason: string }[] = [],
): SuppressionLookup {
  const metadata = isObject(resource.Metadata) ? resource.Metadata : {};
  const sources = [
    { source: 'cfn-trail-lint', list: isObject(metadata['cfn-trail-lint']) ? metadata['cfn-trail-lint'].suppress : undefined, reasonKey: 'reason', key: ['cfn-trail-lint', 'suppress'] },
    { source: 'checkov', list: isObject(metadata.checkov) ? metadata.checkov.skip : undefined, reasonKey: 'comment', key: ['checkov', 'skip'] },
  ] as const;
  for (const { source, list, reasonKey, key } of sources) {
    if (list === undefined) continue;
    const path = ['Resources', logicalId, 'Metadata', ...key];
    if (!Array.isArray(list)) return { error: { code: Code.SuppressionInvalid, message: `Metadata ${key.join('.')} must be a list of {id, ${reasonKey}}`, path } };
    for (const [index, entry] of list.entries()) {
      if (!isObject(entry) || !ruleIds.includes(String(entry.id))) continue;
      const reason = entry[reasonKey];
      if (typeof reason !== 'string' || reason.trim() === '') {
        return { error: { code: Code.SuppressionWithoutReason, message: `suppression of ${String(entry.id)} has no ${reasonKey}: say why the finding does not apply`, path: [...path, index] } };
      }
      return { suppression: { id: String(entry.id), reason, source } };
    }
  }
  for (const acknowledgement of acknowledgements) {
    const id = acknowledgement.id.replace(/^cfn-trail-lint::/, '');
    if (!ruleIds.includes(id)) continue;
    if (!acknowledgement.reason?.trim()) {
      return { error: { code: Code.AcknowledgementWithoutReason, message: `acknowledgement of ${acknowledgement.id} has no reason`, path: ['Resources', logicalId] } };
    }
    return { suppression: { id: acknowledgement.id, reason: acknowledgement.reason, source: 'cdk' } };
  }
  return {};
}
