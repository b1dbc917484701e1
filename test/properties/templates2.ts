// Random templates for oracle2.ts: String parameters (Default — valid or one CloudFormation refuses —,
// AllowedValues, simple AllowedPattern, MinLength/MaxLength), a CommaDelimitedList parameter, conditions that
// compare a parameter with literals, computed values (Join, Sub, a mapping value), other parameters and pseudo
// parameters, list reads (Select, Join, Length), FindInMap keyed by a parameter, the Region or a Ref'd map name
// (with or without DefaultValue), Fn::If whose untaken branch cannot evaluate, and trails whose
// IsMultiRegionTrail / IncludeGlobalServiceEvents are built from all of these. An abstract shape is drawn first and
// named while building, so every Ref, Condition and mapping is defined and conditions only use earlier ones.
import fc from 'fast-check';
import type { Json, Parameter, Resource, Template } from './oracle2';

/** Patterns whose meaning is the same for Java and for JavaScript's `^(?:p)$`. */
const PATTERNS = ['[a-z]+', '\\d{3}', '(dev|prod)', '\\d{12}', '[a-z]+-[0-9]'];
const STRING_VALUES = ['dev', 'prod', 'true', 'false', 'x-dev', '123', 'Dev', 'Prod', 'us-east-1', '123456789012'];
const ITEM_VALUES = ['dev', 'prod', 'true', 'false'];
const LIST_DEFAULTS = ['dev', 'dev,prod', 'true,false', 'prod,nope'];
const EQUALS_LITERALS: Json[] = ['dev', 'prod', 'true', true, 'x-dev', '123', 'Prod'];
const JOIN_PARTS: [string, string][] = [
  ['pr', 'od'],
  ['de', 'v'],
  ['tr', 'ue'],
  ['x-', 'dev'],
];
const LIST_JOINS = ['dev,prod', 'dev', 'true,false', 'prod,dev,true'];
const PROPERTY_LITERALS: Json[] = [true, false, 'true', 'True', 'TRUE', 'yes', 'false'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const PSEUDO_LITERALS: [string, string[]][] = [
  ['AWS::Region', REGIONS],
  ['AWS::AccountId', ['123456789012']],
  ['AWS::StackName', ['audit-stack']],
];
const GLOBAL_EVENTS: Json[] = [false, 'false', true];
const STRING_NAMES = ['Env', 'Stage', 'Home'];
const LIST_NAME = 'Names';
const CONDITION_NAMES = ['CondA', 'CondB', 'CondC'];

type Equatable =
  | { kind: 'literal'; literal: number }
  | { kind: 'join'; parts: number }
  | { kind: 'sub-ref'; other: number }
  | { kind: 'sub-literal'; literal: number }
  | { kind: 'map-value'; key: number }
  | { kind: 'ref'; other: number }
  | { kind: 'pseudo'; which: number };

type ConditionShape =
  | { kind: 'equals'; parameter: number; other: Equatable; swap: boolean }
  | { kind: 'pseudo-is'; which: number; literal: number }
  | { kind: 'select'; index: number; literal: number }
  | { kind: 'join-list'; literal: number }
  | { kind: 'length'; length: number; asNumber: boolean }
  | { kind: 'condition'; index: number }
  | { kind: 'and' | 'or'; items: ConditionShape[] }
  | { kind: 'not'; item: ConditionShape };

type ValueShape =
  | { kind: 'literal'; literal: number }
  | { kind: 'ref'; parameter: number }
  | { kind: 'no-value' }
  | { kind: 'region-map'; withDefault: number | null }
  | { kind: 'profile-map'; parameter: number; withDefault: number | null }
  | { kind: 'named-map'; parameter: number; withDefault: number | null }
  | { kind: 'select-list'; index: number }
  | { kind: 'bomb'; which: number }
  | { kind: 'if'; condition: number; whenTrue: ValueShape; whenFalse: ValueShape };

interface StringShape {
  defaultValue: number | null;
  allowedValues: string[] | null;
  pattern: number | null;
  minLength: number | null;
  maxLength: number | null;
  unquotedDefault: boolean;
}

interface ListShape {
  defaultValue: number | null;
  allowedValues: string[] | null;
}

interface TemplateShape {
  strings: StringShape[];
  list: ListShape | null;
  regionMap: number[];
  conditions: ConditionShape[];
  trails: { condition: number | null; value: ValueShape | null; globalEvents: number | null; globalEventsIf: number | null }[];
}

export interface GeneratorOptions {
  /** Always declare the list parameter and favour list reads. */
  lists: boolean;
}

const small = fc.nat({ max: 11 });

function equatable(): fc.Arbitrary<Equatable> {
  return fc.oneof(
    fc.record({ kind: fc.constant('literal' as const), literal: small }),
    fc.record({ kind: fc.constant('join' as const), parts: small }),
    fc.record({ kind: fc.constant('sub-ref' as const), other: small }),
    fc.record({ kind: fc.constant('sub-literal' as const), literal: small }),
    fc.record({ kind: fc.constant('map-value' as const), key: small }),
    fc.record({ kind: fc.constant('ref' as const), other: small }),
    fc.record({ kind: fc.constant('pseudo' as const), which: small }),
  );
}

function conditionShape(depth: number, lists: boolean): fc.Arbitrary<ConditionShape> {
  const listLeaves = [
    { arbitrary: fc.record({ kind: fc.constant('select' as const), index: fc.nat({ max: 2 }), literal: small }), weight: lists ? 3 : 1 },
    { arbitrary: fc.record({ kind: fc.constant('join-list' as const), literal: small }), weight: lists ? 3 : 1 },
    { arbitrary: fc.record({ kind: fc.constant('length' as const), length: fc.integer({ min: 1, max: 3 }), asNumber: fc.boolean() }), weight: lists ? 2 : 1 },
  ];
  const leaf = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('equals' as const), parameter: small, other: equatable(), swap: fc.boolean() }), weight: lists ? 3 : 8 },
    { arbitrary: fc.record({ kind: fc.constant('pseudo-is' as const), which: small, literal: small }), weight: 1 },
    ...listLeaves,
    { arbitrary: fc.record({ kind: fc.constant('condition' as const), index: small }), weight: 1 },
  );
  if (depth === 0) return leaf;
  const inner = conditionShape(depth - 1, lists);
  return fc.oneof(
    { arbitrary: leaf, weight: 3 },
    { arbitrary: fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), items: fc.array(inner, { minLength: 2, maxLength: 2 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('not' as const), item: inner }), weight: 1 },
  );
}

const withDefault = fc.option(fc.nat({ max: 1 }));

function valueShape(depth: number, lists: boolean): fc.Arbitrary<ValueShape> {
  const leaf = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('literal' as const), literal: small }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('ref' as const), parameter: small }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('no-value' as const) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('region-map' as const), withDefault }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('profile-map' as const), parameter: small, withDefault }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('named-map' as const), parameter: small, withDefault }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('select-list' as const), index: fc.nat({ max: 2 }) }), weight: lists ? 4 : 1 },
    { arbitrary: fc.record({ kind: fc.constant('bomb' as const), which: small }), weight: 1 },
  );
  if (depth === 0) return leaf;
  const inner = valueShape(depth - 1, lists);
  return fc.oneof(
    { arbitrary: leaf, weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('if' as const), condition: small, whenTrue: inner, whenFalse: inner }), weight: 2 },
  );
}

function templateShape(options: GeneratorOptions): fc.Arbitrary<TemplateShape> {
  const allowedValues = fc.subarray(STRING_VALUES, { minLength: 1, maxLength: 3 });
  const pattern = fc.nat({ max: PATTERNS.length - 1 });
  const minLength = fc.integer({ min: 1, max: 4 });
  const maxLength = fc.integer({ min: 3, max: 9 });
  const none = fc.constant(null);
  // Mostly one kind of constraint; all of them together (often contradictory: no value is permitted) now and then.
  const constraints = fc.oneof(
    { arbitrary: fc.record({ allowedValues: none, pattern: none, minLength: none, maxLength: none }), weight: 4 },
    { arbitrary: fc.record({ allowedValues, pattern: none, minLength: none, maxLength: none }), weight: 4 },
    { arbitrary: fc.record({ allowedValues: none, pattern, minLength: none, maxLength: none }), weight: 2 },
    { arbitrary: fc.record({ allowedValues: none, pattern: none, minLength: fc.option(minLength), maxLength: fc.option(maxLength) }), weight: 2 },
    { arbitrary: fc.record({ allowedValues: fc.option(allowedValues), pattern: fc.option(pattern), minLength: fc.option(minLength), maxLength: fc.option(maxLength) }), weight: 1 },
  );
  const stringShape: fc.Arbitrary<StringShape> = fc
    .tuple(constraints, fc.record({ defaultValue: fc.option(small), unquotedDefault: fc.boolean() }))
    .map(([constraint, rest]) => ({ ...constraint, ...rest }));
  const listShape: fc.Arbitrary<ListShape> = fc.record({
    defaultValue: fc.option(fc.nat({ max: LIST_DEFAULTS.length - 1 })),
    allowedValues: fc.option(fc.subarray(ITEM_VALUES, { minLength: 1, maxLength: 3 })),
  });
  return fc.record({
    strings: fc.array(stringShape, { minLength: 1, maxLength: options.lists ? 2 : 3 }),
    list: options.lists ? listShape : fc.option(listShape, { freq: 3 }),
    regionMap: fc.array(small, { minLength: 1, maxLength: REGIONS.length }),
    conditions: fc.array(conditionShape(1, options.lists), { maxLength: 3 }),
    trails: fc.array(
      fc.record({
        condition: fc.option(small),
        value: fc.option(valueShape(2, options.lists), { freq: 6 }),
        globalEvents: fc.option(fc.nat({ max: GLOBAL_EVENTS.length - 1 }), { freq: 3 }),
        globalEventsIf: fc.option(small, { freq: 6 }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  });
}

function pick<T>(items: readonly T[], index: number): T {
  return items[index % items.length];
}

function buildTemplate(shape: TemplateShape): Template {
  const stringNames = STRING_NAMES.slice(0, shape.strings.length);
  const conditionNames = CONDITION_NAMES.slice(0, shape.conditions.length);
  const hasList = shape.list !== null;
  const mappings: NonNullable<Template['Mappings']> = {};
  const uses = { languageExtensions: false };
  const ref = (index: number): Json => ({ Ref: pick(stringNames, index) });
  const listRef = (): Json => ({ Ref: LIST_NAME });

  const parameters: Record<string, Parameter> = {};
  shape.strings.forEach((string, i) => {
    const parameter: Parameter = { Type: 'String' };
    const choices = string.allowedValues ?? STRING_VALUES;
    if (string.defaultValue !== null) {
      // Mostly a value the constraints allow, sometimes any value (a Default CloudFormation refuses).
      const text = string.defaultValue < 8 ? pick(choices, string.defaultValue) : pick(STRING_VALUES, string.defaultValue);
      parameter.Default = string.unquotedDefault && (text === 'true' || text === 'false') ? text === 'true' : text;
    }
    if (string.allowedValues) parameter.AllowedValues = string.allowedValues;
    if (string.pattern !== null) parameter.AllowedPattern = PATTERNS[string.pattern];
    if (string.minLength !== null) parameter.MinLength = string.minLength;
    if (string.maxLength !== null) parameter.MaxLength = string.maxLength;
    parameters[stringNames[i]] = parameter;
  });
  if (shape.list) {
    const list: Parameter = { Type: 'CommaDelimitedList' };
    if (shape.list.defaultValue !== null) list.Default = LIST_DEFAULTS[shape.list.defaultValue];
    if (shape.list.allowedValues) list.AllowedValues = shape.list.allowedValues;
    parameters[LIST_NAME] = list;
  }

  const useProfiles = (): string => {
    mappings.Profiles = { dev: { Multi: true, Name: 'prod' }, prod: { Multi: 'false', Name: 'dev' } };
    return 'Profiles';
  };
  const useNamedMaps = (): void => {
    mappings.Dev = { Settings: { Multi: false } };
    mappings.Prod = { Settings: { Multi: true } };
  };
  const useRegionMap = (): string => {
    mappings.RegionMap = Object.fromEntries(shape.regionMap.map((literal, i) => [REGIONS[i], { Multi: pick(PROPERTY_LITERALS, literal) }]));
    return 'RegionMap';
  };
  const findInMap = (map: Json, first: Json, second: string, defaultIndex: number | null): Json => {
    if (defaultIndex === null) return { 'Fn::FindInMap': [map, first, second] };
    uses.languageExtensions = true;
    return { 'Fn::FindInMap': [map, first, second, { DefaultValue: defaultIndex === 0 ? false : true }] };
  };

  const equatableNode = (node: Equatable, self: number): Json => {
    switch (node.kind) {
      case 'literal':
        return pick(EQUALS_LITERALS, node.literal);
      case 'join':
        return { 'Fn::Join': ['', pick(JOIN_PARTS, node.parts)] };
      case 'sub-ref': {
        // Another parameter where there is one; `x-${Self}` can never equal Self, which is a case too.
        const other = stringNames.length > 1 ? (self + 1 + (node.other % (stringNames.length - 1))) % stringNames.length : self;
        return { 'Fn::Sub': `x-\${${stringNames[other]}}` };
      }
      case 'sub-literal':
        return { 'Fn::Sub': pick(['prod', 'dev', 'true'], node.literal) };
      case 'map-value':
        return { 'Fn::FindInMap': [useProfiles(), pick(['dev', 'prod'], node.key), 'Name'] };
      case 'ref':
        return ref(node.other);
      case 'pseudo':
        return { Ref: pick(['AWS::Region', 'AWS::AccountId', 'AWS::StackName'], node.which) };
    }
  };

  const condition = (node: ConditionShape, position: number): Json => {
    switch (node.kind) {
      case 'equals': {
        const self = node.parameter % stringNames.length;
        const pair = [ref(self), equatableNode(node.other, self)];
        return { 'Fn::Equals': node.swap ? pair.reverse() : pair };
      }
      case 'pseudo-is': {
        const [pseudo, values] = pick(PSEUDO_LITERALS, node.which);
        return { 'Fn::Equals': [{ Ref: pseudo }, pick(values, node.literal)] };
      }
      case 'select':
        if (!hasList) return { 'Fn::Equals': [ref(node.index), pick(EQUALS_LITERALS, node.literal)] };
        return { 'Fn::Equals': [{ 'Fn::Select': [node.index, listRef()] }, pick(ITEM_VALUES, node.literal)] };
      case 'join-list':
        if (!hasList) return { 'Fn::Equals': [ref(node.literal), pick(EQUALS_LITERALS, node.literal)] };
        return { 'Fn::Equals': [{ 'Fn::Join': [',', listRef()] }, pick(LIST_JOINS, node.literal)] };
      case 'length':
        if (!hasList) return { 'Fn::Equals': [ref(node.length), 'dev'] };
        uses.languageExtensions = true;
        return { 'Fn::Equals': [{ 'Fn::Length': listRef() }, node.asNumber ? node.length : String(node.length)] };
      case 'condition':
        return position === 0 ? { 'Fn::Equals': [ref(node.index), 'prod'] } : { Condition: conditionNames[node.index % position] };
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
        return pick(PROPERTY_LITERALS, node.literal);
      case 'ref':
        return ref(node.parameter);
      case 'no-value':
        return { Ref: 'AWS::NoValue' };
      case 'region-map':
        return findInMap(useRegionMap(), { Ref: 'AWS::Region' }, 'Multi', node.withDefault);
      case 'profile-map':
        return findInMap(useProfiles(), ref(node.parameter), 'Multi', node.withDefault);
      case 'named-map':
        useNamedMaps();
        return findInMap(ref(node.parameter), 'Settings', 'Multi', node.withDefault);
      case 'select-list':
        if (!hasList) return { 'Fn::Select': [node.index, [true, 'false', 'True']] };
        return { 'Fn::Select': [node.index, listRef()] };
      case 'bomb':
        // Cannot evaluate in any deployment: fine only in a branch Fn::If does not take.
        if (node.which % 3 === 0) return { 'Fn::Select': [5, hasList ? listRef() : [true, false]] };
        if (node.which % 3 === 1) return { 'Fn::FindInMap': [useProfiles(), 'missing', 'Multi'] };
        return { 'Fn::Select': [5, [true, false]] };
      case 'if':
        if (conditionNames.length === 0) return value(node.whenTrue);
        return { 'Fn::If': [pick(conditionNames, node.condition), value(node.whenTrue), value(node.whenFalse)] };
    }
  };

  const resources: Record<string, Resource> = { Bucket: { Type: 'AWS::S3::Bucket', Properties: {} } };
  shape.trails.forEach((trail, i) => {
    const properties: Record<string, Json> = { IsLogging: true, S3BucketName: { Ref: 'Bucket' } };
    if (trail.value !== null) properties.IsMultiRegionTrail = value(trail.value);
    if (trail.globalEvents !== null) {
      const literal = GLOBAL_EVENTS[trail.globalEvents];
      properties.IncludeGlobalServiceEvents =
        trail.globalEventsIf !== null && conditionNames.length > 0 ? { 'Fn::If': [pick(conditionNames, trail.globalEventsIf), literal, true] } : literal;
    }
    const resource: Resource = { Type: 'AWS::CloudTrail::Trail', Properties: properties };
    if (trail.condition !== null && conditionNames.length > 0) resource.Condition = pick(conditionNames, trail.condition);
    resources[`Trail${i + 1}`] = resource;
  });

  return {
    AWSTemplateFormatVersion: '2010-09-09',
    ...(uses.languageExtensions && { Transform: 'AWS::LanguageExtensions' }),
    Parameters: parameters,
    ...(Object.keys(mappings).length > 0 && { Mappings: mappings }),
    ...(conditionNames.length > 0 && { Conditions: conditions }),
    Resources: resources,
  };
}

export function templates2(options: GeneratorOptions): fc.Arbitrary<Template> {
  return templateShape(options).map(buildTemplate);
}
