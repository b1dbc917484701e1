// A nested template deployed by two parents is two instances: every format tells them apart.
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/report';
import type { LintReport, TrailResult } from '../../src/types';

const result = (parent: string): TrailResult => ({
  ruleId: 'CLOUDTRAIL_MULTI_REGION_ENABLED',
  status: 'fail',
  file: 'child.yaml',
  logicalId: 'ChildTrail',
  line: 9,
  column: 7,
  message: 'CloudTrail trail ChildTrail logs only its home Region: IsMultiRegionTrail is "false"',
  deployedBy: [{ file: 'parent.yaml', logicalId: parent }],
});

const REPORT: LintReport = {
  tool: { name: 'cfn-trail-lint', version: '1.0.0' },
  results: [result('A'), result('B')],
  errors: [],
  warnings: [],
  summary: { pass: 0, fail: 2, unknown: 0, skip: 0, suppressed: 0, errors: 0 },
};

describe('a nested template deployed twice', () => {
  it('has two SARIF fingerprints, two JUnit test cases, two GitHub titles and two text lines', () => {
    const sarif = JSON.parse(formatReport(REPORT, 'sarif', { color: false, cwd: '/tmp' }));
    const fingerprints = sarif.runs[0].results.map((entry: { partialFingerprints: Record<string, string> }) => Object.values(entry.partialFingerprints)[0]);
    expect(new Set(fingerprints).size).toBe(2);
    const junit = formatReport(REPORT, 'junit', { color: false, cwd: '/tmp' });
    expect(junit).toContain('deployed by parent.yaml (A)');
    expect(junit).toContain('deployed by parent.yaml (B)');
    const github = formatReport(REPORT, 'github', { color: false, cwd: '/tmp' });
    expect(github).toMatch(/title=[^:]*ChildTrail deployed by parent.yaml \(A\)/);
    expect(github).toMatch(/title=[^:]*ChildTrail deployed by parent.yaml \(B\)/);
    const text = formatReport(REPORT, 'text', { color: false, cwd: '/tmp' });
    expect(text).toContain('deployed by: parent.yaml (A)');
    expect(text).toContain('deployed by: parent.yaml (B)');
    const json = JSON.parse(formatReport(REPORT, 'json', { color: false, cwd: '/tmp' }));
    expect(json.results.map((entry: TrailResult) => entry.deployedBy?.[0].logicalId)).toEqual(['A', 'B']);
  });
});
