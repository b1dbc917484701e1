import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES, DEFAULT_RULE_IDS, RULES, SET_RULES } from '../../rules';
import type { Rule } from '../../src/rule';

// The registry, the rule files, their cfn-guard twins, their fixtures and the docs agree, for every rule alike:
// nothing here names a rule. What one rule checks is tested in its own file (CLOUDTRAIL_MULTI_REGION_ENABLED.test.ts,
// account-rule.test.ts).
const ROOT = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Every result every fixture under templates/ expects, with the fixture it is in. */
function expectedResults(): { file: string; ruleId: unknown; status: unknown }[] {
  const files = (fs.readdirSync(path.join(ROOT, 'templates'), { recursive: true }) as string[]).filter((name) => name.endsWith('.expected.json'));
  return files.flatMap((file) => {
    const { results } = JSON.parse(fs.readFileSync(path.join(ROOT, 'templates', file), 'utf8')) as { results: { ruleId: unknown; status: unknown }[] };
    return results.map(({ ruleId, status }) => ({ file, ruleId, status }));
  });
}

/** The words messages are built from: each must be there, and read as a phrase (no stray spaces or full stop). */
function words(rule: Rule): Record<string, string> {
  const common = { noun: rule.noun, nounPlural: rule.nounPlural, shortNoun: rule.shortNoun, waiver: rule.waiver };
  if (rule.kind === 'set') return { ...common, subject: rule.subject };
  return {
    ...common,
    property: rule.property,
    compliantBehaviour: rule.compliantBehaviour,
    violationBehaviour: rule.violationBehaviour,
    requirement: rule.requirement,
    whenUnset: rule.whenUnset,
  };
}

describe('rules registry', () => {
  it('has one file per rule, named by its id, with its .guard twin', () => {
    const files = fs.readdirSync(path.join(ROOT, 'rules')).filter((name) => name !== 'index.ts');
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(files.sort()).toEqual(ids.flatMap((id) => [`${id}.guard`, `${id}.ts`]).sort());
  });

  it('lists each rule once, property rules in RULES and set rules in SET_RULES, and defaults only to registered ones', () => {
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(RULES.every((rule) => rule.kind === 'property')).toBe(true);
    expect(SET_RULES.every((rule) => rule.kind === 'set')).toBe(true);
    expect([...RULES, ...SET_RULES]).toEqual(ALL_RULES);
    expect(DEFAULT_RULE_IDS.length).toBeGreaterThan(0);
    for (const id of DEFAULT_RULE_IDS) expect(ids).toContain(id);
  });

  describe.each(ALL_RULES.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
    it('is the rule its file exports', async () => {
      const module = (await import(path.join(ROOT, 'rules', `${id}.ts`))) as { rule: Rule };
      expect(module.rule).toBe(rule);
    });

    it('carries complete metadata', () => {
      expect(rule.id).toMatch(/^[A-Z0-9_]+$/);
      expect(['low', 'medium', 'high', 'critical']).toContain(rule.severity);
      expect(rule.resourceType).toMatch(/^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/);
      expect(rule.docsUrl).toMatch(/^https:\/\/\S+$/);
      for (const text of [rule.title, rule.description, rule.fix, ...Object.values(rule.remediation)]) expect(text.trim()).not.toBe('');
      expect(Object.keys(rule.remediation).sort()).toEqual(['awsCli', 'cdk', 'cloudformation', 'terraform']);
      expect(rule.aliases.length).toBeGreaterThan(0);
      expect(rule.frameworks.length).toBeGreaterThan(0);
      expect(rule.significantValues.length).toBeGreaterThan(0);
      if (rule.kind === 'set') expect(rule.properties.length).toBeGreaterThan(0);
    });

    it('has the words its messages are built from', () => {
      for (const [field, text] of Object.entries(words(rule))) {
        expect(text, field).toMatch(/^\S(.*\S)?$/);
        expect(text, field).not.toMatch(/\.$/);
      }
      expect(rule.nounPlural).not.toBe(rule.noun);
      expect(rule.noun.toLowerCase()).toContain(rule.shortNoun.toLowerCase());
    });

    it('is documented in the README', () => {
      expect(README).toContain(id);
    });

    it('has a cfn-guard twin that defines a rule of the same name', () => {
      expect(fs.readFileSync(path.join(ROOT, 'rules', `${id}.guard`), 'utf8')).toMatch(new RegExp(`^rule\\s+${id}\\b`, 'm'));
    });

    it('has fixtures under templates/ that expect it to pass and to fail', () => {
      const statuses = new Set(expectedResults().filter((result) => result.ruleId === id).map((result) => result.status));
      expect(statuses).toContain('pass');
      expect(statuses).toContain('fail');
    });
  });

  it('finds in the fixtures only rules it registers', () => {
    const ids = new Set(ALL_RULES.map((rule) => rule.id));
    expect(expectedResults().filter((result) => !ids.has(result.ruleId as string))).toEqual([]);
  });
});
