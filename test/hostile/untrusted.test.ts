import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJunit } from '../report/parse-junit';

// A pull request's files as an attacker writes them, built here at test time (links, FIFOs, devices), and
// linted by the built binary in its own process, as a CI job runs it. Every run must end within 20 s and
// 512 MB, exit 0/1/2 with no stack trace, and read nothing outside the paths it was given.
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/cfn-trail-lint');
const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-untrusted-')));

/** A trail whose logical ID shows in any report that read it: the proof a file outside was read. */
const OUTSIDE_TEMPLATE = 'Resources:\n  OutsideSecretTrail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsMultiRegionTrail: false\n';
const COMPLIANT = fs.readFileSync(path.join(ROOT, 'templates/compliant/multi-region.yaml'), 'utf8');
const outside = path.join(work, 'outside');
fs.mkdirSync(outside);
fs.writeFileSync(path.join(outside, 'secret.yaml'), OUTSIDE_TEMPLATE);
fs.writeFileSync(path.join(outside, 'secret.json'), '{"Parameters": "OutsideSecretValue"}');

const HAS_STRACE = spawnSync('strace', ['-f', '-e', 'trace=openat', '-o', '/dev/null', 'true']).status === 0;

function write(file: string, content: string | Buffer): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

function link(target: string, at: string): string {
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.symlinkSync(target, at);
  return at;
}

function fifo(at: string): string {
  execFileSync('mkfifo', [at]);
  return at;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  rssMb: number;
  /** Files the process opened (strace), when strace runs here. */
  opened?: string[];
}

/**
 * Runs the binary as a CI job would, measuring its time and peak memory, and, where strace runs, what it opens
 * (`trace: false` where the question is time: tracing slows a run that opens thousands of files).
 */
function lint(args: string[], options: { cwd?: string; preload?: string; trace?: boolean } = {}): Run {
  const traced = HAS_STRACE && options.trace !== false;
  const measure = path.join(work, `measure-${process.pid}-${Math.random()}`);
  const trace = `${measure}.strace`;
  const node = [...(options.preload ? ['--require', options.preload] : []), '--require', path.join(__dirname, 'measure.cjs'), BIN, '--no-color', ...args];
  const [command, commandArgs] = traced
    ? ['strace', ['-f', '-qq', '-e', 'trace=open,openat', '-o', trace, process.execPath, ...node]]
    : [process.execPath, node];
  const started = Date.now();
  const result = spawnSync(command as string, commandArgs as string[], {
    encoding: 'utf8',
    cwd: options.cwd ?? work,
    timeout: 30_000,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, MEASURE_FILE: measure },
  });
  const seconds = (Date.now() - started) / 1000;
  const rssMb = Number(fs.readFileSync(measure, 'utf8')) / 1024;
  const opened = traced ? [...fs.readFileSync(trace, 'utf8').matchAll(/open(?:at)?\((?:AT_FDCWD, )?"([^"]*)"/g)].map((match) => match[1]) : undefined;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, seconds, rssMb, opened };
}

/** What every run must satisfy, whatever its input. */
function expectContained(run: Run): void {
  const out = run.stdout + run.stderr;
  expect(out).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
  expect(out).not.toContain('OutsideSecret');
  expect([0, 1, 2]).toContain(run.code);
  expect(run.seconds).toBeLessThan(20);
  expect(run.rssMb).toBeLessThan(512);
  for (const file of run.opened ?? []) {
    expect(file).not.toMatch(/^\/(etc\/shadow|dev\/zero)$|\/outside\/secret/);
  }
}

describe('files outside the named paths are never read', () => {
  it('in a directory: links out of it, FIFOs, devices and /proc entries are input errors naming the link', () => {
    const dir = path.join(work, 'directory');
    write(path.join(dir, 'good.yaml'), COMPLIANT);
    link('good.yaml', path.join(dir, 'link-inside.yaml'));
    link('../outside/secret.yaml', path.join(dir, 'secret.yaml'));
    link(outside, path.join(dir, 'outside-folder'));
    link('/etc/shadow', path.join(dir, 'shadow.yaml'));
    link('/dev/zero', path.join(dir, 'zero.yaml'));
    link('/proc/self/fd/1', path.join(dir, 'stdout.yaml'));
    link('/proc/self/environ', path.join(dir, 'environ.json'));
    fifo(path.join(dir, 'fifo.yaml'));
    link('fifo.yaml', path.join(dir, 'fifo-link.yaml'));
    link('/dev/zero', path.join(dir, 'sub/manifest.json'));
    link(dir, path.join(dir, 'loop'));

    const run = lint(['directory']);
    expectContained(run);
    for (const name of ['secret.yaml', 'outside-folder', 'shadow.yaml', 'zero.yaml', 'stdout.yaml', 'environ.json', 'sub/manifest.json']) {
      expect(run.stdout).toContain(`directory/${name}: error E0003 is a symbolic link that leads outside directory: not read`);
    }
    expect(run.stdout).toContain('directory/fifo.yaml: error E0004 not a regular file (a FIFO): not read');
    expect(run.stdout).toContain('directory/fifo-link.yaml: error E0004 not a regular file (a FIFO): not read');
    expect(run.stdout.match(/: pass CLOUDTRAIL/g)).toHaveLength(2); // good.yaml and the link to it, once each
    if (run.opened) expect(run.opened.some((file) => file.endsWith('/directory/good.yaml'))).toBe(true); // the trace sees reads
    expect(run.code).toBe(2);
  });

  it('nested stacks: a TemplateURL through a link out of the folder, to a FIFO, /dev/zero or /proc/self/fd/1', () => {
    const dir = path.join(work, 'nested');
    const stack = (id: string, url: string) => `  ${id}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ${url}\n`;
    write(path.join(dir, 'parent.yaml'), `Resources:\n${stack('Secret', './secret.yaml')}${stack('Zero', './zero.yaml')}${stack('Fifo', './fifo.yaml')}${stack('Stdout', './stdout.yaml')}`);
    link('../outside/secret.yaml', path.join(dir, 'secret.yaml'));
    link('/dev/zero', path.join(dir, 'zero.yaml'));
    link('/proc/self/fd/1', path.join(dir, 'stdout.yaml'));
    fifo(path.join(dir, 'fifo.yaml'));

    const run = lint(['nested/parent.yaml']);
    expectContained(run);
    for (const name of ['secret.yaml', 'zero.yaml', 'stdout.yaml']) expect(run.stdout).toContain(`nested/${name}: error E0003 is a symbolic link that leads outside nested: not read`);
    expect(run.stdout).toContain('nested/fifo.yaml: error E0004 not a regular file (a FIFO): not read');
    expect(run.code).toBe(2);
  });

  it('a cdk.out: nested templates linked out of it or past the size limit, an asset manifest linked to /dev/zero', () => {
    const dir = path.join(work, 'cdk.out');
    const manifest = {
      version: '36.0.0',
      artifacts: {
        'Stack.assets': { type: 'cdk:asset-manifest', properties: { file: 'Stack.assets.json' } },
        Stack: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Stack.template.json' } },
      },
    };
    write(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    write(path.join(dir, 'Stack.template.json'), JSON.stringify({ Resources: { Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { IsMultiRegionTrail: true } } } }));
    link('/dev/zero', path.join(dir, 'Stack.assets.json'));
    link('../outside/secret.yaml', path.join(dir, 'Evil.nested.template.json'));
    const big = write(path.join(dir, 'Big.nested.template.json'), '');
    fs.truncateSync(big, 70 * 1024 * 1024); // a sparse file: its size is refused before anything is read

    const run = lint(['cdk.out']);
    expectContained(run);
    expect(run.stdout).toMatch(/cdk\.out\/manifest\.json: error E5002 artifact Stack\.assets: file "Stack\.assets\.json" points outside the cloud assembly/);
    expect(run.stdout).toContain('cdk.out/Evil.nested.template.json: error E0003 is a symbolic link that leads outside cdk.out: not read');
    expect(run.stdout).toContain(`cdk.out/Big.nested.template.json: error E0005 file is ${70 * 1024 * 1024} bytes; the limit is 67108864`);
    expect(run.stdout).toMatch(/pass CLOUDTRAIL_MULTI_REGION_ENABLED/);
    expect(run.code).toBe(2);
  });

  it('--parameters-file naming /dev/zero, a FIFO or a link out of its folder is a usage error', () => {
    const dir = path.join(work, 'parameters');
    write(path.join(dir, 'template.yaml'), COMPLIANT);
    fifo(path.join(dir, 'fifo.json'));
    link('../outside/secret.json', path.join(dir, 'linked.json'));
    const cases: [string, string][] = [
      ['/dev/zero', 'cfn-trail-lint: error E0004 cannot read parameters file /dev/zero: not a regular file (a /dev entry): not read'],
      ['parameters/fifo.json', 'cfn-trail-lint: error E0004 cannot read parameters file parameters/fifo.json: not a regular file (a FIFO): not read'],
      ['parameters/linked.json', 'cfn-trail-lint: error E0003 cannot read parameters file parameters/linked.json: is a symbolic link that leads outside parameters: not read'],
    ];
    for (const [file, message] of cases) {
      const run = lint(['--parameters-file', file, 'parameters/template.yaml']);
      expectContained(run);
      expect(run.stderr).toBe(`${message}\n`);
      expect(run.code).toBe(2);
    }
  });

  it('a folder the workflow names, replaced by a link out of the working directory, is not read', () => {
    const checkout = path.join(work, 'checkout');
    write(path.join(checkout, 'real/template.yaml'), COMPLIANT);
    link(outside, path.join(checkout, 'templates'));
    const named = lint(['templates'], { cwd: checkout });
    expectContained(named);
    expect(named.stdout).toContain('templates: error E0003 leads outside the working directory through a symbolic link: not read');
    expect(named.code).toBe(2);
    const file = lint(['templates/secret.yaml'], { cwd: checkout });
    expectContained(file);
    expect(file.stdout).toContain('templates/secret.yaml: error E0003 the folder templates leads outside the working directory through a symbolic link: not read');
    expect(file.code).toBe(2);
    const parameters = lint(['--parameters-file', 'templates/secret.json', 'real/template.yaml'], { cwd: checkout });
    expectContained(parameters);
    expect(parameters.stderr).toBe(
      'cfn-trail-lint: error E0003 cannot read parameters file templates/secret.json: the folder templates leads outside the working directory through a symbolic link: not read\n',
    );
    expect(parameters.code).toBe(2);
  });
});

describe('whole-run bounds', () => {
  it('a 60 MB template of 650,000 trails ends with an input error naming the limit, in seconds', () => {
    const trails: string[] = ['Resources:'];
    for (let i = 0; i < 650_000; i++) trails.push(`  T${i}:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsMultiRegionTrail: false`);
    write(path.join(work, 'bounds/trails.yaml'), trails.join('\n'));
    const run = lint(['bounds/trails.yaml'], { trace: false });
    expectContained(run);
    expect(run.stdout).toContain(
      'bounds/trails.yaml: error E3004 the template declares more than 2000 AWS::CloudTrail::Trail resources; the limit is 2000 per template (CloudFormation accepts 500 resources)',
    );
    expect(run.code).toBe(2);
  }, 60_000);

  it('a run stops at 10,000 templates, and at 10,000 results, with an input error naming the limit', () => {
    const templates = path.join(work, 'bounds/templates');
    fs.mkdirSync(templates, { recursive: true });
    for (let i = 0; i <= 10_000; i++) fs.writeFileSync(path.join(templates, `t${String(i).padStart(5, '0')}.yaml`), 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n');
    const many = lint(['bounds/templates'], { trace: false });
    expectContained(many);
    expect(many.stdout).toContain('bounds/templates/t10000.yaml: error E3002 not linted: the run has reached its limit of 10000 templates (lint fewer files at a time)');
    expect(many.code).toBe(2);

    const trails = ['Resources:'];
    for (let i = 0; i < 2_000; i++) trails.push(`  T${i}:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsMultiRegionTrail: true`);
    for (let i = 0; i < 6; i++) write(path.join(work, `bounds/trails-${i}/trails.yaml`), trails.join('\n'));
    const results = lint(['-f', 'json', ...[0, 1, 2, 3, 4, 5].map((i) => `bounds/trails-${i}`)], { trace: false });
    expectContained(results);
    const report = JSON.parse(results.stdout);
    expect(report.summary).toMatchObject({ pass: 10_000, errors: 1 });
    expect(report.errors).toEqual([
      { file: 'bounds/trails-5/trails.yaml', code: 'E3002', message: 'not linted: the run has reached its limit of 10000 results and input errors (lint fewer files at a time)' },
    ]);
    expect(results.code).toBe(2);
  }, 60_000);
});

describe('exit codes are the contract', () => {
  it('an unexpected exception is exit 2 with one line naming the file; --debug adds the stack', () => {
    write(path.join(work, 'crash/crash.yaml'), `# INJECTED_FAILURE\n${COMPLIANT}`);
    const preload = path.join(__dirname, 'inject-failure.cjs');
    const run = lint(['crash/crash.yaml'], { preload });
    expectContained(run);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('cfn-trail-lint: internal error while linting crash/crash.yaml: injected failure\n');
    expect(run.code).toBe(2);
    const debug = lint(['--debug', 'crash/crash.yaml'], { preload });
    expect(debug.stderr).toMatch(/^cfn-trail-lint: internal error while linting crash\/crash\.yaml: injected failure\nTypeError: injected failure\n\s+at /);
    expect(debug.code).toBe(2);
  });

  it('a full disk (/dev/full) or a reader that goes away (| head -1) is exit 2 with one line', () => {
    const full = spawnSync('bash', ['-c', `node ${JSON.stringify(BIN)} templates > /dev/full`], { cwd: ROOT, encoding: 'utf8' });
    expect(full.stderr).toBe('cfn-trail-lint: cannot write to standard output: ENOSPC\n');
    expect(full.status).toBe(2);
    // Enough output to outlast the pipe's buffer once `head` has gone.
    const many = path.join(work, 'many');
    for (let i = 0; i < 400; i++) write(path.join(many, `t${i}.yaml`), fs.readFileSync(path.join(ROOT, 'templates/noncompliant/parameter-allowed-values.yaml')));
    const head = spawnSync('bash', ['-c', `node ${JSON.stringify(BIN)} --no-color many | (sleep 0.5; head -1); exit \${PIPESTATUS[0]}`], { cwd: work, encoding: 'utf8' });
    expect(head.stdout.split('\n')).toHaveLength(2);
    expect(head.stderr).toBe('cfn-trail-lint: cannot write to standard output: EPIPE\n');
    expect(head.status).toBe(2);
  });
});

describe('--output writes nothing outside and never over an input', () => {
  const dir = path.join(work, 'output');
  write(path.join(dir, 'template.yaml'), COMPLIANT);

  it('replaces a symbolic link at the target instead of writing through it', () => {
    const victim = write(path.join(outside, 'victim.txt'), 'untouched\n');
    link(victim, path.join(dir, 'report.txt'));
    const run = lint(['template.yaml', '-o', 'report.txt'], { cwd: dir });
    expectContained(run);
    expect(run.code).toBe(0);
    expect(fs.readFileSync(victim, 'utf8')).toBe('untouched\n');
    expect(fs.lstatSync(path.join(dir, 'report.txt')).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'report.txt'), 'utf8')).toMatch(/pass CLOUDTRAIL_MULTI_REGION_ENABLED/);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('naming a linted file, or a folder linked out of the working directory, is a usage error', () => {
    const before = fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8');
    const same = lint(['.', '-o', 'template.yaml'], { cwd: dir });
    expect(same.stderr).toBe('cfn-trail-lint: error E4008 --output template.yaml is a file this run lints: it would be overwritten\n');
    expect(same.code).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8')).toBe(before);
    link(outside, path.join(dir, 'reports'));
    const away = lint(['template.yaml', '-o', 'reports/report.txt'], { cwd: dir });
    expect(away.stderr).toBe('cfn-trail-lint: error E4008 --output reports/report.txt: its folder leads outside the working directory through a symbolic link\n');
    expect(away.code).toBe(2);
    expect(fs.existsSync(path.join(outside, 'report.txt'))).toBe(false);
  });
});

describe('text from the input is shown, never obeyed', () => {
  const dir = path.join(work, 'inject');
  const template = [
    'Parameters:',
    '  Multi:',
    '    Type: String',
    '    AllowedValues: ["true", "fal\\e]0;title\\a\\x85se\\u202e"]',
    'Resources:',
    '  "T\\e[2J\\r\\n::error file=x::owned\\u2066":',
    '    Type: AWS::CloudTrail::Trail',
    '    Metadata:',
    '      cfn-trail-lint:',
    '        suppress:',
    '          - id: CLOUDTRAIL_MULTI_REGION_ENABLED',
    '            reason: "r\\e[31m\\n  ::warning::x\\x7f"',
    '    Properties:',
    '      IsMultiRegionTrail: !Ref Multi',
    '  "::error::Second":',
    '    Type: AWS::CloudTrail::Trail',
    '    Properties:',
    '      IsMultiRegionTrail: !Ref Multi',
    '',
  ].join('\n');
  write(path.join(dir, '::error::evil\u001b[2J\u202e.yaml'), template);

  /** Raw controls other than the new lines that end lines, and the characters that reorder text. */
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

  it('text: control characters escaped visibly, and no line reads as a workflow command', () => {
    const run = lint(['.'], { cwd: dir });
    expectContained(run);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    for (const line of run.stdout.split('\n')) expect(line.trimStart().startsWith('::')).toBe(false);
    expect(run.stdout).toContain('\\u003a:error::evil\\u001b[2J\\u202e.yaml:14:7: suppressed CLOUDTRAIL_MULTI_REGION_ENABLED CloudTrail trail T\\u001b[2J\\u000d\\u000a::error');
    expect(run.stdout).toContain('suppressed (CLOUDTRAIL_MULTI_REGION_ENABLED, cfn-trail-lint): r\\u001b[31m\\u000a  ::warning::x\\u007f');
    expect(run.stdout).toContain('when: Multi=fal\\u001b]0;title\\u0007\\u0085se\\u202e');
    expect(run.code).toBe(1);
  });

  it('json, sarif and junit: well-formed, with no raw control or bidi character', () => {
    for (const format of ['json', 'sarif']) {
      const run = lint(['-f', format, '.'], { cwd: dir });
      expect(run.stdout).not.toMatch(RAW_CONTROL);
      expect(JSON.stringify(JSON.parse(run.stdout))).toContain('T\\u001b[2J\\r\\n::error');
    }
    const junit = lint(['-f', 'junit', '.'], { cwd: dir });
    expect(junit.stdout).not.toMatch(RAW_CONTROL);
    expect(parseJunit(junit.stdout).testsuites.testsuite).toHaveLength(1);
  });

  it('names echoed in usage errors are escaped too', () => {
    const run = lint(['--format', 'x\u001b]0;title\u0007', '.'], { cwd: dir });
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    expect(run.stderr).toContain('x\\u001b]0;title\\u0007');
    expect(run.code).toBe(2);
  });
});
