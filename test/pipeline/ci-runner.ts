// Runs pipeline commands here as a CI job would, with the CLI as a pipeline installs it: this repo's
// bin/cfn-trail-lint over a fresh build of src/ and rules/. Each test file builds into its own directory,
// so files running in parallel never read a half-written build.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** A fresh scratch directory under test/.tmp, where `require` still finds the repository's node_modules by walking up. */
export function makeWorkDir(prefix: string): string {
  fs.mkdirSync(path.join(ROOT, 'test', '.tmp'), { recursive: true });
  return fs.mkdtempSync(path.join(ROOT, 'test', '.tmp', `${prefix}-`));
}

/** Builds the package into `workDir` and returns a directory holding an executable `cfn-trail-lint`, to put first on PATH. */
export function installCli(workDir: string): string {
  const packageDir = path.join(workDir, 'cli-package');
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', path.join(packageDir, 'dist')], { stdio: 'pipe' });
  } catch (error) {
    // Type errors are the typecheck's business (tsc emits regardless); a build that emitted no CLI is this test's.
    if (!fs.existsSync(path.join(packageDir, 'dist', 'src', 'cli.js'))) throw error;
  }
  fs.cpSync(path.join(ROOT, 'bin'), path.join(packageDir, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(packageDir, 'package.json'));
  const binDir = path.join(packageDir, 'path');
  fs.mkdirSync(binDir);
  fs.symlinkSync(path.join(packageDir, 'bin', 'cfn-trail-lint'), path.join(binDir, 'cfn-trail-lint'));
  return binDir;
}

/**
 * Runs commands as CodeBuild runs a phase — one shell, in order, stopping at the first failure — in `cwd`,
 * with the installed CLI first on PATH. POSIX sh (dash here): the commands must not need bash.
 */
export function runCommands(commands: string[], cwd: string, cliDir: string, env: Record<string, string> = {}) {
  const run = spawnSync('/bin/sh', ['-e', '-c', commands.join('\n')], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, PATH: `${cliDir}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
