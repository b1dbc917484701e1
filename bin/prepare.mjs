// npm's `prepare` script: npm runs it after `npm ci` / `npm install` in a checkout, before `npm pack`, and when it
// installs this package from git (pre-commit's `language: node` hooks, `npm install -g git+https://…`).
//
// Nothing built is committed, so an install from git must build. Where TypeScript is installed (a checkout after
// `npm ci`, a project's `npm install git+…`, pre-commit up to 3.x, which runs `npm install` in its clone first) this
// is `npm run build`. But `npm install --global git+…` — what pre-commit 4 runs — prepares the clone with the global
// flag still set, so npm installs the dependencies without the devDependencies and `tsc` is missing. Then the CLI
// alone is built: esbuild, and the dependencies the CLI bundles, at the versions package-lock.json pins, are
// installed into a temporary folder (from npm's cache when it has them), and src/cli.ts is bundled directly. Such
// an install has the CLI (`cfn-trail-lint`) and no library (dist/src): a pre-commit hook needs nothing more.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (args, options = {}) => execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', ...options });

function resolves(name) {
  try {
    createRequire(join(ROOT, 'package.json')).resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

if (resolves('typescript') && resolves('esbuild')) {
  run([join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  run([join(ROOT, 'bin/build-cli.mjs')]);
} else {
  buildCliFromSources();
}

function buildCliFromSources() {
  const { dependencies } = JSON.parse(fs.readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const pinned = (name) => `${name}@${lock.packages[`node_modules/${name}`].version}`;
  const tools = fs.mkdtempSync(join(os.tmpdir(), 'cfn-trail-lint-build-'));
  try {
    // npm runs this script with the path of its own CLI in npm_execpath; `--global=false` undoes the flag that the
    // global install passed down in the environment.
    const npm = process.env.npm_execpath ?? 'npm';
    const npmArgs = ['install', '--prefix', tools, '--global=false', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'];
    const packages = [pinned('esbuild'), ...Object.keys(dependencies).map(pinned)];
    if (npm.endsWith('.js')) run([npm, ...npmArgs, ...packages], { stdio: ['ignore', 2, 2] });
    else execFileSync(npm, [...npmArgs, ...packages], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    run([join(ROOT, 'bin/build-cli.mjs'), '--from-sources', tools]);
  } finally {
    fs.rmSync(tools, { recursive: true, force: true });
  }
}
