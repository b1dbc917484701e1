// The JSON fast path against the indexed reader, which is the reference: the same values and the same
// line:column for every key and item, or no answer at all (then the indexed reader reads, and reports).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateTemplate, toJson, toYaml } from '../bench/generate.mjs';
import { lintSources } from '../../src/lint';
import { MAX_JSON_DEPTH, parseJson } from '../../src/load/json';
import { readJsonFast } from '../../src/load/json-fast';
import { computeLineStarts, SourceMap } from '../../src/load/positions';
import type { TemplatePath } from '../../src/types';
import { parseFailure } from './parse-failure';

const ROOT = path.resolve(__dirname, '../..');
const RUNS = Number(process.env.FC_RUNS ?? 300);

const fast = (text: string) => readJsonFast(text, MAX_JSON_DEPTH, (slice, at) => parseJson(slice, at, true));

/** Every path to a key or an item in a value. */
function allPaths(value: unknown, prefix: TemplatePath = []): TemplatePath[] {
  if (value === null || typeof value !== 'object') return [];
  const steps: (string | number)[] = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
  return steps.flatMap((step) => {
    const at = [...prefix, step];
    return [at, ...allPaths((value as Record<string, unknown>)[step as string], at)];
  });
}

/** The fast path reads `text`, giving the indexed reader's values and positions. */
function expectSameAsIndexed(text: string): void {
  const quick = fast(text);
  expect(quick, 'the fast path gave up').toBeDefined();
  const indexed = parseJson(text, 0, true);
  expect(quick!.body).toEqual(indexed.body);
  // The line starts the scan noted on its way, which positions are computed from.
  expect(quick!.lineStarts).toEqual(computeLineStarts(text));
  const quickMap = new SourceMap(text, quick!.nodes, quick!.expand, quick!.lineStarts);
  const indexedMap = new SourceMap(text, indexed.nodes);
  for (const at of allPaths(indexed.body)) {
    expect(quickMap.locate(quick!.body, at), JSON.stringify(at)).toEqual(indexedMap.locate(indexed.body, at));
  }
}

function jsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
    const full = path.join(entry.parentPath, entry.name);
    return entry.isFile() && entry.name.endsWith('.json') && !entry.name.includes('expected') && !full.includes('cdk.out') ? [full] : [];
  });
}

describe('JSON fast path', () => {
  const files = [...jsonFiles(path.join(ROOT, 'templates')), ...jsonFiles(path.join(ROOT, 'test/nested-stacks/fixtures'))];

  it.each(files.map((file) => [path.relative(ROOT, file)]))('reads %s as the indexed reader does', (file) => {
    expectSameAsIndexed(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  });

  it('reads the bench templates as the indexed reader does', () => {
    for (const [seed, resources] of [[1, 20], [2, 120], [3, 400]]) expectSameAsIndexed(toJson(generateTemplate({ seed, resources, trails: 5 })));
  });

  it('gives up on a duplicate key at any depth, and the indexed reader keeps the last and warns where', () => {
    const cases = [
      '{"Resources": {}, "Resources": {}}',
      '{"Resources": {"A": {"Type": "X"}, "A": {"Type": "Y"}}}',
      '{"Resources": {"A": {"Type": "X", "Type": "Y"}}}',
      '{"Resources": {"A": {"Properties": {"Tags": [{"Key": 1, "Key": 2}]}}}}',
      '{"Parameters": {"P": {"Default": 1, "Default": 2}}, "Resources": {}}',
      '{"Resources": {"A": {"Properties": {"a\\"b": 1, "a\\u0022b": 2}}}}',
      '{"Resources": {"A": {"Properties": {"ab": 1, "a\\u0062": 2}}}}',
      '{"Resources": {"A": {"Properties": {"a\\u0062": 1, "x": [], "ab": 2}}}}',
      // Past the size where an object's keys go into a set: the duplicate is the 3rd key, again as the 20th.
      `{"Resources": {"A": {"Properties": {${[...Array.from({ length: 19 }, (_, k) => `"K${k}": ${k}`), '"K2": 0'].join(', ')}}}}}`,
      `{"Mappings": {"M": {${[...Array.from({ length: 30 }, (_, k) => `"K${k}": {}`), '"K\\u0032": 0'].join(', ')}}}, "Resources": {}}`,
    ];
    for (const text of cases) {
      expect(fast(text), text).toBeUndefined();
      const parsed = parseJson(text);
      expect(parsed.body, text).toEqual(JSON.parse(text));
      expect(parsed.warnings?.map((warning) => warning.code), text).toEqual(['W1001']);
    }
  });

  it('gives up past the nesting limit, on __proto__ and on syntax errors, leaving the report to the indexed reader', () => {
    const deep = `{"Resources": {"A": ${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}}`;
    expect(fast(deep)).toBeUndefined();
    expect(parseFailure(parseJson, deep).code).toBe('E3005');
    expect(fast(`{"Resources": {"A": ${'['.repeat(MAX_JSON_DEPTH - 3)}${']'.repeat(MAX_JSON_DEPTH - 3)}}}`)).toBeDefined();
    expect(fast('{"__proto__": {"x": 1}, "Resources": {}}')).toBeUndefined();
    expect(fast('{"Resources": {"A": 1,}}')).toBeUndefined();
    expect(fast('\uFEFF{"Resources": {}}')).toBeUndefined();
  });

  it('reads tricky strings, spacing and key orders as the indexed reader does', () => {
    expectSameAsIndexed('{ "Resources" : { "A\\\\" : { "Type" : "x\\\\", "Properties" : { "2" : [ "\\"", "}" , {"1": "]"}], "1": {} } } }\n,"Outputs":{"O":{"Value":"a\\\\\\"b"}} }'.replace('\n,', ','));
    expectSameAsIndexed('{\r\n\t"AWSTemplateFormatVersion": "2010-09-09",\r\n\t"Resources": {\r\n\t\t"T": {"Type": "AWS::CloudTrail::Trail", "Properties": {"IsMultiRegionTrail": false}}\r\n\t}\r\n}');
    // An object large enough for its keys to go into a set, one of them escaped; and an escaped key among few.
    const many = Array.from({ length: 30 }, (_, k) => `"K${k}": {"a\\u0062": 1, "ab\\u0062": [${k}]}`).join(', ');
    expectSameAsIndexed(`{"Resources": {"A": {"Type": "X", "Properties": {${many}, "K\\u0033\\u0030": 30}}}}`);
  });

  // Random templates written with random spacing: the fast path reads them all, as the indexed reader does.
  const scalar = fc.oneof(fc.string({ unit: fc.constantFrom('a', '"', '\\', '}', ']', ':', ',', ' ', 'é', '\n') }), fc.integer(), fc.boolean(), fc.constant(null));
  const key = fc.oneof(fc.constantFrom('Type', 'Properties', 'Ref', 'Fn::If', '0', '10', 'a"b', 'a\\b', ''), fc.string({ maxLength: 4 }));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  }));
  const template = fc.record({
    Parameters: fc.dictionary(key, value, { maxKeys: 3 }),
    Resources: fc.dictionary(key, value, { maxKeys: 5 }),
    Outputs: value,
  });
  const space = fc.constantFrom('', ' ', '\n', '\r\n  ', '\t');

  /** JSON.stringify with random whitespace around every token, and escapes where JSON.stringify would not write them. */
  function write(value: unknown, spaces: string[], at = { i: 0 }): string {
    const pad = () => spaces[at.i++ % spaces.length];
    if (value === null || typeof value !== 'object') {
      return typeof value === 'string' && at.i % 3 === 0 ? JSON.stringify(value).replace(/a/g, '\\u0061') : JSON.stringify(value);
    }
    if (Array.isArray(value)) return `[${pad()}${value.map((item) => write(item, spaces, at)).join(`${pad()},${pad()}`)}${pad()}]`;
    const entries = Object.entries(value).map(([k, v]) => `${write(k, spaces, at)}${pad()}:${pad()}${write(v, spaces, at)}`);
    return `{${pad()}${entries.join(`${pad()},${pad()}`)}${pad()}}`;
  }

  it('reads random templates with random spacing as the indexed reader does', () => {
    fc.assert(
      fc.property(template, fc.array(space, { minLength: 1, maxLength: 8 }), (body, spaces) => {
        // Spacing before and after the document too: its line breaks count.
        expectSameAsIndexed(`${spaces[spaces.length - 1]}${write(body, spaces)}${spaces[0]}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives up on every duplicate key a random template can hold', () => {
    fc.assert(
      fc.property(template, fc.nat(), (body, pick) => {
        const keyPaths = allPaths(body).filter((at) => typeof at[at.length - 1] === 'string');
        const doubled = writeTwice(body, keyPaths[pick % keyPaths.length]);
        expect(fast(doubled)).toBeUndefined();
        const parsed = parseJson(doubled);
        expect(parsed.body).toEqual(JSON.parse(doubled));
        expect(parsed.warnings?.length).toBeGreaterThan(0);
        expect(parsed.warnings?.every((warning) => warning.code === 'W1001')).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('linting a JSON template file', () => {
  // Files of 64 KB and more take the fast path, smaller ones the indexed reader: both, ASCII or not (the
  // fast path then scans the file's bytes, or a UTF-16 copy of its text), give the verdicts the generator
  // expects, and each finding's line and column point at the key it names.
  const { template, trails } = generateTemplate({ seed: 7, resources: 150, trails: 12 });
  const small = generateTemplate({ seed: 8, resources: 12, trails: 3 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-json-'));
  const nonAscii = { ...template, Description: 'Journal d’audit — multi-Région' };
  const cases = [
    { name: 'large, ASCII', body: template, expected: trails },
    { name: 'large, not ASCII', body: nonAscii, expected: trails },
    { name: 'small', body: small.template, expected: small.trails },
  ];

  it.each(cases.map((c) => [c.name, c]))('%s', (_, { body, expected }) => {
    const text = toJson(body);
    const file = path.join(dir, 'template.json');
    fs.writeFileSync(file, text);
    const yamlFile = path.join(dir, 'template.yaml');
    fs.writeFileSync(yamlFile, toYaml(body));
    expect(text.length >= 64 * 1024).toBe(body !== small.template);

    const report = lintSources([{ file }], { cwd: dir });
    expect(report.errors).toEqual([]);
    const statuses = (results: { logicalId: string; status: string }[]) => Object.fromEntries(results.map((r) => [r.logicalId, r.status]));
    expect(statuses(report.results)).toEqual(Object.fromEntries(expected.map((t) => [t.logicalId, t.expected])));
    expect(statuses(report.results)).toEqual(statuses(lintSources([{ file: yamlFile }], { cwd: dir }).results));
    const lines = text.split('\n');
    for (const result of report.results) {
      const at = lines[result.line - 1].slice(result.column - 1);
      expect([`"IsMultiRegionTrail"`, `"${result.logicalId}"`].some((key) => at.startsWith(key)), `${result.logicalId} at ${result.line}:${result.column}: ${at}`).toBe(true);
    }
  });
});

/** JSON.stringify, but the key at `twice` is written twice. */
function writeTwice(value: unknown, twice: TemplatePath, at: TemplatePath = []): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inside = (step: string | number) => writeTwice((value as Record<string, unknown>)[step as string], twice, [...at, step]);
  if (Array.isArray(value)) return `[${value.map((_, index) => inside(index)).join(',')}]`;
  const entries = Object.keys(value).flatMap((key) => {
    const entry = `${JSON.stringify(key)}:${inside(key)}`;
    const isTwice = twice.length === at.length + 1 && twice[at.length] === key && at.every((step, index) => step === twice[index]);
    return isTwice ? [entry, entry] : [entry];
  });
  return `{${entries.join(',')}}`;
}
