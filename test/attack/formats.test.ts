// Regressions found by attacking #17 (a helper that had not seen the change). Where a comment says what a door
// did, it says what it did before the fix; each test asserts the behaviour now promised.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// The same run in every format must carry the same codes (README "Error codes": warnings too).
const BIN = path.resolve(__dirname, '../../bin/cfn-trail-lint');
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'attack2-formats-')));
// The duplicate is the point: a reader sees `true` first; CloudFormation keeps the last value.
fs.writeFileSync(path.join(dir, 'dup.yaml'), 'Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: b\n      IsLogging: true\n      IsMultiRegionTrail: true\n      IsMultiRegionTrail: true\n');

function codes(format: string): string[] {
  const run = spawnSync(process.execPath, [BIN, '--no-color', '-f', format, '--', 'dup.yaml'], { cwd: dir, encoding: 'utf8' });
  return [...new Set((run.stdout + run.stderr).match(/\b[EW]\d{4}\b/g) ?? [])].sort();
}

describe('warning codes in every format', () => {
  // JUnit shows errors only: a warning is no test (README, Error codes).
  for (const format of ['text', 'json', 'github', 'sarif']) {
    it(`${format} carries W1001`, () => {
      expect(codes(format)).toContain('W1001');
    });
  }
});
