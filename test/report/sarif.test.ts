import { describe, expect, it } from 'vitest';
import { ALL_RULES, RULES } from '../../rules';
import { CODES } from '../../src/codes';
import { formatSarif } from '../../src/report/sarif';
import type { LintReport, TrailResult } from '../../src/types';
import { SAMPLE_CWD, SAMPLE_REPORT } from './sample-report';
import { validateSarif } from './sarif-schema';

function sarifOf(report: LintReport) {
  return JSON.parse(formatSarif(report, { cwd: SAMPLE_CWD }));
}

function reportWith(results: TrailResult[]): LintReport {
  return { ...SAMPLE_REPORT, results, errors: [], warnings: [] };
}

describe('formatSarif', () => {
  it('matches the golden output for the sample report', async () => {
    await expect(formatSarif(SAMPLE_REPORT, { cwd: SAMPLE_CWD })).toMatchFileSnapshot('golden/sample.sarif.json');
  });

  it('is valid against the SARIF 2.1.0 schema, also with no results and no errors', () => {
    for (const report of [SAMPLE_REPORT, reportWith([])]) {
      const valid = validateSarif(sarifOf(report));
      expect(validateSarif.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('the schema check rejects a log that breaks it', () => {
    const log = sarifOf(SAMPLE_REPORT);
    log.runs[0].results[0].level = 'fatal';
    expect(validateSarif(log)).toBe(false);
  });

  it('declares every rule from rules/ with its metadata', () => {
    const { driver } = sarifOf(SAMPLE_REPORT).runs[0].tool;
    expect(driver.name).toBe('cfn-trail-lint');
    expect(driver.version).toBe(SAMPLE_REPORT.tool.version);
    expect(driver.rules.map((descriptor: { id: string }) => descriptor.id)).toEqual(ALL_RULES.map((rule) => rule.id));
    const [rule] = RULES;
    const [descriptor] = driver.rules;
    expect(descriptor.shortDescription.text).toBe(rule.title);
    expect(descriptor.fullDescription.text).toBe(rule.description);
    expect(descriptor.helpUri).toBe(rule.docsUrl);
    expect(descriptor.defaultConfiguration.level).toBe('error');
    expect(descriptor.properties.tags).toEqual(['security', ...rule.aliases, ...rule.frameworks]);
    expect(Number(descriptor.properties['security-severity'])).toBeGreaterThanOrEqual(7);
    for (const remedy of Object.values(rule.remediation)) {
      expect(descriptor.help.text).toContain(remedy);
      expect(descriptor.help.markdown).toContain(remedy);
    }
  });

  it('emits fail, unknown and suppressed results only; pass and skip are counted in the run summary', () => {
    const run = sarifOf(SAMPLE_REPORT).runs[0];
    expect(run.results.map((result: { properties: { status: string } }) => result.properties.status)).toEqual(['fail', 'unknown', 'suppressed']);
    // The level says what the exit code says: unknown fails the run by default.
    expect(run.results.map((result: { level: string }) => result.level)).toEqual(['error', 'error', 'note']);
    expect(run.properties.summary).toEqual(SAMPLE_REPORT.summary);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });

  it('makes unknown a warning under --unknown warn', () => {
    const run = JSON.parse(formatSarif(SAMPLE_REPORT, { cwd: SAMPLE_CWD, unknownMode: 'warn' })).runs[0];
    expect(run.results.map((result: { level: string }) => result.level)).toEqual(['error', 'warning', 'note']);
  });

  it('marks a suppressed result as suppressed in source and accepted (GitHub closes it: no alert), with its reason', () => {
    const suppressed = sarifOf(SAMPLE_REPORT).runs[0].results[2];
    expect(suppressed.suppressions).toEqual([
      {
        kind: 'inSource',
        state: 'accepted',
        justification: 'Regional data-event trail; the organization trail covers all Regions',
        properties: { id: 'CKV_AWS_67', source: 'checkov' },
      },
    ]);
    expect(suppressed.locations[0].logicalLocations).toEqual([
      { name: 'DataEventsTrail1A2B3C4D', fullyQualifiedName: 'Prod/Audit/DataEventsTrail/Resource', kind: 'resource' },
    ]);
  });

  it('locates results by a forward-slash URI relative to cwd, and by line and column', () => {
    const locations = sarifOf(SAMPLE_REPORT).runs[0].results.map((result: { locations: unknown[] }) => result.locations[0]);
    expect(locations.map((location: { physicalLocation: { artifactLocation: { uri: string } } }) => location.physicalLocation.artifactLocation.uri)).toEqual([
      'templates/noncompliant/regional.yaml',
      'templates/unknown/ssm%20parameter.yaml',
      'cdk.out/assembly-Prod/ProdAudit.template.json',
    ]);
    expect(locations[0].physicalLocation.region).toEqual({ startLine: 9, startColumn: 7 });
  });

  it('reports input errors and warnings as tool execution notifications, and the run as unsuccessful', () => {
    const [invocation] = sarifOf(SAMPLE_REPORT).runs[0].invocations;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toHaveLength(SAMPLE_REPORT.errors.length + SAMPLE_REPORT.warnings.length);
    expect(invocation.toolExecutionNotifications.map((notification: { level: string }) => notification.level)).toEqual(['error', 'warning']);
    expect(invocation.toolExecutionNotifications[0].locations[0].physicalLocation.region).toEqual({ startLine: 5, startColumn: 27 });
  });

  it('names each notification by its code, described in the driver as the rules are', () => {
    const [run] = sarifOf(SAMPLE_REPORT).runs;
    expect(run.invocations[0].toolExecutionNotifications.map((notification: { descriptor: { id: string } }) => notification.descriptor.id)).toEqual(['E1003', 'W1001']);
    expect(run.tool.driver.notifications).toEqual([
      expect.objectContaining({ id: 'E1003', shortDescription: { text: CODES.E1003.title } }),
      expect.objectContaining({ id: 'W1001', defaultConfiguration: { level: 'warning' } }),
    ]);
    expect(sarifOf(reportWith(SAMPLE_REPORT.results)).runs[0].tool.driver.notifications).toBeUndefined();
  });

  it('keeps a finding fingerprint when the trail moves, and not when the trail or the file changes', () => {
    const [fail] = SAMPLE_REPORT.results;
    const fingerprintOf = (result: TrailResult) => sarifOf(reportWith([result])).runs[0].results[0].partialFingerprints;
    const original = fingerprintOf(fail);
    expect(fingerprintOf({ ...fail, line: 40, column: 3 })).toEqual(original);
    expect(fingerprintOf({ ...fail, logicalId: 'OtherTrail' })).not.toEqual(original);
    expect(fingerprintOf({ ...fail, file: 'templates/other.yaml' })).not.toEqual(original);
  });
});
