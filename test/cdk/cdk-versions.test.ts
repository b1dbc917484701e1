import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { consumerProject, packPackage, typeCheck } from './consumer';

// The supported aws-cdk-lib range, tested at both ends: the newest (this repository's devDependency) and the
// minimum of the peer range, installed from the npm registry into a temporary folder (cached across runs). The
// README's CDK section must compile as written on both; what the minimum lacks must still work there.

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
const MINIMUM = /^\^(\d+\.\d+\.\d+)$/.exec(manifest.peerDependencies['aws-cdk-lib'])?.[1] as string;
const TMP = path.join(ROOT, 'test', '.tmp');

/** The ```ts blocks of the README's CDK section ("In a CDK app", up to the next top-level section), as files in `dir`. */
function readmeSnippets(dir: string): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## In a CDK app'), readme.indexOf('\n## ', readme.indexOf('\n## In a CDK app') + 1));
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  return blocks.map((code, index) => {
    const file = path.join(dir, `readme-${index + 1}.ts`);
    fs.writeFileSync(file, code);
    return file;
  });
}

/** How a user's project compiles: node16 modules, strict, declarations of libraries checked too. */
const STRICT_PROJECT = {
  module: 'node16',
  moduleResolution: 'node16',
  target: 'ES2022',
  strict: true,
  skipLibCheck: false,
  types: ['node'],
  typeRoots: [path.join(ROOT, 'node_modules', '@types')],
};

describe(`the README's CDK section on the newest aws-cdk-lib (this repository's)`, () => {
  it('has code, and it compiles as written', () => {
    const dir = consumerProject(path.join(TMP, 'consumer-readme-newest'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const snippets = readmeSnippets(dir);
    expect(snippets.length).toBeGreaterThanOrEqual(5);
    // Libraries' declarations unchecked here: module-resolution.test.ts checks this package's on this version.
    expect(typeCheck(snippets, { ...STRICT_PROJECT, skipLibCheck: true })).toEqual([]);
  }, 180_000);

  it('templates/cdk/app.ts is its CDK Pipelines example, word for word', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const example = readme.slice(readme.indexOf('### A CDK Pipelines app'));
    const code = /```ts\n([\s\S]*?)```/.exec(example)?.[1];
    expect(fs.readFileSync(path.join(ROOT, 'templates', 'cdk', 'app.ts'), 'utf8')).toContain(code);
  });
});

describe(`on the minimum aws-cdk-lib of the peer range (${MINIMUM})`, () => {
  const dir = path.join(TMP, `cdk-minimum-${MINIMUM}`);
  let unreachable: string | undefined;

  beforeAll(() => {
    fs.mkdirSync(dir, { recursive: true });
    const packageFile = path.join(dir, 'package.json');
    if (!fs.existsSync(packageFile)) fs.writeFileSync(packageFile, JSON.stringify({ name: 'consumer-minimum', private: true }));
    const tarball = packPackage(path.join(dir, 'pack'));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const args = ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', tarball, `aws-cdk-lib@${MINIMUM}`, 'constructs@^10'];
    const install = spawnSync(npm, args, { cwd: dir, encoding: 'utf8', timeout: 280_000 });
    if (install.status === 0) return;
    const output = `${install.stderr}${install.stdout}${install.error?.message ?? ''}`;
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ETIMEOUT|network/i.test(output)) {
      unreachable = `npm registry unreachable, cannot install aws-cdk-lib@${MINIMUM}: ${output.trim().split('\n').slice(-3).join(' ')}`;
      return;
    }
    throw new Error(`npm install aws-cdk-lib@${MINIMUM} failed:\n${output}`);
  }, 300_000);

  it('installs the version the peer range names', (context) => {
    if (unreachable) return context.skip(unreachable);
    const installed = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(MINIMUM);
  });

  it("the README's CDK section compiles as written", (context) => {
    if (unreachable) return context.skip(unreachable);
    // Declarations checked too: the only check of this package's declarations against the minimum.
    expect(typeCheck(readmeSnippets(dir), STRICT_PROJECT)).toEqual([]);
  }, 240_000);

  it('the Aspect, checkStack, acknowledgements and the plugin (policyValidationBeta1) work, and the CLI agrees on cdk.out', { timeout: 120_000 }, (context) => {
    if (unreachable) return context.skip(unreachable);
    fs.writeFileSync(path.join(dir, 'app.js'), MINIMUM_APP);
    for (const out of ['aspect.out', 'acknowledged.out', 'plugin.out']) fs.rmSync(path.join(dir, out), { recursive: true, force: true });
    const run = spawnSync(process.execPath, ['app.js'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/TypeError|ReferenceError/);
    const report = JSON.parse(run.stdout.trim().split('\n').pop() as string) as Record<string, unknown>;
    expect(report).toEqual({
      aspect: ['Prod/Audit/Regional/Resource'],
      printedWithoutFrames: true,
      checkStack: ['Prod/Audit/Regional/Resource'],
      pluginFailed: true,
    });
    // The acknowledgements that app recorded, read back from cdk.out by the command line of the installed package.
    const bin = path.join(dir, 'node_modules', 'cfn-trail-lint', 'bin', 'cfn-trail-lint');
    const lint = JSON.parse(execFileSync(process.execPath, [bin, 'acknowledged.out', '--format', 'json'], { cwd: dir, encoding: 'utf8' })) as {
      results: { status: string; constructPath: string }[];
    };
    expect(lint.results.map((result) => `${result.constructPath} ${result.status}`).sort()).toEqual([
      'Audit/Acknowledged/Resource suppressed',
      'Audit/Logging/Nested suppressed',
    ]);
  });
});

/** An app on the minimum aws-cdk-lib; prints what happened as one JSON line. */
const MINIMUM_APP = `const { App, Aspects, NestedStack, Stack, Stage } = require('aws-cdk-lib');
const { CfnTrail, Trail } = require('aws-cdk-lib/aws-cloudtrail');
const { MultiRegionTrailAspect, MultiRegionTrailError, MultiRegionTrailPlugin, acknowledge, acknowledgeByPath, checkStack } = require('cfn-trail-lint/cdk');

const report = {};
const paths = (error) => (error instanceof MultiRegionTrailError ? error.results.map((result) => result.constructPath) : String(error));

const app = new App({ outdir: 'aspect.out' });
Aspects.of(app).add(new MultiRegionTrailAspect());
const prod = new Stack(new Stage(app, 'Prod'), 'Audit');
new Trail(prod, 'Regional', { isMultiRegionTrail: false });
try { app.synth(); report.aspect = 'passed'; } catch (error) {
  report.aspect = paths(error);
  report.printedWithoutFrames = error.stack === error.message;
}
try { checkStack(prod); report.checkStack = 'passed'; } catch (error) { report.checkStack = paths(error); }

const acknowledged = new App({ outdir: 'acknowledged.out' });
Aspects.of(acknowledged).add(new MultiRegionTrailAspect());
const audit = new Stack(acknowledged, 'Audit');
acknowledge(new Trail(audit, 'Acknowledged', { isMultiRegionTrail: false }), 'data events of one bucket');
new CfnTrail(new NestedStack(audit, 'Logging'), 'Nested', { s3BucketName: 'audit-logs', isLogging: true });
acknowledgeByPath(audit, '/Audit/Logging/Nested', 'sandbox logging');
acknowledged.synth();

// Before Validations.of(app).addPlugins, the plugin registers through the App's props; a failed plugin sets the
// exit code instead of throwing.
const withPlugin = new App({ outdir: 'plugin.out', policyValidationBeta1: [new MultiRegionTrailPlugin()] });
new Trail(new Stack(withPlugin, 'Audit'), 'Regional', { isMultiRegionTrail: false });
const log = console.log;
const error = console.error;
console.log = console.error = () => undefined;
try { withPlugin.synth(); report.pluginFailed = process.exitCode === 1; } catch { report.pluginFailed = true; } finally { console.log = log; console.error = error; }
process.exitCode = 0;
console.log(JSON.stringify(report));
`;
