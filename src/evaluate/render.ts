import { isObject } from './model';

const MAX_RENDERED = 140;

/** An expression as a person would write it in YAML short form: `!If [IsProd, true, false]`. */
export function renderExpression(expression: unknown): string {
  const text = render(expression);
  return text.length > MAX_RENDERED ? `${text.slice(0, MAX_RENDERED - 1)}…` : text;
}

function render(value: unknown): string {
  if (typeof value === 'string') return renderString(value);
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (!isObject(value)) return String(value);
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'))) {
    const tag = `!${keys[0].replace(/^Fn::/, '')}`;
    const argument = value[keys[0]];
    if (tag === '!GetAtt' && Array.isArray(argument)) return `${tag} ${argument.map(String).join('.')}`;
    return `${tag} ${render(argument)}`;
  }
  return `{${keys.map((key) => `${key}: ${render(value[key])}`).join(', ')}}`;
}

function renderString(text: string): string {
  const plain = /^[A-Za-z0-9_./:@${}-][A-Za-z0-9_ ./:@${}-]*$/.test(text) && !/^(true|false|null|~|-?\d+(\.\d+)?)$/i.test(text);
  return plain && !text.endsWith(' ') ? text : JSON.stringify(text);
}
