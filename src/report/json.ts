import type { LintReport } from '../types';

/** SPEC §4's document, exactly: other tools parse it. */
export function formatJson(report: LintReport): string {
  const { tool, results, errors, summary } = report;
  return `${JSON.stringify({ tool, results, errors, summary }, null, 2)}\n`;
}
