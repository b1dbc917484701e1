// The pre-commit hook installed the way pre-commit installs it, from this repository: `pre-commit try-repo <repo>
// cfn-trail-lint --files <template>`. Slow: each try-repo installs the hook afresh, and pre-commit 3 runs
// `npm install` of every devDependency in its clone (1.5–3 minutes here), pre-commit 4 `npm install --global
// git+file://…` (~20 s). Run with each pre-commit found:
// - Debian's package (`apt-get install pre-commit`, 3.0.4 on bookworm): /usr/bin/pre-commit;
// - the current release from PyPI, in a virtual environment: test/.tmp/pre-commit-venv (.ci/run makes it), or the
//   executables named in CFN_TRAIL_LINT_PRE_COMMIT (colon-separated).
// Both need npm to reach the registry or find the packages in its cache, as any install from git does.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const CANDIDATES = process.env.CFN_TRAIL_LINT_PRE_COMMIT?.split(':').filter(Boolean) ?? [
  '/usr/bin/pre-commit',
  path.join(ROOT, 'test/.tmp/pre-commit-venv/bin/pre-commit'),
];

function versionOf(executable: string): string | undefined {
  const run = spawnSync(executable, ['--version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

let workDir: string;

beforeAll(() => {
  fs.mkdirSync(path.join(ROOT, 'test', '.tmp'), { recursive: true });
  workDir = fs.mkdtempSync(path.join(ROOT, 'test', '.tmp', 'try-repo-'));
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** A repository of a team that adopts the hook: one regional and one multi-Region trail, a vendored template its config excludes. */
function makeUserRepo(name: string): string {
  const repo = path.join(workDir, name);
  fs.mkdirSync(path.join(repo, 'vendor'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'templates/noncompliant/regional.yaml'), path.join(repo, 'regional.yaml'));
  fs.copyFileSync(path.join(ROOT, 'templates/compliant/multi-region.yaml'), path.join(repo, 'multi-region.yaml'));
  fs.copyFileSync(path.join(ROOT, 'templates/noncompliant/literal-false.yaml'), path.join(repo, 'vendor/theirs.yaml'));
  fs.writeFileSync(path.join(repo, '.cfn-trail-lint.yaml'), 'exclude: ["vendor/**"]\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'templates');
  return repo;
}

describe.each(CANDIDATES)('pre-commit try-repo with %s', (executable) => {
  const version = versionOf(executable);
  const label = version ?? `not installed: ${executable} (apt-get install pre-commit, or pip install pre-commit into test/.tmp/pre-commit-venv)`;

  it.skipIf(version === undefined)(`installs the hook and gates a commit (${label})`, () => {
    const repo = makeUserRepo(path.basename(path.dirname(path.dirname(executable))) || 'usr');
    // Its own pre-commit home: a fresh machine, whose hook environments are built from this repository.
    const env = { ...process.env, PRE_COMMIT_HOME: path.join(repo, '.pre-commit-home'), NO_COLOR: '1' };
    const tryRepo = (...files: string[]) => spawnSync(executable, ['try-repo', ROOT, 'cfn-trail-lint', '--files', ...files], { cwd: repo, env, encoding: 'utf8' });

    const failing = tryRepo('regional.yaml', 'multi-region.yaml', 'vendor/theirs.yaml');
    expect(failing.stdout + failing.stderr).toContain('regional.yaml:9:7: fail CLOUDTRAIL_MULTI_REGION_ENABLED');
    expect(failing.stdout).toMatch(/^multi-region\.yaml:\d+:\d+: pass /m);
    expect(failing.stdout).not.toContain('vendor/theirs.yaml'); // the repository's .cfn-trail-lint.yaml excludes it
    expect(failing.status).toBe(1);

    // A second install for the passing commit: too slow for pre-commit 3, whose one run above shows the pass too.
    if (version!.startsWith('pre-commit 3.')) return;
    const passing = tryRepo('multi-region.yaml');
    expect(passing.status, passing.stdout + passing.stderr).toBe(0);
    expect(passing.stdout).toMatch(/cfn-trail-lint\.+Passed/);
  }, 600_000);
});
