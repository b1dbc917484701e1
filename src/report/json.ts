import type { LintReport } from '../types';
import { escapeJsonControls } from './escape';

/**
 * The report's own fields, no more and no fewer (README, "In a pipeline": the `json` format, with the warnings beside the errors): scripts parse
 * this document, so its shape is a public contract.
 */
export function formatJson(report: LintReport): string {
  const { tool, results, errors, warnings, summary } = report;
  return `${escapeJsonControls(JSON.stringify({ tool, results, errors, warnings, summary }, null, 2))}\n`;
}
