import type { Decision } from './evaluate/decide';
import type { InputSpec } from './evaluate/inputs';
import { isObject, type TemplateModel } from './evaluate/model';
import { renderExpression } from './evaluate/render';
import type { PropertyRule } from './rule';
import type { TemplatePath } from './types';

/**
 * The `because` chain of a finding: the property, the resource's Condition, the conditions, mappings and
 * inputs it depends on, one step a line with its source line — so a reader sees why without the template.
 */
export function explainDecision(
  decision: Decision,
  model: TemplateModel,
  logicalId: string,
  rule: Pick<PropertyRule, 'property' | 'whenUnset'>,
  lineOf: (path: TemplatePath) => number | undefined,
  /** Why a parameter with a Default is free: `--strict`, unless its parent replaces the Default. */
  replacedDefaults: ReadonlySet<string> = new Set(),
  /** A nested template: its parameters' values come from the parent resource, not from the deployer. */
  passedByParent = false,
): string[] {
  const at = (path: TemplatePath) => {
    const line = lineOf(path);
    return line === undefined ? '' : ` (line ${line})`;
  };
  const { property } = rule;
  const resource = model.resources[logicalId] as Record<string, unknown>;
  const properties = resource.Properties;
  const steps: string[] = [];
  if (isObject(properties) && Object.hasOwn(properties, property)) {
    steps.push(`${property}: ${renderExpression(properties[property])}${at(['Resources', logicalId, 'Properties', property])}`);
  } else if (isObject(properties) && Object.keys(properties).some((key) => key.startsWith('Fn::'))) {
    steps.push(`Properties: ${renderExpression(properties)}${at(['Resources', logicalId, 'Properties'])}`);
  } else {
    steps.push(`${property}: not set; ${rule.whenUnset}${at(['Resources', logicalId])}`);
  }
  if (typeof resource.Condition === 'string') {
    steps.push(`Condition: ${resource.Condition}${at(['Resources', logicalId, 'Condition'])}`);
  }
  for (const name of decision.dependencies.conditions) {
    steps.push(`${name}: ${renderExpression(model.conditions[name])}${at(['Conditions', name])}`);
  }
  for (const name of decision.dependencies.mappings) {
    const keys = Object.keys((Object.hasOwn(model.mappings, name) ? model.mappings[name] : {}) as object);
    steps.push(`${name}: mapping with keys ${renderList(keys)}${at(['Mappings', name])}`);
  }
  for (const [name, spec] of decision.inputs) steps.push(describeInput(name, spec, model, at, replacedDefaults, passedByParent));
  for (const reading of decision.readings ?? []) steps.push(`YAML ${reading} (YAML 1.1 and 1.2 read it differently; both readings count)`);
  // Reasons an input already explains (an SSM parameter, say) are not repeated.
  const said = steps.join('\n');
  if (decision.status === 'unknown' || decision.status === 'skip') steps.push(...decision.reasons.filter((reason) => !said.includes(reason)));
  return steps;
}

function describeInput(name: string, spec: InputSpec, model: TemplateModel, at: (path: TemplatePath) => string, replacedDefaults: ReadonlySet<string>, passedByParent: boolean): string {
  const parameter = model.parameters.get(name);
  const shown = (value: string | string[]) => (Array.isArray(value) ? value.join(',') : value);
  if (!parameter) {
    if (spec.kind === 'fixed') return `${name}: ${shown(spec.value)} (given)`;
    return spec.kind === 'free' ? `${name}: ${spec.domain.description}` : `${name}: ${spec.reason}`;
  }
  const where = at(['Parameters', name]);
  if (spec.kind === 'external') return `${name}: type ${parameter.type}, read at deploy time${where}`;
  if (spec.kind === 'fixed' && spec.origin === 'given') return `${name}: ${shown(spec.value)} (${passedByParent ? 'passed by the parent stack' : 'given'})`;
  if (spec.kind === 'fixed') return `${name}: Default ${renderExpression(shown(spec.value))}${where}`;
  const unused = replacedDefaults.has(name) ? 'replaced by a value the parent computes' : 'not fixed under --strict';
  const origin = spec.note ?? (parameter.default === undefined ? 'no Default' : `Default ${renderExpression(parameter.default)} ${unused}`);
  const allowed = parameter.allowedValues ? `AllowedValues ${renderList(parameter.allowedValues)}` : spec.domain.description;
  return `${name}: ${origin}; ${allowed}${where}`;
}

function renderList(values: string[]): string {
  const shown = values.slice(0, 8).map((value) => renderExpression(value));
  return `[${shown.join(', ')}${values.length > 8 ? `, … ${values.length - 8} more` : ''}]`;
}
