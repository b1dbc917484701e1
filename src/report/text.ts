import type { LintReport, Status } from '../types';
import { escapeControls as safe, guardLineStart } from './escape';
import { describeDeployedBy, describeSummary, detailLines, severityOf, type UnknownMode } from './finding';

const COLOURS: Record<Status | 'error' | 'warning', number> = { fail: 31, error: 31, warning: 33, unknown: 33, suppressed: 36, skip: 90, pass: 32 };

/**
 * One line per finding, `file:line:column: status ruleId message` (`error E1001 message` for an input error), its reasons indented beneath, then a
 * summary line. Passes and skips get a line each too, so a reader sees every trail was looked at.
 * Every string from the input has its control characters escaped, and no line can pass for a workflow command.
 */
export function formatText(report: LintReport, ctx: { color: boolean; unknownMode?: UnknownMode }): string {
  const paint = (kind: Status | 'error' | 'warning', text: string) => (ctx.color ? `\u001b[${COLOURS[kind]}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  for (const [kind, records] of [['error', report.errors], ['warning', report.warnings]] as const) {
    for (const record of records) {
      const where = record.line === undefined ? record.file : `${record.file}:${record.line}:${record.column}`;
      lines.push(`${safe(where)}: ${paint(kind, kind)} ${record.code} ${safe(record.message)}`);
    }
  }
  for (const result of report.results) {
    const where = `${result.file}:${result.line}:${result.column}`;
    const construct = result.constructPath ? ` [${result.constructPath}]` : '';
    // Under `--unknown warn` an unknown does not fail the run: the line says so.
    const label = severityOf(result, ctx.unknownMode ?? 'fail') === 'warning' ? `${result.status} (warning)` : result.status;
    lines.push(`${safe(where)}: ${paint(result.status, label)} ${result.ruleId} ${safe(result.message)}${safe(construct)}`);
    const deployedBy = describeDeployedBy(result);
    if (deployedBy !== undefined) lines.push(`    deployed by: ${safe(deployedBy)}`);
    if (result.status !== 'pass' && result.status !== 'skip') lines.push(...detailLines(result).map((line) => `    ${safe(line)}`));
  }
  lines.push(describeSummary(report.summary));
  return `${lines.map(guardLineStart).join('\n')}\n`;
}
