// Build step after `tsc`: the CLI in one file, dist/cli.js, and V8's code cache for it, dist/cli.js.cache
// (see bin/cfn-trail-lint for why). The bundle is made from tsc's output, so it runs exactly the code the tests
// run. The cache is captured in a fresh Node process with no flags, as the launcher will run.
//
// `--from-sources <tools>`: bundle src/cli.ts itself, with esbuild and the dependencies installed in <tools>
// (bin/prepare.mjs, when npm prepares a git install without devDependencies and there is no tsc output).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { BUNDLE, MODULES_CLI, STAMP_PREFIX } = require('./cfn-trail-lint');

const toolsAt = process.argv.indexOf('--from-sources');
const tools = toolsAt === -1 ? undefined : process.argv[toolsAt + 1];
const { build } = tools === undefined ? await import('esbuild') : createRequire(join(tools, 'package.json'))('esbuild');

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

/** Files under `dir` ending in .js, sorted, as paths relative to ROOT. */
function scripts(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .filter((name) => name.endsWith('.js'))
    .map((name) => relative(ROOT, join(dir, name)).split('\\').join('/'))
    .sort();
}

/** A hash of what is bundled: tsc's output, or the sources when bundling them. */
function buildStamp() {
  const inputs = tools === undefined
    ? [...scripts(join(ROOT, 'dist/src')), ...scripts(join(ROOT, 'dist/rules'))]
    : ['src', 'rules'].flatMap((dir) => fs.readdirSync(join(ROOT, dir), { recursive: true }).filter((name) => name.endsWith('.ts')).map((name) => `${dir}/${name}`)).sort();
  const hash = createHash('sha256');
  for (const file of inputs) hash.update(`${file}\0`).update(fs.readFileSync(join(ROOT, file))).update('\0');
  return hash.digest('hex');
}

// A second bundling of the same tsc output (`node bin/build-cli.mjs` again) replaces the stamp rather than adding one.
if (tools === undefined) {
  const modules = fs.readFileSync(MODULES_CLI, 'utf8');
  const at = modules.indexOf(`\n${STAMP_PREFIX}`);
  if (at !== -1) fs.writeFileSync(MODULES_CLI, modules.slice(0, at));
}
const stamp = buildStamp();

await build({
  entryPoints: [join(ROOT, tools === undefined ? 'dist/src/cli.js' : 'src/cli.ts')],
  ...(tools === undefined ? {} : { nodePaths: [join(tools, 'node_modules')] }),
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Never part of the CLI; named so that a stray import fails loudly instead of bundling the CDK.
  external: ['aws-cdk-lib', 'constructs'],
  banner: {
    js: `${STAMP_PREFIX}${stamp}\n// cfn-trail-lint CLI with commander, js-yaml and yaml-cfn (MIT; their LICENSE files are in node_modules). Built by bin/build-cli.mjs.`,
  },
  logLevel: 'warning',
  plugins: [lazyChildProcess], minifySyntax: true,
});

// The same stamp ends the modules' entry point: the launcher runs the bundle only while the two agree.
if (tools === undefined) fs.appendFileSync(MODULES_CLI, `\n${STAMP_PREFIX}${stamp}\n`);

const warmUp = `require(${JSON.stringify(join(ROOT, 'bin/cfn-trail-lint'))}).writeCodeCache([${JSON.stringify(join(ROOT, 'templates'))}])
  .catch((error) => { console.error(error); process.exitCode = 1; });`;
execFileSync(process.execPath, ['-e', warmUp], { stdio: 'inherit' });
