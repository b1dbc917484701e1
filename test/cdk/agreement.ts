import type { App } from 'aws-cdk-lib';
import { expect } from 'vitest';
import { MultiRegionTrailError, type MultiRegionTrailAspectOptions } from '../../src/cdk';
import { aspectLintOptions, warnsOnUnknown } from '../../src/cdk/aspect';
import { lintConstructTree } from '../../src/cdk/construct-sources';
import { lintPaths } from '../../src/lint';
import { readParametersFile } from '../../src/load/parameters-file';
import { mergeParameters } from '../../src/parameters';
import type { LintOptions, TrailResult } from '../../src/types';

// One stack, two doors, same view (issue #20.5): every app these tests synthesize is judged by the Aspect and by
// `cfn-trail-lint cdk.out` on the assembly the same app writes, and both must give the same verdicts at the same
// locations.

/** Where a verdict is, as both doors name it, and what it is. A nested stack's name ends in CDK's hash: shown as '#'. */
export function verdictKey(result: TrailResult): string {
  const stack = result.stack?.replace(/[0-9A-F]{8}$/, '#');
  return `${stack} ${result.constructPath ?? '-'} ${result.logicalId} ${result.status} ${JSON.stringify(result.when ?? {})}`;
}

/**
 * Synthesizes `app` (whose Aspect was made with `options`) and returns the Aspect's error, or undefined when the
 * synthesis passed; on the way, asserts that the command line agrees on the assembly of the same app.
 */
export function synthAndCompare(app: App, options: MultiRegionTrailAspectOptions = {}): MultiRegionTrailError | undefined {
  let failure: MultiRegionTrailError | undefined;
  try {
    app.synth();
  } catch (error) {
    if (!(error instanceof MultiRegionTrailError)) throw error;
    failure = error;
  }
  // A failed validation writes no assembly: write it now, as `cdk synth` would without the Aspect.
  if (failure) app.synth({ force: true, skipValidation: true });
  const viaAspect = lintConstructTree(app, aspectLintOptions(options));
  const viaCli = lintPaths([app.outdir], cliLintOptions(options));
  expect(viaAspect.findings.map((finding) => verdictKey(finding.result)).sort(), 'the Aspect and the CLI on cdk.out disagree').toEqual(viaCli.results.map(verdictKey).sort());
  expect(viaAspect.errors.length > 0, 'one door found an input error, the other did not').toBe(viaCli.errors.length > 0);
  // …and the Aspect fails on exactly what the CLI fails on (or cannot decide, unless told to warn).
  const failing = viaCli.results.filter((result) => result.status === 'fail' || (result.status === 'unknown' && !warnsOnUnknown(options.unknown)));
  expect((failure?.results ?? []).map(verdictKey).sort()).toEqual(failing.map(verdictKey).sort());
  return failure;
}

/** What `cfn-trail-lint cdk.out` takes for the Aspect's options: `--strict`, `--rule`, `--parameters-file`, `--parameters`. */
function cliLintOptions(options: MultiRegionTrailAspectOptions): LintOptions {
  const fromFile = options.parametersFile === undefined ? { values: {}, previous: [] } : readParametersFile(options.parametersFile);
  const given = mergeParameters(fromFile, { values: options.parameters ?? {}, previous: [] });
  const parameters = options.parameters || options.parametersFile ? given.values : undefined;
  return { strict: options.strict, parameters, previousParameters: given.previous, ...(options.rules && { rules: [...options.rules] }) };
}
