import { isObject } from './model';
import { AmbiguousScalar } from './values';

const MAX_RENDERED = 140;

/** An expression as a person would write it in YAML short form: `!If [IsProd, true, false]`. */
export function renderExpression(expression: unknown): string {
  const text = render(expression, { left: MAX_RENDERED });
  return text.length > MAX_RENDERED ? `${text.slice(0, MAX_RENDERED - 1)}…` : text;
}

// `budget` stops the walk once enough is written: YAML aliases can make a short text a huge value.
function render(value: unknown, budget: { left: number }): string {
  if (budget.left <= 0) return '…';
  const text = renderNode(value, budget);
  budget.left -= text.length;
  return text;
}

function renderNode(value: unknown, budget: { left: number }): string {
  if (value instanceof AmbiguousScalar) return value.text;
  if (typeof value === 'string') return renderString(value);
  if (Array.isArray(value)) return `[${value.map((item) => render(item, budget)).join(', ')}]`;
  if (!isObject(value)) return String(value);
  const name = intrinsicName(value);
  if (name) {
    const tag = `!${name.replace(/^Fn::/, '')}`;
    const argument = value[name];
    if (tag === '!GetAtt' && Array.isArray(argument)) return `${tag} ${argument.map(String).join('.')}`;
    // One YAML node carries one tag: an intrinsic directly inside another is written in long form.
    return `${tag} ${intrinsicName(argument) ? renderLongForm(argument as Record<string, unknown>, budget) : render(argument, budget)}`;
  }
  return renderLongForm(value, budget);
}

function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::')) ? keys[0] : undefined;
}

function renderLongForm(value: Record<string, unknown>, budget: { left: number }): string {
  return `{${Object.keys(value).map((key) => `${key}: ${render(value[key], budget)}`).join(', ')}}`;
}

function renderString(whole: string): string {
  // Only the start is ever shown (MAX_RENDERED): a string of megabytes is not scanned or copied whole.
  const text = whole.length > MAX_RENDERED ? `${whole.slice(0, MAX_RENDERED)}…` : whole;
  const plain = /^[A-Za-z0-9_./:@${}-][A-Za-z0-9_ ./:@${}-]*$/.test(text) && !/^(true|false|null|~|-?\d+(\.\d+)?)$/i.test(text);
  return plain && !text.endsWith(' ') ? text : JSON.stringify(text);
}
