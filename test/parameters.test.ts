import { describe, expect, it } from 'vitest';
import { lintSources } from '../src/lint';
import { ParametersError, mergeParameters, parseParameterFlags, parametersFromDocument } from '../src/parameters';

describe('parameter values as the AWS CLI reads them', () => {
  it('reads Key=Value and the shorthand in either order', () => {
    expect(parseParameterFlags(['Env=prod', 'ParameterValue=false,ParameterKey=Multi', 'ParameterKey=Region,ParameterValue=a,b']).values).toEqual({
      Env: 'prod',
      Multi: 'false',
      Region: 'a,b',
    });
  });

  it('keeps UsePreviousValue apart: the value is the stack’s current one', () => {
    const given = parseParameterFlags(['ParameterKey=Multi,UsePreviousValue=true']);
    expect(given).toEqual({ values: {}, previous: ['Multi'] });
    expect(parametersFromDocument([{ ParameterKey: 'Multi', UsePreviousValue: true }], 'p.json')).toEqual({ values: {}, previous: ['Multi'] });
  });

  it('refuses what it cannot read, naming it', () => {
    const codeOf = (read: () => unknown) => {
      try {
        read();
      } catch (error) {
        if (error instanceof ParametersError) return error.code;
        throw error;
      }
      return undefined;
    };
    expect(codeOf(() => parseParameterFlags(['ParameterKey=Multi']))).toBe('E4002');
    expect(codeOf(() => parseParameterFlags(['ParameterKey=A,ParameterKey=B']))).toBe('E4002');
    expect(() => parseParameterFlags(['novalue'])).toThrow(/novalue/);
    expect(codeOf(() => parametersFromDocument([{ ParameterKey: 'A', ParameterValue: 'x', UsePreviousValue: true }], 'p.json'))).toBe('E4003');
  });

  it('takes names as data', () => {
    const given = parseParameterFlags(['__proto__=x', 'valueOf=true']);
    expect(Object.keys(given.values)).toEqual(['__proto__', 'valueOf']);
    expect(Object.getPrototypeOf(given.values)).toBe(Object.prototype);
    expect(parametersFromDocument(JSON.parse('{"__proto__": "x"}'), 'p.json').values).toEqual(JSON.parse('{"__proto__": "x"}'));
  });

  it('lets later values win', () => {
    const merged = mergeParameters(parseParameterFlags(['A=1', 'ParameterKey=B,UsePreviousValue=true']), parseParameterFlags(['B=2']));
    expect(merged).toEqual({ values: { A: '1', B: '2' }, previous: [] });
  });
});

const TEMPLATE = `Parameters:
  Multi: {Type: String, AllowedValues: ['true', 'false'], Default: 'true'}
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, S3BucketName: logs, IsMultiRegionTrail: !Ref Multi}
`;

describe('given values reach the engine as CloudFormation takes them', () => {
  const lint = (options: Parameters<typeof lintSources>[1]) => lintSources([{ file: '/tmp/t.yaml', text: TEMPLATE }], { cwd: '/tmp', ...options });

  it('a key no template declares is an input error (a misspelt key would let the Default decide)', () => {
    const report = lint({ parameters: { MultiRegion: 'false' } });
    expect(report.errors).toEqual([expect.objectContaining({ code: 'E4001', message: expect.stringContaining('parameter MultiRegion ') })]);
  });

  it('a value the parameter refuses is an input error', () => {
    const report = lint({ parameters: { Multi: 'yes' } });
    expect(report.errors.map((error) => [error.line, error.code])).toEqual([[2, 'E2102']]);
  });

  it('UsePreviousValue makes the value unknown, whatever the Default', () => {
    const report = lint({ previousParameters: ['Multi'] });
    expect(report.results.map((result) => result.status)).toEqual(['unknown']);
    expect(report.results[0].because?.join('\n')).toMatch(/UsePreviousValue/);
  });
});
