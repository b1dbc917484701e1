import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES, RULES } from '../../rules';

// The registry, the rule files, their cfn-guard twins and the docs agree.
const ROOT = path.resolve(__dirname, '../..');

describe('rules registry', () => {
  it('has one file per rule, named by its id, with its .guard twin', () => {
    const files = fs.readdirSync(path.join(ROOT, 'rules')).filter((name) => name !== 'index.ts');
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(files.sort()).toEqual(ids.flatMap((id) => [`${id}.guard`, `${id}.ts`]).sort());
  });

  it.each(ALL_RULES.map((rule) => [rule.id, rule] as const))('%s carries complete metadata and is documented', (id, rule) => {
    expect(rule.id).toMatch(/^[A-Z0-9_]+$/);
    for (const text of [rule.title, rule.description, rule.fix, rule.docsUrl, ...Object.values(rule.remediation)]) expect(text.trim()).not.toBe('');
    expect(rule.aliases.length).toBeGreaterThan(0);
    expect(rule.frameworks.length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(id);
    expect(fs.readFileSync(path.join(ROOT, 'rules', `${id}.guard`), 'utf8')).toMatch(/rule\s+\w+/);
  });

  it('checks the values CloudFormation reads as true, and nothing else', () => {
    const [rule] = RULES;
    for (const value of [true, 'true', 'True', 'TRUE']) expect(rule.check({ present: true, value })).toEqual({ compliant: true });
    for (const value of [false, 'false', 'yes', 1, ['true'], null, 'tRUE']) expect(rule.check({ present: true, value }).compliant).toBe(false);
    expect(rule.check({ present: false }).compliant).toBe(false);
  });
});
