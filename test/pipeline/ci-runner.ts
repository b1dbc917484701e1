// Runs pipeline commands here as a CI job would, with the CLI as a pipeline installs it: the package `npm pack`
// makes from this repository's build (made once per test run by test/global-setup.ts), unpacked, its
// bin/cfn-trail-lint first on PATH. npm would also install its dependencies; the CLI needs none of them, as it
// runs from its bundle, dist/cli.js.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** A fresh scratch directory under test/.tmp. */
export function makeWorkDir(prefix: string): string {
  fs.mkdirSync(path.join(ROOT, 'test', '.tmp'), { recursive: true });
  return fs.mkdtempSync(path.join(ROOT, 'test', '.tmp', `${prefix}-`));
}

/** Packs the built package, unpacks it into `workDir` and returns a directory holding an executable `cfn-trail-lint`, to put first on PATH. */
export function installCli(workDir: string): string {
  // --ignore-scripts: `prepare` would build again; the global setup has built dist/ for this run.
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', workDir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(packed) as { filename: string }[];
  execFileSync('tar', ['-xzf', path.join(workDir, filename), '-C', workDir]);
  const packageDir = path.join(workDir, 'package');
  // The launcher runs dist/src instead when the bundle is missing or older; the tests are about the bundle.
  if (!fs.existsSync(path.join(packageDir, 'dist', 'cli.js'))) throw new Error(`npm pack left out dist/cli.js: ${packed}`);
  const binDir = path.join(workDir, 'path');
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
