import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

// Tests that run the real binary or the real `cdk` CLI use the built package: build it once, before any test…
export default function buildOnce(): void {
  const root = path.resolve(__dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // …and the single-file CLI with its code cache, which bin/cfn-trail-lint runs (as after `npm run build`).
  execFileSync(process.execPath, [path.join(root, 'bin/build-cli.mjs')], { cwd: root, stdio: 'inherit' });
}
