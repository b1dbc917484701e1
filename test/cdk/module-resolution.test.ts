import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { consumerProject, typeCheck } from './consumer';

// `cfn-trail-lint/cdk` must type-check in every module setup CDK apps use: old CommonJS apps (no
// moduleResolution: TypeScript's node10), `"moduleResolution": "node"`, node16/nodenext, and bundlers.

const CONSUMER = `import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { MultiRegionTrailAspect, MultiRegionTrailError, MultiRegionTrailPlugin, acknowledge, acknowledgeByPath, checkStack } from 'cfn-trail-lint/cdk';
import { lintPaths } from 'cfn-trail-lint';

const app = new App({ policyValidationBeta1: [new MultiRegionTrailPlugin({ unknown: 'warn' })] });
Aspects.of(app).add(new MultiRegionTrailAspect({ unknown: 'fail', strict: true }));
const stack = new Stack(app, 'Audit');
acknowledge(new Trail(stack, 'Regional', { isMultiRegionTrail: false }), 'data events of one bucket');
acknowledgeByPath(stack, '/Audit/Regional', 'data events of one bucket');
try {
  checkStack(stack);
} catch (error) {
  if (error instanceof MultiRegionTrailError) console.log(error.results.map((result) => result.constructPath));
}
console.log(lintPaths(['cdk.out']).summary.fail);
`;

const SETUPS: [string, Record<string, unknown>, string][] = [
  ['node10 ("module": "commonjs", no moduleResolution)', { module: 'commonjs' }, 'app.ts'],
  ['node10 ("moduleResolution": "node")', { module: 'commonjs', moduleResolution: 'node' }, 'app.ts'],
  ['node16, a CommonJS file', { module: 'node16', moduleResolution: 'node16' }, 'app.ts'],
  ['node16, an ES module', { module: 'node16', moduleResolution: 'node16' }, 'app.mts'],
  ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }, 'app.mts'],
  ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, 'app.ts'],
];

describe('cfn-trail-lint/cdk type-checks for a consumer', () => {
  let dir: string;
  beforeAll(() => {
    dir = consumerProject(path.join(__dirname, '..', '.tmp', 'consumer-module-resolution'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    for (const file of ['app.ts', 'app.mts']) fs.writeFileSync(path.join(dir, file), CONSUMER);
  });

  // The first setup parses aws-cdk-lib's declarations (tens of seconds on a small machine); the others reuse them.
  it.each(SETUPS)('under %s', { timeout: 180_000 }, (_name, setup, file) => {
    const options = { target: 'ES2022', strict: true, skipLibCheck: true, types: ['node'], ...setup };
    expect(typeCheck([path.join(dir, file)], options)).toEqual([]);
  });

  // Once with skipLibCheck false (CDK's app template leaves it so): this package's declarations are checked too.
  // Once only: it also checks all of aws-cdk-lib's, which takes seconds.
  it('with its declaration files checked, under node10', { timeout: 180_000 }, () => {
    const options = { target: 'ES2022', strict: true, skipLibCheck: false, types: ['node'], module: 'commonjs' };
    expect(typeCheck([path.join(dir, 'app.ts')], options)).toEqual([]);
  });
});
