import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Tests that run the real binary, the real `cdk` CLI or the packed package use the built package, as
// `npm run build` makes it: dist/src and dist/rules from tsc, then dist/cli.js with its code cache, which
// bin/cfn-trail-lint runs. It is built here, once per test run, before any test file starts; no test builds.
const ROOT = path.resolve(__dirname, '..');

/** Everything the build reads: the sources, the build scripts and configs, and what node_modules holds. */
const BUILD_INPUTS = ['src', 'rules', 'bin', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'node_modules/.package-lock.json'];
/** The build's last step writes this, so it exists and is newest only after a build that ran to the end. */
const LAST_BUILD_OUTPUT = 'dist/cli.js.cache';

function newestChange(entry: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return Infinity; // a missing input is a change the last build did not see
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
}

/** True when dist/ was built, to the end, after the last change to anything the build reads (as `npm ci` leaves it). */
function distIsCurrent(): boolean {
  let built: number;
  try {
    built = fs.statSync(path.join(ROOT, LAST_BUILD_OUTPUT)).mtimeMs;
  } catch {
    return false;
  }
  return BUILD_INPUTS.every((input) => newestChange(path.join(ROOT, input)) < built);
}

export default function buildOnce(): void {
  if (process.env.CFN_TRAIL_LINT_REBUILD !== '1' && distIsCurrent()) {
    console.log(`dist/ is newer than everything it is built from: not rebuilt (CFN_TRAIL_LINT_REBUILD=1 forces a build)`);
    return;
  }
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(ROOT, 'bin/build-cli.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
