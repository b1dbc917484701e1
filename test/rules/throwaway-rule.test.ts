// Rules own their words: a new property rule needs nothing outside rules/ and its fixtures. A copy of the project
// gets a throwaway rule (S3_BUCKET_OBJECT_LOCK_ENABLED, never shipped) in rules/, is built as `npm run build` builds
// it, and the rule then runs end to end through the copy's bundled CLI and its CDK Aspect, every message, fix and CDK
// hint in the rule's own words. The copy's src/, bin/ and configuration are checked to be the repository's, byte for
// byte. In the slow project: the copy's build (tsc and the bundle) takes most of a minute on two cores.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const RULE_ID = 'S3_BUCKET_OBJECT_LOCK_ENABLED';
/** What is copied as it is: everything `npm run build` reads, and the fixtures the bundle's warm-up lints. */
const COPIED = ['src', 'rules', 'bin', 'templates', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
/** What the new rule may change: its own files and its fixtures. */
const RULE_OWNED = ['rules', 'templates'];

// The rule's words, each distinct enough that a message showing it can only have taken it from the rule.
const WORDS = {
  noun: 'S3 bucket',
  nounPlural: 'S3 buckets',
  shortNoun: 'bucket',
  compliantBehaviour: 'can lock its objects',
  violationBehaviour: 'cannot lock its objects',
  requirement: 'be able to lock its objects',
  whenUnset: 'S3 creates the bucket without Object Lock',
  waiver: 'go without Object Lock',
  fix: 'Set ObjectLockEnabled: true on the bucket',
  cdk: 'Pass `objectLockEnabled: true` to `new s3.Bucket(…)`',
};

const RULE_SOURCE = `import type { PropertyCheck, PropertyRule, PropertyValue } from '../src/rule';

/** ${RULE_ID} — every AWS::S3::Bucket has ObjectLockEnabled true (a throwaway rule of a test, never shipped). */
const TRUE_SPELLINGS = ['true', 'True', 'TRUE'];

function check(property: PropertyValue): PropertyCheck {
  if (!property.present) return { compliant: false, problem: 'ObjectLockEnabled is not set (${WORDS.whenUnset})' };
  if (property.value === true || (typeof property.value === 'string' && TRUE_SPELLINGS.includes(property.value))) return { compliant: true };
  return { compliant: false, problem: \`ObjectLockEnabled is \${JSON.stringify(property.value)}\` };
}

export const rule: PropertyRule = {
  kind: 'property',
  id: '${RULE_ID}',
  title: 'S3 buckets have Object Lock enabled',
  description: 'Every AWS::S3::Bucket must set ObjectLockEnabled to true, so that its objects can be locked against deletion.',
  severity: 'medium',
  aliases: ['THROWAWAY_OBJECT_LOCK'],
  frameworks: ['none: a throwaway rule of a test'],
  remediation: {
    cloudformation: 'Set \`ObjectLockEnabled: true\` on the AWS::S3::Bucket.',
    cdk: '${WORDS.cdk}',
    terraform: 'Set \`object_lock_enabled = true\` on the \`aws_s3_bucket\`.',
    awsCli: 'aws s3api put-object-lock-configuration --bucket <bucket> --object-lock-configuration ObjectLockEnabled=Enabled',
  },
  fix: '${WORDS.fix}',
  docsUrl: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html',
  resourceType: 'AWS::S3::Bucket',
  property: 'ObjectLockEnabled',
  significantValues: [...TRUE_SPELLINGS, 'false', 'False', 'FALSE'],
  noun: '${WORDS.noun}',
  nounPlural: '${WORDS.nounPlural}',
  shortNoun: '${WORDS.shortNoun}',
  compliantBehaviour: '${WORDS.compliantBehaviour}',
  violationBehaviour: '${WORDS.violationBehaviour}',
  requirement: '${WORDS.requirement}',
  whenUnset: '${WORDS.whenUnset}',
  waiver: '${WORDS.waiver}',
  check,
};
`;

const GUARD_SOURCE = `# ${RULE_ID} — cfn-guard twin of rules/${RULE_ID}.ts (a throwaway rule of a test)
let buckets = Resources.*[ Type == 'AWS::S3::Bucket' ]

rule ${RULE_ID} when %buckets !empty {
    %buckets {
        Properties.ObjectLockEnabled exists
        Properties.ObjectLockEnabled !is_list
        Properties.ObjectLockEnabled == true or
        Properties.ObjectLockEnabled in ['true', 'True', 'TRUE']
    }
}
`;

const FAILING = `Parameters:
  Locked:
    Type: String
    AllowedValues: ['true', 'false']
Resources:
  Unset:
    Type: AWS::S3::Bucket
  Chosen:
    Type: AWS::S3::Bucket
    Properties:
      ObjectLockEnabled: !Ref Locked
`;

const PASSING = `Resources:
  Locked:
    Type: AWS::S3::Bucket
    Properties:
      ObjectLockEnabled: 'True'
  Logs:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: !Ref Locked
      IsMultiRegionTrail: true
`;

const REMOTE = `Resources:
  Remote:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example.com/child.yaml
`;

/** A CDK app: an unlocked bucket unless BUCKETS=locked, and a locked one; the copy's Aspect with the new rule alone. */
const APP = `const { App, Aspects, Stack } = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const { MultiRegionTrailAspect } = require('./dist/src/cdk');
const app = new App({ outdir: process.argv[2] });
const stack = new Stack(app, 'Storage');
if (process.env.BUCKETS !== 'locked') new s3.Bucket(stack, 'Unlocked');
new s3.Bucket(stack, 'Locked', { objectLockEnabled: true });
Aspects.of(app).add(new MultiRegionTrailAspect({ rules: ['${RULE_ID}'] }));
app.synth();
console.log('synthesized');
`;

let copy: string;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
  fs.writeFileSync(path.join(copy, file), text);
}

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawnSync(process.execPath, args, { cwd: copy, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  if (child.error) throw child.error;
  return child;
}

/** Files under `dir` (relative paths, sorted) with their bytes. */
function tree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (fs.statSync(dir).isFile()) return new Map([['', fs.readFileSync(dir)]]);
  for (const name of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isFile()) files.set(name.split(path.sep).join('/'), fs.readFileSync(full));
  }
  return files;
}

/** Paths whose bytes differ between two trees, or that one of them lacks. */
function differences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((name) => !a.get(name)?.equals(b.get(name) ?? Buffer.alloc(0)) || !b.has(name)).sort();
}

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-throwaway-rule-'));
  for (const name of COPIED) fs.cpSync(path.join(ROOT, name), path.join(copy, name), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');

  // The whole change: the rule, its twin, its fixtures, and one line of the registry.
  write(`rules/${RULE_ID}.ts`, RULE_SOURCE);
  write(`rules/${RULE_ID}.guard`, GUARD_SOURCE);
  write('templates/object-lock/unlocked.yaml', FAILING);
  write('templates/object-lock/locked.yaml', PASSING);
  write('templates/object-lock/remote.yaml', REMOTE);
  const registry = fs.readFileSync(path.join(copy, 'rules/index.ts'), 'utf8');
  const registered = registry
    .replace(/^(import .*\n)(?!import)/m, `$1import { rule as objectLock } from './${RULE_ID}';\n`)
    .replace(/(export const RULES: readonly PropertyRule\[\] = \[[^\]]*)\]/, '$1, objectLock]');
  expect(registered.match(/objectLock\b/g), 'rules/index.ts: where the rule is imported and listed').toHaveLength(2);
  write('rules/index.ts', registered);

  // As `npm run build`: tsc, then the bundle (bin/build-cli.mjs, which also lints templates/ to warm V8's cache).
  for (const step of [[path.join(copy, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], [path.join(copy, 'bin/build-cli.mjs')]]) {
    const built = run(step);
    expect(built.status, `${step.join(' ')}\n${built.stdout}${built.stderr}`).toBe(0);
  }
}, 300_000);

afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

describe('a throwaway property rule, added under rules/ alone', () => {
  it('changed nothing outside rules/ and its fixtures', () => {
    for (const name of COPIED.filter((entry) => !RULE_OWNED.includes(entry))) {
      expect(differences(tree(path.join(ROOT, name)), tree(path.join(copy, name))), name).toEqual([]);
    }
    expect(differences(tree(path.join(ROOT, 'rules')), tree(path.join(copy, 'rules')))).toEqual([`${RULE_ID}.guard`, `${RULE_ID}.ts`, 'index.ts']);
    expect(differences(tree(path.join(ROOT, 'templates')), tree(path.join(copy, 'templates')))).toEqual(['object-lock/locked.yaml', 'object-lock/remote.yaml', 'object-lock/unlocked.yaml']);
  });

  it('is in the bundle the CLI runs, and in --list-rules', () => {
    expect(fs.readFileSync(path.join(copy, 'dist/cli.js'), 'utf8')).toContain(RULE_ID);
    const listed = run(['bin/cfn-trail-lint', '--list-rules']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`${RULE_ID}  S3 buckets have Object Lock enabled  (opt-in: --rule)`);
  });

  it('fails through the CLI, each message and fix in the rule’s words', () => {
    const text = run(['bin/cfn-trail-lint', '--rule', RULE_ID, 'templates/object-lock/unlocked.yaml']);
    expect(text.status, text.stderr).toBe(1);
    expect(text.stdout).toContain(
      `templates/object-lock/unlocked.yaml:6:3: fail ${RULE_ID} ${WORDS.noun} Unset ${WORDS.violationBehaviour}: ObjectLockEnabled is not set (${WORDS.whenUnset})`,
    );
    expect(text.stdout).toContain(`ObjectLockEnabled: not set; ${WORDS.whenUnset} (line 6)`);
    expect(text.stdout).toContain(`fix: ${WORDS.fix}`);
    expect(text.stdout).toContain('2 fail, 0 unknown, 0 suppressed, 0 pass, 0 skip, 0 input errors');

    const json = run(['bin/cfn-trail-lint', '--rule', RULE_ID, '--format', 'json', 'templates/object-lock/unlocked.yaml']);
    expect(json.status).toBe(1);
    const { results } = JSON.parse(json.stdout) as { results: Record<string, unknown>[] };
    expect(results).toEqual([
      expect.objectContaining({ ruleId: RULE_ID, logicalId: 'Unset', status: 'fail', line: 6, column: 3, fix: WORDS.fix }),
      expect.objectContaining({
        ruleId: RULE_ID,
        logicalId: 'Chosen',
        status: 'fail',
        line: 11,
        column: 7,
        when: { Locked: 'false' },
        message: `${WORDS.noun} Chosen ${WORDS.violationBehaviour}: ObjectLockEnabled is "false"`,
        fix: WORDS.fix,
      }),
    ]);
  });

  it('passes through the CLI, with the exit code of a clean run', () => {
    const json = run(['bin/cfn-trail-lint', '--rule', RULE_ID, '--format', 'json', 'templates/object-lock/locked.yaml']);
    expect(json.status, json.stderr).toBe(0);
    const { results } = JSON.parse(json.stdout) as { results: Record<string, unknown>[] };
    expect(results).toEqual([expect.objectContaining({ ruleId: RULE_ID, logicalId: 'Locked', status: 'pass', message: `${WORDS.noun} Locked ${WORDS.compliantBehaviour}` })]);
    // With the default rule as well, each rule judges its own resources.
    const both = run(['bin/cfn-trail-lint', '--rule', RULE_ID, '--rule', 'CLOUDTRAIL_MULTI_REGION_ENABLED', '--format', 'json', 'templates/object-lock/locked.yaml']);
    expect(both.status, both.stderr).toBe(0);
    expect((JSON.parse(both.stdout) as { results: { ruleId: string; logicalId: string }[] }).results.map(({ ruleId, logicalId }) => `${ruleId} ${logicalId}`).sort()).toEqual([
      `CLOUDTRAIL_MULTI_REGION_ENABLED Logs`,
      `${RULE_ID} Locked`,
    ]);
  });

  it('is unknown for a nested template it cannot read only where it is selected, in its plural', () => {
    const results = (args: string[]) => {
      const json = run(['bin/cfn-trail-lint', ...args, '--format', 'json', 'templates/object-lock/remote.yaml']);
      expect(json.status, json.stderr).toBe(1);
      return (JSON.parse(json.stdout) as { results: { ruleId: string; status: string; message: string }[] }).results;
    };
    expect(results([]).map(({ ruleId }) => ruleId)).toEqual(['CLOUDTRAIL_MULTI_REGION_ENABLED']);
    expect(results(['--rule', RULE_ID])).toEqual([
      expect.objectContaining({ ruleId: RULE_ID, status: 'unknown', message: expect.stringContaining(`Remote: its ${WORDS.nounPlural} cannot be checked: `) }),
    ]);
  });

  it('has a cfn-guard twin that agrees on its fixtures', () => {
    const guard = path.join(ROOT, 'node_modules/@cdklabs/cdk-validator-cfnguard/bin', process.platform === 'darwin' ? 'macos' : 'ubuntu', process.arch === 'arm64' ? 'aarch64' : 'x86_64', 'cfn-guard');
    const validate = (template: string) => spawnSync(guard, ['validate', '--rules', `rules/${RULE_ID}.guard`, '--data', template, '--show-summary', 'none'], { cwd: copy }).status;
    expect(validate('templates/object-lock/unlocked.yaml')).toBe(19);
    expect(validate('templates/object-lock/locked.yaml')).toBe(0);
  });

  it('fails a CDK synth through the Aspect, naming the construct path in the rule’s words', () => {
    write('app.js', APP);
    const synth = run(['app.js', path.join(copy, 'cdk.out')]);
    expect(synth.status).not.toBe(0);
    const lines = [
      `cfn-trail-lint: 1 ${WORDS.noun} in this app would not ${WORDS.requirement} (${RULE_ID})`,
      '  ✗ Storage/Unlocked/Resource',
      `    fix: ${WORDS.cdk}`,
      `A ${WORDS.shortNoun} that may ${WORDS.waiver}: acknowledge(${WORDS.shortNoun}, '<why>', '${RULE_ID}') (from 'cfn-trail-lint/cdk'), or Validations.of(${WORDS.shortNoun}).acknowledge({ id: '${RULE_ID}', reason: '<why>' })`,
    ];
    for (const line of lines) expect(synth.stderr).toContain(line);
    // The line of app.js that created the bucket, and the rule's message about its logical ID (CDK's hash).
    expect(synth.stderr).toMatch(/\n {4}at: app\.js:6:\d+, stack Storage, logical ID Unlocked[0-9A-F]{8}\n/);
    expect(synth.stderr).toMatch(new RegExp(`\\n {4}${WORDS.noun} Unlocked[0-9A-F]{8} ${WORDS.violationBehaviour}: ObjectLockEnabled is not set \\(${WORDS.whenUnset}\\)\\n`));
    expect(synth.stderr).not.toContain('Storage/Locked');
    expect(synth.stdout).not.toContain('synthesized');

    const locked = run(['app.js', path.join(copy, 'cdk.out.locked')], { BUCKETS: 'locked' });
    expect(locked.status, locked.stderr).toBe(0);
    expect(locked.stdout).toContain('synthesized');
  });
});
