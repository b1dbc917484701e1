// Differential checks against independent implementations:
// - our YAML reading (with positions) equals yaml-cfn's long-form reading, on every fixture and on generated templates,
//   once our YAML 1.1 readings are set aside (yaml-cfn reads YAML 1.2's core schema);
// - our verdict equals cfn-guard 3.1.1's (the real binary) on generated templates whose trails hold literal values.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { yamlDump, yamlParse } from 'yaml-cfn';
import { AmbiguousScalar } from '../../src/evaluate/values';
import { lintSources } from '../../src/lint';
import { parseYaml } from '../../src/load/yaml';
import { templates } from './templates';

const ROOT = path.resolve(__dirname, '../..');
const RUNS = Number(process.env.FC_RUNS ?? 200);
const GUARD = path.join(ROOT, 'node_modules/@cdklabs/cdk-validator-cfnguard/bin/ubuntu/x86_64/cfn-guard');
const RULE = path.join(ROOT, 'rules/CLOUDTRAIL_MULTI_REGION_ENABLED.guard');

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) && !entry.name.includes('expected') ? [full] : [];
  });
}

/**
 * Ours equals yaml-cfn's reading where both read YAML 1.2: an ambiguous scalar by its 1.2 reading, a number kept
 * as its text (`1.0`) by that number, a key kept as written (`True`) by what 1.2 makes of it ('true').
 */
function expectSameAsYamlCfn(ours: unknown, theirs: unknown, at = ''): void {
  const value = ours instanceof AmbiguousScalar ? ours.readings[0] : ours;
  if (typeof theirs === 'number' && typeof value === 'string') {
    expect(Number(value), at).toBe(theirs);
  } else if (value !== null && typeof value === 'object' && theirs !== null && typeof theirs === 'object') {
    expect(Array.isArray(value), at).toBe(Array.isArray(theirs));
    const ourKeys = Object.keys(value);
    expect(ourKeys.map(keyAsYamlCfnReadsIt), `${at} keys`).toEqual(Object.keys(theirs));
    for (const [index, key] of ourKeys.entries()) {
      const theirKey = Object.keys(theirs)[index];
      expectSameAsYamlCfn((value as Record<string, unknown>)[key], (theirs as Record<string, unknown>)[theirKey], `${at}/${key}`);
    }
  } else {
    expect(value, at).toEqual(theirs);
  }
}

function keyAsYamlCfnReadsIt(key: string): string {
  // Only a key that can be a plain scalar may have been typed (`#x` or `a b` alone would read otherwise).
  if (!/^[-+.~\w:]+$/.test(key)) return key;
  const value: unknown = yamlParse(key);
  return value === null || typeof value !== 'object' ? String(value) : key;
}

describe('our YAML reading equals yaml-cfn', () => {
  const files = [...yamlFiles(path.join(ROOT, 'templates')), ...yamlFiles(path.join(ROOT, 'test/nested-stacks/fixtures'))];

  it.each(files.map((file) => [path.relative(ROOT, file)]))('%s', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expectSameAsYamlCfn(parseYaml(text).body, yamlParse(text));
  });

  it('on generated templates written with short-form tags', () => {
    fc.assert(
      fc.property(templates, (template) => {
        const text = yamlDump(template);
        expectSameAsYamlCfn(parseYaml(text).body, yamlParse(text));
      }),
      { numRuns: RUNS },
    );
  });
});

// Trails with literal values only: the one case cfn-guard reads as CloudFormation deploys it.
const LITERALS = [true, false, 'true', 'True', 'TRUE', 'false', 'yes', 1, 0, undefined] as const;
const literalTemplates = fc.array(fc.constantFrom(...LITERALS), { minLength: 1, maxLength: 4 }).map((values) => ({
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: Object.fromEntries([
    ['Logs', { Type: 'AWS::S3::Bucket' }],
    ...values.map((value, index) => [
      `Trail${index}`,
      {
        Type: 'AWS::CloudTrail::Trail',
        Properties: { IsLogging: true, S3BucketName: { Ref: 'Logs' }, ...(value !== undefined && { IsMultiRegionTrail: value }) },
      },
    ]),
  ]),
}));

describe('our verdict equals cfn-guard on generated literal templates', () => {
  it('fails exactly when cfn-guard fails', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-guard-'));
    let n = 0;
    fc.assert(
      fc.property(literalTemplates, fc.boolean(), (template, asYaml) => {
        const file = path.join(dir, `t${n++}.${asYaml ? 'yaml' : 'json'}`);
        const text = asYaml ? yamlDump(template) : JSON.stringify(template, null, 2);
        fs.writeFileSync(file, text);
        const ours = lintSources([{ file, text }]);
        expect(ours.errors).toEqual([]);
        const guard = spawnSync(GUARD, ['validate', '--rules', RULE, '--data', file, '--show-summary', 'none'], { encoding: 'utf8' });
        expect([0, 19]).toContain(guard.status);
        expect(guard.status === 19, `${text}\n${guard.stdout}`).toBe(ours.summary.fail > 0);
      }),
      { numRuns: Math.min(RUNS, 60) },
    );
  }, 120_000);
});
