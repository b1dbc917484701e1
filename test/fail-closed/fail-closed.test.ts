// Fail closed (SPEC §7): whatever a run is given and cannot see through is an input error or `unknown`, never a
// silent skip. Each block is one way a pull request could hide a regional trail, with real template fixtures.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/lint';

const cwd = path.join(__dirname, 'fixtures');
const here = (...names: string[]) => path.join(cwd, ...names);

describe('a file with a template extension that does not parse', () => {
  const broken = ['parse-failures/minified.json', 'parse-failures/quoted-keys.yaml', 'parse-failures/stream-with-template.yaml'];

  it('is an input error in a folder, whatever its text looks like', () => {
    const report = lintPaths([here('parse-failures')], { cwd });
    expect(report.errors.map((error) => error.file)).toEqual(broken);
    expect(report.errors[1]).toMatchObject({ line: 5, column: 2 });
  });

  it('is an input error under --skip-non-templates too; files plainly something else are skipped', () => {
    const named = fs.readdirSync(here('parse-failures')).map((name) => here('parse-failures', name));
    const report = lintPaths(named, { cwd, skipNonTemplates: true });
    // package.json and tsconfig.json (known names), a Kubernetes stream and a YAML file without Resources are skipped.
    expect(report.errors.map((error) => error.file)).toEqual(broken);
    expect(report.results).toEqual([]);
  });
});
