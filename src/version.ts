import * as fs from 'node:fs';
import * as path from 'node:path';

// package.json sits one level above src/ when run from source and two above dist/src/ when built: look upwards.
function readPackage(): { name: string; version: string } {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const json = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name: string; version: string };
      if (json.name === 'cfn-trail-lint') return json;
    }
    if (path.dirname(dir) === dir) return { name: 'cfn-trail-lint', version: '0.0.0' };
  }
}

const { name, version } = readPackage();

/** Every report names the version that produced it. */
export const TOOL = { name, version };
