// Parameter values a deployment is given — by `--parameters` flags, a parameters file, a config file or the CDK
// Aspect's options — read the way the AWS CLI and CodePipeline read them. Plain data in, plain data out: no
// file access here (callers read the file through the loader), and names are data (`__proto__` is a name).

import { Code, type ErrorCode } from './codes';

/** Values by parameter name; `previous` names the parameters that keep the value the stack has now. */
export interface GivenParameters {
  values: Record<string, string>;
  previous: string[];
}

/** A parameters input that cannot be read: the message names what is wrong. */
export class ParametersError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `--parameters` flags: `Key=Value`, or the AWS CLI's shorthand `ParameterKey=K,ParameterValue=V` in either order,
 * or `ParameterKey=K,UsePreviousValue=true`. Later flags win.
 */
export function parseParameterFlags(flags: readonly string[]): GivenParameters {
  const values = new Map<string, string>();
  const previous = new Set<string>();
  for (const flag of flags) {
    if (/^(ParameterKey|ParameterValue|UsePreviousValue)=/.test(flag)) {
      const entry = shorthandEntry(flag);
      setEntry(entry, values, previous, { name: `--parameters ${flag}`, code: Code.ParameterFlagInvalid });
      continue;
    }
    const plain = /^([^=]+)=(.*)$/s.exec(flag);
    if (!plain) throw new ParametersError(Code.ParameterFlagInvalid, `--parameters takes Key=Value or ParameterKey=K,ParameterValue=V, got '${flag}'`);
    values.set(plain[1], plain[2]);
    previous.delete(plain[1]);
  }
  return given(values, previous);
}

/** The AWS CLI shorthand: comma-separated `Name=value` pairs; the value of ParameterValue runs to the end if last. */
function shorthandEntry(flag: string): Record<string, unknown> {
  const entry = new Map<string, string>();
  const pattern = /(ParameterKey|ParameterValue|UsePreviousValue|ResolvedValue)=/g;
  const starts = [...flag.matchAll(pattern)];
  if (starts.length === 0 || starts[0].index !== 0) throw new ParametersError(Code.ParameterFlagInvalid, `--parameters: cannot read '${flag}'`);
  starts.forEach((match, index) => {
    const end = index + 1 < starts.length ? starts[index + 1].index! - 1 : flag.length;
    if (index + 1 < starts.length && flag[end] !== ',') throw new ParametersError(Code.ParameterFlagInvalid, `--parameters: cannot read '${flag}'`);
    if (entry.has(match[1])) throw new ParametersError(Code.ParameterFlagInvalid, `--parameters: ${match[1]} is given twice in '${flag}'`);
    entry.set(match[1], flag.slice(match.index! + match[0].length, end));
  });
  const record = Object.fromEntries(entry) as Record<string, unknown>;
  if (record.UsePreviousValue !== undefined) record.UsePreviousValue = record.UsePreviousValue === 'true';
  return record;
}

/**
 * A parameters document: CloudFormation's `[{ParameterKey, ParameterValue | UsePreviousValue}]`, CodePipeline's
 * template configuration `{"Parameters": {…}}`, or a plain `{"Key": "Value"}`. `source` names it in messages.
 */
export function parametersFromDocument(body: unknown, source: string): GivenParameters {
  const values = new Map<string, string>();
  const previous = new Set<string>();
  const from: Source = { name: source, code: Code.ParametersFileInvalid };
  if (Array.isArray(body)) {
    for (const entry of body) setEntry(entry, values, previous, from);
    return given(values, previous);
  }
  if (body === null || typeof body !== 'object') throw new ParametersError(Code.ParametersFileInvalid, `${source}: expected a list or a mapping of parameters`);
  const document = body as Record<string, unknown>;
  // CodePipeline's template configuration file keeps parameters under "Parameters", beside Tags and StackPolicy.
  const nested = Object.prototype.hasOwnProperty.call(document, 'Parameters') ? document.Parameters : undefined;
  const entries = nested !== null && typeof nested === 'object' && !Array.isArray(nested) ? (nested as Record<string, unknown>) : document;
  for (const [key, value] of Object.entries(entries)) values.set(key, scalar(value, key, from));
  return given(values, previous);
}

/** Where entries come from: its name leads the messages; the code says whether a flag or a file is wrong. */
interface Source {
  name: string;
  code: ErrorCode;
}

function setEntry(entry: unknown, values: Map<string, string>, previous: Set<string>, source: Source): void {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new ParametersError(source.code, `${source.name}: every entry needs ParameterKey and ParameterValue`);
  const record = entry as Record<string, unknown>;
  const key = Object.prototype.hasOwnProperty.call(record, 'ParameterKey') ? record.ParameterKey : undefined;
  if (typeof key !== 'string' || key === '') throw new ParametersError(source.code, `${source.name}: every entry needs ParameterKey and ParameterValue`);
  const has = (name: string) => Object.prototype.hasOwnProperty.call(record, name);
  if (has('UsePreviousValue') && record.UsePreviousValue === true) {
    if (has('ParameterValue')) throw new ParametersError(source.code, `${source.name}: parameter ${key} has both ParameterValue and UsePreviousValue`);
    values.delete(key);
    previous.add(key);
    return;
  }
  if (!has('ParameterValue')) throw new ParametersError(source.code, `${source.name}: parameter ${key} needs ParameterValue (or UsePreviousValue: true)`);
  values.set(key, scalar(record.ParameterValue, key, source));
  previous.delete(key);
}

function scalar(value: unknown, key: string, source: Source): string {
  if (value === null || typeof value === 'object') throw new ParametersError(source.code, `${source.name}: parameter ${key} must be a string, number or boolean`);
  return String(value);
}

function given(values: Map<string, string>, previous: Set<string>): GivenParameters {
  return { values: Object.fromEntries(values), previous: [...previous] };
}

/** `later` wins over `earlier`, name by name. */
export function mergeParameters(earlier: GivenParameters, later: GivenParameters): GivenParameters {
  const values = new Map(Object.entries(earlier.values));
  const previous = new Set(earlier.previous);
  for (const [key, value] of Object.entries(later.values)) {
    values.set(key, value);
    previous.delete(key);
  }
  for (const key of later.previous) {
    values.delete(key);
    previous.add(key);
  }
  return given(values, previous);
}
