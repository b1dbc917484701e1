import * as path from 'node:path';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { RULES } from '../../rules';
import { lintSources } from '../lint';
import { discoverStackTemplates } from '../load/cloud-assembly';
import { TOOL } from '../version';
import type { MultiRegionTrailAspectOptions } from './aspect';
import { cdkFix, summarizeFinding } from './findings';

/**
 * A CDK policy validation plugin (`Validations.of(app).addPlugins(new MultiRegionTrailPlugin())`) that lints the
 * synthesized template files with the same engine as the CLI — including the nested stack templates, which CDK
 * does not hand to plugins. It reports under the name `cfn-trail-lint`, so CDK also honours acknowledgements
 * written as `cfn-trail-lint::CLOUDTRAIL_MULTI_REGION_ENABLED`.
 *
 * Caveat — prefer `MultiRegionTrailAspect` as the gate: under plain `cdk synth` (what a CDK Pipelines synth step
 * runs) the CDK CLI reports plugin violations only for the stacks it selects, the top-level ones, so a violation
 * in a stack inside a `Stage` exits 0. `cdk synth '**'` and in-process `app.synth()` do fail on it.
 */
export class MultiRegionTrailPlugin implements IPolicyValidationPlugin {
  readonly name = TOOL.name;
  readonly version = TOOL.version;
  readonly ruleIds = RULES.map((rule) => rule.id);
  private readonly options: MultiRegionTrailAspectOptions;

  constructor(options: MultiRegionTrailAspectOptions = {}) {
    this.options = options;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const { sources, errors: readErrors } = discoverStackTemplates(context.templatePaths);
    const violations: PolicyViolation[] = [];
    const errors = [...readErrors];
    // One template at a time, so that each finding points at the file it came from.
    for (const source of sources) {
      const report = lintSources([source], { strict: this.options.strict, parameters: this.options.parameters });
      errors.push(...report.errors);
      for (const result of report.results) {
        if (result.status !== 'fail' && result.status !== 'unknown') continue;
        const rule = RULES.find((candidate) => candidate.id === result.ruleId);
        violations.push({
          ruleName: result.ruleId,
          description: summarizeFinding(result),
          fix: cdkFix(result.ruleId),
          severity: result.status === 'unknown' && this.options.unknown === 'warning' ? 'warning' : 'error',
          // A nested template's results come with its parent's source: the file each result names (relative to the
          // working directory, as no cwd is given) is the template it is in.
          violatingResources: [{ resourceLogicalId: result.logicalId, templatePath: path.resolve(result.file), locations: [`Properties/${rule?.property}`] }],
        });
      }
    }
    for (const error of errors) {
      violations.push({
        ruleName: 'input-error',
        description: `${error.file}: ${error.message}`,
        severity: 'error',
        violatingResources: [{ templatePath: error.file, locations: [] }],
      });
    }
    return { success: !violations.some((violation) => violation.severity === 'error'), violations };
  }
}
