import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

// A consumer project as a user has one: this package installed from its npm tarball (so "files", "exports" and
// "typesVersions" are what a user gets), next to the aws-cdk-lib it was given.

const ROOT = path.resolve(__dirname, '..', '..');

/** Packs the built package (dist/ comes from vitest's global setup) into `dir` and returns the tarball. */
export function packPackage(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const output = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  const [{ filename }] = JSON.parse(output) as { filename: string }[];
  return path.join(dir, filename);
}

/**
 * A project folder whose node_modules holds this package (extracted from its tarball) and links to this
 * repository's aws-cdk-lib, constructs and @types/node: no network.
 */
export function consumerProject(dir: string): string {
  fs.rmSync(dir, { recursive: true, force: true });
  const modules = path.join(dir, 'node_modules');
  const installed = path.join(modules, 'cfn-trail-lint');
  fs.mkdirSync(installed, { recursive: true });
  const tarball = packPackage(path.join(dir, 'pack'));
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const name of ['aws-cdk-lib', 'constructs', '@types/node', 'commander', 'js-yaml', 'yaml-cfn']) {
    fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(modules, name), 'dir');
  }
  return dir;
}

/** Type-checks `files` with `options` (as a tsconfig.json's compilerOptions) and returns the compiler's complaints. */
export function typeCheck(files: string[], options: Record<string, unknown>): string[] {
  const { options: compilerOptions, errors } = ts.convertCompilerOptionsFromJson(options, path.dirname(files[0]));
  if (errors.length > 0) return errors.map((error) => ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const program = ts.createProgram(files, { ...compilerOptions, noEmit: true }, cachingHost(compilerOptions));
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file ? `${path.basename(diagnostic.file.fileName)}: ` : '';
    return `${where}TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

/**
 * Parsed files shared between programs: aws-cdk-lib's declarations take seconds to parse, and every setup
 * loads all of them. A parsed file depends only on its text, its language version and its module format.
 */
const parsed = new Map<string, ts.SourceFile>();

function cachingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const settings = typeof languageVersion === 'object' ? languageVersion : { languageVersion };
    const key = `${fileName}\0${settings.languageVersion}\0${settings.impliedNodeFormat ?? ''}`;
    let file = parsed.get(key);
    if (!file) {
      file = read(fileName, languageVersion, onError, shouldCreate);
      if (file && !fileName.includes(`${path.sep}.tmp${path.sep}`)) parsed.set(key, file);
    }
    return file;
  };
  return host;
}
