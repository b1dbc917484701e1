// `cdk synth` cost of the Aspect: app.synth() of a 500-construct app (5 stacks of 96 buckets and 4 L2 trails),
// with and without MultiRegionTrailAspect, alternating, median of 7 after one warm-up each. Prints one JSON line.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { App, Aspects, Stack } = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const cloudtrail = require('aws-cdk-lib/aws-cloudtrail');
const { MultiRegionTrailAspect } = require('../../dist/src/cdk/index.js');

function synthMs(withAspect) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-cdk-bench-'));
  const app = new App({ outdir });
  for (let s = 0; s < 5; s++) {
    const stack = new Stack(app, `Stack${s}`);
    for (let i = 0; i < 96; i++) new s3.CfnBucket(stack, `Bucket${i}`, { bucketName: `bucket-${s}-${i}` });
    for (let i = 0; i < 4; i++) new cloudtrail.Trail(stack, `Trail${i}`);
  }
  if (withAspect) Aspects.of(app).add(new MultiRegionTrailAspect());
  const started = process.hrtime.bigint();
  app.synth();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
synthMs(false);
synthMs(true);
const without = [];
const withAspect = [];
for (let run = 0; run < 7; run++) {
  without.push(synthMs(false));
  withAspect.push(synthMs(true));
}
process.stdout.write(`${JSON.stringify({ without: median(without), with: median(withAspect) })}\n`);
