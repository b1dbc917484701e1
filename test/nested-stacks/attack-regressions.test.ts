import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FINDINGS_PER_RUN } from '../../src/limits';
import { MAX_NESTING_DEPTH, lintPaths, lintSources, type TemplateSource } from '../../src/lint';

// Regressions found by attacking the nested-stack resolver (#17): each folder's README has the command and what the
// linter said before the fix.
const at = (...parts: string[]) => path.join(__dirname, 'attack-fixtures', ...parts);
const verdicts = (report: ReturnType<typeof lintPaths>) => report.results.map((result) => `${result.ruleId} ${result.status} ${result.logicalId}`);

describe('nested stacks: attack regressions', () => {
  it('StackSets with the same logical ID at two depths of one file: the inner one is evaluated too', () => {
    expect(verdicts(lintPaths([at('stackset-same-id', 'parent.yaml')]))).toContain('CLOUDTRAIL_MULTI_REGION_ENABLED fail Bad');
  });

  it('--region does not fix AWS::Region for a nested stack inside a StackSet template', () => {
    expect(verdicts(lintPaths([at('stackset-grandchild-region', 'parent.yaml')], { region: 'us-east-1' }))).toContain('CLOUDTRAIL_MULTI_REGION_ENABLED fail Trail');
  });

  it("a StackSet's StackInstancesGroup ParameterOverrides reach its template", () => {
    expect(verdicts(lintPaths([at('stackset-parameter-overrides', 'parent.yaml')]))).not.toContain('CLOUDTRAIL_MULTI_REGION_ENABLED pass Trail');
  });

  it('the account rule does not credit a trail of a nested stack under a Condition', () => {
    const report = lintPaths([at('account-rule-conditional-nested', 'parent.yaml')], { rules: ['ACCOUNT_MULTI_REGION_TRAIL_EXISTS'] });
    expect(report.results.map((result) => result.status)).toEqual(['fail']);
  });

  it('Fn::Transform in the Properties of a nested stack resource is not ignored', () => {
    expect(verdicts(lintPaths([at('include-in-nested-stack-properties', 'parent.yaml')]))).not.toContain('CLOUDTRAIL_MULTI_REGION_ENABLED pass Trail');
  });

  it('an unexpandable Fn::ForEach that writes nested stacks is unknown', () => {
    expect(lintPaths([at('foreach-nested-stacks', 'parent.yaml')]).summary.unknown).toBeGreaterThan(0);
  });

  it("the account rule does not credit a StackSet's trail (deployed into other accounts) to the deploying account", () => {
    const report = lintPaths([at('account-rule-stackset-elsewhere', 'management.yaml')], { rules: ['ACCOUNT_MULTI_REGION_TRAIL_EXISTS'] });
    expect(report.results.map((result) => result.status)).toEqual(['fail']);
  });

  it('a Service Catalog provisioned product is unknown', () => {
    expect(lintPaths([at('service-catalog-product', 'parent.yaml')]).summary.unknown).toBeGreaterThan(0);
  });

  it("a child named '..child.yaml' inside the folder is followed", () => {
    const report = lintPaths([at('dotdot-name', 'parent.yaml')]);
    expect({ errors: report.errors.map((error) => error.message), verdicts: verdicts(report) }).toEqual({ errors: [], verdicts: ['CLOUDTRAIL_MULTI_REGION_ENABLED pass T'] });
  });

  it('a result in a StackSet body inside a StackSet body is placed in the outer file, on the outer TemplateBody', () => {
    const [result] = lintPaths([at('stackset-nested-body-position', 'parent.yaml')]).results;
    // Placed on the outer TemplateBody, in the file the user wrote (the inner body's line leads the reasons).
    expect([result.line, result.column]).toEqual([7, 7]);
  });
});

describe('nested stacks: bounds', () => {
  const trail = (id: string) => `  ${id}:\n    Type: AWS::CloudTrail::Trail\n    Properties: {S3BucketName: b, IsLogging: true, IsMultiRegionTrail: true}\n`;

  it('a template reached by 2^10 paths of a cloud assembly stops at the results limit, an input error, not the heap', () => {
    // Each level deploys the next twice, by URLs the app located: 1,024 instances of the last template, 100 trails each.
    const stacks = (id: string) => `  ${id}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: {'Fn::Sub': 'https://s3.amazonaws.com/\${AWS::AccountId}/asset.json'}\n`;
    let next: TemplateSource = { file: '/tmp/bomb/last.yaml', text: `Resources:\n${Array.from({ length: 100 }, (_, index) => trail(`T${index}`)).join('')}`, cdk: { stack: 'Last' } };
    for (let level = 9; level >= 0; level--) {
      const below = next;
      next = { file: `/tmp/bomb/level${level}.yaml`, text: `Resources:\n${stacks('A')}${stacks('B')}`, cdk: { stack: `L${level}`, nestedTemplates: new Map([['A', below], ['B', below]]) } };
    }
    const report = lintSources([next], { cwd: '/tmp' });
    expect(report.results.length).toBeLessThanOrEqual(MAX_FINDINGS_PER_RUN);
    expect(report.errors.map((error) => error.code)).toEqual(['E3002']);
  });

  it(`a chain of nested stacks deeper than ${MAX_NESTING_DEPTH} levels is an input error at the stack resource that goes deeper`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-deep-'));
    try {
      const depth = MAX_NESTING_DEPTH + 5;
      for (let level = 0; level <= depth; level++) {
        const child = level < depth ? `  N:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: t${level + 1}.yaml}\n` : '';
        fs.writeFileSync(path.join(dir, `t${level}.yaml`), `Resources:\n${trail('Trail')}${child}`);
      }
      const report = lintPaths([path.join(dir, 't0.yaml')], { cwd: dir });
      expect(report.errors).toMatchObject([{ code: 'E3007', file: `t${MAX_NESTING_DEPTH}.yaml` }]);
      expect(report.results).toHaveLength(MAX_NESTING_DEPTH + 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
