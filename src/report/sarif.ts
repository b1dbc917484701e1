// SARIF 2.1.0, the format GitHub code scanning, Azure DevOps and IDE viewers read.
// Viewers show every result as a problem, so only fail, unknown and suppressed results are emitted;
// pass and skip are counted in the run's `properties.summary`.
import { ALL_RULES } from '../../rules';
import { CODES, type ErrorCode, type WarningCode } from '../codes';
import type { RuleMetadata } from '../rule';
import type { InputErrorRecord, InputWarningRecord, LintReport, Status, TrailResult } from '../types';
import { escapeJsonControls } from './escape';
import { detailLines, relativePath, severityOf, type Severity, type UnknownMode } from './finding';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://www.npmjs.com/package/cfn-trail-lint';
/** Versioned so that a change of what is hashed does not silently re-key every alert. */
const FINGERPRINT_KEY = 'cfnTrailLint/v1';

type Level = 'error' | 'warning' | 'note';

const LEVEL_OF_SEVERITY: Record<RuleMetadata['severity'], Level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub maps these scores to its Critical / High / Medium / Low labels (9.0+, 7.0+, 4.0+, above 0). */
const SECURITY_SEVERITY: Record<RuleMetadata['severity'], string> = {
  critical: '9.5',
  high: '7.5',
  medium: '5.5',
  low: '3.0',
};

type FindingStatus = Extract<Status, 'fail' | 'unknown' | 'suppressed'>;

/**
 * The level says what the exit code says: `fail` is an error, `unknown` an error unless `--unknown warn` makes it
 * a warning. A suppressed result is a note, and its `suppressions` entry is `accepted`: GitHub code scanning closes
 * a result whose suppression state is `accepted` (docs: "SARIF support for code scanning", `suppressions[].state`),
 * so a suppressed trail never opens an alert.
 */
const LEVEL_OF_SEVERITY_NAME: Record<Severity, Level> = { error: 'error', warning: 'warning', notice: 'note' };

function isFinding(result: TrailResult): result is TrailResult & { status: FindingStatus } {
  return result.status === 'fail' || result.status === 'unknown' || result.status === 'suppressed';
}

const REMEDIATION_LABELS: [keyof RuleMetadata['remediation'], string][] = [
  ['cloudformation', 'CloudFormation'],
  ['cdk', 'AWS CDK'],
  ['terraform', 'Terraform'],
  ['awsCli', 'AWS CLI'],
];

export function formatSarif(report: LintReport, ctx: { cwd: string; unknownMode?: UnknownMode }): string {
  const ruleIndex = new Map(ALL_RULES.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules: ALL_RULES.map(describeRule),
            // The codes this run's notifications carry, described as the rules are.
            ...(report.errors.length + report.warnings.length > 0 && {
              notifications: [...new Set([...report.errors, ...report.warnings].map((record) => record.code))].sort().map(describeCode),
            }),
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            // Warnings (what CloudFormation reads otherwise than it looks) beside the errors, at level warning.
            toolExecutionNotifications: [
              ...report.errors.map((error) => describeInputError(error, ctx.cwd, 'error')),
              ...report.warnings.map((warning) => describeInputError(warning, ctx.cwd, 'warning')),
            ],
          },
        ],
        // Columns are JavaScript string indices.
        columnKind: 'utf16CodeUnits',
        results: report.results
          .filter(isFinding)
          .map((result) => describeResult(result, ruleIndex.get(result.ruleId), ctx.cwd, ctx.unknownMode ?? 'fail')),
        properties: { summary: report.summary },
      },
    ],
  };
  return `${escapeJsonControls(JSON.stringify(log, null, 2))}\n`;
}

function describeCode(code: ErrorCode | WarningCode) {
  const level = code.startsWith('W') ? 'warning' : 'error';
  return { id: code, shortDescription: { text: CODES[code].title }, fullDescription: { text: CODES[code].action }, defaultConfiguration: { level } };
}

function describeRule(rule: RuleMetadata) {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    helpUri: rule.docsUrl,
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    defaultConfiguration: { level: LEVEL_OF_SEVERITY[rule.severity] },
    properties: {
      // GitHub treats a rule as a security rule, and shows its security-severity, only with the `security` tag.
      tags: ['security', ...rule.aliases, ...rule.frameworks],
      precision: 'very-high',
      'security-severity': SECURITY_SEVERITY[rule.severity],
    },
  };
}

function helpText(rule: RuleMetadata): string {
  return [
    rule.description,
    '',
    'Remediation:',
    ...REMEDIATION_LABELS.map(([key, label]) => `- ${label}: ${rule.remediation[key]}`),
    '',
    `Same control: ${rule.aliases.join(', ')}`,
  ].join('\n');
}

function helpMarkdown(rule: RuleMetadata): string {
  return [
    rule.description,
    '',
    '## Remediation',
    '',
    ...REMEDIATION_LABELS.map(([key, label]) => `- **${label}**: ${asMarkdown(key, rule.remediation[key])}`),
    '',
    `Same control: ${rule.aliases.map((alias) => `\`${alias}\``).join(', ')}`,
    '',
    `[Documentation](${rule.docsUrl})`,
  ].join('\n');
}

/** The AWS CLI remediation is a bare command; the others are prose that already marks its code. */
function asMarkdown(key: keyof RuleMetadata['remediation'], text: string): string {
  return key === 'awsCli' ? `\`${text}\`` : text;
}

function describeResult(result: TrailResult & { status: FindingStatus }, ruleIndex: number | undefined, cwd: string, unknownMode: UnknownMode) {
  const uri = toUri(relativePath(result.file, cwd));
  return {
    ruleId: result.ruleId,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: LEVEL_OF_SEVERITY_NAME[severityOf(result, unknownMode)!],
    message: { text: [result.message, ...detailLines(result)].join('\n') },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri },
          region: { startLine: result.line, startColumn: result.column },
        },
        logicalLocations: [
          {
            name: result.logicalId,
            fullyQualifiedName: result.constructPath ?? (result.stack ? `${result.stack}/${result.logicalId}` : result.logicalId),
            kind: 'resource',
          },
        ],
      },
    ],
    // Not the line: an alert must survive edits that move the trail within its template.
    // The parents that deploy a nested template tell its instances apart (one alert each).
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(result.ruleId, uri, result.logicalId, ...(result.deployedBy ?? []).flatMap((parent) => [parent.file, parent.logicalId])) },
    ...(result.suppression
      ? {
          suppressions: [
            {
              kind: 'inSource',
              state: 'accepted',
              justification: result.suppression.reason,
              properties: { id: result.suppression.id, source: result.suppression.source },
            },
          ],
        }
      : {}),
    properties: {
      status: result.status,
      ...(result.stack ? { stack: result.stack } : {}),
      ...(result.constructPath ? { constructPath: result.constructPath } : {}),
      ...(result.when ? { when: result.when } : {}),
      ...(result.because ? { because: result.because } : {}),
      ...(result.fix ? { fix: result.fix } : {}),
    },
  };
}

/** A notification: `descriptor.id` is the error's code, as a result's `ruleId` is its rule. */
function describeInputError(error: InputErrorRecord | InputWarningRecord, cwd: string, level: 'error' | 'warning') {
  return {
    level,
    descriptor: { id: error.code },
    message: { text: error.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(relativePath(error.file, cwd)) },
          ...(error.line === undefined ? {} : { region: { startLine: error.line, ...(error.column === undefined ? {} : { startColumn: error.column }) } }),
        },
      },
    ],
  };
}

function fingerprint(...parts: string[]): string {
  // Loaded here, not at start-up: every other format would pay for loading node:crypto.
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

/** A relative URI reference: each path segment percent-encoded (spaces, `#`, `%`, a `:` that would read as a scheme). */
function toUri(relative: string): string {
  return relative.split('/').map(encodeURIComponent).join('/');
}

function pascalCase(id: string): string {
  return id
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
