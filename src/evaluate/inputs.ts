import type { Dependencies } from './analyze';
import type { ParameterDeclaration, TemplateModel } from './model';
import { COMMERCIAL_REGIONS, REGION_PER_PARTITION, looksLikeRegion } from './regions';

/**
 * How an input (a parameter or pseudo parameter) is known in the deployments being judged:
 * - fixed: one value (given by the deployer, or a parameter Default outside strict mode);
 * - free: any permitted value; `candidates` are the values worth trying, and `exhaustive` says whether
 *   trying them tells everything (a value compared only for equality with constants is exhausted by
 *   those constants plus one value that differs from all of them);
 * - external: read at deploy time from outside the template.
 */
export type InputSpec =
  | { kind: 'fixed'; value: string; origin: 'given' | 'default' }
  | { kind: 'free'; candidates: string[]; exhaustive: boolean }
  | { kind: 'external'; reason: string };

export interface InputOptions {
  parameters: Record<string, string>;
  region?: string;
  strict: boolean;
  /** Parameters whose Default does not apply (a parent stack passes a value the template cannot tell). */
  unfixed?: ReadonlySet<string>;
}

export function classifyInputs(model: TemplateModel, dependencies: Dependencies, options: InputOptions): Map<string, InputSpec> {
  const specs = new Map<string, InputSpec>();
  const unbounded = [...dependencies.inputs].filter((name) => {
    const parameter = model.parameters.get(name);
    return parameter ? !parameter.allowedValues : name !== 'AWS::Region';
  });
  // A parameter compared with another one must be tried with every value the other may take.
  const othersValues = new Set<string>();
  for (const name of dependencies.inputs) {
    const parameter = model.parameters.get(name);
    if (!parameter) continue;
    for (const value of [parameter.default, options.parameters[name], ...(parameter.allowedValues ?? [])]) {
      if (value !== undefined) othersValues.add(value);
    }
  }
  const widened = { ...dependencies, constants: new Set([...dependencies.constants, ...othersValues]) };
  for (const name of dependencies.inputs) {
    const parameter = model.parameters.get(name);
    specs.set(name, parameter ? parameterSpec(parameter, widened, unbounded.length, options) : pseudoSpec(name, widened, options));
  }
  return specs;
}

function parameterSpec(parameter: ParameterDeclaration, dependencies: Dependencies, unboundedCount: number, options: InputOptions): InputSpec {
  if (parameter.type.startsWith('AWS::SSM::Parameter::Value<')) {
    return { kind: 'external', reason: `parameter ${parameter.name} is an SSM parameter: its value is read from Parameter Store at deploy time` };
  }
  const given = options.parameters[parameter.name];
  if (given !== undefined) return { kind: 'fixed', value: given, origin: 'given' };
  if (parameter.default !== undefined && !options.strict && !options.unfixed?.has(parameter.name)) return { kind: 'fixed', value: parameter.default, origin: 'default' };

  const preferred = parameter.default !== undefined ? [parameter.default] : [];
  if (parameter.allowedValues) {
    return { kind: 'free', candidates: unique([...preferred, ...parameter.allowedValues]), exhaustive: true };
  }
  const isNumber = parameter.type === 'Number' || parameter.type === 'List<Number>';
  const fresh = isNumber
    ? freshValues(dependencies.constants, unboundedCount, (n) => String((parameter.minValue ?? 0) + n))
    : freshValues(dependencies.constants, unboundedCount, (n) => (n === 0 ? 'other' : `other-${n + 1}`));
  const permitted = (value: string) => permits(parameter, value);
  const candidates = unique([...preferred, 'false', 'true', ...dependencies.constants, ...fresh]).filter(permitted);
  return {
    kind: 'free',
    candidates,
    exhaustive: !dependencies.transformed.has(parameter.name) && fresh.every(permitted),
  };
}

function pseudoSpec(name: string, dependencies: Dependencies, options: InputOptions): InputSpec {
  const transformedOk = !dependencies.transformed.has(name);
  if (name === 'AWS::Region') {
    if (options.region) return { kind: 'fixed', value: options.region, origin: 'given' };
    const named = [...dependencies.constants].filter(looksLikeRegion);
    const perPartition = dependencies.regionDerived.size > 0 ? Object.values(REGION_PER_PARTITION) : [];
    const other = COMMERCIAL_REGIONS.find((region) => !named.includes(region)) ?? 'us-east-1';
    return { kind: 'free', candidates: unique([...named, ...perPartition, other]), exhaustive: transformedOk };
  }
  if (name === 'AWS::AccountId') {
    const named = [...dependencies.constants].filter((value) => /^\d{12}$/.test(value));
    const other = freshValues(new Set(named), 1, (n) => String(111111111111 * (n + 1)).padStart(12, '1'))[0];
    return { kind: 'free', candidates: [...named, other], exhaustive: transformedOk };
  }
  const other = freshValues(dependencies.constants, 1, (n) => `other-${name.slice(5).toLowerCase()}-${n + 1}`)[0];
  return { kind: 'free', candidates: unique([...dependencies.constants, other]), exhaustive: transformedOk };
}

function freshValues(taken: Set<string>, count: number, make: (n: number) => string): string[] {
  const values: string[] = [];
  for (let n = 0; values.length < Math.max(count, 1); n++) {
    const value = make(n);
    if (!taken.has(value)) values.push(value);
  }
  return values;
}

/** Whether CloudFormation would accept `value` for the parameter (AllowedPattern is read as a JS RegExp). */
function permits(parameter: ParameterDeclaration, value: string): boolean {
  if (parameter.type === 'Number') {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) return false;
    if (parameter.minValue !== undefined && number < parameter.minValue) return false;
    if (parameter.maxValue !== undefined && number > parameter.maxValue) return false;
  }
  if (parameter.minLength !== undefined && value.length < parameter.minLength) return false;
  if (parameter.maxLength !== undefined && value.length > parameter.maxLength) return false;
  if (parameter.allowedPattern !== undefined) {
    try {
      if (!new RegExp(`^(?:${parameter.allowedPattern})$`).test(value)) return false;
    } catch {
      return true; // a pattern JavaScript cannot read: CloudFormation's engine may; do not rule the value out
    }
  }
  return true;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
