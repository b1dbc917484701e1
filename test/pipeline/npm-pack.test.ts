// The package as npm users get it: `npm pack`, then `npm install <tarball>` in a new folder. The installed CLI must
// run its bundle with V8's code cache (issue #14: file times do not survive packing, so they cannot decide that).
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const REGIONAL = path.join(ROOT, 'templates/noncompliant/regional.yaml');
let workDir: string;
let installed: string;

beforeAll(() => {
  fs.mkdirSync(path.join(ROOT, 'test', '.tmp'), { recursive: true });
  workDir = fs.mkdtempSync(path.join(ROOT, 'test', '.tmp', 'npm-pack-'));
  // dist/ is built by test/global-setup.ts: pack it as it is, without building again under the other tests.
  const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', workDir], { cwd: ROOT, encoding: 'utf8' }).trim();
  const project = path.join(workDir, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), '{"name": "user-project", "private": true}\n');
  // The dependencies come from npm's cache, which `npm ci` filled: no network.
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', path.join(workDir, tarball)], { cwd: project, stdio: 'pipe' });
  installed = path.join(project, 'node_modules', 'cfn-trail-lint');
}, 120_000);

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('npm pack, then npm install of the tarball', () => {
  it('loads the bundled CLI with a code cache V8 accepts', () => {
    const probe = `const { from, codeCache } = require(${JSON.stringify(path.join(installed, 'bin', 'cfn-trail-lint'))}).loadCli();
      process.stdout.write(JSON.stringify({ from, codeCache }))`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }))).toEqual({ from: 'bundle', codeCache: 'accepted' });
  });

  it('runs as the installed executable and fails a regional trail', () => {
    const run = spawnSync(path.join(installed, '..', '.bin', 'cfn-trail-lint'), [REGIONAL], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain('fail CLOUDTRAIL_MULTI_REGION_ENABLED');
  });

  it('runs the modules instead once a plain tsc build rewrote them (the stamp no longer matches)', () => {
    const copy = path.join(workDir, 'copy');
    fs.cpSync(installed, copy, { recursive: true });
    const modulesCli = path.join(copy, 'dist', 'src', 'cli.js');
    const text = fs.readFileSync(modulesCli, 'utf8');
    fs.writeFileSync(modulesCli, text.slice(0, text.lastIndexOf('\n// cfn-trail-lint build ')));
    const probe = `process.stdout.write(require(${JSON.stringify(path.join(copy, 'bin', 'cfn-trail-lint'))}).loadCli().from)`;
    expect(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8', cwd: path.join(workDir, 'project') })).toBe('modules');
  });
});
