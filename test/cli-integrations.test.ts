// Issue #14's command-line additions: --region checks, colour variables, standard input, --exclude, --list-rules,
// and the config file. In process through main(), as cli.test.ts does; standard input also as a real process.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES as RULES, DEFAULT_RULE_IDS } from '../rules';
import { main, type CliIo } from '../src/cli';
import { colourWanted } from '../src/cli-options';

const ROOT = path.resolve(__dirname, '..');
const TEMPLATES = path.join(ROOT, 'templates');
const PROJECT = path.join(ROOT, 'test/fixtures/config-project');
const REGIONAL = path.join(TEMPLATES, 'noncompliant/regional.yaml');
const REGION_CONDITION = path.join(TEMPLATES, 'noncompliant/region-condition.yaml');

async function run(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string; isTTY?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
    ...(options.stdin !== undefined && { readStdin: () => options.stdin! }),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** A fresh folder with `files` (path → text) written into it. */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-config-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const regionalText = fs.readFileSync(REGIONAL, 'utf8');

describe('--region', () => {
  it('is a usage error (exit 2) when the value is not shaped like a Region', async () => {
    for (const region of ['eu-west1', 'EU-WEST-1', 'euwest-1', 'eu-west-1 ']) {
      const result = await run(['--region', region, REGIONAL]);
      expect(result.code, region).toBe(2);
      expect(result.stderr).toMatch(/^cfn-trail-lint: error E4005 /);
      expect(result.stdout).toBe('');
    }
  });

  it('accepts a well-shaped Region the table does not know, with a notice on stderr', async () => {
    const result = await run(['--region', 'ap-southeast-9', REGION_CONDITION]);
    expect(result.stderr).toMatch(/^cfn-trail-lint: warning W4001 region ap-southeast-9 /);
    expect(result.code).not.toBe(2);
  });

  it('knows the recent Regions without a notice', async () => {
    for (const region of ['ap-southeast-5', 'ap-southeast-7', 'ap-east-2', 'mx-central-1', 'ca-west-1', 'il-central-1', 'eusc-de-east-1', 'us-gov-east-1', 'cn-northwest-1']) {
      const result = await run(['--region', region, REGIONAL]);
      expect(result.stderr, region).toBe('');
    }
  });
});

describe('colour', () => {
  const tty = () => true;
  const pipe = () => false;
  it('NO_COLOR disables colour only with a value (no-color.org)', () => {
    expect(colourWanted(true, false, { NO_COLOR: '1' }, tty)).toBe(false);
    expect(colourWanted(true, false, { NO_COLOR: '' }, tty)).toBe(true);
    expect(colourWanted(true, false, {}, tty)).toBe(true);
    expect(colourWanted(true, false, {}, pipe)).toBe(false);
  });

  it('FORCE_COLOR turns colour on off a terminal, and FORCE_COLOR=0 off; --no-color and --output always win', () => {
    expect(colourWanted(true, false, { FORCE_COLOR: '1' }, pipe)).toBe(true);
    expect(colourWanted(true, false, { FORCE_COLOR: '1', NO_COLOR: '1' }, pipe)).toBe(true);
    expect(colourWanted(true, false, { FORCE_COLOR: '0' }, tty)).toBe(false);
    expect(colourWanted(false, false, { FORCE_COLOR: '1' }, tty)).toBe(false);
    expect(colourWanted(true, true, { FORCE_COLOR: '1' }, tty)).toBe(false);
  });

  it('the CLI paints with FORCE_COLOR into a pipe, and not with NO_COLOR on a terminal', async () => {
    expect((await run([REGIONAL], { env: { FORCE_COLOR: '1' } })).stdout).toContain('\u001b[31mfail\u001b[0m');
    expect((await run([REGIONAL], { env: { NO_COLOR: '1' }, isTTY: true })).stdout).not.toContain('\u001b[');
    expect((await run([REGIONAL], { env: { NO_COLOR: '' }, isTTY: true })).stdout).toContain('\u001b[31mfail');
  });
});

describe('- (standard input)', () => {
  it('lints the template read from standard input, named by --stdin-filename', async () => {
    const result = await run(['-', '--stdin-filename', 'stacks/audit.yaml'], { stdin: regionalText });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('stacks/audit.yaml:9:7: fail CLOUDTRAIL_MULTI_REGION_ENABLED');
  });

  it('names it <stdin> by default, and lints it beside other paths', async () => {
    const result = await run(['-', path.join(TEMPLATES, 'compliant/multi-region.yaml')], { stdin: regionalText });
    expect(result.stdout).toContain('<stdin>:9:7: fail');
    expect(result.stdout).toContain('templates/compliant/multi-region.yaml');
  });

  it('refuses --stdin-filename without -, and no paths at all', async () => {
    expect((await run(['--stdin-filename', 'a.yaml', REGIONAL])).code).toBe(2);
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^cfn-trail-lint: error E4006 /);
  });

  it('reads the real standard input in the real process', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/cfn-trail-lint'), '-', '--stdin-filename', 'piped.yaml', '--format', 'github'], { input: regionalText, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^::error file=piped\.yaml,line=9,col=7,/m);
  });
});

describe('--exclude', () => {
  it('skips the files of a directory walk that match, relative to the working directory; repeatable', async () => {
    const all = await run(['templates', '--format', 'json']);
    const files = (output: string) => new Set((JSON.parse(output).results as { file: string }[]).map((result) => result.file));
    expect([...files(all.stdout)].some((file) => file.startsWith('templates/noncompliant/'))).toBe(true);

    const some = await run(['templates', '--format', 'json', '--exclude', 'templates/noncompliant/**', '--exclude', '*.json']);
    const left = [...files(some.stdout)];
    expect(left.length).toBeGreaterThan(0);
    expect(left.filter((file) => file.startsWith('templates/noncompliant/') || file.endsWith('.json'))).toEqual([]);
  });

  it('excludes a whole folder named by its path', async () => {
    const result = await run(['templates', '--format', 'json', '--exclude', 'templates/noncompliant']);
    expect(JSON.parse(result.stdout).results.filter((result: { file: string }) => result.file.includes('noncompliant'))).toEqual([]);
  });
});

describe('--list-rules', () => {
  it('lists each rule with its id, title, severity, aliases, frameworks and docs', async () => {
    const result = await run(['--list-rules']);
    expect(result.code).toBe(0);
    for (const rule of RULES) {
      for (const text of [rule.id, rule.title, rule.severity, ...rule.aliases, rule.docsUrl]) expect(result.stdout).toContain(text);
    }
  });

  it('prints JSON with --format json', async () => {
    const result = await run(['--list-rules', '--format', 'json']);
    expect(JSON.parse(result.stdout).rules).toEqual(
      RULES.map((rule) => ({ id: rule.id, title: rule.title, severity: rule.severity, aliases: rule.aliases, frameworks: rule.frameworks, docs: rule.docsUrl, default: DEFAULT_RULE_IDS.includes(rule.id) })),
    );
    expect((await run(['--list-rules', '--format', 'sarif'])).code).toBe(2);
  });
});

describe('the config file (.cfn-trail-lint.yaml)', () => {
  it('found in the working directory: parameters per template, a parameters file, strict, and exclude', async () => {
    const result = await run(['.'], { cwd: PROJECT });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('stacks/prod/audit.yaml:17:7: pass');
    expect(result.stdout).toContain('stacks/dev/audit.yaml:18:7: pass');
    expect(result.stdout).not.toContain('vendor/');
  });

  it('found from a folder below it, with globs relative to the config file', async () => {
    const result = await run(['audit.yaml'], { cwd: path.join(PROJECT, 'stacks/prod') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('audit.yaml:17:7: pass');
  });

  it('named with --config from elsewhere', async () => {
    const result = await run(['--config', path.join(PROJECT, '.cfn-trail-lint.yaml'), path.join(PROJECT, 'stacks')]);
    expect(result.code).toBe(0);
  });

  it('without it, the same templates fail: what passed came from the config', async () => {
    const empty = project({ 'empty.yaml': '' });
    const result = await run(['--config', path.join(empty, 'empty.yaml'), '.'], { cwd: PROJECT });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/stacks\/prod\/audit\.yaml:17:7: fail[^\n]*\n\s+when: Environment=dev/);
    expect(result.stdout).toContain('vendor/regional.yaml');
  });

  it('loses to the command line: --parameters, --region, --format', async () => {
    const dev = await run(['.', '-p', 'Environment=dev'], { cwd: PROJECT });
    expect(dev.code).toBe(1);
    expect(dev.stdout).toContain('stacks/prod/audit.yaml:17:7: fail');

    const dir = project({ '.cfn-trail-lint.yaml': 'format: json\nunknown: warn\n', 't.yaml': fs.readFileSync(path.join(TEMPLATES, 'unknown/ssm-parameter.yaml'), 'utf8') });
    const fromConfig = await run(['t.yaml'], { cwd: dir });
    expect(JSON.parse(fromConfig.stdout).summary.unknown).toBe(1);
    expect(fromConfig.code).toBe(0); // unknown: warn
    const fromCli = await run(['t.yaml', '--format', 'text', '--unknown', 'fail'], { cwd: dir });
    expect(fromCli.stdout).toContain('t.yaml');
    expect(fromCli.code).toBe(1);
  });

  it('applies its region to every template, and a templates entry’s region to its own', async () => {
    const text = fs.readFileSync(REGION_CONDITION, 'utf8');
    const dir = project({
      '.cfn-trail-lint.yaml': 'region: us-east-1\ntemplates:\n  - files: eu/*.yaml\n    region: eu-west-1\n',
      'us/t.yaml': text,
      'eu/t.yaml': text,
    });
    const result = await run(['.', '--format', 'json'], { cwd: dir });
    const statuses = Object.fromEntries(JSON.parse(result.stdout).results.map((r: { file: string; status: string; when?: Record<string, string> }) => [r.file, r]));
    expect(statuses['us/t.yaml']).not.toEqual(statuses['eu/t.yaml']);
  });

  it('refuses an unknown key, naming it with file, line and column (exit 2)', async () => {
    const dir = project({ '.cfn-trail-lint.yaml': 'region: eu-west-1\nregoin: eu-west-1\n', 't.yaml': regionalText });
    const result = await run(['t.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error E4004 ${path.join(dir, '.cfn-trail-lint.yaml')}:2:1: unknown key "regoin"`);

    const nested = project({ '.cfn-trail-lint.yaml': 'templates:\n  - files: "*.yaml"\n    paramters: {A: b}\n', 't.yaml': regionalText });
    const inEntry = await run(['t.yaml'], { cwd: nested });
    expect(inEntry.code).toBe(2);
    expect(inEntry.stderr).toMatch(/error E4004 .*:3:5: unknown key "paramters"/);
  });

  it('checks its values: a misshapen region, a wrong type, a rule that does not exist, bad YAML', async () => {
    // The code says which mistake; the position where it is.
    const cases: [string, string, string][] = [
      ['region: eu-west1\n', 'E4005', ':1:9:'],
      ['strict: yes\n', 'E4004', ':1:9:'],
      ['format: xml\n', 'E4004', ':1:9:'],
      ['rules: [CLOUDTRAIL_MULTI_REGION_ENABLED, NOPE]\n', 'E4007', ':1:42:'],
      ['templates:\n  - parameters: {A: b}\n', 'E4004', ':2:5:'],
      ['region: [a\n', 'E4004', ':2:1:'], // the end of the file, where the sequence is found unclosed
      ['region: a\nregion: b\n', 'E4004', ':2:1:'],
    ];
    for (const [text, code, position] of cases) {
      const dir = project({ '.cfn-trail-lint.yaml': text, 't.yaml': regionalText });
      const result = await run(['t.yaml'], { cwd: dir });
      expect(result.code, text).toBe(2);
      expect(result.stderr, text).toMatch(new RegExp(`^cfn-trail-lint: error ${code} \\S+\\.cfn-trail-lint\\.yaml${position} `));
    }
  });

  it('chooses the rules with rules (ids), as --rule does; --rule wins', async () => {
    const dir = project({ '.cfn-trail-lint.yaml': `rules: [${RULES[0].id}]\n`, 't.yaml': regionalText });
    expect((await run(['t.yaml'], { cwd: dir })).code).toBe(1);
    const optIn = RULES.find((rule) => !DEFAULT_RULE_IDS.includes(rule.id));
    if (!optIn) return;
    const chosen = project({ '.cfn-trail-lint.yaml': `rules: [${optIn.id}]\n`, 't.yaml': regionalText });
    const withOptIn = await run(['t.yaml', '--format', 'json'], { cwd: chosen });
    expect(JSON.parse(withOptIn.stdout).results.map((result: { ruleId: string }) => result.ruleId)).toContain(optIn.id);
    const cliWins = await run(['t.yaml', '--format', 'json', '--rule', RULES[0].id], { cwd: chosen });
    expect(JSON.parse(cliWins.stdout).results.map((result: { ruleId: string }) => result.ruleId)).not.toContain(optIn.id);
  });

  it('gives per-template parameters to the top-level templates only, not to the nested stacks they deploy', async () => {
    const child = 'Parameters:\n  Environment: {Type: String, AllowedValues: [dev, prod]}\nConditions:\n  IsProd: !Equals [!Ref Environment, prod]\nResources:\n  ChildTrail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsMultiRegionTrail: !If [IsProd, true, false]\n      S3BucketName: b\n      IsLogging: true\n';
    const parent = 'Parameters:\n  Environment: {Type: String, AllowedValues: [dev, prod]}\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./child.yaml\n';
    const dir = project({ '.cfn-trail-lint.yaml': 'templates:\n  - files: "*.yaml"\n    parameters: {Environment: prod}\n', 'parent.yaml': parent, 'nested/child.yaml': child });
    fs.renameSync(path.join(dir, 'nested/child.yaml'), path.join(dir, 'child.yaml'));
    const result = await run(['parent.yaml'], { cwd: dir });
    // The parent passes no Environment to its child: there it is free, and dev fails.
    expect(result.stdout).toMatch(/child\.yaml:9:7: fail[^\n]*\n\s+deployed by: parent\.yaml \(Child\)\n\s+when: Environment=dev/);
  });
});
