// `cfn-trail-lint/cdk`: the CDK door. Only this folder loads aws-cdk-lib (a peer dependency).
export { MultiRegionTrailAspect, checkStack, type MultiRegionTrailAspectOptions, type UnknownVerdict } from './aspect';
export { acknowledge, acknowledgeByPath } from './acknowledge';
export { MultiRegionTrailError } from './findings';
export { MultiRegionTrailPlugin } from './plugin';
export * from './trail-lint-step';
