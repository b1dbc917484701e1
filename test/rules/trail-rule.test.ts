// CLOUDTRAIL_MULTI_REGION_ENABLED's own check, value by value (the registry test holds what every rule shares).
import { describe, expect, it } from 'vitest';
import { rule } from '../../rules/CLOUDTRAIL_MULTI_REGION_ENABLED';

describe(rule.id, () => {
  it('checks the values CloudFormation reads as true, and nothing else', () => {
    for (const value of [true, 'true', 'True', 'TRUE']) expect(rule.check({ present: true, value })).toEqual({ compliant: true });
    for (const value of [false, 'false', 'yes', 1, ['true'], null, 'tRUE']) expect(rule.check({ present: true, value }).compliant).toBe(false);
    expect(rule.check({ present: false }).compliant).toBe(false);
  });

  it('fails a multi-Region trail without global service events, which CloudTrail refuses to create', () => {
    const on = { present: true, value: true } as const;
    expect(rule.check(on, { IsMultiRegionTrail: on, IncludeGlobalServiceEvents: { present: true, value: 'false' } })).toMatchObject({
      compliant: false,
      problem: expect.stringContaining('IncludeGlobalServiceEvents is "false"'),
    });
    expect(rule.check(on, { IsMultiRegionTrail: on, IncludeGlobalServiceEvents: { present: true, value: 'True' } })).toEqual({ compliant: true });
    expect(rule.check(on, { IsMultiRegionTrail: on, IncludeGlobalServiceEvents: { present: false } })).toEqual({ compliant: true });
  });

  it('says what an unset IsMultiRegionTrail means in the words the README quotes', () => {
    expect(rule.check({ present: false })).toEqual({ compliant: false, problem: "IsMultiRegionTrail is not set (CloudFormation's default is false)" });
    expect(`${rule.property}: not set; ${rule.whenUnset}`).toBe("IsMultiRegionTrail: not set; CloudFormation's default is false");
  });
});
