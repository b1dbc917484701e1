// `cfn-trail-lint/cdk`: the CDK door. Only this folder loads aws-cdk-lib (a peer dependency).
export { MultiRegionTrailAspect, type MultiRegionTrailAspectOptions } from './aspect';
export { MultiRegionTrailError } from './findings';
export { MultiRegionTrailPlugin } from './plugin';
export * from './trail-lint-step';
