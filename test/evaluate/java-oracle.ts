// java.util.regex as an oracle for AllowedPattern, through test/evaluate/JavaPatternOracle.java. Used only
// where a JDK happens to be installed: the tests that need it are skipped otherwise (CI has none).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export interface JavaVerdict {
  /** False when Java refuses the pattern (PatternSyntaxException). */
  compiles: boolean;
  /** Per value: '1' matches, '0' does not, 'E' the match failed (e.g. a stack overflow). */
  results: string[];
}

const ORACLE = path.join(__dirname, 'JavaPatternOracle.java');

export function javaIsInstalled(): boolean {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return probe.status === 0;
}

function encode(text: string): string {
  const units: string[] = [];
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i).toString(16));
  return units.join('.');
}

/** How Java reads each pattern and whether it matches each value (the whole value, as String.matches). */
export function askJava(cases: ReadonlyArray<{ pattern: string; values: readonly string[] }>): JavaVerdict[] {
  const input = cases.map(({ pattern, values }) => [`P ${encode(pattern)}`, ...values.map((value) => `V ${encode(value)}`)].join('\n')).join('\n');
  const run = spawnSync('java', ['-Xss4m', ORACLE], { input: `${input}\n`, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`the Java oracle failed: ${run.stderr}`);
  const lines = run.stdout.split('\n');
  let line = 0;
  return cases.map(({ values }) => {
    const compiles = lines[line++] === 'ok';
    const results = values.map(() => lines[line++]);
    return { compiles, results };
  });
}
