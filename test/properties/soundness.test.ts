// The engine against a brute-force oracle (oracle.ts) on random templates (templates.ts), in both modes.
// FC_RUNS raises the number of templates per property; FC_SEED replays a failure.
import { yamlDump } from 'yaml-cfn';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintSources } from '../../src/lint';
import type { LintReport, TrailResult } from '../../src/types';
import { REGION, domains, hasExhaustiveDomains, judgeTrail, trailOutcome, type Assignment, type Template } from './oracle';
import { templates } from './templates';

const RUNS = Number(process.env.FC_RUNS ?? 300);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const settings = { numRuns: RUNS, ...(SEED !== undefined && { seed: SEED }) };
const MODES = [false, true] as const;
const TIMEOUT = 60_000;

/**
 * Engine bugs the generator found, replayed first on every run so that they never depend on the seed. In both,
 * a free parameter is compared with another parameter (`!Equals [!Ref Mode, !Ref Env]`): the value that
 * matters for Mode is one Env takes (an AllowedValue, or its Default), not a literal written in a condition.
 */
const KNOWN_COUNTEREXAMPLES: Template[] = [
  // Env=a, Mode=a creates Trail with IsMultiRegionTrail "a".
  {
    Parameters: { Env: { Type: 'String', AllowedValues: ['a', 'true'] }, Mode: { Type: 'String' } },
    Conditions: { Same: { 'Fn::Equals': [{ Ref: 'Mode' }, { Ref: 'Env' }] } },
    Resources: {
      Trail: { Type: 'AWS::CloudTrail::Trail', Condition: 'Same', Properties: { IsLogging: true, S3BucketName: 'logs', IsMultiRegionTrail: { Ref: 'Env' } } },
    },
  },
  // Outside strict mode Env is fixed to its Default "a"; Mode=a creates Trail with IsMultiRegionTrail false.
  {
    Parameters: { Env: { Type: 'String', Default: 'a' }, Mode: { Type: 'String' } },
    Conditions: { Same: { 'Fn::Equals': [{ Ref: 'Mode' }, { Ref: 'Env' }] } },
    Resources: {
      Trail: { Type: 'AWS::CloudTrail::Trail', Condition: 'Same', Properties: { IsLogging: true, S3BucketName: 'logs', IsMultiRegionTrail: false } },
    },
  },
];

/**
 * A verdict the generator found wrong (pass instead of skip): the only deployment whose Condition creates the
 * trail fails, because the Region-keyed mapping has no entry for that Region — so no deployment creates it.
 */
const REGION_MAP_MISS: Template = {
  Parameters: { Env: { Type: 'String', AllowedValues: ['true'] } },
  Mappings: { RegionMap: { 'us-east-1': { Multi: true } } },
  Conditions: { InEurope: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
  Resources: {
    Trail: {
      Type: 'AWS::CloudTrail::Trail',
      Condition: 'InEurope',
      Properties: { IsLogging: true, S3BucketName: 'logs', IsMultiRegionTrail: { 'Fn::FindInMap': ['RegionMap', { Ref: 'AWS::Region' }, 'Multi'] } },
    },
  },
};

function lint(template: Template, strict: boolean, format: 'json' | 'yaml' = 'json'): LintReport {
  const text = format === 'json' ? JSON.stringify(template, null, 2) : yamlDump(template);
  return lintSources([{ file: `/tmp/cfn-trail-lint-properties/template.${format}`, text }], { strict, cwd: '/tmp' });
}

function trails(template: Template): string[] {
  return Object.keys(template.Resources).filter((logicalId) => template.Resources[logicalId].Type === 'AWS::CloudTrail::Trail');
}

function resultOf(report: LintReport, logicalId: string): TrailResult {
  const result = report.results.find((candidate) => candidate.logicalId === logicalId);
  if (!result) throw new Error(`no result for ${logicalId}: ${JSON.stringify(report)}`);
  return result;
}

/** The deployment a `when` names: parameters it leaves out take a permitted value (their Default comes first). */
function deploymentOf(template: Template, when: Record<string, string>, strict: boolean): Assignment {
  const permitted = domains(template, strict);
  return Object.fromEntries([...Object.keys(template.Parameters), REGION].map((name) => [name, when[name] ?? permitted[name][0]]));
}

describe('soundness against a brute-force oracle', () => {
  it('reaches a verdict on every generated template: no input error, never unknown', () => {
    fc.assert(
      fc.property(templates, (template) => {
        for (const strict of MODES) {
          const report = lint(template, strict);
          expect(report.errors).toEqual([]);
          expect(report.results.map((result) => result.logicalId)).toEqual(trails(template));
          for (const result of report.results) expect(result.status, `${result.logicalId}: ${result.message}`).not.toBe('unknown');
        }
      }),
      settings,
    );
  }, TIMEOUT);

  it('never passes (nor skips) a trail that some permitted deployment creates single-Region', () => {
    fc.assert(
      fc.property(templates, (template) => {
        for (const strict of MODES) {
          const report = lint(template, strict);
          for (const logicalId of trails(template)) {
            const oracle = judgeTrail(template, logicalId, strict);
            if (oracle.kind !== 'fails') continue;
            const result = resultOf(report, logicalId);
            expect(['fail', 'unknown'], `${logicalId} (strict: ${strict}) is ${result.status}, yet fails when ${JSON.stringify(oracle.when)}`).toContain(
              result.status,
            );
          }
        }
      }),
      { ...settings, examples: KNOWN_COUNTEREXAMPLES.map((template) => [template]) },
    );
  }, TIMEOUT);

  it("names in a fail's `when` a permitted deployment that really creates the trail single-Region", () => {
    fc.assert(
      fc.property(templates, (template) => {
        for (const strict of MODES) {
          const permitted = domains(template, strict);
          for (const result of lint(template, strict).results) {
            if (result.status !== 'fail') continue;
            const when = result.when ?? {};
            for (const [name, value] of Object.entries(when)) {
              if (name === REGION) continue; // any Region is permitted
              // Outside strict mode a Default fixes the value; AllowedValues always bound it.
              const parameter = template.Parameters[name];
              expect(parameter, `when names ${name}`).toBeDefined();
              if (parameter.AllowedValues || (!strict && parameter.Default !== undefined)) expect(permitted[name]).toContain(value);
            }
            const deployment = deploymentOf(template, when, strict);
            expect(trailOutcome(template, result.logicalId, deployment), `${result.logicalId} (strict: ${strict}) at ${JSON.stringify(deployment)}`).toBe(
              'single-region',
            );
          }
        }
      }),
      settings,
    );
  }, TIMEOUT);

  it('skips a trail only when no permitted deployment creates it', () => {
    fc.assert(
      fc.property(templates, (template) => {
        for (const strict of MODES) {
          for (const result of lint(template, strict).results) {
            if (result.status !== 'skip') continue;
            const oracle = judgeTrail(template, result.logicalId, strict);
            expect(oracle.kind, `${result.logicalId} (strict: ${strict}) is skipped, yet created: ${JSON.stringify(oracle)}`).toBe('never-created');
          }
        }
      }),
      { ...settings, examples: KNOWN_COUNTEREXAMPLES.map((template) => [template]) },
    );
  }, TIMEOUT);

  it('gives exactly the oracle verdict (no false alarm) where every parameter is fixed or has AllowedValues', () => {
    const expected = { fails: 'fail', 'never-created': 'skip', passes: 'pass' } as const;
    fc.assert(
      fc.property(
        templates.filter((template) => hasExhaustiveDomains(template, false)),
        (template) => {
          for (const strict of MODES) {
            if (!hasExhaustiveDomains(template, strict)) continue;
            const report = lint(template, strict);
            for (const logicalId of trails(template)) {
              const oracle = judgeTrail(template, logicalId, strict);
              expect(resultOf(report, logicalId).status, `${logicalId} (strict: ${strict}): oracle ${JSON.stringify(oracle)}`).toBe(expected[oracle.kind]);
            }
          }
        },
      ),
      { ...settings, examples: [[REGION_MAP_MISS]] },
    );
  }, TIMEOUT);

  it('gives the same verdicts to the YAML (short tags) and the JSON rendering of a template', () => {
    fc.assert(
      fc.property(templates, (template) => {
        for (const strict of MODES) {
          const verdicts = (report: LintReport) => report.results.map(({ logicalId, status }) => ({ logicalId, status }));
          const json = lint(template, strict, 'json');
          const yaml = lint(template, strict, 'yaml');
          expect(yaml.errors).toEqual(json.errors);
          expect(verdicts(yaml)).toEqual(verdicts(json));
        }
      }),
      settings,
    );
  }, TIMEOUT);
});
