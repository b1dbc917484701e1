import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/lint';

const here = (name: string) => path.join(__dirname, 'fixtures', name);
const cwd = path.join(__dirname, 'fixtures');

describe('plain CloudFormation nested stacks', () => {
  it('follows a local TemplateURL with the parameters the parent passes, and reports the nested template once', () => {
    for (const input of [[here('parent.yaml')], [cwd]]) {
      const report = lintPaths(input, { cwd });
      const nested = report.results.filter((result) => result.file === 'stacks/trail.yaml');
      // Multi is passed as the literal "false": it overrides the nested Default "true".
      expect(nested.map((result) => [result.logicalId, result.status, result.when])).toEqual([
        ['T', 'fail', { Multi: 'false' }],
        // Other gets !Ref Env, which the parent does not fix: the nested Default "prod" does not apply.
        ['U', 'fail', { Other: 'other' }],
      ]);
    }
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
