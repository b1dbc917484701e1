// The bench's verdict check is only as good as its generator: these tests make sure
// the inputs are the same on every run and that the expected verdicts describe the
// trails actually written (recomputed here from the files, not from the generator's table).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { yamlParse } from 'yaml-cfn';
import { generateTemplate, toYaml, writeSuite, type BenchInput } from './generate.mjs';

type Template = {
  Parameters?: Record<string, { Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties?: Record<string, unknown> }>;
};

/** Only the intrinsics the generator puts on trails, resolved with parameter Defaults (as without --strict). */
function resolve(value: unknown, template: Template): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const [[name, argument]] = Object.entries(value as Record<string, unknown>);
  const args = argument as unknown[];
  switch (name) {
    case 'Ref': return String(template.Parameters![argument as string].Default);
    case 'Condition': return isTrue(template.Conditions![argument as string], template);
    case 'Fn::If': return resolve(isTrue({ Condition: args[0] }, template) ? args[1] : args[2], template);
    case 'Fn::Equals': return String(resolve(args[0], template)) === String(resolve(args[1], template));
    case 'Fn::Not': return !isTrue(args[0], template);
    case 'Fn::And': return args.every((c) => isTrue(c, template));
    case 'Fn::Or': return args.some((c) => isTrue(c, template));
    default: throw new Error(`the test does not evaluate ${name}`);
  }
}

const isTrue = (conditionExpression: unknown, template: Template) => resolve(conditionExpression, template) === true;

function verdictOf(trail: Template['Resources'][string], template: Template): string {
  if (trail.Condition && !isTrue({ Condition: trail.Condition }, template)) return 'skip';
  const value = resolve(trail.Properties?.IsMultiRegionTrail, template);
  return value === true || value === 'true' || value === 'True' || value === 'TRUE' ? 'pass' : 'fail';
}

function trailsIn(template: Template) {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::CloudTrail::Trail')
    .map(([logicalId, resource]) => ({ logicalId, expected: verdictOf(resource, template) }));
}

/** A stack is read through its JSON twin; the directory's YAML files have none and are read with yaml-cfn. */
function readTemplate(file: string): Template {
  const twin = file.replace(/\.yaml$/, '.json');
  if (existsSync(twin)) return JSON.parse(readFileSync(twin, 'utf8')) as Template;
  return yamlParse(readFileSync(file, 'utf8')) as Template;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

describe('bench input generator', () => {
  let first: string;
  let second: string;
  let suite: BenchInput[];

  beforeAll(() => {
    first = mkdtempSync(join(tmpdir(), 'bench-gen-a-'));
    second = mkdtempSync(join(tmpdir(), 'bench-gen-b-'));
    suite = writeSuite(first, { quick: true });
    writeSuite(second, { quick: true });
  });
  afterAll(() => {
    rmSync(first, { recursive: true, force: true });
    rmSync(second, { recursive: true, force: true });
  });

  it('writes the same bytes on every run', () => {
    const names = filesUnder(first).map((file) => relative(first, file));
    expect(names.length).toBeGreaterThan(200);
    expect(filesUnder(second).map((file) => relative(second, file))).toEqual(names);
    for (const name of names) {
      expect(readFileSync(join(second, name), 'utf8'), name).toBe(readFileSync(join(first, name), 'utf8'));
    }
  });

  it('depends on its seed', () => {
    const a = toYaml(generateTemplate({ seed: 1, resources: 40, trails: 3 }).template);
    const b = toYaml(generateTemplate({ seed: 2, resources: 40, trails: 3 }).template);
    expect(a).not.toBe(b);
  });

  it('writes YAML that says what its JSON twin says', () => {
    for (const resources of [20, 500]) {
      const yaml = readFileSync(join(first, `stack-${resources}.yaml`), 'utf8');
      const json = readFileSync(join(first, `stack-${resources}.json`), 'utf8');
      expect(yaml).toMatch(/!Ref |!Sub |!GetAtt |!If |!Join |!FindInMap /);
      expect(yamlParse(yaml)).toEqual(JSON.parse(json));
    }
  });

  it('has the sizes the README Performance section gives (500 resources ≈ 0.36 MB of YAML)', () => {
    const yaml500 = suite.find((input) => input.key === 'yaml-500')!;
    expect(yaml500.bytes / 1e6).toBeGreaterThan(0.33);
    expect(yaml500.bytes / 1e6).toBeLessThan(0.39);
  });

  it('expects exactly the trails it writes, with the verdicts their values give', () => {
    let checked = 0;
    for (const input of suite) {
      for (const [file, expected] of Object.entries(input.expected)) {
        const template = readTemplate(file);
        expect(trailsIn(template), file).toEqual(expected.map(({ logicalId, expected: verdict }) => ({ logicalId, expected: verdict })));
        checked += expected.length;
      }
    }
    expect(checked).toBeGreaterThan(400);
    const verdicts = suite.flatMap((input) => Object.values(input.expected).flat().map((trail) => trail.expected));
    expect(new Set(verdicts)).toEqual(new Set(['pass', 'fail', 'skip']));
  });
});
