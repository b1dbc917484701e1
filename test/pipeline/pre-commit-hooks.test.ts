// The pre-commit hook as pre-commit runs it: the files of a commit filtered by `files` (with Python's `re`, as
// pre-commit does), then `entry` with `args` and those file names, where `language: node` installs this package.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCli, makeWorkDir, runCommands } from './ci-runner';

const ROOT = path.resolve(__dirname, '..', '..');

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  args?: string[];
}

const [hook, ...others] = yaml.load(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };

/** The staged files pre-commit would pass to the hook, selected by Python's `re.search`. */
function selectFiles(files: string[]): string[] {
  const script = 'import re, sys\nfor name in sys.argv[2:]:\n    if re.search(sys.argv[1], name): print(name)';
  return execFileSync('python3', ['-c', script, hook.files, ...files], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

let workDir: string;
let cliDir: string;

beforeAll(() => {
  workDir = makeWorkDir('pre-commit');
  cliDir = installCli(workDir);
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** `entry`, then `args`, then the file names, each one word: how pre-commit runs a hook, from the repository's root. */
function runHook(files: string[], cwd = ROOT) {
  const quoted = [...(hook.args ?? []), ...files].map((word) => `'${word}'`).join(' ');
  return runCommands([`${hook.entry} ${quoted}`], cwd, cliDir);
}

describe('.pre-commit-hooks.yaml', () => {
  it('declares one node hook whose entry is this package’s executable', () => {
    expect(others).toEqual([]);
    expect(hook).toMatchObject({ id: 'cfn-trail-lint', language: 'node', entry: 'cfn-trail-lint' });
    expect(Object.keys(packageJson.bin)).toContain(hook.entry);
  });

  it('selects templates by extension, and nothing else', () => {
    const staged = ['a/t.yaml', 'a/t.yml', 'a/t.json', 'a/t.template', 'README.md', 'src/x.ts', 'a/yaml', 'a/t.yaml.bak'];
    expect(selectFiles(staged)).toEqual(['a/t.yaml', 'a/t.yml', 'a/t.json', 'a/t.template']);
  });

  it('fails a commit that adds a single-Region trail, and passes one whose trails are multi-Region', () => {
    const regional = 'test/pipeline/fixtures/noncompliant/templates/regional-trail.yaml';
    const organization = 'test/pipeline/fixtures/pre-commit/organization-trail.json';
    const failing = runHook(selectFiles([regional, organization, 'notes.md']));
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain(`${regional}:11:7: fail`);
    expect(failing.stdout).toContain(`${organization}:12:9: pass`);

    const passing = runHook(selectFiles([organization, 'notes.md']));
    expect(passing.status, passing.stdout + passing.stderr).toBe(0);
  });

  it('skips staged files that are not templates (a buildspec, package.json) instead of failing on them', () => {
    const organization = 'test/pipeline/fixtures/pre-commit/organization-trail.json';
    const result = runHook(selectFiles([organization, 'package.json', 'templates/pipeline/buildspec.yml']));
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`${organization}:12:9: pass`);
  });

  it('reads staged files named like options as files: -v.yaml is linted, not --version', () => {
    const checkout = path.join(workDir, 'checkout');
    fs.mkdirSync(checkout);
    const regional = fs.readFileSync(path.join(ROOT, 'test/pipeline/fixtures/noncompliant/templates/regional-trail.yaml'), 'utf8');
    for (const name of ['-v.yaml', '--output=x.yaml', '-p.yaml']) fs.writeFileSync(path.join(checkout, name), regional);
    const result = runHook(selectFiles(['-v.yaml', '--output=x.yaml', '-p.yaml']), checkout);
    expect(result.status, result.stdout + result.stderr).toBe(1);
    for (const name of ['-v.yaml', '--output=x.yaml', '-p.yaml']) expect(result.stdout).toContain(`${name}:11:7: fail CLOUDTRAIL_MULTI_REGION_ENABLED`);
    expect(fs.existsSync(path.join(checkout, 'x.yaml'))).toBe(false);
  });
});
