import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/lint';

const here = (name: string) => path.join(__dirname, 'fixtures', name);
const cwd = path.join(__dirname, 'fixtures');

describe('plain CloudFormation nested stacks', () => {
  it('follows a local TemplateURL with the parameters the parent passes, naming the parent that deploys it', () => {
    const deployed = [
      // Multi is passed as the literal "false": it overrides the nested Default "true".
      ['T', 'fail', { Multi: 'false' }, [{ file: 'parent.yaml', logicalId: 'Audit' }]],
      // Other gets !Ref Env, which the parent does not fix: the nested Default "prod" does not apply.
      ['U', 'fail', { Other: 'other' }, [{ file: 'parent.yaml', logicalId: 'Audit' }]],
    ];
    const view = (report: ReturnType<typeof lintPaths>) =>
      report.results.filter((result) => result.file === 'stacks/trail.yaml').map((result) => [result.logicalId, result.status, result.when, result.deployedBy]);
    expect(view(lintPaths([here('parent.yaml')], { cwd }))).toEqual(deployed);
    // The folder holds the nested template too: it is judged standalone as well (adding a parent never hides a failure).
    expect(view(lintPaths([cwd], { cwd }))).toEqual([['T', 'pass', undefined, undefined], ['U', 'pass', undefined, undefined], ...deployed]);
  });

  it('says a value came from the parent stack, not from the deployer', () => {
    const nested = lintPaths([here('parent.yaml')], { cwd }).results.find((result) => result.logicalId === 'T');
    expect(nested?.because).toContain('Multi: false (passed by the parent stack)');
  });

  it('reports a remote TemplateURL as unknown, never as nothing to check', () => {
    const report = lintPaths([here('parent.yaml')], { cwd });
    expect(report.results.find((result) => result.logicalId === 'Remote')).toMatchObject({
      status: 'unknown',
      file: 'parent.yaml',
      line: 16,
      column: 7,
    });
  });

  it('passes no fixed value for the Default of an SSM parameter, or of a parameter given UsePreviousValue', () => {
    const view = (report: ReturnType<typeof lintPaths>) => report.results.map((result) => [result.deployedBy?.[0].logicalId, result.status, result.when]);
    // The SSM parameter's Default names a Parameter Store entry: the child's Marker may be any value.
    // (Both children then get the same inputs: the one finding is reported once.)
    expect(view(lintPaths([here('deploy-time/parent.yaml')], { cwd, previousParameters: ['Kept'] }))).toEqual([
      ['Stored', 'fail', { Marker: expect.not.stringMatching(/^\/audit\/marker$/) }],
    ]);
    // Without UsePreviousValue, Kept's Default fixes what Previous passes: that child's trail is in no deployment.
    expect(view(lintPaths([here('deploy-time/parent.yaml')], { cwd }))).toEqual([
      ['Stored', 'fail', { Marker: expect.not.stringMatching(/^\/audit\/marker$/) }],
      ['Previous', 'skip', undefined],
    ]);
  });

  it('makes a cycle and a path out of the linted folder input errors', () => {
    const cycle = lintPaths([here('cycle/a.yaml')], { cwd });
    expect(cycle.errors).toEqual([expect.objectContaining({ file: 'cycle/b.yaml', line: 5, column: 7, code: 'E2503' })]);
    const escape = lintPaths([here('escape.yaml')], { cwd });
    expect(escape.errors).toEqual([expect.objectContaining({ file: 'escape.yaml', line: 5, code: 'E2502' })]);
  });
});
