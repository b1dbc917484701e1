// Random CloudFormation templates for the property tests: 1–3 String parameters (with or without Default and
// AllowedValues), a Region-keyed mapping, 0–3 conditions over them and the Region, 1–3 trails whose
// IsMultiRegionTrail is a literal, absent, a Ref, a FindInMap keyed by the Region, or Fn::If up to two deep. The generator draws an abstract shape first and names things while building,
// so every Ref and Condition points at something defined, and a condition only uses conditions before it.
import fc from 'fast-check';
import type { Json, ParameterSpec, Template } from './oracle';

type ConditionShape =
  | { kind: 'equals-literal'; parameter: number; literal: number; literalFirst: boolean }
  | { kind: 'equals-refs'; parameter: number; other: number }
  | { kind: 'equals-region'; region: number }
  | { kind: 'condition'; index: number }
  | { kind: 'and' | 'or'; items: ConditionShape[] }
  | { kind: 'not'; item: ConditionShape };

type ValueShape =
  | { kind: 'literal'; literal: number }
  | { kind: 'region-map' }
  | { kind: 'ref'; parameter: number }
  | { kind: 'no-value' }
  | { kind: 'if'; condition: number; whenTrue: ValueShape; whenFalse: ValueShape };

interface ParameterShape {
  defaultIndex: number | null;
  allowedValues: string[] | null;
  /** Write "true", "false" and "1" as YAML/JSON scalars (`Default: true`): CloudFormation reads them as strings. */
  unquoted: boolean;
}

interface TemplateShape {
  parameters: ParameterShape[];
  /** A Region-keyed mapping `RegionMap` (Region → {Multi: literal}); `!FindInMap [RegionMap, !Ref AWS::Region, Multi]`. */
  regionMap: number[];
  conditions: ConditionShape[];
  /** Name the first condition like the first parameter (`Condition:` names the condition, `Ref` the parameter). */
  conditionSharesParameterName: boolean;
  trails: { condition: number | null; value: ValueShape | null }[];
}

const PARAMETER_VALUES = ['a', 'b', 'true', 'false', 'True', '1'];
const EQUALS_LITERALS: Json[] = ['a', 'b', 'true', 'false', 'c', true, false, 1, 'True'];
const PROPERTY_LITERALS: Json[] = [true, false, 'true', 'yes', 'True', 'TRUE', 'false', 1];
const UNQUOTED: Record<string, boolean | number> = { true: true, false: false, '1': 1 };
const PARAMETER_NAMES = ['Env', 'Mode', 'Flag'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];
const CONDITION_NAMES = ['IsFirst', 'IsSecond', 'IsThird'];

const small = fc.nat({ max: 9 });

function conditionShape(depth: number): fc.Arbitrary<ConditionShape> {
  const leaf = fc.oneof(
    fc.record({ kind: fc.constant('equals-literal' as const), parameter: small, literal: small, literalFirst: fc.boolean() }),
    fc.record({ kind: fc.constant('equals-refs' as const), parameter: small, other: small }),
    fc.record({ kind: fc.constant('equals-region' as const), region: small }),
    fc.record({ kind: fc.constant('condition' as const), index: small }),
  );
  if (depth === 0) return leaf;
  const inner = conditionShape(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 2 },
    { arbitrary: fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), items: fc.array(inner, { minLength: 2, maxLength: 3 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('not' as const), item: inner }), weight: 1 },
  );
}

function valueShape(depth: number): fc.Arbitrary<ValueShape> {
  const leaf = fc.oneof(
    fc.record({ kind: fc.constant('literal' as const), literal: small }),
    fc.record({ kind: fc.constant('ref' as const), parameter: small }),
    fc.record({ kind: fc.constant('no-value' as const) }),
    fc.record({ kind: fc.constant('region-map' as const) }),
  );
  if (depth === 0) return leaf;
  const inner = valueShape(depth - 1);
  return fc.oneof(leaf, fc.record({ kind: fc.constant('if' as const), condition: small, whenTrue: inner, whenFalse: inner }));
}

const templateShape: fc.Arbitrary<TemplateShape> = fc.record({
  parameters: fc.array(
    fc.record({
      defaultIndex: fc.option(small),
      allowedValues: fc.option(fc.subarray(PARAMETER_VALUES, { minLength: 1, maxLength: 3 })),
      unquoted: fc.boolean(),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  regionMap: fc.array(small, { maxLength: REGIONS.length }),
  conditions: fc.array(conditionShape(2), { maxLength: 3 }),
  conditionSharesParameterName: fc.boolean(),
  trails: fc.array(fc.record({ condition: fc.option(small), value: fc.option(valueShape(2)) }), { minLength: 1, maxLength: 3 }),
});

function buildTemplate(shape: TemplateShape): Template {
  const parameterNames = PARAMETER_NAMES.slice(0, shape.parameters.length);
  const conditionNames = CONDITION_NAMES.slice(0, shape.conditions.length);
  if (shape.conditionSharesParameterName && conditionNames.length > 0) conditionNames[0] = parameterNames[0];
  const ref = (index: number): Json => ({ Ref: parameterNames[index % parameterNames.length] });

  const parameters: Record<string, ParameterSpec> = {};
  shape.parameters.forEach((parameter, i) => {
    const spec: ParameterSpec = { Type: 'String' };
    const choices = parameter.allowedValues ?? PARAMETER_VALUES;
    const write = (text: string) => (parameter.unquoted && text in UNQUOTED ? UNQUOTED[text] : text);
    // A Default outside AllowedValues is a template CloudFormation rejects.
    if (parameter.defaultIndex !== null) spec.Default = write(choices[parameter.defaultIndex % choices.length]);
    if (parameter.allowedValues) spec.AllowedValues = parameter.allowedValues.map(write);
    parameters[parameterNames[i]] = spec;
  });

  // Condition `position` may use only the conditions before it: no cycles.
  const condition = (node: ConditionShape, position: number): Json => {
    switch (node.kind) {
      case 'equals-literal': {
        const literal = EQUALS_LITERALS[node.literal % EQUALS_LITERALS.length];
        return { 'Fn::Equals': node.literalFirst ? [literal, ref(node.parameter)] : [ref(node.parameter), literal] };
      }
      case 'equals-refs':
        return { 'Fn::Equals': [ref(node.parameter), ref(node.other)] };
      case 'equals-region':
        return { 'Fn::Equals': [{ Ref: 'AWS::Region' }, REGIONS[node.region % REGIONS.length]] };
      case 'condition':
        return position === 0
          ? { 'Fn::Equals': [ref(node.index), EQUALS_LITERALS[node.index % EQUALS_LITERALS.length]] }
          : { Condition: conditionNames[node.index % position] };
      case 'and':
        return { 'Fn::And': node.items.map((item) => condition(item, position)) };
      case 'or':
        return { 'Fn::Or': node.items.map((item) => condition(item, position)) };
      case 'not':
        return { 'Fn::Not': [condition(node.item, position)] };
    }
  };
  const conditions: Record<string, Json> = {};
  shape.conditions.forEach((node, i) => {
    conditions[conditionNames[i]] = condition(node, i);
  });

  const value = (node: ValueShape): Json => {
    switch (node.kind) {
      case 'literal':
        return PROPERTY_LITERALS[node.literal % PROPERTY_LITERALS.length];
      case 'ref':
        return ref(node.parameter);
      case 'no-value':
        return { Ref: 'AWS::NoValue' };
      case 'region-map':
        // Without a mapping there is nothing to look up: a literal instead.
        if (shape.regionMap.length === 0) return PROPERTY_LITERALS[0];
        return { 'Fn::FindInMap': ['RegionMap', { Ref: 'AWS::Region' }, 'Multi'] };
      case 'if':
        if (conditionNames.length === 0) return value(node.whenTrue);
        return {
          'Fn::If': [conditionNames[node.condition % conditionNames.length], value(node.whenTrue), value(node.whenFalse)],
        };
    }
  };

  const template: Template = { Parameters: parameters, Resources: {} };
  if (shape.regionMap.length > 0) {
    template.Mappings = {
      RegionMap: Object.fromEntries(shape.regionMap.map((literal, i) => [REGIONS[i], { Multi: PROPERTY_LITERALS[literal % PROPERTY_LITERALS.length] }])),
    };
  }
  if (conditionNames.length > 0) template.Conditions = conditions;
  template.Resources.Bucket = { Type: 'AWS::S3::Bucket', Properties: {} };
  shape.trails.forEach((trail, i) => {
    const properties: Record<string, Json> = { IsLogging: true, S3BucketName: { Ref: 'Bucket' } };
    if (trail.value !== null) properties.IsMultiRegionTrail = value(trail.value);
    const resource: Template['Resources'][string] = { Type: 'AWS::CloudTrail::Trail', Properties: properties };
    if (trail.condition !== null && conditionNames.length > 0) resource.Condition = conditionNames[trail.condition % conditionNames.length];
    template.Resources[`Trail${i + 1}`] = resource;
  });
  return template;
}

export const templates: fc.Arbitrary<Template> = templateShape.map(buildTemplate);
