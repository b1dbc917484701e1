import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// Each hostile input ends as an exit code, a file:line:column message and no stack trace, within 10 s,
// run as users run it: the built binary in its own process.
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/cfn-trail-lint');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-hostile-'));

function write(name: string, content: string | Buffer): string {
  const file = path.join(work, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

function lint(args: string[], options: { uid?: number; env?: NodeJS.ProcessEnv } = {}) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [BIN, '--no-color', ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, ...options.env },
    ...(options.uid !== undefined && { uid: options.uid, gid: options.uid }),
  });
  return { code: result.status, out: result.stdout + result.stderr, seconds: (Date.now() - started) / 1000 };
}

function expectInputError(args: string[], message: RegExp) {
  const { code, out, seconds } = lint(args);
  expect(out).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // no stack trace
  expect(out).toMatch(message);
  expect(code).toBe(2);
  expect(seconds).toBeLessThan(10);
  return out;
}

describe('hostile input', () => {
  it('truncated YAML and JSON', () => {
    expectInputError([write('truncated.yaml', 'Resources:\n  Trail:\n    Type: "AWS::CloudTrail::Tr')], /truncated\.yaml:3:\d+: error E1001 .*unexpected end/);
    expectInputError([write('truncated.json', '{"Resources": {"Trail": {"Type": "AWS::Cloud')], /truncated\.json:1:\d+: error E1002 .*unterminated string/);
  });

  it('garbage, binary and empty files named explicitly', () => {
    expectInputError([write('garbage.yaml', '\u0001\u0002 : : : [[[ }}} !!')], /garbage\.yaml:1:\d+: error E1001 /);
    expectInputError([write('binary.template', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]))], /binary\.template: error E0006 /);
    expectInputError([write('empty.yaml', '')], /empty\.yaml: error E1004 /);
  });

  it('unknown tags and code-executing tags', () => {
    expectInputError([write('tag.yaml', 'Resources:\n  A: !Evil x\n')], /tag\.yaml:2:\d+: error E1003 unknown tag !Evil/);
    expectInputError([write('js.yaml', 'Resources:\n  A: !!js/function "function () { require(\'fs\').writeFileSync(\'/tmp/pwned\', 1) }"\n')], /js\.yaml:2:6: error E1003 unknown tag !!js\/function/);
    expectInputError([write('python.yaml', 'Resources:\n  A: !!python/object/apply:os.system ["touch /tmp/pwned"]\n')], /python\.yaml:2:\d+: error E1003 /);
  });

  it('a 100,000-deep nested list, in YAML and JSON', () => {
    expectInputError([write('deep.yaml', `Resources: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)], /deep\.yaml:1:\d+: error E3005 /);
    expectInputError([write('deep.json', `{"Resources": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`)], /deep\.json:1:\d+: error E3005 /);
  });

  it('a billion-laughs alias bomb', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    lines.push('Resources:', '  Trail:', '    Type: AWS::CloudTrail::Trail', '    Properties:', '      IsMultiRegionTrail: true', '      Tags: *j');
    const { code, out, seconds } = lint([write('laughs.yaml', lines.join('\n'))]);
    expect(seconds).toBeLessThan(10);
    expect(out).toContain('pass CLOUDTRAIL_MULTI_REGION_ENABLED');
    expect(code).toBe(0); // aliases are shared, never expanded: a correct verdict at no cost
    const many = `x: &x [a]\nResources: {}\ny: [${Array(20_000).fill('*x').join(', ')}]\n`;
    expectInputError([write('aliases.yaml', many)], /aliases\.yaml:3:\d+: error E3005 /);
  });

  it('a directory with a symlink loop, and a dangling link', () => {
    const dir = path.join(work, 'loop');
    fs.mkdirSync(path.join(dir, 'inner'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'templates/compliant/multi-region.yaml'), path.join(dir, 'inner/trail.yaml'));
    fs.symlinkSync(dir, path.join(dir, 'inner/back'));
    fs.symlinkSync(path.join(dir, 'missing.yaml'), path.join(dir, 'dangling.yaml'));
    const { code, out, seconds } = lint([dir]);
    expect(seconds).toBeLessThan(10);
    expect(out.match(/pass CLOUDTRAIL/g)).toHaveLength(1);
    expect(code).toBe(0);
  });

  it('a file without end (/dev/zero) named on the command line is refused unread', () => {
    expectInputError(['/dev/zero'], /\/dev\/zero: error E0004 not a regular file \(a \/dev entry\): not read/);
  });

  it('a missing path', () => {
    expectInputError([path.join(work, 'nope.yaml')], /nope\.yaml: error E0001 /);
  });

  it('a file it may not read never counts as a pass', () => {
    const file = write('secret/unreadable.yaml', fs.readFileSync(path.join(ROOT, 'templates/compliant/multi-region.yaml')));
    fs.chmodSync(file, 0o000);
    fs.chmodSync(work, 0o755);
    // As root every file is readable: run the linter as nobody instead.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534 } : {};
    const { code, out } = lint([file], asNobody);
    expect(out).toMatch(/unreadable\.yaml: error E0002 cannot read file: EACCES/);
    expect(out).not.toMatch(/: pass /);
    expect(out).toMatch(/^0 fail, 0 unknown, 0 suppressed, 0 pass/m);
    expect(code).toBe(2);
  });

  it('a 50 MB template within 10 s and under 1 GB of memory', () => {
    const parts = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'];
    const expected = { pass: 0, fail: 0 };
    let size = 0;
    for (let i = 0; size < 50 * 1024 * 1024; i++) {
      const block = `  Bucket${i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub "b-\${AWS::Region}-${i}"\n      Tags: [{Key: a, Value: !Ref AWS::StackName}]\n`;
      const trail = i % 5000 === 0;
      if (trail) expected[i % 10000 === 0 ? 'pass' : 'fail']++;
      parts.push(trail ? `${block}  Trail${i}:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsMultiRegionTrail: ${i % 10000 === 0}\n` : block);
      size += block.length;
    }
    const file = write('big.yaml', parts.join('\n'));
    // CPU seconds, not wall-clock: other test files share the machine's two cores while this one runs.
    const measure = `const launcher = require(${JSON.stringify(BIN)}); const { cli } = launcher.loadBundle(launcher.readCodeCache());
      cli.main(['--format', 'json', ${JSON.stringify(file)}], { stdout: (t) => process.stdout.write(t), stderr() {}, isTTY: false, env: {}, cwd: '/' })
        .then((code) => { const u = process.resourceUsage(); process.stderr.write('RSS ' + u.maxRSS + ' CPU ' + (u.userCPUTime + u.systemCPUTime)); process.exitCode = code; });`;
    const started = Date.now();
    const result = spawnSync(process.execPath, ['-e', measure], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wallSeconds = (Date.now() - started) / 1000;
    const rssMb = Number(/RSS (\d+)/.exec(result.stderr)?.[1]) / 1024;
    const cpuSeconds = Number(/CPU (\d+)/.exec(result.stderr)?.[1]) / 1e6;
    const report = JSON.parse(result.stdout);
    expect(report.summary).toMatchObject({ ...expected, errors: 0 });
    expect(result.status).toBe(1);
    expect(cpuSeconds).toBeLessThan(10);
    expect(wallSeconds).toBeLessThan(30); // a hang, whatever the load
    expect(rssMb).toBeLessThan(1024);
  }, 60_000);
});

describe('no network, no code execution', () => {
  it('opens no socket and resolves no host on any input', () => {
    const log = path.join(work, 'network.log');
    fs.writeFileSync(log, '');
    const inputs = [path.join(ROOT, 'templates'), path.join(ROOT, 'test/fixtures/invalid'), path.join(ROOT, 'test/nested-stacks/fixtures')];
    const result = spawnSync(process.execPath, ['--require', path.join(__dirname, 'no-network.cjs'), BIN, ...inputs], {
      encoding: 'utf8',
      env: { ...process.env, NETWORK_LOG: log },
    });
    expect(result.stdout).toContain('CLOUDTRAIL_MULTI_REGION_ENABLED'); // it did lint
    expect(fs.readFileSync(log, 'utf8')).toBe('');
    expect(fs.existsSync('/tmp/pwned')).toBe(false);
  });
});

describe('evaluation of hostile values', () => {
  it('an alias bomb under Fn::ToJsonString is unknown, quickly, not a hang', () => {
    const lines = ['Transform: AWS::LanguageExtensions', 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    lines.push(
      'Conditions:',
      '  Big: !Equals [!ToJsonString {v: *j}, x]',
      'Resources:',
      '  Trail:',
      '    Type: AWS::CloudTrail::Trail',
      '    Properties:',
      '      IsMultiRegionTrail: !If [Big, true, false]',
    );
    const { code, out, seconds } = lint([write('json-bomb.yaml', lines.join('\n'))]);
    expect(seconds).toBeLessThan(10);
    expect(out).toMatch(/unknown CLOUDTRAIL_MULTI_REGION_ENABLED .*more than 100000 steps/);
    expect(code).toBe(1);
  });
});
