// Regions matter in two ways: `AWS::Partition` and `AWS::URLSuffix` follow from the Region, and a free
// Region is tried with real Region names, so that a reported `when` is a deployment that can happen.

/** One Region per partition, so that every partition a condition may test is tried. */
export const REGION_PER_PARTITION: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-iso': 'us-iso-east-1',
  'aws-iso-b': 'us-isob-east-1',
  'aws-iso-e': 'eu-isoe-west-1',
  'aws-iso-f': 'us-isof-south-1',
  'aws-eusc': 'eusc-de-east-1',
};

/**
 * The Regions of every partition, as data. Sources, read 2026-12-04: the AWS documentation's list of Regions and
 * their billing codes (docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html) and
 * the Region table of aws-cdk-lib 2.276 (`RegionInfo.regions`, generated from the AWS SDK's partition metadata),
 * which a test compares with this table. A Region missing here is still accepted by `--region` (with a notice);
 * it is only not tried as "some Region" when a template's Region is free.
 */
export const REGIONS_BY_PARTITION: Readonly<Record<string, readonly string[]>> = {
  aws: [
    'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'mx-central-1', 'sa-east-1',
    'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
    'af-south-1', 'il-central-1', 'me-south-1', 'me-central-1', 'me-west-1',
    'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6',
    'ap-southeast-7',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
  'aws-eusc': ['eusc-de-east-1'],
};

/** Commercial Regions, used as "some other Region" when a template compares with a few of them. */
export const COMMERCIAL_REGIONS: readonly string[] = REGIONS_BY_PARTITION.aws;

const KNOWN_REGIONS: ReadonlySet<string> = new Set(Object.values(REGIONS_BY_PARTITION).flat());

/** A Region of the table above. */
export function isKnownRegion(value: string): boolean {
  return KNOWN_REGIONS.has(value);
}

/** Shaped like a Region name: `eu-west-1`, `us-gov-east-1`, `eusc-de-east-1` (not `eu-west1`, not `EU-WEST-1`). */
export function looksLikeRegion(value: string): boolean {
  return /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/.test(value);
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

export function urlSuffixOf(region: string): string {
  const partition = partitionOf(region);
  if (partition === 'aws-cn') return 'amazonaws.com.cn';
  if (partition === 'aws-iso') return 'c2s.ic.gov';
  if (partition === 'aws-iso-b') return 'sc2s.sgov.gov';
  if (partition === 'aws-iso-e') return 'cloud.adc-e.uk';
  if (partition === 'aws-iso-f') return 'csp.hci.ic.gov';
  if (partition === 'aws-eusc') return 'amazonaws.eu';
  return 'amazonaws.com';
}
