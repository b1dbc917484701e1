// What the sarif, junit and github formats say the same way about one result.
import * as path from 'node:path';
import type { Summary, TrailResult } from '../types';

/** `--unknown`: whether an `unknown` verdict fails the run (the default) or is a warning. */
export type UnknownMode = 'fail' | 'warn';

/** How loud a result is, in the words every format shares; pass and skip are only counted. */
export type Severity = 'error' | 'warning' | 'notice';

/**
 * What the exit code makes of a result: `fail` is an error, `unknown` an error or, under `--unknown warn`, a
 * warning, `suppressed` a notice. Every format says the same, so none shows red for a run that exits 0.
 */
export function severityOf(result: TrailResult, unknownMode: UnknownMode): Severity | undefined {
  switch (result.status) {
    case 'fail':
      return 'error';
    case 'unknown':
      return unknownMode === 'warn' ? 'warning' : 'error';
    case 'suppressed':
      return 'notice';
    default:
      return undefined;
  }
}

/** A result's file as a forward-slash path relative to `cwd`, as CI systems and SARIF viewers resolve it. */
export function relativePath(file: string, cwd: string): string {
  return path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/');
}

/** `{"Environment":"dev"}` → `Environment=dev`. */
export function describeWhen(when: Record<string, string>): string {
  return Object.entries(when)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

/** The lines under a finding's message: the suppression, the deciding deployment, the chain of reasons, the fix. */
export function detailLines(result: TrailResult): string[] {
  const lines: string[] = [];
  if (result.suppression) {
    const { id, reason, source } = result.suppression;
    lines.push(`suppressed (${id}, ${source}): ${reason}`);
  }
  if (result.when && Object.keys(result.when).length > 0) lines.push(`when: ${describeWhen(result.when)}`);
  if (result.because && result.because.length > 0) lines.push('because:', ...result.because.map((step) => `  ${step}`));
  if (result.fix && result.status !== 'pass' && result.status !== 'skip') lines.push(`fix: ${result.fix}`);
  return lines;
}

/** `2 fail, 1 unknown, 1 suppressed, 3 pass, 1 skip, 0 input errors` — the same counts as the json summary. */
export function describeSummary(summary: Summary): string {
  const errors = `${summary.errors} input error${summary.errors === 1 ? '' : 's'}`;
  return `${summary.fail} fail, ${summary.unknown} unknown, ${summary.suppressed} suppressed, ${summary.pass} pass, ${summary.skip} skip, ${errors}`;
}

/** `parent.yaml (Audit) › stacks/mid.yaml (Inner)`: the parents that deploy a nested template's instance. */
export function describeDeployedBy(result: TrailResult): string | undefined {
  if (!result.deployedBy || result.deployedBy.length === 0) return undefined;
  return result.deployedBy.map((parent) => `${parent.file} (${parent.logicalId})`).join(' › ');
}
