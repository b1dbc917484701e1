// Build step after `tsc`: the CLI in one file, dist/cli.js, and V8's code cache for it, dist/cli.js.cache
// (see bin/cfn-trail-lint for why). The bundle is made from tsc's output, so it runs exactly the code the tests
// run. The cache is captured in a fresh Node process with no flags, as the launcher will run.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { BUNDLE } = require('./cfn-trail-lint');

// commander requires node:child_process up front, for git-style executable subcommands, which this CLI has
// none of; loading it (with node:net and the streams) slows every run's start. In the bundle it is loaded
// on first use instead.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/, namespace: 'file' }, () => ({ path: 'child_process', namespace: 'lazy-builtin' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, name) => require('node:child_process')[name] });",
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [join(ROOT, 'dist/src/cli.js')],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Never part of the CLI; named so that a stray import fails loudly instead of bundling the CDK.
  external: ['aws-cdk-lib', 'constructs'],
  banner: { js: '// cfn-trail-lint CLI with commander, js-yaml and yaml-cfn (MIT; their LICENSE files are in node_modules). Built by bin/build-cli.mjs.' },
  logLevel: 'warning',
  plugins: [lazyChildProcess], minifySyntax: true,
});

const warmUp = `require(${JSON.stringify(join(ROOT, 'bin/cfn-trail-lint'))}).writeCodeCache([${JSON.stringify(join(ROOT, 'templates'))}])
  .catch((error) => { console.error(error); process.exitCode = 1; });`;
execFileSync(process.execPath, ['-e', warmUp], { stdio: 'inherit' });
