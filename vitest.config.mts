import { configDefaults, defineConfig } from 'vitest/config';

// Two projects: `unit` (npm run test:unit, the inner loop) and `slow`, the suites that start real tools or
// chew on large inputs. `npm test` runs both. Each test file belongs to exactly one of them.
const SLOW = [
  'test/cdk/cdk-cli.test.ts', // the real `cdk` CLI synthesizing apps
  'test/cdk/cdk-versions.test.ts', // installs the minimum aws-cdk-lib from npm, type-checks the README on it and the newest
  'test/cdk/module-resolution.test.ts', // packs the package, type-checks a consumer (all of aws-cdk-lib) six ways
  'test/hostile/hostile.test.ts', // 50 MB, /dev/zero and other hostile inputs to the real binary
  'test/hostile/untrusted.test.ts', // links, FIFOs, devices, a 60 MB template and 10,001 files, to the real binary
  'test/properties/differential.test.ts', // cfn-guard run on hundreds of generated templates
  'test/pipeline/**/*.test.ts', // pack the package, then run CI commands with it
  'test/attack/**/*.test.ts', // what attacks on #17 found: CDK apps synthesized and the built binary on hostile checkouts
  'test/rules/throwaway-rule.test.ts', // copies and builds the project with a new rule, then runs its CLI and a CDK synth
];

const shared = { testTimeout: 60_000, hookTimeout: 300_000 };

export default defineConfig({
  test: {
    // Builds dist/ (tsc and the CLI bundle) once per run, whichever projects run: see test/global-setup.ts.
    globalSetup: ['test/global-setup.ts'],
    projects: [
      // isolate: false — a worker reuses the modules it has loaded (aws-cdk-lib above all) for its next file: about
      // a third less CPU. Safe while no test mocks modules or changes globals; none does.
      { test: { ...shared, name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...SLOW], isolate: false } },
      { test: { ...shared, name: 'slow', include: SLOW } },
    ],
  },
});
