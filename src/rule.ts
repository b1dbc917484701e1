/** The outcome of checking one resolved property value. */
export type PropertyCheck = { compliant: true } | { compliant: false; problem: string };

/** A property value as the deployed resource receives it: `present: false` when unset or removed by AWS::NoValue. */
export type PropertyValue = { present: false } | { present: true; value: unknown };

/** What every rule carries, whatever it checks: how it is named, described, mapped and fixed. */
export interface RuleMetadata {
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
  /** The resources the rule reads. */
  resourceType: string;
  /** What the resource is called in messages ("CloudTrail trail"), and more than one of them ("CloudTrail trails"). */
  noun: string;
  nounPlural: string;
  /** What a short hint calls one resource, in prose and as a variable in code ("trail": `acknowledge(trail, …)`). */
  shortNoun: string;
  /**
   * What acknowledging a finding lets the resource do, after "may" ("log one Region"): a missing reason is answered
   * with "say why the trail may log one Region".
   */
  waiver: string;
}

/**
 * A rule of the form "every resource of this type has this property with a compliant value". It holds
 * metadata and a pure check of one resolved value; the engine resolves the value in every deployment.
 */
export interface PropertyRule extends RuleMetadata {
  kind: 'property';
  /** The property the rule is about: findings point at it. */
  property: string;
  /** Other properties the check reads (CloudTrail refuses some combinations). */
  relatedProperties?: string[];
  /**
   * The strings at which the check may change its answer: an input whose value is a checked property is tried
   * with each of them, and any other string gets the answer a fresh one gets.
   */
  significantValues: readonly string[];
  /** What a compliant resource does, and what a non-compliant one does instead, for messages. */
  compliantBehaviour: string;
  violationBehaviour: string;
  /** What every resource must do, after "would not" ("log every Region"): the CDK door's headline. */
  requirement: string;
  /** What an unset property means, after "not set; " ("CloudFormation's default is false"), in a finding's reasons. */
  whenUnset: string;
  /** `value` is `property`'s value; `values` holds it and every related property's, by name. */
  check(value: PropertyValue, values?: Readonly<Record<string, PropertyValue>>): PropertyCheck;
}

/** Whether one resource qualifies for a set rule, from its properties' values; or what it lacks. */
export type Qualification = { qualifies: true; note?: string } | { qualifies: false; lacks: string };

/**
 * A rule of the form "among the resources a set of templates deploys together, at least one of this type
 * qualifies" (the account-level controls: CIS 3.1, Security Hub CloudTrail.1). The engine groups the templates,
 * evaluates every deployment of each, and asks `qualifies` of every resource a deployment creates.
 */
export interface SetRule extends RuleMetadata {
  kind: 'set';
  /** The properties `qualifies` reads. */
  properties: string[];
  /** The strings at which `qualifies` may change its answer, wherever an input reaches a property. */
  significantValues: readonly string[];
  qualifies(values: Readonly<Record<string, PropertyValue>>): Qualification;
  /** What a group with no qualifying resource lacks, for messages ("a multi-Region trail that logs all management events"). */
  subject: string;
}

export type Rule = PropertyRule | SetRule;
