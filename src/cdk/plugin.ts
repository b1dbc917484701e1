import * as path from 'node:path';
import { DEFAULT_RULE_IDS, RULES } from '../../rules';
import { lintSources } from '../lint';
import { discoverStackTemplates } from '../load/cloud-assembly';
import { TOOL } from '../version';
import { aspectLintOptions, checkRuleIds, warnsOnUnknown, type MultiRegionTrailAspectOptions } from './aspect';
import { cdkFix, summarizeFinding } from './findings';

// The plugin interface, written out: aws-cdk-lib names it `IPolicyValidationPluginBeta1` up to 2.1xx and
// `IPolicyValidationPlugin` since (with other report types); this shape satisfies both, so that the declarations
// type-check on every supported aws-cdk-lib, and the plugin is accepted by `new App({ policyValidationBeta1 })` and
// by `Validations.of(app).addPlugins()` alike.

/** What CDK hands a plugin: the synthesized template files. */
export interface TrailPluginContext {
  readonly templatePaths: string[];
}

export interface TrailPluginViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly fix?: string;
  readonly severity?: string;
  readonly violatingResources: { readonly resourceLogicalId: string; readonly templatePath: string; readonly locations: string[] }[];
}

export interface TrailPluginReport {
  readonly success: boolean;
  readonly violations: TrailPluginViolation[];
}

/**
 * A CDK policy validation plugin (`Validations.of(app).addPlugins(new MultiRegionTrailPlugin())`, or
 * `new App({ policyValidationBeta1: [new MultiRegionTrailPlugin()] })` on aws-cdk-lib without `Validations`) that lints the
 * synthesized template files with the same engine as the CLI — including the nested stack templates, which CDK
 * does not hand to plugins. It reports under the name `cfn-trail-lint`, so CDK also honours acknowledgements
 * written as `cfn-trail-lint::CLOUDTRAIL_MULTI_REGION_ENABLED`.
 *
 * Caveat — prefer `MultiRegionTrailAspect` as the gate: under plain `cdk synth` (what a CDK Pipelines synth step
 * runs) the CDK CLI reports plugin violations only for the stacks it selects, the top-level ones, so a violation
 * in a stack inside a `Stage` exits 0. `cdk synth '**'` and in-process `app.synth()` do fail on it.
 */
export class MultiRegionTrailPlugin {
  readonly name = TOOL.name;
  readonly version = TOOL.version;
  readonly ruleIds: string[];
  private readonly options: MultiRegionTrailAspectOptions;

  constructor(options: MultiRegionTrailAspectOptions = {}) {
    checkRuleIds(options.rules);
    this.options = options;
    this.ruleIds = options.rules ? [...options.rules] : [...DEFAULT_RULE_IDS];
  }

  validate(context: TrailPluginContext): TrailPluginReport {
    const { sources, errors: readErrors } = discoverStackTemplates(context.templatePaths);
    const violations: TrailPluginViolation[] = [];
    const errors = [...readErrors];
    // All templates in one run, as the command line lints a cdk.out: set rules (the account rule) see every stack.
    // The Aspect's options, read as the Aspect reads them (a parameters file included).
    const report = lintSources(sources, aspectLintOptions(this.options));
    errors.push(...report.errors);
    for (const result of report.results) {
      if (result.status !== 'fail' && result.status !== 'unknown') continue;
      const rule = RULES.find((candidate) => candidate.id === result.ruleId);
      violations.push({
        ruleName: result.ruleId,
        description: summarizeFinding(result),
        fix: cdkFix(result.ruleId),
        severity: result.status === 'unknown' && warnsOnUnknown(this.options.unknown) ? 'warning' : 'error',
        // A nested template's results come with its parent's source: the file each result names (relative to the
        // working directory, as no cwd is given) is the template it is in.
        violatingResources: [{ resourceLogicalId: result.logicalId, templatePath: path.resolve(result.file), locations: rule ? [`Properties/${rule.property}`] : [] }],
      });
    }
    for (const error of errors) {
      violations.push({
        ruleName: error.code,
        description: `${error.file}: ${error.message}`,
        severity: 'error',
        violatingResources: [{ resourceLogicalId: '', templatePath: error.file, locations: [] }],
      });
    }
    return { success: !violations.some((violation) => violation.severity === 'error'), violations };
  }
}
