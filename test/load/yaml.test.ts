import { describe, expect, it } from 'vitest';
import { yamlParse } from 'yaml-cfn';
import { MAX_YAML_ALIASES, MAX_YAML_DEPTH, parseYaml, parseYamlWithJsYaml } from '../../src/load/yaml';
import { parseFailure } from './parse-failure';
import { SourceMap } from '../../src/load/positions';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  # a comment before the resource
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      "IsMultiRegionTrail":   !If
        - IsProd
        - true
        - false
      Tags: [{Key: a, Value: !Sub '\${AWS::Region}'}]
`;

function locate(text: string, path: (string | number)[]) {
  const parsed = parseYaml(text);
  return new SourceMap(text, parsed.nodes, parsed.expand).locate(parsed.body, path);
}

const failure = (text: string) => parseFailure(parseYaml, text);

describe('parseYaml', () => {
  it('reads short-form tags as their long forms, exactly as yaml-cfn does', () => {
    const tags = `A: !Ref X
B: !GetAtt Res.Arn.Sub
C: !GetAtt [Res, Arn]
D: !Sub 'a-\${X}'
E: !If [C, 1, 2]
F: !Equals [a, b]
G: !And [!Condition C, !Not [!Condition D]]
H: !Or [!Condition C, !Condition D]
I: !FindInMap [M, K, L]
J: !Select [0, !Split [',', 'a,b']]
K: !Join ['-', [a, b]]
L: !Base64 abc
M: !Cidr [10.0.0.0/16, 2, 8]
N: !GetAZs ''
O: !ImportValue Exported
P: !Transform {Name: M, Parameters: {}}
`;
    expect(parseYaml(tags).body).toEqual(yamlParse(tags));
  });

  it('reads the AWS::LanguageExtensions tags', () => {
    const { body } = parseYaml('A: !Length [1, 2]\nB: !ToJsonString {a: 1}\nC: !ForEach [X, [a], {}]\n');
    expect(body).toEqual({ A: { 'Fn::Length': [1, 2] }, B: { 'Fn::ToJsonString': { a: 1 } }, C: { 'Fn::ForEach': ['X', ['a'], {}] } });
  });

  it('locates keys, quoted keys, tagged values and sequence items, skipping comments', () => {
    expect(locate(TEMPLATE, ['Resources', 'Trail'])).toEqual({ line: 6, column: 3 });
    expect(locate(TEMPLATE, ['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 9, column: 7 });
    expect(locate(TEMPLATE, ['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail', 'Fn::If', 2])).toEqual({ line: 12, column: 11 });
    expect(locate(TEMPLATE, ['Conditions', 'IsProd', 'Fn::Equals', 1])).toEqual({ line: 3, column: 30 });
    expect(locate(TEMPLATE, ['Resources', 'Trail', 'Properties', 'Tags', 0, 'Value'])).toEqual({ line: 13, column: 23 });
  });

  it('locates a missing key at its nearest existing ancestor', () => {
    expect(locate(TEMPLATE, ['Resources', 'Trail', 'Properties', 'S3BucketName'])).toEqual({ line: 8, column: 5 });
  });

  it('rejects unknown tags with their position', () => {
    expect(failure('Resources:\n  A: !Foo x\n')).toMatchObject({ code: 'E1003', message: expect.stringContaining('!Foo'), line: 2 });
  });

  it('stops at hostile nesting and alias bombs instead of exhausting memory', () => {
    expect(failure('['.repeat(MAX_YAML_DEPTH + 5)).code).toBe('E3005');
    const laughs = ['a: &a [x, x]'];
    for (let i = 0; i < 14; i++) laughs.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    expect(() => parseYaml(laughs.join('\n'))).not.toThrow(); // 28 aliases: shared, not copied
    const many = ['a: &a x', `b: [${Array(MAX_YAML_ALIASES + 1).fill('*a').join(', ')}]`].join('\n');
    expect(failure(many.replace('&a x', '&a [x]')).code).toBe('E3005');
  });
});

describe('positions inside resources, read again on demand', () => {
  it('locates inside a block-style resource and inside a flow-style Resources mapping alike', () => {
    const block = 'Resources:\n  A:\n    Type: X\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsMultiRegionTrail: false\nOutputs: {}\n';
    expect(locate(block, ['Resources', 'T', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 7, column: 7 });
    const flow = 'Resources: {T: {Type: AWS::CloudTrail::Trail, Properties: {IsMultiRegionTrail: false}}, B: {Type: X}}\n';
    expect(locate(flow, ['Resources', 'T', 'Properties', 'IsMultiRegionTrail'])).toEqual({ line: 1, column: 60 });
  });

  it('indexes resources of the types asked for up front, in both readers, so that no second read is needed', () => {
    const text = `Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties: {BucketName: logs}
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsMultiRegionTrail: !If [IsProd, true, false]
  Late:
    Properties:
      IsMultiRegionTrail: false
    Type: AWS::CloudTrail::Trail
`;
    for (const read of [parseYaml, parseYamlWithJsYaml]) {
      const { body, nodes } = read(text, 0, false, new Set(['AWS::CloudTrail::Trail']));
      const resources = (body as { Resources: Record<string, { Properties: Record<string, unknown> }> }).Resources;
      expect(nodes.get(resources.Trail.Properties), read.name).toBeDefined();
      expect(nodes.get(resources.Trail.Properties.IsMultiRegionTrail as object), read.name).toBeDefined();
      expect(nodes.get(resources.Logs.Properties), read.name).toBeUndefined();
      expect(nodes.get(resources.Late.Properties), `${read.name}: Type comes last, left to expand`).toBeUndefined();
      // Without expand: the position comes from the first reading.
      expect(new SourceMap(text, nodes).locate(body, ['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail', 'Fn::If', 2])).toEqual({ line: 8, column: 46 });
    }
  });
});
