import { AmbiguousScalar } from '../evaluate/values';

/**
 * What a plain (unquoted, untagged) YAML scalar is, as CloudFormation may read it. Both YAML readers type
 * plain scalars here, so they agree by construction.
 *
 * CloudFormation reads YAML 1.1 (User Guide, "Template formats"), but which reading it gives each form is not
 * documented. Where the YAML 1.2 core schema and the YAML 1.1 types (yaml.org/type: bool, int, float, null)
 * give values whose string forms differ, the scalar is an `AmbiguousScalar` holding both, the 1.2 reading
 * first:
 * - booleans: `y`, `yes`, `on`, `n`, `no`, `off` in their three spellings are strings in 1.2, booleans in 1.1;
 * - integers: 1.1's octal (`0777`, `010`, `00`), binary (`0b101`), sexagesimal (`1:30`), underscores
 *   (`1_000`), a sign (`+1`, `-0`) and hex (`0x1F`) read as their value, in 1.2 as written;
 * - floats: 1.1 writes its value back as Java's `Double.toString` does (`1.10` → "1.1", `.5` → "0.5",
 *   `1.` → "1.0", `1.5e+3` → "1500.0", `.inf` → "Infinity"); `1.0` stays "1.0", not ambiguous.
 * The 1.2 reading of a number keeps its source text as its string form: it is a JS number only where the
 * number prints as written (`1`, `1.5`), else the text itself (`1.0`, `1e3`, `01`). Timestamps are strings
 * (CloudFormation has no timestamp type); null and `true`/`false` read alike in both.
 */
export function resolvePlainScalar(text: string): unknown {
  const c = text.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || c === 0x2d /* - */ || c === 0x2b /* + */ || c === 0x2e /* . */) return resolveNumber(text);
  // Every keyword below has five characters or fewer: most words leave here, before a chain of comparisons.
  if (text.length > 5) return text;
  switch (text) {
    case '': case '~': case 'null': case 'Null': case 'NULL':
      return null;
    case 'true': case 'True': case 'TRUE':
      return true;
    case 'false': case 'False': case 'FALSE':
      return false;
    case 'y': case 'Y': case 'yes': case 'Yes': case 'YES': case 'on': case 'On': case 'ON':
      return new AmbiguousScalar(text, [text, true]);
    case 'n': case 'N': case 'no': case 'No': case 'NO': case 'off': case 'Off': case 'OFF':
      return new AmbiguousScalar(text, [text, false]);
  }
  return text;
}

/** A plain scalar that starts as a number may (a digit, a sign or a dot). */
function resolveNumber(text: string): unknown {
  // The common case, a plain decimal integer, reads alike everywhere.
  if (DECIMAL_INTEGER.test(text)) return Number(text);
  const reading12 = isCanonicalNumber(text) ? Number(text) : text;
  const form11 = yaml11NumberForm(text);
  if (form11 === undefined || form11 === text) return reading12;
  return new AmbiguousScalar(text, [reading12, numberWithForm(form11)]);
}

/** Could `resolvePlainScalar` give anything but the text itself? A first-character test, cheap to inline. */
export const MAY_BE_TYPED = (() => {
  const set = new Uint8Array(0x80);
  for (const ch of '~nNtTfFyYoO0123456789-+.') set[ch.charCodeAt(0)] = 1;
  return set;
})();

/** `0`, `42`, `-7`: YAML 1.1 and 1.2 read it as the same integer, and it prints as written. */
const DECIMAL_INTEGER = /^(?:0|-?[1-9][0-9]{0,14})$/;

/** Prints as written when read as a JS number (`1.5`, `1e+21`), so the number and the text are one. */
function isCanonicalNumber(text: string): boolean {
  return String(Number(text)) === text && text !== '-Infinity';
}

/** A value written as `form`: the JS number where it prints so, else the text (`1.0`, `1.0E7`, a big integer). */
function numberWithForm(form: string): unknown {
  return String(Number(form)) === form ? Number(form) : form;
}

// YAML 1.1's int and float (yaml.org/type/int.html, float.html). The float's fraction takes one dot and
// underscores, as PyYAML reads it (the spec's `[0-9.]*` would make `1.2.3` a float no reader can build).
const INT_11 = /^[-+]?(?:0b[01_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT_11 = /^[-+]?(?:(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?|[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|\.(?:inf|Inf|INF))$|^\.(?:nan|NaN|NAN)$/;

/** The string form of the YAML 1.1 reading of `text` when 1.1 reads a number there, else undefined. */
function yaml11NumberForm(text: string): string | undefined {
  if (INT_11.test(text)) return yaml11Integer(text)?.toString();
  if (FLOAT_11.test(text) && /[0-9]|inf|nan/i.test(text)) return javaDoubleString(yaml11Float(text));
  return undefined;
}

function yaml11Integer(text: string): bigint | undefined {
  const negative = text.startsWith('-');
  const digits = text.replace(/^[-+]/, '').replace(/_/g, '');
  let value: bigint;
  if (digits.includes(':')) {
    value = digits.split(':').reduce((sum, part) => sum * 60n + BigInt(part), 0n);
  } else if (digits.startsWith('0b') || digits.startsWith('0x')) {
    if (digits.length === 2) return undefined; // `0x_`: no digits, no number
    value = BigInt(digits);
  } else if (digits.length > 1 && digits.startsWith('0')) {
    value = BigInt(`0o${digits.slice(1)}`);
  } else {
    value = BigInt(digits === '' ? '0' : digits);
  }
  return negative ? -value : value;
}

function yaml11Float(text: string): number {
  const negative = text.startsWith('-');
  const body = text.replace(/^[-+]/, '').replace(/_/g, '').toLowerCase();
  let value: number;
  if (body === '.inf') value = Infinity;
  else if (body === '.nan') value = NaN;
  else if (body.includes(':')) value = body.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);
  else value = Number(body);
  return negative ? -value : value;
}

/** How Java prints a double (`Double.toString`): what a Java YAML 1.1 reader hands on as the float's text. */
function javaDoubleString(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}
