import { Annotations, Stage, type IAspect } from 'aws-cdk-lib';
import { ALL_RULES } from '../../rules';
import type { IConstruct } from 'constructs';
import { Code } from '../codes';
import { readParametersFile } from '../load/parameters-file';
import { ParametersError, type GivenParameters } from '../parameters';
import type { LintOptions, TrailResult } from '../types';
import { lintConstructTree } from './construct-sources';
import { MultiRegionTrailError, describeFinding } from './findings';

/** What an `unknown` verdict does: `'fail'` (the default) or `'warn'`, as on the command line (`--unknown`). */
export type UnknownVerdict = 'fail' | 'warn';

export interface MultiRegionTrailAspectOptions {
  /** Parameter Defaults do not fix values: every value a deployer may pass counts. */
  readonly strict?: boolean;
  /**
   * A trail whose value cannot be known fails (`'fail'`, the default) or is a warning (`'warn'`), as the command
   * line's `--unknown`. The spellings `'error'` and `'warning'` are deprecated aliases of `'fail'` and `'warn'`.
   */
  readonly unknown?: UnknownVerdict | 'error' | 'warning';
  /** Parameter values the deployment passes to the app's stacks; a nested stack gets its parent's values only. */
  readonly parameters?: Record<string, string>;
  /**
   * A parameters file, as the command line's `--parameters-file` reads it (CloudFormation's list, CodePipeline's
   * template configuration, or `{"Key": "Value"}`), relative to the working directory; `parameters` win over it.
   */
  readonly parametersFile?: string;
  /**
   * The rules to apply, as the command line's `--rule` (default: CLOUDTRAIL_MULTI_REGION_ENABLED alone). With
   * ACCOUNT_MULTI_REGION_TRAIL_EXISTS the app's stacks, Stage stacks included, are grouped by the account of their
   * environment, and an account without a qualifying trail fails the synth.
   */
  readonly rules?: string[];
}

/**
 * Whether `unknown` lets an unknown verdict pass. Anything but an explicit warn (or its old spelling) fails: a
 * misspelt option must not turn the gate off.
 */
export function warnsOnUnknown(unknown: MultiRegionTrailAspectOptions['unknown'] | string | undefined): boolean {
  return unknown === 'warn' || unknown === 'warning';
}

/**
 * Checks every `AWS::CloudTrail::Trail` the app synthesizes (L1 `CfnTrail`, so L2 `Trail` too, and any resource
 * whose Type an override makes a trail) with the same engine as the CLI, and fails the synthesis when one would
 * not log every Region:
 *
 * ```ts
 * Aspects.of(app).add(new MultiRegionTrailAspect());
 * ```
 *
 * Why it is not a plain per-node Aspect: CDK synthesizes each `Stage` before it runs the App's aspects and never
 * carries them into the Stage, and plain `cdk synth` ignores error annotations on stacks inside a Stage — so
 * annotations alone pass every CDK Pipelines app silently. Instead, the first node the Aspect visits (the one it
 * was added to) gets a validation; CDK runs it after all aspects and `prepare`, when templates are final. It
 * evaluates the trails of every stack below, Stages and nested stacks included, annotates each trail, and throws
 * one `MultiRegionTrailError` listing every violation. A thrown error fails `cdk synth` whatever stacks it
 * selects, `cdk deploy`, and `app.synth()` in tests.
 *
 * It does not run for `Template.fromStack(stack)` of a stack inside a Stage: that synthesizes the Stage alone,
 * where the App's aspects never run. Unit tests call `checkStack(stack)` for that.
 */
export class MultiRegionTrailAspect implements IAspect {
  private readonly options: MultiRegionTrailAspectOptions;
  /** Constructs that already carry this Aspect's validation: synthesizing an app again must not add it twice. */
  private readonly guarded = new WeakSet<IConstruct>();

  constructor(options: MultiRegionTrailAspectOptions = {}) {
    this.options = options;
  }

  visit(node: IConstruct): void {
    if (node.node.scopes.some((scope) => this.guarded.has(scope))) return;
    this.guarded.add(node);
    node.node.addValidation({ validate: () => (checkTree(node, this.options, true), []) });
  }
}

/**
 * Checks a stack (with its nested stacks), a Stage or the App as the Aspect does, and throws `MultiRegionTrailError`
 * naming each failing trail's construct path. For unit tests, where `Template.fromStack(stack)` of a stack inside a
 * Stage never runs the App's aspects:
 *
 * ```ts
 * expect(() => checkStack(stack)).not.toThrow();
 * ```
 *
 * It synthesizes the stack's Stage first (as `Template.fromStack` does, cached by CDK), so that every other aspect
 * has run and the templates are final.
 */
export function checkStack(scope: IConstruct, options: MultiRegionTrailAspectOptions = {}): void {
  (Stage.isStage(scope) ? scope : Stage.of(scope))?.synth();
  checkTree(scope, options, false);
}

/** A rule id the app names that no rule has is refused: it would check nothing, silently. */
export function checkRuleIds(rules: readonly string[] | undefined): void {
  const unknownRule = rules?.find((id) => !ALL_RULES.some((rule) => rule.id === id));
  if (unknownRule !== undefined) throw new Error(`cfn-trail-lint: error ${Code.RuleUnknown} rules: no rule ${unknownRule} (${ALL_RULES.map((rule) => rule.id).join(', ')})`);
}

function checkTree(root: IConstruct, options: MultiRegionTrailAspectOptions, annotating: boolean): void {
  checkRuleIds(options.rules);
  const { findings, errors } = lintConstructTree(root, aspectLintOptions(options));
  const failing: TrailResult[] = [];
  const notes = new Map<TrailResult, string[]>();
  for (const { result, construct, notes: found } of findings) {
    const level = levelOf(result, options);
    if (annotating && level !== undefined) annotate(construct, level, result);
    if (level !== 'error') continue;
    failing.push(result);
    if (found.length > 0) notes.set(result, found);
  }
  if (failing.length > 0 || errors.length > 0) throw new MultiRegionTrailError(failing, errors, notes);
}

/**
 * The engine's options for the Aspect's: the parameters file read as the command line reads it, `parameters` winning
 * over it. A file that cannot be read fails the synth, naming it.
 */
export function aspectLintOptions(options: MultiRegionTrailAspectOptions): LintOptions {
  const { strict } = options;
  let fromFile: GivenParameters = { values: {}, previous: [] };
  try {
    if (options.parametersFile !== undefined) fromFile = readParametersFile(options.parametersFile);
  } catch (error) {
    if (!(error instanceof ParametersError)) throw error;
    throw new MultiRegionTrailError([], [{ file: options.parametersFile!, code: error.code, message: error.message }]);
  }
  // A copy without a prototype: a parameter is data, `toString` a valid name.
  const parameters = options.parameters || options.parametersFile ? Object.assign(Object.create(null) as Record<string, string>, fromFile.values, options.parameters) : undefined;
  const previous = fromFile.previous.filter((name) => !Object.hasOwn(options.parameters ?? {}, name));
  return { strict, parameters, ...(previous.length > 0 && { previousParameters: previous }), ...(options.rules && { rules: [...options.rules] }) };
}

function levelOf(result: TrailResult, options: MultiRegionTrailAspectOptions): 'error' | 'warning' | 'info' | undefined {
  if (result.status === 'fail') return 'error';
  if (result.status === 'unknown') return warnsOnUnknown(options.unknown) ? 'warning' : 'error';
  if (result.status === 'suppressed') return 'info';
  return undefined;
}

/** Annotations show in `cdk synth` output for the stacks it selects, and in `Annotations.fromStack` tests. */
function annotate(construct: IConstruct, level: 'error' | 'warning' | 'info', result: TrailResult): void {
  const annotations = Annotations.of(construct);
  const message = describeFinding(result);
  if (level === 'error') annotations.addError(message);
  // CDK suggests acknowledging a warning by its id: the rule id, which this Aspect honours as a suppression too.
  else if (level === 'warning') annotations.addWarningV2(result.ruleId, message);
  else annotations.addInfo(message);
}
