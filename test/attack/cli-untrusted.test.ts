// Regressions found by attacking #17 (a helper that had not seen the change). Where a comment says what a door
// did, it says what it did before the fix; each test asserts the behaviour now promised.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// A pull request's files, linted by the built binary in the checkout (its working directory), as CI runs it.
const BIN = path.resolve(__dirname, '../../bin/cfn-trail-lint');
const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'attack2-')));
const outside = path.join(work, 'outside');
const checkout = path.join(work, 'checkout');
fs.mkdirSync(outside);
fs.mkdirSync(path.join(checkout, 't'), { recursive: true });

const TRAIL_WITH_PARAMETER = [
  'Parameters:',
  '  MultiRegion:',
  '    Type: String',
  '    AllowedValues: ["true", "false"]',
  '    Default: "true"',
  'Resources:',
  '  Trail:',
  '    Type: AWS::CloudTrail::Trail',
  '    Properties:',
  '      S3BucketName: b',
  '      IsLogging: true',
  '      IsMultiRegionTrail: !Ref MultiRegion',
  '',
].join('\n');
fs.writeFileSync(path.join(checkout, 't/trail.yaml'), TRAIL_WITH_PARAMETER);

function lint(args: string[], files: Record<string, string | { link: string }>, timeout = 15_000) {
  const dir = fs.mkdtempSync(path.join(checkout, 'case-'));
  fs.cpSync(path.join(checkout, 't'), path.join(dir, 't'), { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === 'string') fs.writeFileSync(path.join(dir, name), content);
    else fs.symlinkSync(content.link, path.join(dir, name));
  }
  const started = Date.now();
  const run = spawnSync(process.execPath, [BIN, '--no-color', ...args], { cwd: dir, encoding: 'utf8', timeout });
  return { code: run.status, signal: run.signal, out: run.stdout + run.stderr, seconds: (Date.now() - started) / 1000 };
}

describe('the config file a pull request commits', () => {
  it('a .cfn-trail-lint.yaml that links to a file outside the checkout is refused (E0003), nothing of it shown', () => {
    fs.writeFileSync(path.join(outside, 'credentials.yaml'), 'AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI\n');
    const run = lint(['--', 't'], { '.cfn-trail-lint.yaml': { link: path.join(outside, 'credentials.yaml') } });
    console.log(run.out);
    expect(run.out, 'a name from a file outside the checkout is in the output').not.toContain('AWS_SECRET_ACCESS_KEY');
    expect(run.out).toMatch(/E0003/);
  });

  it('a .cfn-trail-lint.yaml that links to a FIFO is refused at once', () => {
    const fifo = path.join(outside, 'config-fifo');
    execFileSync('mkfifo', [fifo]);
    const run = lint(['--', 't'], { '.cfn-trail-lint.yaml': { link: fifo } }, 10_000);
    console.log(run);
    expect(run.signal, 'killed by the 10 s timeout: the run hung').toBeNull();
    expect(run.code).toBe(2);
  });

  it("templates[].parametersFile naming a file outside the checkout is refused", () => {
    fs.writeFileSync(path.join(outside, 'params.json'), '{"MultiRegion": "false"}');
    const run = lint(['--', 't'], { '.cfn-trail-lint.yaml': `templates:\n  - files: ["**"]\n    parametersFile: ${path.join(outside, 'params.json')}\n` });
    console.log(run.out);
    expect(run.out, 'the verdict came from a file outside the checkout').not.toMatch(/fail CLOUDTRAIL_MULTI_REGION_ENABLED/);
    expect(run.out).toMatch(/E0003/);
  });

  it('templates[].parametersFile ../ out of the checkout is refused', () => {
    const run = lint(['--', 't'], { '.cfn-trail-lint.yaml': `templates:\n  - files: ["**"]\n    parametersFile: ../../outside/params.json\n` });
    console.log(run.out);
    expect(run.out).not.toMatch(/fail CLOUDTRAIL_MULTI_REGION_ENABLED/);
    expect(run.out).toMatch(/E0003/);
  });
});

describe('usage errors carry a code', () => {
  for (const args of [['--bogus', 't'], ['--format', 'xml', 't'], ['--unknown', 'maybe', 't'], ['--parameters'], ['--rule']]) {
    it(`cfn-trail-lint ${args.join(' ')}: exit 2 with E4006`, () => {
      const run = lint(args, {});
      console.log(run.out);
      expect(run.code).toBe(2);
      expect(run.out).toMatch(/cfn-trail-lint: error E4006 /);
    });
  }
});

describe('a link out, named directly, reads the same whether its target exists or not (README)', () => {
  it('a link to ../elsewhere is E0003 whether named or found in a folder, and whether its target exists', () => {
    const named = lint(['--', 't/out.yaml'], {});
    void named;
    const dir = fs.mkdtempSync(path.join(checkout, 'case-'));
    fs.mkdirSync(path.join(dir, 't'));
    fs.symlinkSync('../elsewhere/secret.yaml', path.join(dir, 't/out.yaml'));
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, '--no-color', ...args], { cwd: dir, encoding: 'utf8' });
    const missing = run(['--', 't/out.yaml']);
    fs.mkdirSync(path.join(dir, 'elsewhere'));
    fs.writeFileSync(path.join(dir, 'elsewhere/secret.yaml'), 'Resources: {}\n');
    const present = run(['--', 't/out.yaml']);
    console.log(missing.stdout + missing.stderr, present.stdout + present.stderr);
    expect((missing.stdout + missing.stderr).match(/E\d{4}/)?.[0], 'the code tells whether ../elsewhere/secret.yaml exists').toBe((present.stdout + present.stderr).match(/E\d{4}/)?.[0]);
  });
});
