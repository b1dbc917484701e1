// rules/CLOUDTRAIL_MULTI_REGION_ENABLED.guard must agree with cfn-trail-lint wherever
// cfn-guard can judge: templates whose trails hold literal values or none, with no
// resource Condition and no macro. Checked with the real cfn-guard binary.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { schema as cloudFormationSchema } from 'yaml-cfn';
import type { Status } from '../../src/types';

const repoRoot = path.resolve(__dirname, '..', '..');
const rule = path.join(repoRoot, 'rules', 'CLOUDTRAIL_MULTI_REGION_ENABLED.guard');
const guardUnitTests = path.join(repoRoot, 'test', 'fixtures', 'guard', 'CLOUDTRAIL_MULTI_REGION_ENABLED.tests.yaml');
const templatesDir = path.join(repoRoot, 'templates');

// cfn-guard 3.1.1's exit codes, as it returns them.
const GUARD_PASS_OR_SKIP = 0;
const GUARD_FAIL = 19;

const guardBinary = path.join(
  repoRoot,
  'node_modules/@cdklabs/cdk-validator-cfnguard/bin',
  process.platform === 'darwin' ? 'macos' : 'ubuntu',
  process.arch === 'arm64' ? 'aarch64' : 'x86_64',
  'cfn-guard',
);

function runGuard(args: string[]) {
  const run = spawnSync(guardBinary, args, { encoding: 'utf8' });
  if (run.error) throw run.error;
  return run;
}

function fixtureFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return fixtureFiles(full);
      return fs.existsSync(`${full}.expected.json`) ? [full] : [];
    })
    .sort();
}

type Template = { Transform?: unknown; Resources?: Record<string, { Type?: string; Condition?: string; Properties?: Record<string, unknown> }> };

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** True when cfn-guard reads the trails as CloudFormation deploys them: literal values, nothing to evaluate. */
function isLiteralTemplate(template: Template): boolean {
  const transforms = [template.Transform ?? []].flat();
  if (transforms.some((name) => name !== SAM_TRANSFORM)) return false;
  return Object.values(template.Resources ?? {})
    .filter((resource) => resource.Type === 'AWS::CloudTrail::Trail')
    .every((trail) => {
      const value = trail.Properties?.IsMultiRegionTrail;
      if (trail.Condition !== undefined) return false;
      if (value === undefined || typeof value === 'boolean' || typeof value === 'number') return true;
      return typeof value === 'string' && !value.includes('{{resolve:');
    });
}

const literalFixtures = fixtureFiles(templatesDir).filter((file) =>
  isLiteralTemplate(yaml.load(fs.readFileSync(file, 'utf8'), { schema: cloudFormationSchema }) as Template),
);

/** The verdicts the fixture expects of this rule (a fixture may expect other rules' too). */
const expectedStatuses = (file: string): Status[] =>
  (JSON.parse(fs.readFileSync(`${file}.expected.json`, 'utf8')) as { results: { ruleId: string; status: Status }[] }).results
    .filter((result) => result.ruleId === 'CLOUDTRAIL_MULTI_REGION_ENABLED')
    .map((result) => result.status);

describe.skipIf(process.platform === 'win32')('CLOUDTRAIL_MULTI_REGION_ENABLED.guard', () => {
  it('passes its own cfn-guard unit tests', () => {
    const run = runGuard(['test', '--rules-file', rule, '--test-data', guardUnitTests]);
    expect(run.stdout).not.toMatch(/FAIL Rules/);
    expect(run.stdout).toMatch(/PASS Rules/);
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('is compared on fixtures with every verdict it can give', () => {
    const verdicts = new Set(literalFixtures.flatMap(expectedStatuses));
    expect([...verdicts].sort()).toEqual(['fail', 'pass', 'suppressed']);
    expect(literalFixtures.length).toBeGreaterThanOrEqual(12);
  });

  describe.each(literalFixtures.map((file) => path.relative(repoRoot, file)))('%s', (name) => {
    it('fails under cfn-guard exactly when cfn-trail-lint fails a trail', () => {
      const file = path.join(repoRoot, name);
      const run = runGuard(['validate', '--rules', rule, '--data', file, '--show-summary', 'none']);
      const engineFails = expectedStatuses(file).includes('fail');
      expect(run.status, run.stdout + run.stderr).toBe(engineFails ? GUARD_FAIL : GUARD_PASS_OR_SKIP);
    });
  });
});
