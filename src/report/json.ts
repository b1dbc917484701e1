import type { LintReport } from '../types';
import { escapeJsonControls } from './escape';

/** The report's own fields, no more and no fewer: scripts parse this document, so its shape is a public contract. */
export function formatJson(report: LintReport): string {
  const { tool, results, errors, summary } = report;
  return `${escapeJsonControls(JSON.stringify({ tool, results, errors, summary }, null, 2))}\n`;
}
