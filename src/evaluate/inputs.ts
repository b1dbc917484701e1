import type { Dependencies } from './analyze';
import { UNNAMED_PARTITION_REGION } from './intrinsics';
import type { ParameterDeclaration, TemplateModel } from './model';
import { isListType, type Observation } from './observe';
import { compileAllowedPattern } from './pattern';
import { COMMERCIAL_REGIONS, REGION_PER_PARTITION } from './regions';
import { hasOwn } from './values';

/**
 * How an input (a parameter, a pseudo parameter, the reading of an ambiguous YAML scalar) is known in the
 * deployments being judged:
 * - fixed: one value (given by the deployer, or a parameter Default outside strict mode);
 * - free: any permitted value; its Domain says which values are worth trying, learns more from what the
 *   evaluation observes, and says when the values tried do not cover every value;
 * - external: read at deploy time from outside the template.
 */
export type InputSpec =
  | { kind: 'fixed'; value: string | string[]; origin: 'given' | 'default' }
  | { kind: 'free'; domain: Domain; note?: string }
  | { kind: 'external'; reason: string };

export interface InputOptions {
  /** Values given for the template's parameters (own properties only: names are data). */
  parameters: Record<string, string>;
  region?: string;
  strict: boolean;
  /** Parameters given as UsePreviousValue: the stack's current value. */
  previous?: ReadonlySet<string>;
  /** Parameters whose Default does not apply (a parent stack passes a value the template cannot tell). */
  unfixed?: ReadonlySet<string>;
}

/** The values worth trying for one free input. */
export interface Domain {
  /** Every value the deployer may choose is among the candidates (AllowedValues, the readings of a scalar). */
  readonly closed: boolean;
  candidates(): unknown[];
  /** Learns from observations of this input what else is worth trying; true when the candidates grew. */
  learn(observations: Observation[]): boolean;
  /** Why the candidates do not cover every permitted value, even for an input only compared for equality. */
  incomplete(): string | undefined;
  /** How explain describes the values the input ranges over. */
  readonly description: string;
}

/** Lists tried for a list input at most (all lengths together); past it the input is not covered. */
const MAX_LISTS = 600;
/** Indices past this are not tried (a list that long is not built). */
const MAX_LIST_INDEX = 1000;

class ClosedDomain implements Domain {
  readonly closed = true;
  constructor(
    private readonly values: unknown[],
    readonly description: string,
  ) {}
  candidates(): unknown[] {
    return this.values;
  }
  learn(): boolean {
    return false;
  }
  incomplete(): string | undefined {
    return undefined;
  }
}

/**
 * A string input with no list of allowed values: the values it was compared with (those it may take) and one
 * fresh permitted value equal to none of them. `fresh` makes such a value, avoiding the given ones.
 */
class OpenDomain implements Domain {
  readonly closed = false;
  private readonly met = new Set<string>();
  /** Values met that are not another input's: the fresh value must differ from each. */
  private readonly constants = new Set<string>();
  private freshValue: string | undefined;
  constructor(
    seeds: string[],
    private readonly permits: (value: string) => boolean,
    private readonly fresh: (avoid: ReadonlySet<string>) => string | undefined,
    readonly description: string,
  ) {
    for (const seed of seeds) this.met.add(seed);
    this.freshValue = fresh(this.met);
  }
  candidates(): unknown[] {
    const values = [...this.met];
    if (this.freshValue !== undefined) values.push(this.freshValue);
    return values;
  }
  learn(observations: Observation[]): boolean {
    let grew = false;
    for (const observation of observations) {
      if (observation.kind !== 'equals' && observation.kind !== 'item') continue;
      // A value another input took is a candidate (to try the two equal), but not one the fresh value must avoid:
      // the two inputs' own fresh values already try them unequal.
      if (!(observation.kind === 'equals' && observation.peer !== undefined)) this.constants.add(observation.value);
      if (!this.met.has(observation.value) && this.permits(observation.value)) {
        this.met.add(observation.value);
        grew = true;
      }
    }
    if (this.freshValue !== undefined && this.constants.has(this.freshValue)) {
      this.freshValue = this.fresh(this.met);
      grew = true;
    }
    return grew;
  }
  incomplete(): string | undefined {
    return this.freshValue === undefined ? 'no permitted value other than those it is compared with could be made' : undefined;
  }
}

/**
 * A list input: lists whose items at the indices read (`!Select [i, …]`) range over the item domain, of every
 * length that puts each index read just out of range or in range. Items at indices never read cannot change an
 * outcome (a list read any other way — joined, compared whole — is opaque), so they take the first item value.
 */
class ListDomain implements Domain {
  readonly closed = false;
  private readonly indices = new Set<number>();
  private readPastLimit = false;
  constructor(
    private readonly items: Domain,
    private readonly minLength: number,
    readonly description: string,
  ) {}
  private lengths(): number[] {
    const lengths = new Set([this.minLength, Math.max(this.minLength, 1), Math.max(this.minLength, 2)]);
    for (const index of this.indices) {
      if (index >= this.minLength) lengths.add(index);
      lengths.add(Math.max(this.minLength, index + 1));
    }
    return [...lengths].sort((a, b) => a - b);
  }
  private count(): number {
    const items = this.items.candidates().length;
    return this.lengths().reduce((sum, length) => sum + items ** [...this.indices].filter((index) => index < length).length, 0);
  }
  candidates(): unknown[] {
    const items = this.items.candidates().map(String);
    if (items.length === 0) return this.minLength === 0 ? [[]] : [];
    const lists: string[][] = [];
    for (const length of this.lengths()) {
      const read = [...this.indices].filter((index) => index < length).sort((a, b) => a - b);
      let layer: string[][] = [Array.from({ length }, () => items[0])];
      for (const index of read) {
        layer = layer.flatMap((list) => items.map((item) => list.map((value, at) => (at === index ? item : value))));
        if (layer.length > MAX_LISTS) break;
      }
      lists.push(...layer);
      if (lists.length > MAX_LISTS) return lists.slice(0, MAX_LISTS);
    }
    return lists;
  }
  learn(observations: Observation[]): boolean {
    let grew = this.items.learn(observations.filter((observation) => observation.kind === 'item'));
    for (const observation of observations) {
      if (observation.kind === 'index' && observation.index >= MAX_LIST_INDEX) this.readPastLimit = true;
      else if (observation.kind === 'index' && observation.index >= 0 && !this.indices.has(observation.index)) {
        this.indices.add(observation.index);
        grew = true;
      }
    }
    return grew;
  }
  incomplete(): string | undefined {
    if (this.readPastLimit) return `an index past ${MAX_LIST_INDEX} is read`;
    if (this.count() > MAX_LISTS) return `more than ${MAX_LISTS} lists would have to be tried`;
    return this.items.incomplete();
  }
}

/** The inputs a decision depends on, each fixed, free (with its domain) or external. */
export function classifyInputs(model: TemplateModel, dependencies: Dependencies, options: InputOptions): Map<string, InputSpec> {
  const specs = new Map<string, InputSpec>();
  let salt = 0;
  for (const name of dependencies.inputs) {
    const parameter = model.parameters.get(name);
    specs.set(name, parameter ? parameterSpec(parameter, options, salt++) : pseudoSpec(name, dependencies, options));
  }
  return specs;
}

/**
 * `salt` tells apart the fresh values of different parameters: two parameters compared with each other must
 * also be tried unequal, and a fresh value that the other one meets is replaced (see OpenDomain.learn).
 */
/**
 * The value a parameter has in every deployment, or undefined where it may vary or cannot be known — as
 * evaluation decides it (a given value, else an accepted Default unless `--strict` or a parent replaces it; never
 * for an SSM parameter or UsePreviousValue). Loops (Fn::ForEach) are expanded, and nested stacks passed values,
 * by this alone. A list is given as CloudFormation passes it on, comma-joined.
 */
export function fixedValues(declarations: ReadonlyMap<string, ParameterDeclaration>, options: InputOptions): (name: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  return (name) => {
    if (known.has(name)) return known.get(name);
    const declaration = declarations.get(name);
    const spec = declaration && parameterSpec(declaration, options, 0);
    const value = spec?.kind !== 'fixed' ? undefined : Array.isArray(spec.value) ? spec.value.join(',') : spec.value;
    known.set(name, value);
    return value;
  };
}

function parameterSpec(parameter: ParameterDeclaration, options: InputOptions, salt: number): InputSpec {
  if (parameter.type.startsWith('AWS::SSM::Parameter::Value<')) {
    return { kind: 'external', reason: `parameter ${parameter.name} is an SSM parameter: its value is read from Parameter Store at deploy time` };
  }
  if (options.previous?.has(parameter.name)) {
    return { kind: 'external', reason: `parameter ${parameter.name} is given as UsePreviousValue: the value the stack has now, which the template cannot tell` };
  }
  const isList = isListType(parameter.type);
  if (hasOwn(options.parameters, parameter.name)) {
    const given = options.parameters[parameter.name];
    return { kind: 'fixed', value: isList ? given.split(',') : given, origin: 'given' };
  }
  const constraints = constraintsOf(parameter, salt);
  const defaults = parameter.defaultReadings ?? (parameter.default === undefined ? [] : [parameter.default]);
  const accepted = defaults.filter((value) => constraints.refusal(value) === undefined);
  let note: string | undefined;
  if (defaults.length > 0 && accepted.length === 0) {
    note = `Default ${JSON.stringify(defaults[0])} is refused by CloudFormation (${constraints.refusal(defaults[0])}): it fixes nothing`;
  } else if (defaults.length > 0 && constraints.unreadPattern) {
    // CloudFormation may refuse the Default by a pattern the engine cannot read: then it fixes nothing either.
    accepted.length = 0;
    note = `Default ${JSON.stringify(defaults[0])} may be refused by AllowedPattern ${parameter.allowedPattern}, which is not understood here: it fixes nothing`;
  }
  if (accepted.length > 0 && !options.strict && !options.unfixed?.has(parameter.name)) {
    if (accepted.length === 1) return { kind: 'fixed', value: isList ? accepted[0].split(',') : accepted[0], origin: 'default' };
    const readings = isList ? accepted.map((value) => value.split(',')) : accepted;
    return { kind: 'free', domain: new ClosedDomain(readings, `Default ${defaults.join(' or ')} (YAML 1.1 and 1.2 read it differently)`) };
  }
  if (isList) {
    const items = parameter.allowedValues
      ? new ClosedDomain([...new Set(parameter.allowedValues)], `items from AllowedValues`)
      : new OpenDomain([], () => true, (avoid) => freshText(avoid, salt), 'any items');
    return { kind: 'free', domain: new ListDomain(items, 1, `lists of ${items.description}`), note };
  }
  if (parameter.allowedValues) {
    const permitted = [...new Set([...accepted, ...parameter.allowedValues])].filter((value) => constraints.refusal(value) === undefined);
    return { kind: 'free', domain: new ClosedDomain(permitted, `AllowedValues [${parameter.allowedValues.join(', ')}]`), note };
  }
  if (constraints.language) {
    const permitted = [...new Set([...accepted, ...constraints.language])];
    return { kind: 'free', domain: new ClosedDomain(permitted, constraints.description), note };
  }
  const permits = (value: string) => constraints.refusal(value) === undefined;
  return { kind: 'free', domain: new OpenDomain(accepted, permits, constraints.fresh, constraints.description), note };
}

interface Constraints {
  /** Why CloudFormation refuses the value for this parameter, or undefined when it accepts it. */
  refusal(value: string): string | undefined;
  /** A permitted value not among `avoid`, or undefined when none could be made. */
  fresh(avoid: ReadonlySet<string>): string | undefined;
  /** Every value the AllowedPattern and lengths permit, when they are few. */
  language?: string[];
  /** The AllowedPattern cannot be read: it constrains nothing, and cannot show a Default accepted. */
  unreadPattern: boolean;
  description: string;
}

/** A pattern whose language has at most this many strings is tried in full. */
const SMALL_LANGUAGE = 32;

/** A parameter's Type, AllowedValues, AllowedPattern, MinLength/MaxLength and MinValue/MaxValue. */
const constraintsCache = new WeakMap<ParameterDeclaration, Map<number, Constraints>>();

/**
 * Sampling a pattern's language costs milliseconds: it is done once per pattern and lengths in a run, however
 * many parameters (or templates) share them.
 */
const patternResults = new Map<string, unknown>();

function patternWork<T>(parameter: ParameterDeclaration, kind: 'pool' | 'language', work: () => T): T {
  const key = JSON.stringify([kind, parameter.allowedPattern, parameter.minLength ?? null, parameter.maxLength ?? null]);
  if (patternResults.has(key)) return patternResults.get(key) as T;
  if (patternResults.size >= 1024) patternResults.clear();
  const result = work();
  patternResults.set(key, result);
  return result;
}

/** A parameter's constraints, once per declaration and salt (a template's trails share its parameters). */
export function constraintsOf(parameter: ParameterDeclaration, salt = 0): Constraints {
  let bySalt = constraintsCache.get(parameter);
  if (!bySalt) constraintsCache.set(parameter, (bySalt = new Map()));
  let constraints = bySalt.get(salt);
  if (!constraints) bySalt.set(salt, (constraints = readConstraints(parameter, salt)));
  return constraints;
}

function readConstraints(parameter: ParameterDeclaration, salt: number): Constraints {
  const pattern = parameter.allowedPattern === undefined ? undefined : compileAllowedPattern(parameter.allowedPattern);
  const isNumber = parameter.type === 'Number';
  const lengths = { min: parameter.minLength, max: parameter.maxLength };
  if (isListType(parameter.type)) {
    // AllowedValues constrain each item of a list; the other constraints are not read for lists (none applies).
    const refusal = (value: string) => (parameter.allowedValues && value.split(',').some((item) => !parameter.allowedValues!.includes(item)) ? 'an item is not in AllowedValues' : undefined);
    return { refusal, fresh: (avoid) => freshText(avoid, salt), unreadPattern: false, description: 'any list' };
  }
  const refusal = (value: string): string | undefined => {
    if (parameter.allowedValues && !parameter.allowedValues.includes(value)) return 'not in AllowedValues';
    if (isNumber) {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number)) return 'not a Number';
      if (parameter.minValue !== undefined && number < parameter.minValue) return `below MinValue ${parameter.minValue}`;
      if (parameter.maxValue !== undefined && number > parameter.maxValue) return `above MaxValue ${parameter.maxValue}`;
    }
    if (lengths.min !== undefined && value.length < lengths.min) return `shorter than MinLength ${lengths.min}`;
    if (lengths.max !== undefined && value.length > lengths.max) return `longer than MaxLength ${lengths.max}`;
    if (pattern?.understood && !pattern.matches(value)) return `does not match AllowedPattern ${parameter.allowedPattern}`;
    return undefined;
  };
  const accepts = (value: string) => refusal(value) === undefined;
  // Matching values are sampled once per parameter; a domain picks from them (the salt spreads the picks).
  const fresh = (avoid: ReadonlySet<string>): string | undefined => {
    if (pattern?.understood) {
      const pool = patternWork(parameter, 'pool', () => pattern.sample(64, new Set(), lengths)).filter(accepts);
      const free = pool.filter((value) => !avoid.has(value));
      if (free.length > 0) return free[salt % free.length];
      return pattern.sample(8, avoid, lengths).find((value) => accepts(value) && !avoid.has(value));
    }
    if (isNumber) return freshNumber(parameter, avoid, accepts, salt);
    return freshText(avoid, salt, lengths, accepts);
  };
  let language: string[] | undefined;
  if (pattern?.understood) language = patternWork(parameter, 'language', () => pattern.language(SMALL_LANGUAGE, lengths))?.filter(accepts);
  const described = [
    pattern && (pattern.understood ? `AllowedPattern ${parameter.allowedPattern}` : `AllowedPattern ${parameter.allowedPattern} (not understood: constrains nothing here)`),
    isNumber && 'a Number',
  ].filter(Boolean);
  return { refusal, fresh, language, unreadPattern: pattern !== undefined && !pattern.understood, description: described.length > 0 ? `any value: ${described.join(', ')}` : 'any value' };
}

function freshText(
  avoid: ReadonlySet<string>,
  salt: number,
  lengths: { min?: number; max?: number } = {},
  accepts: (value: string) => boolean = () => true,
): string | undefined {
  const name = salt === 0 ? 'other' : `other-${String.fromCharCode(97 + (salt % 26))}${salt >= 26 ? salt : ''}`;
  const length = Math.min(Math.max(name.length, lengths.min ?? 0), lengths.max ?? Infinity);
  if (length < 0) return undefined;
  const base = name.padEnd(length, 'x').slice(0, length);
  for (let n = 0; n < 200; n++) {
    const suffix = n === 0 ? '' : String(n + 1);
    const value = suffix.length > length ? undefined : base.slice(0, length - suffix.length) + suffix;
    if (value !== undefined && !avoid.has(value) && accepts(value)) return value;
  }
  return undefined;
}

function freshNumber(parameter: ParameterDeclaration, avoid: ReadonlySet<string>, accepts: (value: string) => boolean, salt: number): string | undefined {
  const low = parameter.minValue ?? 0;
  const span = parameter.maxValue === undefined ? 1000 : Math.max(1, Math.floor(parameter.maxValue - low) + 1);
  const start = low + ((salt * 37) % span);
  for (let n = 0; n < 200; n++) {
    const number = low + ((start - low + n) % span);
    for (const value of [String(number), `${number}.0`, `0${number}`]) {
      if (!avoid.has(value) && accepts(value)) return value;
    }
  }
  return undefined;
}

function pseudoSpec(name: string, dependencies: Dependencies, options: InputOptions): InputSpec {
  if (name === 'AWS::Region') {
    if (options.region) return { kind: 'fixed', value: options.region, origin: 'given' };
    // Every partition a condition may test, and one no table names, when the partition or URL suffix is read.
    const seeds = dependencies.regionDerived.size > 0 ? [...Object.values(REGION_PER_PARTITION), UNNAMED_PARTITION_REGION] : [];
    return { kind: 'free', domain: new OpenDomain(seeds, isRegionShaped, freshRegion, 'any Region (none given with --region)') };
  }
  if (name === 'AWS::AccountId') {
    const fresh = (avoid: ReadonlySet<string>) => sequence(avoid, (n) => String(111111111111 * ((n % 9) + 1) + Math.floor(n / 9)));
    return { kind: 'free', domain: new OpenDomain([], (value) => /^\d{12}$/.test(value), fresh, 'any account ID') };
  }
  if (name === 'AWS::NotificationARNs') {
    const items = new OpenDomain([], () => true, (avoid) => sequence(avoid, (n) => `arn:aws:sns:us-east-1:111111111111:topic-${n + 1}`), 'any topic ARN');
    return { kind: 'free', domain: new ListDomain(items, 0, 'lists of SNS topic ARNs (possibly empty)') };
  }
  if (name === 'AWS::StackName') {
    const fresh = (avoid: ReadonlySet<string>) => sequence(avoid, (n) => `other-stack-${n + 1}`);
    return { kind: 'free', domain: new OpenDomain([], (value) => /^[A-Za-z][-A-Za-z0-9]{0,127}$/.test(value), fresh, 'any stack name') };
  }
  const fresh = (avoid: ReadonlySet<string>) => sequence(avoid, (n) => `other-${name.slice(5).toLowerCase()}-${n + 1}`);
  return { kind: 'free', domain: new OpenDomain([], () => true, fresh, 'any value at deploy time') };
}

/** Region names as AWS writes them (partitions yet to come included): `eu-west-1`, `eusc-de-east-1`. */
function isRegionShaped(value: string): boolean {
  return /^[a-z]{2,5}(-[a-z]+)+-\d{1,2}$/.test(value);
}

/** A Region the template does not name: a real one while there is one, then a made-up one. */
function freshRegion(avoid: ReadonlySet<string>): string {
  return COMMERCIAL_REGIONS.find((region) => !avoid.has(region)) ?? sequence(avoid, (n) => `zz-fresh-${n + 1}`);
}

function sequence(avoid: ReadonlySet<string>, make: (n: number) => string): string {
  for (let n = 0; ; n++) {
    const value = make(n);
    if (!avoid.has(value)) return value;
  }
}
