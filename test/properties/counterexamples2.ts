// Counterexamples the generator of templates2.ts found against the engine of main (before the #12/#20 rewrite),
// shrunk by fast-check and trimmed by hand: one per class, replayed as named tests so that each class is a line of
// the checklist whatever the random seed finds first.
import type { Counterexample } from './properties2';
import type { Json, Parameter, Template } from './oracle2';

interface Parts {
  transform?: boolean;
  parameters?: Record<string, Parameter>;
  mappings?: Template['Mappings'];
  conditions?: Record<string, Json>;
  /** IsMultiRegionTrail (absent when undefined). */
  value?: Json;
  globalEvents?: Json;
  condition?: string;
}

function template(parts: Parts): Template {
  const properties: Record<string, Json> = { IsLogging: true, S3BucketName: 'logs' };
  if (parts.value !== undefined) properties.IsMultiRegionTrail = parts.value;
  if (parts.globalEvents !== undefined) properties.IncludeGlobalServiceEvents = parts.globalEvents;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    ...(parts.transform && { Transform: 'AWS::LanguageExtensions' }),
    Parameters: parts.parameters ?? {},
    ...(parts.mappings && { Mappings: parts.mappings }),
    ...(parts.conditions && { Conditions: parts.conditions }),
    Resources: { Trail1: { Type: 'AWS::CloudTrail::Trail', ...(parts.condition && { Condition: parts.condition }), Properties: properties } },
  };
}

const free: Parameter = { Type: 'String' };
const namedMaps = { Dev: { Settings: { Multi: false } }, Prod: { Settings: { Multi: true } } };

export const COMPUTED_COUNTEREXAMPLES: Counterexample[] = [
  {
    name: 'IsMultiRegionTrail true with IncludeGlobalServiceEvents false is refused by CloudTrail (engine: pass)',
    property: 'a',
    template: template({ value: true, globalEvents: false }),
  },
  {
    name: "Env compared with !Join ['', [pr, od]]: Env=prod creates the trail (engine: skip)",
    property: 'a',
    template: template({ parameters: { Env: free }, conditions: { CondA: { 'Fn::Equals': [{ Ref: 'Env' }, { 'Fn::Join': ['', ['pr', 'od']] }] } }, condition: 'CondA' }),
  },
  {
    name: "Env compared with !Sub 'x-${Stage}': Env=x-dev (engine: skip)",
    property: 'a',
    template: template({
      parameters: { Env: free, Stage: { Type: 'String', Default: 'dev' } },
      conditions: { CondA: { 'Fn::Equals': [{ Ref: 'Env' }, { 'Fn::Sub': 'x-${Stage}' }] } },
      condition: 'CondA',
    }),
  },
  {
    name: 'Env compared with AWS::Region: Env = the Region (engine: skip)',
    property: 'a',
    template: template({ parameters: { Env: free }, conditions: { CondA: { 'Fn::Equals': [{ Ref: 'Env' }, { Ref: 'AWS::Region' }] } }, condition: 'CondA' }),
  },
  {
    name: 'map name from !Ref Env: Env=Dev reads Multi false (engine: skip)',
    property: 'a',
    template: template({ parameters: { Env: free }, mappings: namedMaps, value: { 'Fn::FindInMap': [{ Ref: 'Env' }, 'Settings', 'Multi'] } }),
  },
  {
    name: 'AllowedPattern \\d{12} no made-up value matches: Env=555555555555 (engine: skip)',
    property: 'a',
    template: template({
      parameters: { Env: { Type: 'String', AllowedPattern: '\\d{12}' } },
      conditions: { CondA: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }] } },
      condition: 'CondA',
    }),
  },
  {
    name: 'Default x-dev refused by AllowedPattern [a-z]+ fixes nothing: Env=prod (engine: skip)',
    property: 'a',
    template: template({
      parameters: { Env: { Type: 'String', Default: 'x-dev', AllowedPattern: '[a-z]+' } },
      conditions: { CondA: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
      condition: 'CondA',
    }),
  },
  {
    name: 'Default dev refused by AllowedPattern \\d{3}: Env=907 misses the mapping, DefaultValue false (engine: pass)',
    property: 'a',
    template: template({
      transform: true,
      parameters: { Env: { Type: 'String', Default: 'dev', AllowedPattern: '\\d{3}' } },
      mappings: { Profiles: { dev: { Multi: true } } },
      value: { 'Fn::FindInMap': ['Profiles', { Ref: 'Env' }, 'Multi', { DefaultValue: false }] },
    }),
  },
  {
    name: 'when names AWS::StackName 123, which no stack is called (stack names start with a letter)',
    property: 'b',
    template: template({
      parameters: { Env: { Type: 'String', Default: '123' } },
      conditions: { CondA: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Env' }, { Ref: 'AWS::StackName' }] }] } },
      value: { 'Fn::If': ['CondA', true, false] },
    }),
  },
  {
    name: 'Env fixed to 123 never equals AWS::StackName (engine: fail when StackName=123)',
    property: 'c',
    template: template({
      parameters: { Env: { Type: 'String', Default: '123' } },
      conditions: { CondA: { 'Fn::Equals': [{ Ref: 'Env' }, { Ref: 'AWS::StackName' }] } },
      condition: 'CondA',
    }),
  },
];

const names = (parameter: Omit<Extract<Parameter, { Type: 'CommaDelimitedList' }>, 'Type'> = {}): Parameter => ({ Type: 'CommaDelimitedList', ...parameter });

export const LIST_COUNTEREXAMPLES: Counterexample[] = [
  {
    name: 'Fn::Length of a list with AllowedValues: Names=false,false creates the trail (engine: skip)',
    property: 'a',
    template: template({
      transform: true,
      parameters: { Names: names({ AllowedValues: ['false'] }) },
      conditions: { CondA: { 'Fn::Equals': [{ 'Fn::Length': { Ref: 'Names' } }, '2'] } },
      condition: 'CondA',
    }),
  },
  {
    name: 'two-item list read at index 0 under Length 2: Names=dev,dev (engine: skip)',
    property: 'a',
    template: template({
      transform: true,
      parameters: { Names: names({ AllowedValues: ['dev', 'true'] }) },
      conditions: { CondA: { 'Fn::Equals': [{ 'Fn::Length': { Ref: 'Names' } }, '2'] } },
      value: { 'Fn::Select': [0, { Ref: 'Names' }] },
      condition: 'CondA',
    }),
  },
  {
    name: "list Default dev,prod refused by AllowedValues [dev]: when names it (engine: fail when Names='dev,prod')",
    property: 'b',
    template: template({ parameters: { Names: names({ Default: 'dev,prod', AllowedValues: ['dev'] }) }, value: { 'Fn::Select': [0, { Ref: 'Names' }] } }),
  },
  {
    name: "list Default dev,prod refused by AllowedValues [false]: Join never dev,prod (engine: fail when Names='dev,prod')",
    property: 'c',
    template: template({
      parameters: { Names: names({ Default: 'dev,prod', AllowedValues: ['false'] }) },
      conditions: { CondA: { 'Fn::Equals': [{ 'Fn::Join': [',', { Ref: 'Names' }] }, 'dev,prod'] } },
      condition: 'CondA',
    }),
  },
  {
    name: 'Names fixed to [dev]: the condition IncludeGlobalServiceEvents reads selects index 1, every deployment fails (engine: fail)',
    property: 'c',
    template: template({
      parameters: { Names: names({ Default: 'dev' }) },
      conditions: { CondA: { 'Fn::Equals': [{ 'Fn::Select': [1, { Ref: 'Names' }] }, 'dev'] } },
      globalEvents: { 'Fn::If': ['CondA', false, true] },
    }),
  },
];
