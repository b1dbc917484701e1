import { Annotations, type IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { TrailResult } from '../types';
import { lintConstructTree } from './construct-sources';
import { MultiRegionTrailError, describeFinding } from './findings';

export interface MultiRegionTrailAspectOptions {
  /** Parameter Defaults do not fix values: every value a deployer may pass counts. */
  readonly strict?: boolean;
  /** A trail whose value cannot be known fails the synth (`'error'`, the default) or is a warning. */
  readonly unknown?: 'error' | 'warning';
  /** Parameter values the deployment passes; they fix those inputs in every stack. */
  readonly parameters?: Record<string, string>;
}

/**
 * Checks every `AWS::CloudTrail::Trail` the app synthesizes (L1 `CfnTrail`, so L2 `Trail` too) with the same
 * engine as the CLI, and fails the synthesis when one would not log every Region:
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
    node.node.addValidation({ validate: () => this.check(node) });
  }

  private check(root: IConstruct): string[] {
    const { strict, parameters } = this.options;
    const { findings, errors } = lintConstructTree(root, { strict, parameters });
    const failing: TrailResult[] = [];
    for (const { result, trail } of findings) {
      const level = this.levelOf(result);
      if (level !== undefined) annotate(trail, level, result);
      if (level === 'error') failing.push(result);
    }
    if (failing.length > 0 || errors.length > 0) throw new MultiRegionTrailError(failing, errors);
    return [];
  }

  private levelOf(result: TrailResult): 'error' | 'warning' | 'info' | undefined {
    if (result.status === 'fail') return 'error';
    // Anything but an explicit 'warning' fails: a misspelt option must not turn the gate off.
    if (result.status === 'unknown') return this.options.unknown === 'warning' ? 'warning' : 'error';
    if (result.status === 'suppressed') return 'info';
    return undefined;
  }
}

/** Annotations show in `cdk synth` output for the stacks it selects, and in `Annotations.fromStack` tests. */
function annotate(trail: IConstruct, level: 'error' | 'warning' | 'info', result: TrailResult): void {
  const annotations = Annotations.of(trail);
  const message = describeFinding(result);
  if (level === 'error') annotations.addError(message);
  // CDK suggests acknowledging a warning by its id: the rule id, which this Aspect honours as a suppression too.
  else if (level === 'warning') annotations.addWarningV2(result.ruleId, message);
  else annotations.addInfo(message);
}
