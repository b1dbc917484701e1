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

  it('reports a remote TemplateURL as unknown, never as nothing to check', () => {
    const report = lintPaths([here('parent.yaml')], { cwd });
    expect(report.results.find((result) => result.logicalId === 'Remote')).toMatchObject({
      status: 'unknown',
      file: 'parent.yaml',
      line: 16,
      column: 7,
    });
  });

  it('makes a cycle and a path out of the linted folder input errors', () => {
    const cycle = lintPaths([here('cycle/a.yaml')], { cwd });
    expect(cycle.errors).toEqual([expect.objectContaining({ file: 'cycle/b.yaml', line: 5, column: 7, message: expect.stringContaining('cycle') })]);
    const escape = lintPaths([here('escape.yaml')], { cwd });
    expect(escape.errors).toEqual([expect.objectContaining({ file: 'escape.yaml', line: 5, message: expect.stringContaining('leaves the linted folder') })]);
  });
});
