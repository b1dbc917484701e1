import { describe, expect, it } from 'vitest';
import { formatGithub } from '../../src/report/github';
import type { LintReport } from '../../src/types';
import { SAMPLE_CWD, SAMPLE_REPORT } from './sample-report';

interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/** Reads a workflow command back the way the Actions runner does: split at the first `::` after the name, unescape. */
function parseCommand(line: string): WorkflowCommand | undefined {
  const match = /^::(\w+) ([^]*?)::([^]*)$/.exec(line);
  if (!match) return undefined;
  const unescape = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties = Object.fromEntries(
    match[2].split(',').map((pair) => {
      const [name, value] = pair.split('=', 2);
      return [name, unescape(value)];
    }),
  );
  return { command: match[1], properties, message: unescape(match[3]) };
}

function linesOf(report: LintReport): string[] {
  return formatGithub(report, { cwd: SAMPLE_CWD }).trimEnd().split('\n');
}

describe('formatGithub', () => {
  it('matches the golden output for the sample report', async () => {
    await expect(formatGithub(SAMPLE_REPORT, { cwd: SAMPLE_CWD })).toMatchFileSnapshot('golden/sample.github.txt');
  });

  it('annotates fail and unknown as errors, suppressed as a notice, input errors as errors, input warnings as warnings; pass and skip not at all', () => {
    const commands = linesOf(SAMPLE_REPORT).map(parseCommand);
    expect(commands.map((command) => command?.command)).toEqual(['error', 'error', 'notice', 'error', 'warning', undefined]);
    expect(commands.map((command) => command?.properties.file)).toEqual([
      'templates/noncompliant/regional.yaml',
      'templates/unknown/ssm parameter.yaml',
      'cdk.out/assembly-Prod/ProdAudit.template.json',
      'templates/broken.yaml',
      'templates/noncompliant/regional.yaml',
      undefined,
    ]);
    expect(commands[3]?.properties).toMatchObject({ line: '5', col: '27', title: 'cfn-trail-lint E1003: Unknown YAML tag' });
    expect(commands[4]?.properties).toMatchObject({ line: '12', col: '5', title: 'cfn-trail-lint W1001: Duplicate key' });
    expect(commands[0]?.properties).toMatchObject({ line: '9', col: '7', title: 'CLOUDTRAIL_MULTI_REGION_ENABLED (fail): RegionalTrail' });
  });

  it('ends with a summary line with the json counts', () => {
    expect(linesOf(SAMPLE_REPORT).at(-1)).toBe('cfn-trail-lint: 1 fail, 1 unknown, 1 suppressed, 1 pass, 1 skip, 1 input error');
  });

  it('carries the reasons in the message, and the suppression reason on the notice', () => {
    const [fail, , suppressed] = linesOf(SAMPLE_REPORT).map(parseCommand);
    expect(fail?.message.split('\n')).toEqual([
      SAMPLE_REPORT.results[0].message,
      'when: Environment=dev',
      'because:',
      '  IsMultiRegionTrail: !If [IsProd, true, false] (line 9)',
      '  IsProd: !Equals [!Ref Environment, prod] (line 4)',
      '  Environment: no Default; AllowedValues [dev, prod] (line 2)',
      'fix: Set IsMultiRegionTrail: true',
    ]);
    expect(suppressed?.message).toContain('suppressed (CKV_AWS_67, checkov): Regional data-event trail; the organization trail covers all Regions');
  });

  it('escapes %, CR and LF in messages, and also : and , in properties, so that every finding stays one command', () => {
    const message = '100% sure\r\nsecond line, with: colons';
    const report: LintReport = {
      ...SAMPLE_REPORT,
      results: [{ ...SAMPLE_REPORT.results[0], file: 'dir,with:odd/template.yaml', logicalId: 'A,B', message, because: [], when: {}, fix: undefined }],
      errors: [],
      warnings: [],
    };
    const lines = linesOf(report);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      '::error file=dir%2Cwith%3Aodd/template.yaml,line=9,col=7,title=CLOUDTRAIL_MULTI_REGION_ENABLED (fail)%3A A%2CB::100%25 sure%0D%0Asecond line, with: colons',
    );
    expect(parseCommand(lines[0])).toEqual({
      command: 'error',
      properties: { file: 'dir,with:odd/template.yaml', line: '9', col: '7', title: 'CLOUDTRAIL_MULTI_REGION_ENABLED (fail): A,B' },
      message,
    });
  });
});
