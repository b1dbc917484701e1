import type { TemplatePath } from '../types';

/** A template CloudFormation would reject, pointing at the offending part. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly path: TemplatePath,
  ) {
    super(message);
  }
}

export type Json = unknown;
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface ParameterDeclaration {
  name: string;
  type: string;
  default?: string;
  allowedValues?: string[];
  allowedPattern?: string;
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
}

/** The sections of a template the evaluator reads, checked for shape. */
export interface TemplateModel {
  body: JsonObject;
  parameters: Map<string, ParameterDeclaration>;
  conditions: JsonObject;
  mappings: JsonObject;
  resources: JsonObject;
  /** Template-level transforms (macros), in order. */
  transforms: string[];
}

export const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
] as const;

export function isPseudoParameter(name: string): boolean {
  return (PSEUDO_PARAMETERS as readonly string[]).includes(name);
}

/** Parameter values are strings: YAML `Default: false` means "false" to CloudFormation. */
export function parameterString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((item) => parameterString(item)).join(',');
  if (typeof value === 'object') return undefined;
  return String(value);
}

function optionalNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function section(body: JsonObject, name: string): JsonObject {
  const value = body[name];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new TemplateError(`${name} must be a mapping`, [name]);
  return value;
}

export function buildModel(body: JsonObject): TemplateModel {
  const parameters = new Map<string, ParameterDeclaration>();
  for (const [name, declaration] of Object.entries(section(body, 'Parameters'))) {
    if (!isObject(declaration)) throw new TemplateError(`parameter ${name} must be a mapping`, ['Parameters', name]);
    if (typeof declaration.Type !== 'string') throw new TemplateError(`parameter ${name} has no Type`, ['Parameters', name]);
    const allowed = declaration.AllowedValues;
    if (allowed !== undefined && !Array.isArray(allowed)) {
      throw new TemplateError(`AllowedValues of parameter ${name} must be a list`, ['Parameters', name, 'AllowedValues']);
    }
    parameters.set(name, {
      name,
      type: declaration.Type,
      default: parameterString(declaration.Default),
      allowedValues: allowed?.map((value) => parameterString(value) ?? ''),
      allowedPattern: typeof declaration.AllowedPattern === 'string' ? declaration.AllowedPattern : undefined,
      minLength: optionalNumber(declaration.MinLength),
      maxLength: optionalNumber(declaration.MaxLength),
      minValue: optionalNumber(declaration.MinValue),
      maxValue: optionalNumber(declaration.MaxValue),
    });
  }
  const transform = body.Transform;
  const transforms = (Array.isArray(transform) ? transform : transform === undefined ? [] : [transform]).map((entry) =>
    typeof entry === 'string' ? entry : isObject(entry) && typeof entry.Name === 'string' ? entry.Name : JSON.stringify(entry),
  );
  return {
    body,
    parameters,
    conditions: section(body, 'Conditions'),
    mappings: section(body, 'Mappings'),
    resources: section(body, 'Resources'),
    transforms,
  };
}
