/** The outcome of checking one resolved property value. */
export type PropertyCheck = { compliant: true } | { compliant: false; problem: string };

/** A property value as the deployed resource receives it: `present: false` when unset or removed by AWS::NoValue. */
export type PropertyValue = { present: false } | { present: true; value: unknown };

/**
 * A rule of the form "every resource of this type has this property with a compliant value". It holds
 * metadata and a pure check of one resolved value; the engine resolves the value in every deployment.
 */
export interface PropertyRule {
  id: string;
  title: string;
  description: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  /** The same control in other tools; their suppression IDs are honoured too. */
  aliases: string[];
  frameworks: string[];
  remediation: { cloudformation: string; cdk: string; terraform: string; awsCli: string };
  /** A one-line fix shown with each finding. */
  fix: string;
  docsUrl: string;
  resourceType: string;
  /** The property the rule is about: findings point at it. */
  property: string;
  /** Other properties the check reads (CloudTrail refuses some combinations). */
  relatedProperties?: string[];
  /**
   * The strings at which the check may change its answer: an input whose value is a checked property is tried
   * with each of them, and any other string gets the answer a fresh one gets.
   */
  significantValues: readonly string[];
  /** What the resource is called in messages ("CloudTrail trail"). */
  noun: string;
  /** What a compliant resource does, and what a non-compliant one does instead, for messages. */
  compliantBehaviour: string;
  violationBehaviour: string;
  /** `value` is `property`'s value; `values` holds it and every related property's, by name. */
  check(value: PropertyValue, values?: Readonly<Record<string, PropertyValue>>): PropertyCheck;
}
