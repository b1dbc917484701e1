// The soundness properties of SOUNDNESS.md §5, checked against oracle2.ts on templates from templates2.ts, in
// default and strict mode. Shared by soundness-computed.test.ts and soundness-lists.test.ts.
// FC_RUNS sets the number of templates per property; FC_SEED replays a run.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSources } from '../../src/lint';
import type { LintReport, TrailResult } from '../../src/types';
import {
  describe as describeAssignment,
  domains,
  judge,
  judgeTrail,
  parseWhenValue,
  permitted,
  trailsOf,
  type InputValue,
  type Template,
  type Verdict,
} from './oracle2';

const RUNS = Number(process.env.FC_RUNS ?? 150);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const MODES = [false, true] as const;
const TIMEOUT = 120_000;

export function settings(): fc.Parameters<[Template]> {
  return { numRuns: RUNS, ...(SEED !== undefined && { seed: SEED }) };
}

export function lint(template: Template, strict: boolean): LintReport {
  return lintSources([{ file: '/tmp/cfn-trail-lint-properties2/template.json', text: JSON.stringify(template, null, 2) }], { strict, cwd: '/tmp' });
}

function resultOf(report: LintReport, logicalId: string): TrailResult | undefined {
  return report.results.find((candidate) => candidate.logicalId === logicalId);
}

function modeName(strict: boolean): string {
  return strict ? 'strict' : 'default mode';
}

/** Tallies for the report: how precise the engine is where the oracle has a definite answer. */
interface Precision {
  definite: number;
  unknownWherePasses: number;
  unknownWhereNeverCreated: number;
  oracleTooBig: number;
}

/** A template with a parameter no value satisfies: no deployment at all. What to report is a matter of taste. */
function undeployable(template: Template): boolean {
  return MODES.some((strict) => [...domains(template, strict).values()].some((values) => values.length === 0));
}

/** (a) a deployment the oracle finds failing ⇒ the engine says `fail` or `unknown` (THE property). */
export function checkFailuresAreReported(template: Template): void {
  for (const strict of MODES) {
    const report = lint(template, strict);
    expect(report.errors, `${modeName(strict)}: input errors on a template CloudFormation accepts`).toEqual([]);
    for (const logicalId of trailsOf(template)) {
      // Under `all` fewer deployments go ahead: a failure found here is one whatever CloudFormation's reading.
      const oracle = judgeTrail(template, logicalId, strict, 'all', true);
      if (oracle.kind !== 'fails') continue;
      const status = resultOf(report, logicalId)?.status ?? 'no result';
      expect(
        ['fail', 'unknown'],
        `${logicalId} (${modeName(strict)}) is ${status}, yet ${describeAssignment(oracle.when)} creates it ${JSON.stringify(oracle.outcome)}`,
      ).toContain(status);
    }
  }
}

/** (b) an engine `fail` names in `when` permitted values under which some deployment really fails. */
export function checkFailWhenReplays(template: Template): void {
  if (undeployable(template)) return;
  for (const strict of MODES) {
    for (const result of lint(template, strict).results) {
      if (result.status !== 'fail') continue;
      const when = new Map<string, InputValue>();
      for (const [input, text] of Object.entries(result.when ?? {})) {
        const value = parseWhenValue(template, input, text);
        expect(permitted(template, strict, input, value), `${result.logicalId} (${modeName(strict)}): when gives ${input} the value ${text}`).toBe(true);
        when.set(input, value);
      }
      // Inputs the `when` leaves out take any permitted value; `used` lets the most deployments go ahead.
      const inputDomains = domains(template, strict);
      for (const [input, value] of when) inputDomains.set(input, [value]);
      const replay = judge(template, result.logicalId, inputDomains, 'used', true);
      if (replay.kind === 'too-big') continue;
      expect(replay.kind, `${result.logicalId} (${modeName(strict)}) is fail when ${JSON.stringify(result.when)}: ${result.message}`).toBe('fails');
    }
  }
}

/** (c) the oracle finds no deployment that creates the trail ⇒ the engine does not say `fail`. */
export function checkNoFailWhereNeverCreated(template: Template, precision?: Precision): void {
  if (undeployable(template)) return;
  for (const strict of MODES) {
    const report = lint(template, strict);
    for (const logicalId of trailsOf(template)) {
      // Under `used` the most deployments go ahead: "never created" here holds whatever the reading.
      const used = judgeTrail(template, logicalId, strict, 'used');
      const result = resultOf(report, logicalId);
      if (precision) tally(precision, used, result?.status);
      if (used.kind !== 'never-created') continue;
      expect(result?.status, `${logicalId} (${modeName(strict)}) is fail when ${JSON.stringify(result?.when)}, yet no permitted deployment creates it`).not.toBe('fail');
    }
  }
}

/** A shrunk counterexample the generator found, kept as a named regression (a checklist for the engine). */
export interface Counterexample {
  name: string;
  property: 'a' | 'b' | 'c';
  template: Template;
}

const CHECKS = { a: checkFailuresAreReported, b: checkFailWhenReplays, c: checkNoFailWhereNeverCreated } as const;

/**
 * Defines the three properties for one generator, and replays `counterexamples` one test each.
 * FC_RUNS sets the number of random templates per property; FC_SEED replays a run.
 */
export function defineSoundnessProperties(title: string, templates: fc.Arbitrary<Template>, counterexamples: Counterexample[] = []): void {
  const precision: Precision = { definite: 0, unknownWherePasses: 0, unknownWhereNeverCreated: 0, oracleTooBig: 0 };

  describe(title, () => {
    it('(a) never passes, skips or rejects a trail that some permitted deployment creates single-Region (or refused by CloudTrail)', () => {
      fc.assert(fc.property(templates, checkFailuresAreReported), settings());
    }, TIMEOUT);

    it("(b) names in a fail's `when` permitted values under which a deployment really fails", () => {
      fc.assert(fc.property(templates, checkFailWhenReplays), settings());
    }, TIMEOUT);

    it('(c) never fails a trail that no permitted deployment creates', () => {
      fc.assert(
        fc.property(templates, (template) => checkNoFailWhereNeverCreated(template, precision)),
        settings(),
      );
    }, TIMEOUT);

    if (counterexamples.length > 0) {
      it.each(counterexamples.map((example) => [`(${example.property}) ${example.name}`, example] as const))('found before: %s', (_, example) => {
        CHECKS[example.property](example.template);
      });
    }

    afterAll(() => {
      console.log(
        `[${title}] precision: ${precision.definite} trail verdicts where the oracle is definite (pass or never created); ` +
          `engine unknown on ${precision.unknownWherePasses} that pass and ${precision.unknownWhereNeverCreated} never created; ` +
          `oracle over budget on ${precision.oracleTooBig}`,
      );
    });
  });
}

/** Under `all` no more deployments go ahead than under `used`: a `used` pass or never-created is definite in both. */
function tally(precision: Precision, used: Verdict, status: string | undefined): void {
  if (used.kind === 'too-big') precision.oracleTooBig++;
  if (used.kind !== 'passes' && used.kind !== 'never-created') return;
  precision.definite++;
  if (status !== 'unknown') return;
  if (used.kind === 'passes') precision.unknownWherePasses++;
  else precision.unknownWhereNeverCreated++;
}
