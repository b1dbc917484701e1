import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJson } from '../../src/load/json';
import type { ParsedText } from '../../src/load/parsed';
import { parseFailure } from './parse-failure';
import { SourceMap } from '../../src/load/positions';

const TEMPLATE = `{
  "Resources": {
    "Trail": {
      "Type": "AWS::CloudTrail::Trail",
      "Properties": { "IsMultiRegionTrail": { "Fn::If": ["IsProd", true, false] }, "Name": "a\\"b\\u00e9" }
    }
  }
}`;

const failure = (text: string) => parseFailure(parseJson, text);

function locate(text: string, path: (string | number)[]) {
  const parsed = parseJson(text);
  return new SourceMap(text, parsed.nodes, parsed.expand).locate(parsed.body, path);
}

/** A reading's warnings as the report gives them: at a 1-based line and column. */
function warningsOf(text: string, parsed: ParsedText) {
  const map = new SourceMap(text, new Map());
  return (parsed.warnings ?? []).map(({ offset, code, message }) => ({ ...map.positionOf(offset), code, message }));
}

describe('parseJson', () => {
  it('gives the same value as JSON.parse, but a number written otherwise than it prints keeps its text', () => {
    expect(parseJson(TEMPLATE).body).toEqual(JSON.parse(TEMPLATE));
    const numbers = '[0, -1, 2.5, 1e3, -0.5E-2, 1.0, 12345678901234567890, true, false, null, "", {}, []]';
    expect(parseJson(numbers).body).toEqual([0, -1, 2.5, '1e3', '-0.5E-2', '1.0', '12345678901234567890', true, false, null, '', {}, []]);
  });

  it('locates keys and items', () => {
    const parsed = parseJson(TEMPLATE);
    const map = new SourceMap(TEMPLATE, parsed.nodes, parsed.expand);
    expect(map.locate(parsed.body, ['Resources', 'Trail'])).toEqual({ line: 3, column: 5 });
    expect(map.locate(parsed.body, ['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 5, column: 23 });
    expect(map.locate(parsed.body, ['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail', 'Fn::If', 1])).toEqual({ line: 5, column: 68 });
  });

  it('keeps the last of duplicate keys, as CloudFormation does, and warns naming both lines', () => {
    const text = '{"Resources": {"A": 1,\n "A": 2}}';
    const parsed = parseJson(text);
    expect(parsed.body).toEqual({ Resources: { A: 2 } });
    expect(warningsOf(text, parsed)).toEqual([
      { line: 2, column: 2, code: 'W1001', message: "duplicate key 'A': CloudFormation keeps the last value (this one), not the one at line 1" },
    ]);
    expect(locate(text, ['Resources', 'A'])).toEqual({ line: 2, column: 2 });
  });

  it('finds the first of two duplicate keys deep in a large template, where the reader indexes nothing', () => {
    // 64 KB and more, with a duplicate: the fast path gives up and the indexed reader reads, not indexing inside resources.
    const text = `{"Description": "${'x'.repeat(70_000)}",
"Resources": {"T": {"Type": "AWS::CloudTrail::Trail", "Properties": {
  "Tags": [{"Key": "a", "Value": {"x": {"K": 1}, "K": 2}}],
  "IsMultiRegionTrail": true,
  "S3BucketName": "b",
  "IsMultiRegionTrail": false}}}}`;
    const parsed = parseJson(text);
    expect(parsed.body).toEqual(JSON.parse(text));
    expect(warningsOf(text, parsed)).toEqual([
      { line: 6, column: 3, code: 'W1001', message: "duplicate key 'IsMultiRegionTrail': CloudFormation keeps the last value (this one), not the one at line 4" },
    ]);
    expect(locate(text, ['Resources', 'T', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 6, column: 3 });
  });

  it('reports truncated and malformed input with a position', () => {
    expect(failure('{"Resources": {"A": ')).toMatchObject({ code: 'E1002', message: 'unexpected end of file' });
    expect(failure('{"a": tru}')).toMatchObject({ message: expect.stringContaining('unexpected'), line: 1 });
    expect(failure('{"a": 1,}')).toMatchObject({ message: 'expected a key in double quotes', column: 9 });
    expect(failure('{"a": 01}').message).toContain('invalid number');
    expect(failure('{"a": 1} x').message).toContain('after the end');
    expect(failure('['.repeat(MAX_JSON_DEPTH + 1)).code).toBe('E3005');
  });

  it('reads names that objects inherit as data, small files and large alike', () => {
    const names = ['__proto__', 'constructor', 'valueOf', 'toString', 'hasOwnProperty'];
    const entries = names.map((name, index) => `"${name}": {"Type": "AWS::S3::Bucket", "Properties": {"${name}": ${index}}}`);
    for (const padding of ['', 'x'.repeat(70_000)]) {
      const text = `{"Description": "${padding}", "Resources": {${entries.join(',\n')}}}`;
      const { body } = parseJson(text) as { body: { Resources: Record<string, { Properties: Record<string, unknown> }> } };
      expect(Object.getPrototypeOf(body.Resources)).toBe(Object.prototype);
      expect(Object.keys(body.Resources)).toEqual(names);
      const at = (offset: number) => new SourceMap(text, new Map()).positionOf(offset);
      for (const [index, name] of names.entries()) {
        expect(Object.getOwnPropertyDescriptor(body.Resources, name)?.value.Properties[name]).toBe(index);
        expect(locate(text, ['Resources', name, 'Properties', name])).toEqual(at(text.indexOf(`{"${name}": ${index}}`) + 1));
      }
      // A missing resource named like an inherited property is located at Resources, as any missing one.
      expect(locate(text, ['Resources', 'T', 'constructor'])).toEqual(at(text.indexOf('"Resources"')));
      expect(locate(text, ['Resources', 'toString', 'Properties', 'valueOf'])).toEqual(at(text.indexOf('"Properties": {"toString"')));
    }
  });

  it('keeps __proto__ as data', () => {
    const { body } = parseJson('{"__proto__": {"polluted": true}}') as { body: Record<string, unknown> };
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(body.__proto__).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('columns', () => {
  it('do not count a byte-order mark', () => {
    const text = '\uFEFF{"Resources": {"T": {}}}';
    const parsed = parseJson(text);
    expect(new SourceMap(text, parsed.nodes, parsed.expand).locate(parsed.body, ['Resources', 'T'])).toEqual({ line: 1, column: 16 });
  });
});
