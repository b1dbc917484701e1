// The fast YAML reader against its oracle, js-yaml (`parseYamlWithJsYaml`), with no mocks: on every YAML
// fixture, on the bench's templates, on generated CloudFormation-like documents and on fixtures mangled at
// random, it either gives up (undefined) or gives the same values, with the same key order, and the same
// line:column for every path — lazily indexed, fully indexed, and for each resource re-read at its offset.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schema as yamlCfnSchema } from 'yaml-cfn';
import { generateTemplate, toYaml } from '../bench/generate.mjs';
import { AmbiguousScalar } from '../../src/evaluate/values';
import type { ParsedText } from '../../src/load/parsed';
import { SourceMap, type NodeIndex } from '../../src/load/positions';
import { parseYaml, parseYamlWithJsYaml, resourceSpan } from '../../src/load/yaml';
import { LANGUAGE_EXTENSION_FUNCTIONS, YAML_CFN_FUNCTIONS, readYamlFast } from '../../src/load/yaml-fast';
import type { TemplatePath } from '../../src/types';
import { cloudFormationYaml } from './yaml-documents';

const ROOT = path.resolve(__dirname, '../..');
const RUNS = Number(process.env.FC_RUNS ?? 300);

type Outcome = 'read' | 'gave up' | 'invalid';

const TRAILS = new Set(['AWS::CloudTrail::Trail']);

function readWithJsYaml(text: string, base = 0, indexEverything = false): ParsedText | undefined {
  try {
    return parseYamlWithJsYaml(text, base, indexEverything);
  } catch {
    return undefined;
  }
}

/** Every path to a key or item, and below each mapping one key that is missing (located at its parent). */
function pathsOf(value: unknown, prefix: TemplatePath = [], out: TemplatePath[] = []): TemplatePath[] {
  if (value === null || typeof value !== 'object') return out;
  if (!Array.isArray(value)) out.push([...prefix, 'NoSuchKey']);
  for (const [key, child] of Object.entries(value)) {
    const step = Array.isArray(value) ? Number(key) : key;
    out.push([...prefix, step]);
    pathsOf(child, [...prefix, step], out);
  }
  return out;
}

interface Reading {
  body: unknown;
  sourceMap: SourceMap;
}

/** The paths whose line:column differ, with both answers (an empty list when they agree). */
function positionDifferences(fast: Reading, oracle: Reading): string[] {
  const differences: string[] = [];
  for (const at of pathsOf(oracle.body)) {
    const a = fast.sourceMap.locate(fast.body, at);
    const b = oracle.sourceMap.locate(oracle.body, at);
    if (a.line !== b.line || a.column !== b.column) differences.push(`${JSON.stringify(at)}: ${a.line}:${a.column}, js-yaml ${b.line}:${b.column}`);
  }
  return differences.slice(0, 5);
}

/**
 * The same values, key order and classes. Not toStrictEqual: it compares objects' `constructor` properties, which
 * a template's mapping may hold as a key like any other.
 */
function expectSameValue(fast: unknown, oracle: unknown): void {
  expect(fast).toEqual(oracle);
  expect(writtenOut(fast), 'key order, classes').toBe(writtenOut(oracle));
}

function writtenOut(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item instanceof AmbiguousScalar ? { ambiguous: item.text, readings: item.readings.map(String) } : Number.isNaN(item) ? 'NaN' : item,
  );
}

const reading = (text: string, parsed: { body: unknown; nodes: NodeIndex; expand?: ParsedText['expand'] }): Reading => ({
  body: parsed.body,
  sourceMap: new SourceMap(text, parsed.nodes, parsed.expand),
});

/**
 * Reads `text` both ways and checks that they agree wherever the fast reader reads; says whether it did. A
 * text js-yaml rejects must be left to it.
 */
function expectSameReading(text: string): Outcome {
  const oracle = readWithJsYaml(text);
  const fast = readYamlFast(text);
  if (!oracle) {
    expect(fast, 'js-yaml rejects this text: the fast reader must leave it').toBeUndefined();
    return 'invalid';
  }
  if (!fast) return 'gave up';
  expectSameValue(fast.body, oracle.body);
  expect(fast.warnings, 'warnings').toEqual(oracle.warnings);
  // As the linter reads it: lazily indexed, resources read again (by each reader) when a path goes into them.
  expect(positionDifferences(reading(text, parseYaml(text)), reading(text, oracle))).toEqual([]);
  // …and with trails indexed up front, as the linter asks.
  expect(positionDifferences(reading(text, parseYaml(text, 0, false, TRAILS)), reading(text, oracle))).toEqual([]);
  expect(positionDifferences(reading(text, parseYamlWithJsYaml(text, 0, false, TRAILS)), reading(text, oracle))).toEqual([]);

  const fastIndexed = readYamlFast(text, 0, true);
  const oracleIndexed = parseYamlWithJsYaml(text, 0, true);
  expect(fastIndexed).toBeDefined();
  expect(positionDifferences(reading(text, fastIndexed!), reading(text, oracleIndexed))).toEqual([]);

  // Each resource's slice at its offset, as `expand` reads it.
  const resources = (oracle.body as Record<string, unknown> | null)?.Resources;
  for (const logicalId of resources !== null && typeof resources === 'object' ? Object.keys(resources) : []) {
    const span = resourceSpan(text, oracle.body, oracle.nodes, logicalId);
    if (!span) continue;
    const slice = text.slice(...span);
    const sliceOracle = readWithJsYaml(slice, span[0], true);
    const sliceFast = readYamlFast(slice, span[0], true);
    if (!sliceOracle) {
      expect(sliceFast, `resource ${logicalId}: js-yaml rejects its slice`).toBeUndefined();
    } else if (sliceFast) {
      expectSameValue(sliceFast.body, sliceOracle.body);
      expect(positionDifferences(reading(text, sliceFast), reading(text, sliceOracle))).toEqual([]);
    }
  }
  return 'read';
}

function yamlFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') || entry.name === 'cdk.out' ? [] : yamlFilesUnder(full);
    return /\.(ya?ml|template)$/.test(entry.name) ? [full] : [];
  });
}

// `.template` files may be JSON, which is YAML too: both readers read them.
const fixtures = [...yamlFilesUnder(path.join(ROOT, 'templates')), ...yamlFilesUnder(path.join(ROOT, 'test'))].map((file) => ({
  name: path.relative(ROOT, file),
  text: fs.readFileSync(file, 'utf8'),
}));

describe('fast YAML reader: the same reading as js-yaml', () => {
  it.each(fixtures)('$name', ({ text }) => {
    expectSameReading(text);
  });

  it('reads every fixture js-yaml reads, but for an empty document', () => {
    const outcomes = Object.fromEntries(fixtures.map(({ name, text }) => [name, expectSameReading(text)]));
    const left = Object.entries(outcomes).filter(([, outcome]) => outcome === 'gave up').map(([name]) => name);
    // empty.yaml holds only a comment: js-yaml reads it as null, the fast reader wants a collection. Aliases
    // and merge keys are js-yaml's to expand.
    expect(left).toEqual(['test/fixtures/invalid/empty.yaml', 'test/load/fixtures/aliases-and-merge-keys.yaml']);
    expect(Object.values(outcomes).filter((outcome) => outcome === 'read').length).toBeGreaterThan(50);
  });

  it('reads the bench generator’s templates, small to large', () => {
    for (const [resources, seed] of [[5, 1], [20, 2], [60, 3], [300, 4]]) {
      const text = toYaml(generateTemplate({ seed, resources, trails: 3 }).template);
      expect(expectSameReading(text), `${resources} resources, seed ${seed}`).toBe('read');
    }
  });

  it('knows every short form of the js-yaml schema, and builds the same long forms', () => {
    const schemaTags = (yamlCfnSchema as unknown as { explicit: { tag: string }[] }).explicit.map((type) => type.tag).filter((tag) => !tag.startsWith('tag:'));
    const tags = YAML_CFN_FUNCTIONS.map((name) => `!${name.replace(/^Fn::/, '')}`);
    expect(new Set(tags)).toEqual(new Set(schemaTags));
    for (const name of [...YAML_CFN_FUNCTIONS, ...LANGUAGE_EXTENSION_FUNCTIONS]) {
      const tag = `!${name.replace(/^Fn::/, '')}`;
      const text = `A: ${tag} x.y\nB: ${tag} 'a.b'\nC: ${tag} [x, 1]\nD: ${tag} {K: v}\nE: ${tag}\n  - x\nF: [${tag} z]\nG: ${tag} NoDot\n`;
      expect(expectSameReading(text), name).toBe('read');
    }
  });

  it('types every plain scalar itself, as the js-yaml reader does (both ask resolvePlainScalar)', () => {
    const scalars = ['0', '-0', '12', '-3', '1.5', '-0.0', '0.50', 'true', 'True', 'TRUE', 'false', 'null', 'Null', '~', 'yes', 'no',
      'Off', 'y', '2010-09-09', '10.0.0.0/16', '1.2.3', '-x', '+x', '.x', '007', '1e3', '0x1F', '0o17', '0b1', '.5', '+1', '1_000',
      '1:30', '.inf', '.NaN', '1.', '123456789012345678901', '-.5'];
    const read = (scalar: string) => expectSameReading(`Key: ${scalar}\n${scalar}: v\nList: [${scalar}]\nItems:\n  - ${scalar}\n`);
    expect(scalars.map(read)).toEqual(scalars.map(() => 'read'));
  });

  it('reads duplicate keys, inherited names and a byte-order mark as js-yaml does, warnings and positions alike', () => {
    const texts = [
      'a: 1\nb: {c: 2, c: 3}\na: 4\nd:\n  - e: 5\n    e: 6\na: 7\n',
      '__proto__: {__proto__: 1, constructor: 2}\nvalueOf: [toString]\nhasOwnProperty: {toString: 3}\n',
      '\uFEFFResources:\n  T:\n    Type: AWS::CloudTrail::Trail\n',
      '\uFEFF---\n# comment\nA: [1, yes]\n',
    ];
    expect(texts.map(expectSameReading)).toEqual(texts.map(() => 'read'));
  });

  it('reads block scalars with every chomping, CRLF line ends and a leading ---', () => {
    const text = '---\nA: |\n  one\n\n  two\n\nB: >-\n  folded\n  line\n\n  para\nC: |+\n    keep\n\nD: !Sub |\n  ${X}\n';
    expect(expectSameReading(text)).toBe('read');
    expect(expectSameReading(text.replace(/\n/g, '\r\n'))).toBe('read');
  });

  it('leaves to js-yaml what it is not sure of', () => {
    for (const text of ['a: &x 1\nb: *x\n', '? a\n: b\n', 'a: !!str 1\n', '%YAML 1.2\n---\na: 1\n', 'a: 1\n---\nb: 2\n', 'a:\n\t- 1\n',
      'a: b\n  c\n', 'a: >\n  x\n    more\n', 'a: "x\n  y"\n', 'a: !Foo x\n', 'a: {b: 1}\n<<: {c: 2}\n', 'a: {<<: {c: 2}}\n', 'a: \uFEFF\n']) {
      expect(readYamlFast(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('never loads js-yaml itself', () => {
    // The built module in a fresh process, so imports of imports count too (eslint.config.mjs forbids the direct ones).
    const probe = `require(${JSON.stringify(path.join(ROOT, 'dist/src/load/yaml-fast.js'))});
      process.stdout.write(Object.keys(require.cache).filter((file) => /node_modules[\\\\/](js-yaml|yaml-cfn)[\\\\/]/.test(file)).join())`;
    expect(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })).toBe('');
  });
});

describe('fast YAML reader: properties', () => {
  it('on generated CloudFormation-like documents: undefined or the same reading', () => {
    const outcomes: Outcome[] = [];
    fc.assert(
      fc.property(cloudFormationYaml, (text) => {
        outcomes.push(expectSameReading(text));
      }),
      { numRuns: RUNS },
    );
    // The generator must mostly write what the fast reader reads, or the property proves little.
    expect(outcomes.filter((outcome) => outcome === 'read').length).toBeGreaterThan(RUNS / 4);
  });

  const templates = fixtures.filter(({ name }) => name.startsWith('templates/') && !name.endsWith('.template'));
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 3 }),
    insert: fc.oneof(
      fc.constantFrom(':', ' ', '-', '#', "'", '"', '[', ']', '{', '}', '!', '&', '*', '|', '>', '\n', '\t', '\r\n', ',', '?', '%', '.', '0', 'a', 'Z', '1', '  ', '- ', ': ', '!Ref ', '\n  '),
      fc.string({ unit: fc.constantFrom(...": -#'\"[]{}!&*|>\n\tab01."), maxLength: 4 }),
    ),
  });

  it('on fixtures mangled at random: undefined where js-yaml fails, else undefined or the same reading', () => {
    const outcomes: Outcome[] = [];
    fc.assert(
      fc.property(fc.constantFrom(...templates), fc.array(edit, { minLength: 1, maxLength: 3 }), ({ text }, edits) => {
        let mangled = text;
        for (const { at, remove, insert } of edits) {
          const position = at % (mangled.length + 1);
          mangled = mangled.slice(0, position) + insert + mangled.slice(position + remove);
        }
        outcomes.push(expectSameReading(mangled));
      }),
      { numRuns: RUNS },
    );
    // Both kinds of case must come up often: edits the fast reader reads, and edits js-yaml rejects.
    for (const outcome of ['read', 'invalid'] as const) expect(outcomes.filter((o) => o === outcome).length).toBeGreaterThan(RUNS / 10);
  });
});
