import type { LintReport } from '../types';
import type { UnknownMode } from './finding';
import { formatGithub } from './github';
import { formatJson } from './json';
import { formatJunit } from './junit';
import { formatSarif } from './sarif';
import { formatText } from './text';

export interface FormatContext {
  /** ANSI colour (text format only). */
  color: boolean;
  /** Paths in reports are relative to this directory. */
  cwd: string;
  /** `--unknown`: under `warn`, every format reports an `unknown` verdict as a warning (default `fail`). */
  unknownMode?: UnknownMode;
}

/** Every format is a pure function of the report. */
const FORMATTERS = {
  text: (report: LintReport, ctx: FormatContext) => formatText(report, ctx),
  json: (report: LintReport) => formatJson(report),
  sarif: (report: LintReport, ctx: FormatContext) => formatSarif(report, ctx),
  junit: (report: LintReport, ctx: FormatContext) => formatJunit(report, ctx),
  github: (report: LintReport, ctx: FormatContext) => formatGithub(report, ctx),
};

export type Format = keyof typeof FORMATTERS;
export const FORMATS = Object.keys(FORMATTERS) as Format[];

export function formatReport(report: LintReport, format: Format, ctx: FormatContext): string {
  return FORMATTERS[format](report, ctx);
}
