// A brute-force reading of the verdicts (README, "Verdicts" and "What `pass` means"), written only for the property tests: it knows nothing of src/evaluate.
// It handles just what the generator writes (Ref, Fn::If, AWS::NoValue, Fn::Equals/And/Or/Not, Condition,
// Fn::FindInMap over a Region-keyed mapping), and judges a trail by trying every assignment of every parameter
// and of AWS::Region, whether the trail uses it or not.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A YAML `Default: true` or `AllowedValues: [true, 1]` is written unquoted: the value is its string form. */
export type ParameterLiteral = string | boolean | number;

export interface ParameterSpec {
  Type: 'String';
  Default?: ParameterLiteral;
  AllowedValues?: ParameterLiteral[];
}

export interface Template {
  Parameters: Record<string, ParameterSpec>;
  Mappings?: Record<string, Record<string, Record<string, Json>>>;
  Conditions?: Record<string, Json>;
  Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, Json> }>;
}

export type Assignment = Record<string, string>;

export type TrailVerdict =
  /** Some deployment creates the trail single-Region; `when` is the first one found. */
  | { kind: 'fails'; when: Assignment }
  /** No deployment creates the trail. */
  | { kind: 'never-created' }
  /** Every deployment that creates the trail makes it multi-Region; `created` is one that creates it. */
  | { kind: 'passes'; created: Assignment };

const NO_VALUE = Symbol('AWS::NoValue');
type Value = Json | typeof NO_VALUE | undefined;

export const FRESH_VALUES = ['fresh-one', 'fresh-two'];
/** The Region input's name, and a Region no template names. */
export const REGION = 'AWS::Region';
export const FRESH_REGION = 'ap-southeast-7';

/** CloudFormation rejects the deployment (a mapping has no entry for this Region): it creates nothing. */
class DeploymentFails extends Error {}

/** Parameter values are strings; a literal compares by its string form (`true` equals "true"). */
function stringForm(value: Value): string {
  if (value === NO_VALUE || value === undefined) return '<novalue>';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function evaluateValue(template: Template, expression: Json, assignment: Assignment): Value {
  if (expression === null || typeof expression !== 'object' || Array.isArray(expression)) return expression;
  if ('Ref' in expression) {
    const name = expression.Ref as string;
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (!(name in assignment)) throw new Error(`oracle: no value for ${name}`);
    return assignment[name];
  }
  if ('Fn::FindInMap' in expression) {
    const [map, first, second] = (expression['Fn::FindInMap'] as Json[]).map((item) => stringForm(evaluateValue(template, item, assignment)));
    const found = template.Mappings?.[map]?.[first]?.[second];
    if (found === undefined) throw new DeploymentFails();
    return found;
  }
  if ('Fn::If' in expression) {
    const [condition, whenTrue, whenFalse] = expression['Fn::If'] as [string, Json, Json];
    return evaluateNamedCondition(template, condition, assignment)
      ? evaluateValue(template, whenTrue, assignment)
      : evaluateValue(template, whenFalse, assignment);
  }
  throw new Error(`oracle: cannot evaluate ${JSON.stringify(expression)}`);
}

function evaluateNamedCondition(template: Template, name: string, assignment: Assignment): boolean {
  const expression = template.Conditions?.[name];
  if (expression === undefined) throw new Error(`oracle: no condition ${name}`);
  return evaluateCondition(template, expression, assignment);
}

function evaluateCondition(template: Template, expression: Json, assignment: Assignment): boolean {
  const node = expression as Record<string, Json>;
  if ('Condition' in node) return evaluateNamedCondition(template, node.Condition as string, assignment);
  if ('Fn::Equals' in node) {
    const [left, right] = node['Fn::Equals'] as [Json, Json];
    return stringForm(evaluateValue(template, left, assignment)) === stringForm(evaluateValue(template, right, assignment));
  }
  if ('Fn::And' in node) return (node['Fn::And'] as Json[]).every((item) => evaluateCondition(template, item, assignment));
  if ('Fn::Or' in node) return (node['Fn::Or'] as Json[]).some((item) => evaluateCondition(template, item, assignment));
  if ('Fn::Not' in node) return !evaluateCondition(template, (node['Fn::Not'] as Json[])[0], assignment);
  throw new Error(`oracle: not a condition: ${JSON.stringify(expression)}`);
}

/** Whether the trail exists in this deployment, and if so whether it is multi-Region (the spellings the trail rule accepts). */
export function trailOutcome(
  template: Template,
  logicalId: string,
  assignment: Assignment,
): 'absent' | 'multi-region' | 'single-region' | 'deployment-fails' {
  try {
    return outcome(template, logicalId, assignment);
  } catch (error) {
    if (error instanceof DeploymentFails) return 'deployment-fails';
    throw error;
  }
}

function outcome(template: Template, logicalId: string, assignment: Assignment): 'absent' | 'multi-region' | 'single-region' {
  const resource = template.Resources[logicalId];
  if (resource.Condition !== undefined && !evaluateNamedCondition(template, resource.Condition, assignment)) return 'absent';
  const property = resource.Properties.IsMultiRegionTrail;
  const value = property === undefined ? undefined : evaluateValue(template, property, assignment);
  const multiRegion = value === true || value === 'true' || value === 'True' || value === 'TRUE';
  return multiRegion ? 'multi-region' : 'single-region';
}

// Scalars only: the names in `Ref`, `Condition` and `Fn::If` are not values.
function collectLiterals(node: Json, into: Set<string>): void {
  if (typeof node === 'string' || typeof node === 'boolean' || typeof node === 'number') into.add(String(node));
  else if (Array.isArray(node)) node.forEach((item) => collectLiterals(item, into));
  else if (node !== null && !('Ref' in node) && !('Condition' in node)) {
    for (const [key, value] of Object.entries(node)) collectLiterals(key === 'Fn::If' && Array.isArray(value) ? value.slice(1) : value, into);
  }
}

/**
 * The values each parameter may take in a deployment: its Default alone outside strict mode; else its
 * AllowedValues, or (unconstrained) its Default, every literal of the template, "true", "false" and two
 * strings nobody wrote.
 */
export function domains(template: Template, strict: boolean): Record<string, string[]> {
  const literals = new Set<string>(['true', 'false']);
  for (const condition of Object.values(template.Conditions ?? {})) collectLiterals(condition, literals);
  for (const resource of Object.values(template.Resources)) collectLiterals(resource.Properties.IsMultiRegionTrail ?? null, literals);
  // Another parameter's Default and AllowedValues are literals too: `!Equals [!Ref A, !Ref B]` makes them matter.
  for (const parameter of Object.values(template.Parameters)) {
    collectLiterals([...(parameter.Default === undefined ? [] : [parameter.Default]), ...(parameter.AllowedValues ?? [])], literals);
  }
  const result: Record<string, string[]> = {};
  // The Region ranges over the Regions the template names (in mappings and conditions) and one it does not.
  const regions = [...Object.values(template.Mappings ?? {}).flatMap((mapping) => Object.keys(mapping)), ...literals].filter((value) =>
    /^[a-z]{2}-[a-z]+-\d$/.test(value),
  );
  result[REGION] = [...new Set([...regions, FRESH_REGION])];
  for (const [name, parameter] of Object.entries(template.Parameters)) {
    const defaults = parameter.Default === undefined ? [] : [String(parameter.Default)];
    if (!strict && parameter.Default !== undefined) result[name] = defaults;
    else if (parameter.AllowedValues) result[name] = parameter.AllowedValues.map(String);
    else result[name] = [...new Set([...defaults, ...literals, ...FRESH_VALUES])];
  }
  return result;
}

/** Whether `domains` lists every value that matters: each parameter is fixed or has AllowedValues. */
export function hasExhaustiveDomains(template: Template, strict: boolean): boolean {
  return Object.values(template.Parameters).every((parameter) => parameter.AllowedValues !== undefined || (!strict && parameter.Default !== undefined));
}

export function* assignments(domainsByName: Record<string, string[]>): Generator<Assignment> {
  const names = Object.keys(domainsByName);
  const counters = names.map(() => 0);
  if (names.some((name) => domainsByName[name].length === 0)) return;
  for (;;) {
    yield Object.fromEntries(names.map((name, i) => [name, domainsByName[name][counters[i]]]));
    let i = names.length - 1;
    while (i >= 0 && ++counters[i] === domainsByName[names[i]].length) counters[i--] = 0;
    if (i < 0) return;
  }
}

export function judgeTrail(template: Template, logicalId: string, strict: boolean): TrailVerdict {
  let created: Assignment | undefined;
  for (const assignment of assignments(domains(template, strict))) {
    const outcome = trailOutcome(template, logicalId, assignment);
    if (outcome === 'single-region') return { kind: 'fails', when: assignment };
    if (outcome === 'multi-region') created ??= assignment;
  }
  return created ? { kind: 'passes', created } : { kind: 'never-created' };
}
