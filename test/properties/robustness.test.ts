// Whatever the text, the engine answers with results or input errors: it never throws (a crash trace), and a
// file that fails to read never yields a pass. Inputs: random text, and real fixtures mangled at random.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/codes';
import { lintSources } from '../../src/lint';

const ROOT = path.resolve(__dirname, '../..');
const RUNS = Number(process.env.FC_RUNS ?? 300);

function fixtures(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return fixtures(full);
    return /\.(ya?ml|json|template)$/.test(entry.name) ? [full] : [];
  });
}

const texts = fixtures(path.join(ROOT, 'templates')).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

/** A fixture with a few random edits: characters deleted, inserted or replaced by YAML/JSON punctuation. */
const mangled = fc
  .record({
    fixture: fc.constantFrom(...texts),
    edits: fc.array(
      fc.record({ at: fc.nat(), remove: fc.nat({ max: 12 }), insert: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(':', '- ', '!If ', '{', ']', '"', '\n  ', '&a ', '*a', '!Ref ', 'Fn::If', '[]', '{}', 'null')) }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ fixture, edits }) => {
    let text = fixture.text;
    for (const { at, remove, insert } of edits) {
      const position = at % (text.length + 1);
      text = text.slice(0, position) + insert + text.slice(position + remove);
    }
    return { file: fixture.file, text };
  });

function lintsWithoutThrowing(file: string, text: string): void {
  const report = lintSources([{ file, text, explicit: true }]);
  // A template with an input error gets no verdict at all: never a pass from a file that did not read.
  if (report.errors.length > 0) expect(report.results).toEqual([]);
  for (const error of report.errors) {
    expect(error.message).not.toMatch(/TypeError|undefined is not|Cannot read prop|is not a function/);
    expect(Object.keys(CODES)).toContain(error.code);
  }
}

describe('robustness: never a crash, whatever the input', () => {
  it('on random text, as YAML and as JSON', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.boolean(), (text, asJson) => {
        lintsWithoutThrowing(asJson ? 'random.json' : 'random.yaml', text);
      }),
      { numRuns: RUNS },
    );
  });

  it('on real templates mangled at random', () => {
    fc.assert(
      fc.property(mangled, ({ file, text }) => lintsWithoutThrowing(file, text)),
      { numRuns: RUNS },
    );
  }, 60_000);
});

/** Any JSON value, intrinsic-looking objects included, to put where the engine expects something specific. */
const wild: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, 1, '', 'true', 'C', 'P', 'T', 'AWS::Region', 'AWS::NoValue', 'M'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.record({ key: fc.constantFrom('Ref', 'Condition', 'Fn::If', 'Fn::Equals', 'Fn::And', 'Fn::Not', 'Fn::FindInMap', 'Fn::Sub', 'Fn::Select', 'Fn::Join', 'Fn::Split', 'Fn::ForEach::L', 'Fn::Transform', 'Fn::ToJsonString', 'Fn::Length', 'x'), value: tie('value') }).map(({ key, value }) => ({ [key]: value })),
  ),
})).value;

/** Mostly a valid value for the place, sometimes anything at all: each run breaks a few places, not all. */
const sometimesWild = (valid: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: wild, weight: 1 });

describe('robustness: wrong shapes where the engine expects specific ones', () => {
  it('gives verdicts or input errors, never an exception', () => {
    fc.assert(
      fc.property(
        sometimesWild(fc.constant({ Type: 'String', AllowedValues: ['true', 'false'] })),
        sometimesWild(fc.constant({ 'Fn::Equals': [{ Ref: 'P' }, 'true'] })),
        sometimesWild(fc.constant({ 'us-east-1': { Multi: true } })),
        wild,
        sometimesWild(fc.constantFrom(undefined, 'C')),
        sometimesWild(fc.record({ IsMultiRegionTrail: wild })),
        (parameter, condition, mapping, property, resourceCondition, properties) => {
          const template = {
            Parameters: { P: parameter, Q: { Type: 'String', AllowedValues: ['a', 'b'] } },
            Conditions: { C: condition },
            Mappings: { M: mapping },
            Resources: {
              T: { Type: 'AWS::CloudTrail::Trail', Condition: resourceCondition, Properties: { IsMultiRegionTrail: property } },
              U: { Type: 'AWS::CloudTrail::Trail', Properties: properties },
            },
          };
          lintsWithoutThrowing('wild.json', JSON.stringify(template));
        },
      ),
      { numRuns: RUNS * 3 },
    );
  }, 60_000);
});
