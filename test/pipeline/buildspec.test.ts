// Runs the buildspec's build commands as CodeBuild would, with this repository's CLI on PATH in place of the
// install phase's `npm install --global`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJunit } from '../report/parse-junit';
import { installCli, makeWorkDir, runCommands } from './ci-runner';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');

interface Buildspec {
  version: number;
  env: { variables: Record<string, string> };
  phases: { install: { commands: string[] }; build: { commands: string[] } };
  reports: Record<string, { files: string[]; 'base-directory'?: string; 'file-format': string }>;
}

const buildspec = yaml.load(fs.readFileSync(path.join(ROOT, 'templates', 'pipeline', 'buildspec.yml'), 'utf8')) as Buildspec;
let workDir: string;
let cliDir: string;

beforeAll(() => {
  workDir = makeWorkDir('buildspec');
  cliDir = installCli(workDir);
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** Copies a fixture into a fresh source directory (CodeBuild's CODEBUILD_SRC_DIR) and runs the build phase there. */
function runBuild(fixture: string, variables: Record<string, string>, prepare: Record<string, string> | ((sourceDir: string) => void) = {}) {
  const sourceDir = fs.mkdtempSync(path.join(workDir, `${fixture}-`));
  fs.cpSync(path.join(FIXTURES, fixture), sourceDir, { recursive: true });
  if (typeof prepare === 'function') prepare(sourceDir);
  else {
    for (const [name, text] of Object.entries(prepare)) {
      fs.mkdirSync(path.dirname(path.join(sourceDir, name)), { recursive: true });
      fs.writeFileSync(path.join(sourceDir, name), text);
    }
  }
  const run = runCommands(buildspec.phases.build.commands, sourceDir, cliDir, { ...buildspec.env.variables, ...variables });
  const [group] = Object.values(buildspec.reports);
  const reportFile = path.join(sourceDir, group['base-directory'] ?? '.', group.files[0]);
  return { ...run, reportFile };
}

describe('templates/pipeline/buildspec.yml', () => {
  it('is a version 0.2 buildspec that installs the linter and declares a JUnit report group', () => {
    expect(buildspec.version).toBe(0.2);
    expect(buildspec.phases.install.commands.join('\n')).toMatch(/npm install --global "cfn-trail-lint@\$CFN_TRAIL_LINT_VERSION"/);
    expect(Object.values(buildspec.reports).map((group) => group['file-format'])).toEqual(['JUNITXML']);
    expect(buildspec.env.variables.TEMPLATES).toBe('cdk.out');
  });

  it('fails the build on a non-compliant template, with a JUnit failure in the report group', () => {
    const build = runBuild('noncompliant', { TEMPLATES: 'templates' });
    expect(build.status, build.stderr).toBe(1);
    expect(build.stdout).toContain('templates/regional-trail.yaml:11:7: fail CLOUDTRAIL_MULTI_REGION_ENABLED');
    const suites = parseJunit(fs.readFileSync(build.reportFile, 'utf8')).testsuites;
    expect(suites).toMatchObject({ tests: '1', failures: '1' });
    expect(suites.testsuite![0].testcase[0].failure?.message).toContain('RegionalTrail');
  });

  it('lints a TEMPLATES path that begins with "-" as a path, never as an option', () => {
    const build = runBuild('noncompliant', { TEMPLATES: '-v.yaml', LINT_FLAGS: '' }, (sourceDir) =>
      fs.copyFileSync(path.join(sourceDir, 'templates', 'regional-trail.yaml'), path.join(sourceDir, '-v.yaml')),
    );
    expect(build.status, build.stderr).toBe(1);
    expect(build.stdout).toContain('-v.yaml:11:7: fail CLOUDTRAIL_MULTI_REGION_ENABLED');
  });

  it('passes the build on a template that is compliant with the parameters the pipeline deploys', () => {
    const build = runBuild('compliant', { TEMPLATES: 'templates', PARAMETERS_FILE: 'template-configuration.json' });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    expect(parseJunit(fs.readFileSync(build.reportFile, 'utf8')).testsuites).toMatchObject({ tests: '1', failures: '0' });
  });

  it('uses the parameters file: without it, the same template fails for Environment=dev', () => {
    const build = runBuild('compliant', { TEMPLATES: 'templates' });
    expect(build.status).toBe(1);
    expect(build.stdout).toContain('when: Environment=dev');
  });

  it('passes LINT_FLAGS through to both runs', () => {
    const build = runBuild('compliant', { TEMPLATES: 'templates', LINT_FLAGS: '--parameters Environment=prod --region eu-west-1' });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    expect(parseJunit(fs.readFileSync(build.reportFile, 'utf8')).testsuites).toMatchObject({ failures: '0' });
  });

  it('reads the config file at the source root: its parameters per template make the same template pass', () => {
    const build = runBuild('configured', { TEMPLATES: 'templates' });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    expect(build.stdout).toContain('templates/audit-trail.yaml');
    expect(parseJunit(fs.readFileSync(build.reportFile, 'utf8')).testsuites).toMatchObject({ tests: '1', failures: '0' });
  });

  it('reads the config file named by CONFIG_FILE', () => {
    const build = runBuild('compliant', { TEMPLATES: 'templates', CONFIG_FILE: 'lint/config.yaml' }, { 'lint/config.yaml': 'templates:\n  - files: "../templates/*.yaml"\n    parameters: { Environment: prod }\n' });
    expect(build.status, build.stdout + build.stderr).toBe(0);
  });

  it('fails the build with exit 2 when the templates cannot be found', () => {
    const build = runBuild('noncompliant', { TEMPLATES: 'cdk.out' });
    expect(build.status).toBe(2);
  });
});
