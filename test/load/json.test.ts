import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJson } from '../../src/load/json';
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

describe('parseJson', () => {
  it('gives the same value as JSON.parse', () => {
    expect(parseJson(TEMPLATE).body).toEqual(JSON.parse(TEMPLATE));
    const numbers = '[0, -1, 2.5, 1e3, -0.5E-2, true, false, null, "", {}, []]';
    expect(parseJson(numbers).body).toEqual(JSON.parse(numbers));
  });

  it('locates keys and items', () => {
    const parsed = parseJson(TEMPLATE);
    const map = new SourceMap(TEMPLATE, parsed.nodes, parsed.expand);
    expect(map.locate(parsed.body, ['Resources', 'Trail'])).toEqual({ line: 3, column: 5 });
    expect(map.locate(parsed.body, ['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 5, column: 23 });
    expect(map.locate(parsed.body, ['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail', 'Fn::If', 1])).toEqual({ line: 5, column: 68 });
  });

  it('rejects duplicate keys, which JSON.parse would silently drop', () => {
    expect(failure('{"Resources": {"A": 1,\n "A": 2}}')).toMatchObject({ message: "duplicate key 'A'", line: 2, column: 2 });
  });

  it('reports truncated and malformed input with a position', () => {
    expect(failure('{"Resources": {"A": ')).toMatchObject({ message: 'unexpected end of file' });
    expect(failure('{"a": tru}')).toMatchObject({ message: expect.stringContaining('unexpected'), line: 1 });
    expect(failure('{"a": 1,}')).toMatchObject({ message: 'expected a key in double quotes', column: 9 });
    expect(failure('{"a": 01}').message).toContain('invalid number');
    expect(failure('{"a": 1} x').message).toContain('after the end');
    expect(failure('['.repeat(MAX_JSON_DEPTH + 1)).message).toContain('nesting');
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
