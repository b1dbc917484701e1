// The Region table is data with a source: it must hold every Region aws-cdk-lib (a devDependency, whose table is
// generated from the AWS SDK's partition metadata) knows, each in the partition aws-cdk-lib gives it.
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { describe, expect, it } from 'vitest';
import { COMMERCIAL_REGIONS, REGIONS_BY_PARTITION, REGION_PER_PARTITION, isKnownRegion, looksLikeRegion, partitionOf } from '../../src/evaluate/regions';

describe('the Region table', () => {
  it('holds every Region of aws-cdk-lib’s table, in its partition', () => {
    for (const { name, partition } of RegionInfo.regions) {
      expect(isKnownRegion(name), name).toBe(true);
      expect(REGIONS_BY_PARTITION[partition!], name).toContain(name);
      expect(partitionOf(name), name).toBe(partition);
    }
  });

  it('has the Regions opened lately, and GovCloud, China, ISO and the European Sovereign Cloud', () => {
    for (const region of ['ap-southeast-5', 'ap-southeast-7', 'ap-east-2', 'mx-central-1', 'ca-west-1', 'il-central-1', 'ap-south-2', 'ap-southeast-4', 'eu-central-2', 'eu-south-2', 'me-central-1']) {
      expect(COMMERCIAL_REGIONS).toContain(region);
    }
    for (const [partition, region] of Object.entries(REGION_PER_PARTITION)) expect(REGIONS_BY_PARTITION[partition]).toContain(region);
  });

  it('every Region in it is shaped like one, and the shape refuses typos', () => {
    for (const region of Object.values(REGIONS_BY_PARTITION).flat()) expect(looksLikeRegion(region), region).toBe(true);
    for (const typo of ['eu-west1', 'euwest-1', 'EU-WEST-1', 'eu-west-', '-eu-west-1', 'eu--west-1', 'eu-west-1a']) expect(looksLikeRegion(typo), typo).toBe(false);
  });
});
