/** `Ref: AWS::NoValue`: the property is removed, as if never written. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** A value that the template alone cannot tell (SSM parameter, GetAtt, macro…), with the reason why. */
export class Unknown {
  constructor(readonly reason: string) {}
}

/** This deployment would be rejected by CloudFormation (a FindInMap key that is missing, an index out of range). */
export class DeployFailure extends Error {}

/**
 * A plain YAML scalar that YAML 1.1 and YAML 1.2 read differently (`yes`, `off`, `y`, `0777`, `0x1F`, `1_000`,
 * `1:30`). CloudFormation reads YAML 1.1 but does not document which reading it applies to each form, so the
 * evaluator counts every reading (each is a choice a deployment may meet). `readings` are distinct in their
 * string form; `text` is the scalar as written.
 */
export class AmbiguousScalar {
  constructor(
    readonly text: string,
    readonly readings: readonly unknown[],
  ) {}
}

export function isAmbiguous(value: unknown): value is AmbiguousScalar {
  return value instanceof AmbiguousScalar;
}

export type Value = unknown;

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/**
 * A member of a template mapping, only if the mapping itself holds it: template names are data, and
 * `valueOf`, `constructor` or `__proto__` must not find Object.prototype.
 */
export function own(container: unknown, key: string): unknown {
  return container !== null && typeof container === 'object' && Object.prototype.hasOwnProperty.call(container, key)
    ? (container as Record<string, unknown>)[key]
    : undefined;
}

export function hasOwn(container: unknown, key: string): boolean {
  return container !== null && typeof container === 'object' && Object.prototype.hasOwnProperty.call(container, key);
}

/** The text a name is written with (a Ref, a Condition name): a YAML `Off` names `Off`, whatever it reads as. */
export function nameText(value: unknown): string {
  return value instanceof AmbiguousScalar ? value.text : String(value);
}

/**
 * How CloudFormation compares scalars in Fn::Equals and how parameter values are written: as strings.
 * `charge` is called once per node and per 64 characters written: a caller with a budget stops a value
 * that YAML aliases make huge before it is built.
 */
export function stringForm(value: unknown, charge: (units: number) => void = () => {}): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (value instanceof AmbiguousScalar) return value.text;
  const parts: string[] = [];
  serialize(value, parts, charge);
  return parts.join('');
}

function serialize(value: unknown, out: string[], charge: (units: number) => void): void {
  charge(1);
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, index) => {
      if (index > 0) out.push(',');
      serialize(item, out, charge);
    });
    out.push(']');
  } else if (value !== null && typeof value === 'object' && !(value instanceof AmbiguousScalar)) {
    out.push('{');
    Object.keys(value).forEach((key, index) => {
      if (index > 0) out.push(',');
      out.push(JSON.stringify(key), ':');
      serialize((value as Record<string, unknown>)[key], out, charge);
    });
    out.push('}');
  } else {
    const text = JSON.stringify(stringForm(value));
    charge(text.length >> 6);
    out.push(text);
  }
}

export function sameValue(a: unknown, b: unknown, charge?: (units: number) => void): boolean {
  if (a === b) return true;
  if (isUnknown(a) || isUnknown(b) || a === NO_VALUE || b === NO_VALUE) return false;
  return stringForm(a, charge) === stringForm(b, charge);
}
