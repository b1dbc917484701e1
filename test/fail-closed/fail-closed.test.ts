// Fail closed (README, "What the linter refuses to skip"): whatever a run is given and cannot see through is an input error or `unknown`, never a
// silent skip. Each block is one way a pull request could hide a regional trail, with real template fixtures.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/lint';

const cwd = path.join(__dirname, 'fixtures');
const here = (...names: string[]) => path.join(cwd, ...names);

describe('a file with a template extension that does not parse', () => {
  const broken = ['parse-failures/minified.json', 'parse-failures/quoted-keys.yaml', 'parse-failures/stream-with-template.yaml'];

  it('is an input error in a folder, whatever its text looks like', () => {
    const report = lintPaths([here('parse-failures')], { cwd });
    expect(report.errors.map((error) => error.file)).toEqual(broken);
    expect(report.errors.map((error) => error.code)).toEqual(['E1002', 'E1001', 'E1001']);
    expect(report.errors[1]).toMatchObject({ line: 5, column: 2 });
  });

  it('is an input error under --skip-non-templates too; files plainly something else are skipped', () => {
    const named = fs.readdirSync(here('parse-failures')).map((name) => here('parse-failures', name));
    const report = lintPaths(named, { cwd, skipNonTemplates: true });
    // package.json and tsconfig.json (known names), a Kubernetes stream and a YAML file without Resources are skipped.
    expect(report.errors.map((error) => error.file)).toEqual(broken);
    expect(report.results).toEqual([]);
  });
});

describe('a folder holding a manifest.json', () => {
  it('is not an assembly because of a decoy manifest: every template in it and below it is linted', () => {
    const report = lintPaths([here('manifest-decoy')], { cwd });
    expect(report.errors).toEqual([]);
    expect(report.results.map((result) => [result.file, result.status])).toEqual([
      ['manifest-decoy/regional.yaml', 'fail'],
      ['manifest-decoy/sub/below.yaml', 'fail'],
    ]);
  });

  it('found as a valid cloud assembly, still lints the template files its manifest does not reach', () => {
    const dir = fs.mkdtempSync(path.join(cwd, '..', '.work-'));
    try {
      fs.mkdirSync(path.join(dir, 'cdk.out', 'extra'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'cdk.out', 'manifest.json'), JSON.stringify({ version: '36.0.0', artifacts: {} }));
      fs.copyFileSync(here('manifest-decoy', 'regional.yaml'), path.join(dir, 'cdk.out', 'Hidden.template.json.yaml'));
      fs.copyFileSync(here('manifest-decoy', 'regional.yaml'), path.join(dir, 'cdk.out', 'extra', 'below.yaml'));
      const report = lintPaths([dir], { cwd: dir });
      expect(report.results.map((result) => [result.file, result.status])).toEqual([
        ['cdk.out/Hidden.template.json.yaml', 'fail'],
        ['cdk.out/extra/below.yaml', 'fail'],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('every way a template deploys another', () => {
  const report = lintPaths([here('deployers')], { cwd });
  const find = (file: string, logicalId: string) => report.results.filter((result) => result.file === file && result.logicalId === logicalId);

  it('follows a SAM application with a local Location of any file name, with its Parameters', () => {
    expect(find('deployers/apps/audit.cfn', 'AppTrail')).toContainEqual(
      expect.objectContaining({ status: 'fail', when: { Multi: 'false' }, deployedBy: [{ file: 'deployers/sam-application.yaml', logicalId: 'Audit' }] }),
    );
  });

  it('makes a local template path that names no file an input error at the parent line', () => {
    expect(report.errors).toEqual([expect.objectContaining({ file: 'deployers/missing-child.yaml', line: 5, column: 7, code: 'E2501' })]);
  });

  it('reports a Serverless Application Repository application unknown at its Location', () => {
    expect(find('deployers/sam-application.yaml', 'FromRepository')).toEqual([expect.objectContaining({ status: 'unknown', line: 12, column: 7 })]);
  });

  it('lints a StackSet TemplateBody as a template deployed with the StackSet Parameters, at the TemplateBody line', () => {
    expect(find('deployers/stack-set.yaml', 'MemberTrail')).toEqual([
      expect.objectContaining({ status: 'fail', line: 10, column: 7, when: { Multi: 'false' }, deployedBy: [{ file: 'deployers/stack-set.yaml', logicalId: 'EveryAccount' }] }),
    ]);
  });

  it('reports a Resources-level AWS::Include and a registry module unknown, naming them', () => {
    expect(find('deployers/include.yaml', 'Fn::Transform')).toEqual([expect.objectContaining({ status: 'unknown', message: expect.stringContaining('AWS::Include') })]);
    expect(find('deployers/module.yaml', 'Audit')).toEqual([expect.objectContaining({ status: 'unknown', message: expect.stringContaining('Example::Audit::Trail::MODULE') })]);
  });

  it('reads a nested stack whose whole Parameters is an !If as freeing every child parameter, and lints it despite its Condition', () => {
    expect(find('deployers/apps/audit.cfn', 'AppTrail')).toContainEqual(
      expect.objectContaining({ status: 'fail', deployedBy: [{ file: 'deployers/computed-parameters.yaml', logicalId: 'Audit' }] }),
    );
  });
});

describe('inputs scoped as CloudFormation scopes them', () => {
  it('gives a nested template only what its parent passes, never the command line parameters', () => {
    const report = lintPaths([here('scoped', 'parent.yaml')], { cwd, parameters: { Multi: 'true' } });
    expect(report.results).toEqual([expect.objectContaining({ file: 'scoped/child.yaml', status: 'fail', when: { Multi: 'false' } })]);
  });

  it('judges a template the user named standalone too, with the command line parameters', () => {
    const report = lintPaths([here('scoped')], { cwd, parameters: { Multi: 'true' } });
    expect(report.results.map((result) => [result.file, result.status, result.deployedBy?.length ?? 0])).toEqual([
      ['scoped/child.yaml', 'pass', 0],
      ['scoped/child.yaml', 'fail', 1],
    ]);
  });

  it('lints templates that nest each other twice, 25 deep, once per distinct input set', () => {
    const dir = fs.mkdtempSync(path.join(cwd, '..', '.work-'));
    try {
      for (let level = 0; level < 25; level++) {
        const child = level === 24 ? '' : ['A', 'B'].map((id) => `  ${id}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: t${level + 1}.yaml\n`).join('');
        const trail = `  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      S3BucketName: logs\n      IsMultiRegionTrail: ${level === 24 ? 'false' : 'true'}\n`;
        fs.writeFileSync(path.join(dir, `t${level}.yaml`), `Resources:\n${child}${trail}`);
      }
      const started = Date.now();
      const report = lintPaths([path.join(dir, 't0.yaml')], { cwd: dir });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(report.errors).toEqual([]);
      expect(report.results.filter((result) => result.status === 'fail')).toEqual([expect.objectContaining({ file: 't24.yaml' })]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a cloud assembly', () => {
  const report = lintPaths([here('cdk-out')], { cwd });

  it('finds nested stacks by their parsed Type, whatever the asset file is named, one instance per parent resource', () => {
    expect(report.errors).toEqual([]);
    expect(report.results.filter((result) => result.logicalId === 'SharedTrail').map((result) => [result.stack, result.status, result.when])).toEqual([
      ['Audit/Left', 'pass', undefined],
      ['Audit/Right', 'fail', { Multi: 'false' }],
    ]);
  });

  it('reports a nested stack whose template it cannot find unknown', () => {
    expect(report.results.filter((result) => result.logicalId === 'Lost')).toEqual([expect.objectContaining({ status: 'unknown', stack: 'Audit' })]);
  });
});

describe('a parameter given on the command line', () => {
  it('that only a nested template declares is refused: it never reaches that template', () => {
    const report = lintPaths([here('deployers', 'sam-application.yaml')], { cwd, parameters: { Multi: 'true' } });
    expect(report.errors).toEqual([expect.objectContaining({ file: '--parameters', code: 'E4001', message: expect.stringContaining('parameter Multi ') })]);
  });
});
