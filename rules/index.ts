import type { PropertyRule, Rule, SetRule } from '../src/rule';
import { rule as accountMultiRegionTrail } from './ACCOUNT_MULTI_REGION_TRAIL_EXISTS';
import { rule as cloudTrailMultiRegion } from './CLOUDTRAIL_MULTI_REGION_ENABLED';

/** Rules over each resource, in report order. */
export const RULES: readonly PropertyRule[] = [cloudTrailMultiRegion];

/** Rules over the resources a set of templates deploys together (opt-in: `--rule`). */
export const SET_RULES: readonly SetRule[] = [accountMultiRegionTrail];

/** Every rule, as reports declare them. */
export const ALL_RULES: readonly Rule[] = [...RULES, ...SET_RULES];

/** The rules a run applies when none are selected. */
export const DEFAULT_RULE_IDS: readonly string[] = [cloudTrailMultiRegion.id];
