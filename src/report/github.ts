// GitHub Actions workflow commands: each line becomes an annotation on the file and line in the run and the PR diff.
// fail is `::error`, unknown `::error` (it fails the run by default) or `::warning` under `--unknown warn`,
// suppressed is `::notice` with its reason, an unreadable template is `::error`, a warning on the input (a duplicate
// key) `::warning`; pass and skip need no annotation and are only counted.
import { CODES } from '../codes';
import type { InputErrorRecord, InputWarningRecord, LintReport, TrailResult } from '../types';
import { describeDeployedBy, describeSummary, detailLines, relativePath, severityOf, type Severity, type UnknownMode } from './finding';

export function formatGithub(report: LintReport, ctx: { cwd: string; unknownMode?: UnknownMode }): string {
  const lines: string[] = [];
  for (const result of report.results) {
    const severity = severityOf(result, ctx.unknownMode ?? 'fail');
    if (severity) lines.push(annotateResult(result, severity, ctx.cwd));
  }
  for (const error of report.errors) lines.push(annotateInputError(error, ctx.cwd));
  for (const warning of report.warnings) lines.push(annotateInputWarning(warning, ctx.cwd));
  lines.push(`${report.tool.name}: ${describeSummary(report.summary)}`);
  return `${lines.join('\n')}\n`;
}

function annotateResult(result: TrailResult, severity: Severity, cwd: string): string {
  return workflowCommand(
    severity,
    { file: relativePath(result.file, cwd), line: result.line, col: result.column, title: `${result.ruleId} (${result.status}): ${result.logicalId}${result.deployedBy?.length ? ` deployed by ${describeDeployedBy(result)}` : ''}` },
    [result.message, ...detailLines(result)].join('\n'),
  );
}

/** Titled with the code and what it means: `cfn-trail-lint E1003: Unknown YAML tag`. */
function annotateInputError(error: InputErrorRecord, cwd: string): string {
  return workflowCommand('error', { file: relativePath(error.file, cwd), line: error.line, col: error.column, title: `cfn-trail-lint ${error.code}: ${CODES[error.code].title}` }, error.message);
}

function annotateInputWarning(warning: InputWarningRecord, cwd: string): string {
  return workflowCommand('warning', { file: relativePath(warning.file, cwd), line: warning.line, col: warning.column, title: `cfn-trail-lint ${warning.code}: ${CODES[warning.code].title}` }, warning.message);
}

function workflowCommand(command: string, properties: Record<string, string | number | undefined>, message: string): string {
  const list = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${command} ${list}::${escapeData(message)}`;
}

// The runner decodes these percent escapes (actions/toolkit, command.ts); anything else is literal.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
