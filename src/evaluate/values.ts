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

/** How CloudFormation compares scalars in Fn::Equals and how parameter values are written: as strings. */
export function stringForm(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value, (_key, item) => (typeof item === 'object' ? item : stringForm(item)));
  return String(value);
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isUnknown(a) || isUnknown(b) || a === NO_VALUE || b === NO_VALUE) return false;
  return stringForm(a) === stringForm(b);
}
