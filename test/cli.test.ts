import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli';

const ROOT = path.resolve(__dirname, '..');
const fixture = (name: string) => path.join(ROOT, 'templates', name);

const REGIONAL = fixture('noncompliant/parameter-allowed-values.yaml');
const COMPLIANT = fixture('compliant/multi-region.yaml');
const UNKNOWN = fixture('unknown/ssm-parameter.yaml');

async function run(args: string[], env: NodeJS.ProcessEnv = {}, isTTY = false) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY, env, cwd: ROOT };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

function tempFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('cli', () => {
  it('exits 0 when every trail is multi-Region, 1 on a violation, 2 on bad input (errors win)', async () => {
    expect((await run([COMPLIANT])).code).toBe(0);
    expect((await run([REGIONAL])).code).toBe(1);
    const broken = tempFile('broken.yaml', 'Resources:\n  A: !Nope x\n');
    const { code, stdout } = await run([REGIONAL, broken]);
    expect(code).toBe(2);
    expect(stdout).toMatch(/broken\.yaml:2:\d+: error E1003 unknown tag !Nope/);
  });

  it('prints file:line:column, the failing deployment, the reasons and the fix', async () => {
    const { stdout } = await run([REGIONAL, '--no-color']);
    expect(stdout).toMatch(/^templates\/noncompliant\/parameter-allowed-values\.yaml:\d+:\d+: fail CLOUDTRAIL_MULTI_REGION_ENABLED /m);
    expect(stdout).toContain('when: ');
    expect(stdout).toContain('because:');
    expect(stdout).toContain('fix: Set IsMultiRegionTrail: true');
    expect(stdout).toMatch(/^1 fail, 0 unknown, 0 suppressed, 0 pass, 0 skip, 0 input errors$/m);
  });

  it('colours on a terminal unless --no-color or NO_COLOR', async () => {
    expect((await run([REGIONAL], {}, true)).stdout).toContain('\u001b[31mfail');
    expect((await run([REGIONAL], {}, false)).stdout).not.toContain('\u001b[');
    expect((await run([REGIONAL, '--no-color'], {}, true)).stdout).not.toContain('\u001b[');
    expect((await run([REGIONAL], { NO_COLOR: '1' }, true)).stdout).not.toContain('\u001b[');
  });

  it('lets --unknown warn pass an unknown verdict', async () => {
    expect((await run([UNKNOWN])).code).toBe(1);
    expect((await run([UNKNOWN, '--unknown', 'warn'])).code).toBe(0);
  });

  it('takes parameters as flags and in all three file shapes', async () => {
    const template = tempFile(
      'p.yaml',
      'Parameters:\n  Multi:\n    Type: String\nResources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsMultiRegionTrail: !Ref Multi\n',
    );
    expect((await run([template])).code).toBe(1);
    expect((await run([template, '-p', 'Multi=true'])).code).toBe(0);
    expect((await run([template, '--parameters', 'ParameterKey=Multi,ParameterValue=true'])).code).toBe(0);
    for (const shape of [
      [{ ParameterKey: 'Multi', ParameterValue: 'true' }],
      { Parameters: { Multi: 'true' }, Tags: { team: 'a' } },
      { Multi: true },
    ]) {
      const file = tempFile('params.json', JSON.stringify(shape));
      expect((await run([template, '--parameters-file', file])).code).toBe(0);
    }
    const flagWins = tempFile('params.json', '{"Multi": "true"}');
    expect((await run([template, '--parameters-file', flagWins, '-p', 'Multi=false'])).code).toBe(1);
  });

  it('reports a bad parameters file or flag as a usage error with its position', async () => {
    const bad = tempFile('params.json', '{"Multi": "true",\n  "Multi": "false"}');
    const result = await run([COMPLIANT, '--parameters-file', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^cfn-trail-lint: error E4003 \S*params\.json:2:3: duplicate key 'Multi'/);
    expect((await run([COMPLIANT, '-p', 'novalue'])).code).toBe(2);
    expect((await run([COMPLIANT, '--format', 'xml'])).code).toBe(2);
    expect((await run([])).code).toBe(2);
  });

  it('writes the report to --output and prints the JSON contract', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-')), 'report.json');
    const { code, stdout } = await run([REGIONAL, COMPLIANT, '--format', 'json', '--output', out]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(Object.keys(report)).toEqual(['tool', 'results', 'errors', 'warnings', 'summary']);
    expect(report.summary).toEqual({ pass: 1, fail: 1, unknown: 0, skip: 0, suppressed: 0, errors: 0 });
    expect(Object.keys(report.results[0])).toEqual(
      expect.arrayContaining(['ruleId', 'status', 'file', 'logicalId', 'line', 'column', 'message', 'because', 'fix']),
    );
  });

  it('reports a missing path and a non-template named explicitly', async () => {
    const buildspec = tempFile('buildspec.yml', 'version: 0.2\nphases:\n  build:\n    commands: [npm test]\n');
    const { code, stdout } = await run(['does/not/exist.yaml', buildspec]);
    expect(code).toBe(2);
    expect(stdout).toContain('does/not/exist.yaml: error E0001 ');
    expect(stdout).toMatch(/buildspec\.yml: error E1005 /);
    // pre-commit passes every staged file: with --skip-non-templates a buildspec is skipped, as in a directory.
    expect((await run([buildspec, COMPLIANT, '--skip-non-templates'])).code).toBe(0);
  });

  it('answers --version and --help with exit 0', async () => {
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--parameters-file');
  });
});

// dist/ is built once by test/global-setup.ts.
describe('bin/cfn-trail-lint (the real process)', () => {
  it('sets the exit code and never prints a stack trace on garbage', () => {
    const garbage = tempFile('garbage.yaml', '\u0001\u0002 : : : [[[');
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/cfn-trail-lint'), garbage, REGIONAL], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reads every word after -- as a file name, even one that looks like an option', () => {
    const dir = path.dirname(tempFile('placeholder', ''));
    const names = ['-v.yaml', '--output=x.yaml', '-p.yaml', '--parameters-file=p.yaml'];
    for (const name of names) fs.copyFileSync(REGIONAL, path.join(dir, name));
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/cfn-trail-lint'), '--no-color', '--', ...names], { cwd: dir, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(1);
    const lines = result.stdout.split('\n');
    for (const name of names) expect(lines.some((line) => line.startsWith(`${name}:`) && line.includes(': fail ')), name).toBe(true);
    expect(fs.existsSync(path.join(dir, 'x.yaml'))).toBe(false);
  });

  it('runs the single-file build, with a code cache V8 accepts, and loads no module from dist/src or node_modules', () => {
    const launcher = path.join(ROOT, 'bin/cfn-trail-lint');
    const probe = `const l = require(${JSON.stringify(launcher)}); process.stdout.write(String(l.loadBundle(l.readCodeCache()).script.cachedDataRejected))`;
    expect(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })).toBe('false');

    const log = tempFile('modules.log', '');
    // Modules from files, and node:child_process, which commander requires up front and the bundle loads on first use only.
    const recorder = tempFile('record.cjs', `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(log)},
      [...Object.keys(require.cache), ...process.moduleLoadList.filter((m) => m.endsWith(' child_process'))].join('\\n')));`);
    const result = spawnSync(process.execPath, ['--require', recorder, launcher, '--format', 'sarif', REGIONAL, fixture('compliant/multi-region.json')], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).runs[0].results.length).toBeGreaterThan(0);
    const loaded = fs.readFileSync(log, 'utf8').split('\n').filter((file) => file !== recorder);
    expect(loaded).toEqual([launcher]);
  });

  it('writes all of a large report to a non-blocking pipe read slowly, then exits with its code', async () => {
    // Something in the process (here a preload) made process.stdout, which puts the pipe in non-blocking mode:
    // the CLI's writes meet EAGAIN once the 64 KB pipe buffer is full, and the rest must go through Node's
    // stream before the process ends.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-fifo-'));
    const fifo = path.join(dir, 'out');
    execFileSync('mkfifo', [fifo]);
    const preload = path.join(dir, 'stdout-stream.cjs');
    fs.writeFileSync(preload, 'process.stdout;\n');
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writer = fs.openSync(fifo, fs.constants.O_WRONLY);
    // Two copies of the fixture set: a report over 128 KB (the same file named twice is reported once).
    const copies = ['a', 'b'].map((name) => path.join(dir, name));
    for (const copy of copies) fs.cpSync(path.join(ROOT, 'templates'), copy, { recursive: true });
    const argv = ['--require', preload, path.join(ROOT, 'bin/cfn-trail-lint'), '--format', 'sarif', ...copies];
    const child = spawn(process.execPath, argv, { stdio: ['ignore', writer, 'ignore'] });
    fs.closeSync(writer);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 500)); // the pipe fills up meanwhile
    const chunks: Buffer[] = [];
    for (;;) {
      const chunk = Buffer.alloc(65536);
      let read: number;
      try {
        read = fs.readSync(reader, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
    }
    fs.closeSync(reader);
    const output = Buffer.concat(chunks).toString('utf8');
    expect(output.length).toBeGreaterThan(2 * 65536);
    expect(JSON.parse(output).runs[0].results.length).toBeGreaterThan(0);
    expect(await exited).toBe(1);
  });

  it('stops quietly when the reader of its output goes away', () => {
    const result = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${path.join(ROOT, 'bin/cfn-trail-lint')}" "${path.join(ROOT, 'templates')}" | head -c 1`], { encoding: 'utf8' });
    expect(result.stdout).toHaveLength(1);
    expect(result.stderr).toBe('');
  });

  it('never loads aws-cdk-lib', () => {
    const probe = `const l = require(${JSON.stringify(path.join(ROOT, 'bin/cfn-trail-lint'))}); l.loadBundle(l.readCodeCache()).cli.main([${JSON.stringify(REGIONAL)}], {stdout(){}, stderr(){}, isTTY:false, env:{}, cwd:process.cwd()}).then(() => {
      const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](aws-cdk-lib|constructs)[\\\\/]/.test(f));
      process.stdout.write(String(loaded.length));
    })`;
    expect(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })).toBe('0');
  });
});
