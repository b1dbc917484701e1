import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layers, as README "Architecture" draws them: each folder may import only from the layers below it. An import
// that crosses a boundary is a lint error, whether written as `import`, `import type`, `export … from`,
// `require()`, `import()` or `import('…')` in a type. Module names are matched as written (relative paths),
// one path segment at a time, so `../load/json` is the loaders and `../payload` is not.
const segment = (name) => `(^|/)${name}(/|$|\\.[cm]?[jt]s$)`;
const FORBIDDEN = {
  nested: { regex: segment('nested'), message: 'src/nested decides which template deploys which, from what the loaders found: loaders and the evaluator sit below it.' },
  cdk: { regex: `${segment('cdk')}|^(aws-cdk-lib|constructs)(/|$)`, message: 'Only src/cdk may load the CDK (aws-cdk-lib, constructs) or the CDK door: the CLI runs without them.' },
  load: { regex: segment('load'), message: 'src/load turns paths into templates for lint.ts, the CLI and the CDK door: this layer works on what they return, not on files.' },
  report: { regex: segment('report'), message: 'src/report formats the results at the end of a run: this layer must not depend on how they are printed.' },
  cli: { regex: segment('cli'), message: 'src/cli.ts is the top of the CLI: nothing imports it.' },
  lint: { regex: segment('lint'), message: 'src/lint.ts runs the rules over loaded templates: the loaders sit below it.' },
  rules: { regex: segment('rules'), message: 'rules/ sits above the loaders: a loader reads templates for any rule.' },
  yamlParser: { regex: '^(js-yaml|yaml-cfn)(/|$)', message: 'The fast YAML reader exists so that most templates never load js-yaml: src/load/yaml.ts loads it when the fast reader gives up.' },
};

/** no-restricted-imports covers import and export declarations; no-restricted-syntax the rest (require, import(), types). */
function boundary(files, forbidden, { typeImportsFrom = [] } = {}) {
  const patterns = forbidden.map((name) => ({
    regex: FORBIDDEN[name].regex,
    message: FORBIDDEN[name].message,
    ...(typeImportsFrom.includes(name) && { allowTypeImports: true }),
  }));
  // esquery regex literals end at the first `/`: write it as \u002F there.
  const literal = (name) => `/${FORBIDDEN[name].regex.replaceAll('/', '\\u002F')}/`;
  const syntax = forbidden.flatMap((name) => [
    { selector: `CallExpression[callee.name='require'][arguments.0.value=${literal(name)}]`, message: FORBIDDEN[name].message },
    { selector: `ImportExpression[source.value=${literal(name)}]`, message: FORBIDDEN[name].message },
    { selector: `TSImportType[argument.literal.value=${literal(name)}]`, message: FORBIDDEN[name].message },
  ]);
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
      'no-restricted-syntax': ['error', ...syntax],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/.tmp/**', 'test/bench/.work/**', '**/cdk.out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: {
        process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly',
        Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', performance: 'readonly',
      } },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // The core the CLI runs (lint.ts, explain.ts, src/nested/, …): no CDK. Later blocks replace this one
  // for their folders, so each repeats 'cdk'.
  boundary(['src/**/*.ts'], ['cdk']),
  { files: ['src/cdk/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': 'off', 'no-restricted-syntax': 'off' } },
  boundary(['src/cli.ts'], ['cdk']),
  boundary(['src/report/**/*.ts'], ['cdk', 'load']),
  boundary(['src/load/**/*.ts'], ['cdk', 'rules', 'lint', 'report', 'nested']),
  boundary(['src/nested/**/*.ts'], ['cdk', 'rules', 'lint', 'report', 'cli']),
  boundary(['src/load/yaml-fast.ts'], ['cdk', 'rules', 'lint', 'report', 'nested', 'yamlParser']),
  boundary(['src/evaluate/**/*.ts'], ['cdk', 'load', 'nested', 'report', 'cli']),
  boundary(['rules/**/*.ts'], ['cdk', 'load', 'nested', 'report', 'cli']),
);
