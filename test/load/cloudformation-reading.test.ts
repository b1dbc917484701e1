// Templates read as CloudFormation reads them (README, "How templates are evaluated"), through both YAML readers and the JSON reader, on the
// fixture files beside this test: YAML 1.1 scalars kept ambiguous, duplicate keys last-wins with a warning,
// aliases and merge keys expanded with a warning, a leading byte-order mark that moves no position, and names
// that objects inherit (`__proto__`, `constructor`…) read as data. Positions are asserted throughout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli';
import { AmbiguousScalar } from '../../src/evaluate/values';
import { lintPaths } from '../../src/lint';
import { formatReport } from '../../src/report';
import { parseJson } from '../../src/load/json';
import { MAX_WARNINGS, type ParsedText } from '../../src/load/parsed';
import { SourceMap } from '../../src/load/positions';
import { parseYaml, parseYamlWithJsYaml } from '../../src/load/yaml';
import { readYamlFast } from '../../src/load/yaml-fast';
import type { TemplatePath } from '../../src/types';

const FIXTURES = path.join(__dirname, 'fixtures');
const ROOT = path.resolve(__dirname, '../..');
const textOf = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const either = (text: string, reading11: unknown) => new AmbiguousScalar(text, [text, reading11]);

type Reader = (text: string) => ParsedText;

/** The fast reader (which must read the text itself, not leave it to js-yaml) and js-yaml with our schema. */
const YAML_READERS: [string, Reader][] = [
  [
    'fast reader',
    (text) => {
      expect(readYamlFast(text), 'the fast reader reads it').toBeDefined();
      return parseYaml(text);
    },
  ],
  ['js-yaml', (text) => parseYamlWithJsYaml(text)],
];

/** A reading, with positions and warnings as the report gives them (1-based line and column). */
function read(reader: Reader, text: string) {
  const parsed = reader(text);
  const sourceMap = new SourceMap(text, parsed.nodes, parsed.expand);
  return {
    body: parsed.body as Record<string, Record<string, Record<string, Record<string, unknown>>>>,
    locate: (at: TemplatePath) => sourceMap.locate(parsed.body, at),
    warnings: (parsed.warnings ?? []).map(({ offset, code, message }) => ({ ...sourceMap.positionOf(offset), code, message })),
  };
}

describe.each(YAML_READERS)('YAML 1.1 scalars, %s', (_, reader) => {
  const text = textOf('yaml-1.1-scalars.yaml');

  it('keeps both readings of a plain scalar where YAML 1.1 and 1.2 differ, and keys as written', () => {
    const { body } = read(reader, text);
    expect(body.Parameters.Enabled).toEqual({ Type: 'String', AllowedValues: [either('yes', true), either('no', false), 'on'], Default: either('yes', true) });
    expect(Object.keys(body.Mappings.Versions)).toEqual(['True', '1.0']);
    expect(body.Mappings.Versions.True).toEqual({ Version: either('1.10', 1.1), Mode: either('0777', 511), Window: either('1:30', 90) });
    expect(body.Mappings.Versions['1.0']).toEqual({ Version: '1.0' });
    const properties = body.Resources.Trail.Properties as Record<string, unknown>;
    expect(properties.IsMultiRegionTrail).toEqual(either('on', true));
    expect(properties.IsLogging).toEqual(either('Yes', true));
    expect(properties.Tags).toEqual([
      { Key: 'hex', Value: either('0x1F', 31) },
      { Key: 'thousand', Value: either('1_000', 1000) },
      { Key: 'octal', Value: either('010', 8) },
      { Key: 'plain', Value: 42 },
      { Key: 'date', Value: '2010-09-09' },
      { Key: 'exponent', Value: '1e3' },
      { Key: 'quoted', Value: 'yes' },
      { Key: 'tagged', Value: { 'Fn::Sub': 'yes' } },
      either('Off', false),
    ]);
  });

  it('locates ambiguous scalars like any other value', () => {
    const { locate, warnings } = read(reader, text);
    expect(locate(['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 20, column: 7 });
    expect(locate(['Mappings', 'Versions', '1.0', 'Version'])).toEqual({ line: 15, column: 7 });
    expect(locate(['Mappings', 'Versions', 'True', 'Window'])).toEqual({ line: 13, column: 7 });
    expect(locate(['Resources', 'Trail', 'Properties', 'Tags', 8])).toEqual({ line: 40, column: 11 });
    expect(locate(['Parameters', 'Enabled', 'AllowedValues', 1])).toEqual({ line: 6, column: 26 });
    expect(warnings).toEqual([]);
  });
});

describe.each(YAML_READERS)('duplicate keys in YAML, %s', (_, reader) => {
  const text = textOf('duplicate-keys.yaml');

  it('keeps the last value of each, in the place of the first, and warns naming both lines', () => {
    const { body, warnings } = read(reader, text);
    expect(Object.keys(body.Resources)).toEqual(['Logs', 'Trail']);
    expect(body.Resources.Logs).toEqual({ Type: 'AWS::S3::Bucket', Properties: { BucketName: 'logs' } });
    expect(body.Resources.Trail.Properties).toEqual({ IsMultiRegionTrail: true, S3BucketName: { Ref: 'Logs' }, IsLogging: true, Tags: [{ Key: 'owner', Value: 'audit' }] });
    expect(warnings).toEqual([
      { line: 11, column: 7, code: 'W1001', message: "duplicate key 'IsMultiRegionTrail': CloudFormation keeps the last value (this one), not the one at line 8" },
      { line: 12, column: 40, code: 'W1001', message: "duplicate key 'Key': CloudFormation keeps the last value (this one), not the one at line 12" },
      { line: 13, column: 3, code: 'W1001', message: "duplicate key 'Logs': CloudFormation keeps the last value (this one), not the one at line 3" },
    ]);
  });

  it('locates a duplicated key at the value that is read', () => {
    const { locate } = read(reader, text);
    expect(locate(['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 11, column: 7 });
    expect(locate(['Resources', 'Logs'])).toEqual({ line: 13, column: 3 });
    expect(locate(['Resources', 'Logs', 'Properties', 'BucketName'])).toEqual({ line: 15, column: 18 });
    expect(locate(['Resources', 'Trail', 'Properties', 'Tags', 0, 'Key'])).toEqual({ line: 12, column: 40 });
  });
});

describe('duplicate keys where js-yaml reads the text (an alias beside them)', () => {
  it('keeps the last, warns, and locates it, in a text read again to find them', () => {
    const text = `Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties: &props\n      IsMultiRegionTrail: false\n      IsMultiRegionTrail: true\n  Copy:\n    Type: AWS::CloudTrail::Trail\n    Properties: *props\n`;
    expect(readYamlFast(text)).toBeUndefined();
    for (const reader of [parseYaml, parseYamlWithJsYaml]) {
      const { body, warnings, locate } = read(reader, text);
      expect(body.Resources.Copy.Properties).toEqual({ IsMultiRegionTrail: true });
      expect(warnings.map(({ line, column, code }) => [line, column, code])).toEqual([[6, 7, 'W1001'], [9, 17, 'W1002']]);
      expect(locate(['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 6, column: 7 });
    }
  });
});

describe('a flood of duplicate keys (hostile input)', () => {
  // Every key twice, the second time after all the others: finding each first one by a search back would be
  // quadratic. Past MAX_WARNINGS the rest are counted, not searched for.
  const keys = Array.from({ length: 20_000 }, (_, k) => `K${k}`);
  const yaml = `Resources:\n  T:\n    Type: X\n    Properties:\n${[...keys, ...keys].map((key) => `      ${key}: 1\n`).join('')}`;
  const json = `{"Resources": {"T": {"Type": "X", "Properties": {${[...keys, ...keys].map((key) => `"${key}": 1`).join(',\n')}}}}}`;

  it.each([
    ['fast reader', yaml, parseYaml, { line: 20_005, column: 7 }, 5],
    ['js-yaml', yaml, parseYamlWithJsYaml, { line: 20_005, column: 7 }, 5],
    ['JSON', json, (text: string) => parseJson(text), { line: 20_001, column: 1 }, 1],
  ] as [string, string, Reader, { line: number; column: number }, number][])('%s: warnings capped, in time', (_, text, reader, second, firstLine) => {
    const started = performance.now();
    const { warnings } = read(reader, text);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(warnings[0]).toMatchObject({ ...second, message: expect.stringContaining("'K0'") });
    expect(warnings[0].message).toContain(`not the one at line ${firstLine}`);
    expect(warnings.at(-1)).toMatchObject({ code: 'W1004', message: `${20_000 - MAX_WARNINGS} more warnings in this file not shown` });
  });
});

describe('duplicate keys in JSON', () => {
  it('keeps the last, warns naming both lines, and locates the last', () => {
    const text = textOf('duplicate-keys.json');
    const { body, warnings, locate } = read((t) => parseJson(t), text);
    expect(body.Resources.Trail.Properties).toEqual({ IsMultiRegionTrail: true, S3BucketName: 'logs' });
    expect(warnings).toEqual([
      { line: 9, column: 9, code: 'W1001', message: "duplicate key 'IsMultiRegionTrail': CloudFormation keeps the last value (this one), not the one at line 7" },
    ]);
    expect(locate(['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 9, column: 9 });
  });
});

describe('YAML aliases and merge keys, read expanded as `aws cloudformation package` writes them', () => {
  const text = textOf('aliases-and-merge-keys.yaml');

  it('merges as YAML 1.1 does (keys written in the mapping win, wherever they stand), never keeping a << key', () => {
    for (const reader of [parseYaml, parseYamlWithJsYaml]) {
      const { body } = read(reader, text);
      const defaults = { IsLogging: true, IsMultiRegionTrail: false, S3BucketName: 'logs' };
      expect(body.Metadata.TrailDefaults).toEqual(defaults);
      expect(body.Resources.Merged.Properties).toEqual({ ...defaults, IsMultiRegionTrail: true });
      expect(body.Resources.MergedFirst.Properties).toEqual({ ...defaults, IsMultiRegionTrail: true });
      expect(body.Resources.Aliased.Properties).toEqual(defaults);
      for (const id of ['Merged', 'MergedFirst']) expect(Object.keys(body.Resources[id].Properties)).not.toContain('<<');
    }
  });

  it('warns at the first merge key and the first alias, and locates what is written where it is written', () => {
    const { warnings, locate } = read(parseYaml, text);
    expect(warnings.map(({ line, column, code }) => [line, column, code])).toEqual([[11, 7, 'W1003'], [11, 11, 'W1002']]);
    expect(warnings[0].message).toContain('aws cloudformation package');
    expect(locate(['Resources', 'Merged', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 12, column: 7 });
    expect(locate(['Resources', 'MergedFirst', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 16, column: 7 });
    // An alias is the anchored node itself: located where the anchor writes it.
    expect(locate(['Resources', 'Aliased', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 5, column: 5 });
  });
});

describe('a leading byte-order mark', () => {
  it.each(YAML_READERS)('moves no YAML position, %s', (_, reader) => {
    const text = textOf('bom.yaml');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const { body, locate } = read(reader, text);
    expect(Object.keys(body)).toEqual(['AWSTemplateFormatVersion', 'Resources']);
    expect(locate(['AWSTemplateFormatVersion'])).toEqual({ line: 1, column: 1 });
    expect(locate(['Resources', 'Trail'])).toEqual({ line: 3, column: 3 });
    expect(locate(['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 6, column: 7 });
  });

  it('moves no JSON position', () => {
    const text = textOf('bom.json');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const { locate } = read((t) => parseJson(t), text);
    expect(locate(['AWSTemplateFormatVersion'])).toEqual({ line: 1, column: 2 });
    expect(locate(['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 3, column: 19 });
  });

  it('moves no position in a lint report', () => {
    const report = lintPaths([path.join(FIXTURES, 'bom.yaml'), path.join(FIXTURES, 'bom.json')], { cwd: ROOT });
    expect(report.errors).toEqual([]);
    expect(report.results.map(({ file, line, column, status }) => ({ file, line, column, status }))).toEqual([
      { file: 'test/load/fixtures/bom.yaml', line: 6, column: 7, status: 'fail' },
      { file: 'test/load/fixtures/bom.json', line: 3, column: 19, status: 'fail' },
    ]);
  });
});

describe.each(YAML_READERS)('names that objects inherit, %s', (_, reader) => {
  const text = textOf('inherited-names.yaml');

  it('are own properties holding their values, and no prototype changes', () => {
    const { body, locate } = read(reader, text);
    const own = (object: unknown, name: string) => Object.getOwnPropertyDescriptor(object, name)?.value;
    expect(Object.keys(body.Parameters)).toEqual(['__proto__', 'constructor', 'valueOf']);
    expect(own(body.Parameters, '__proto__')).toEqual({ Type: 'String', Default: 'true' });
    expect(Object.getPrototypeOf(body.Parameters)).toBe(Object.prototype);
    expect(Object.keys(body.Conditions)).toEqual(['toString', 'hasOwnProperty']);
    const trail = own(body.Resources, '__proto__') as { Properties: Record<string, unknown> };
    expect(Object.getPrototypeOf(body.Resources)).toBe(Object.prototype);
    expect(own(trail.Properties, 'constructor')).toEqual(JSON.parse('{"__proto__": 1}'));
    expect(Object.getPrototypeOf(trail.Properties.constructor)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).Type).toBeUndefined();
    expect(locate(['Resources', '__proto__', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 15, column: 7 });
    expect(locate(['Parameters', 'valueOf', 'Type'])).toEqual({ line: 7, column: 5 });
    // A name no mapping holds is located at its nearest ancestor, never found on Object.prototype.
    expect(locate(['Resources', '__proto__', 'Properties', 'toString'])).toEqual({ line: 14, column: 5 });
    expect(locate(['Conditions', 'valueOf', 'Fn::Equals'])).toEqual({ line: 8, column: 1 });
  });
});

describe('warnings in the report', () => {
  async function run(args: string[]) {
    let stdout = '';
    const io: CliIo = { stdout: (t) => (stdout += t), stderr: () => undefined, isTTY: false, env: {}, cwd: ROOT };
    return { code: await main(args, io), stdout };
  }
  const file = 'test/load/fixtures/duplicate-keys.yaml';

  it('are listed with file, line, column and code, and change no exit code', async () => {
    const report = lintPaths([path.join(ROOT, file)], { cwd: ROOT });
    expect(report.warnings).toEqual([
      { file, line: 11, column: 7, code: 'W1001', message: expect.stringContaining("'IsMultiRegionTrail'") },
      { file, line: 12, column: 40, code: 'W1001', message: expect.stringContaining("'Key'") },
      { file, line: 13, column: 3, code: 'W1001', message: expect.stringContaining("'Logs'") },
    ]);
    expect(report.summary).toEqual({ pass: 1, fail: 0, unknown: 0, skip: 0, suppressed: 0, errors: 0 });

    const text = await run([file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${file}:11:7: warning W1001 duplicate key 'IsMultiRegionTrail': CloudFormation keeps the last value (this one), not the one at line 8\n`);

    const json = await run([file, '--format', 'json']);
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout);
    expect(Object.keys(document)).toEqual(['tool', 'results', 'errors', 'warnings', 'summary']);
    expect(document.warnings).toEqual(JSON.parse(JSON.stringify(report.warnings)));

    const jsonReport = lintPaths([path.join(FIXTURES, 'duplicate-keys.json')], { cwd: ROOT });
    expect(jsonReport.results.map(({ status, line, column }) => ({ status, line, column }))).toEqual([{ status: 'pass', line: 9, column: 9 }]);
    expect(jsonReport.warnings.map(({ line, column, code }) => ({ line, column, code }))).toEqual([{ line: 9, column: 9, code: 'W1001' }]);

    // A key is template text: shown escaped, as every other string from the input.
    const hostile = lintPaths([path.join(FIXTURES, 'duplicate-keys.yaml')], { cwd: ROOT });
    hostile.warnings[0].message = "duplicate key '\u001b[2J': …";
    expect(formatReport(hostile, 'text', { color: false, cwd: ROOT })).toContain("warning W1001 duplicate key '\\u001b[2J': …");

    const github = await run([file, '--format', 'github']);
    expect(github.stdout).toContain(`::warning file=${file},line=11,col=7,title=cfn-trail-lint W1001%3A Duplicate key::duplicate key 'IsMultiRegionTrail'`);
  });
});
