import type { PropertyRule } from '../src/rule';
import { rule as cloudTrailMultiRegion } from './CLOUDTRAIL_MULTI_REGION_ENABLED';

/** Every rule the linter runs, in report order. */
export const RULES: readonly PropertyRule[] = [cloudTrailMultiRegion];
