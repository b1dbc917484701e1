// Types of generate.mjs, for generate.test.ts (the bench itself is plain JavaScript).

export type Verdict = 'pass' | 'fail' | 'skip';

export interface ExpectedTrail {
  logicalId: string;
  /** How IsMultiRegionTrail is written, e.g. "Ref to Default \"true\"". */
  variant: string;
  /** The verdict when parameter Defaults fix the inputs. */
  expected: Verdict;
  /** IsMultiRegionTrail as written (long form; undefined when absent): what cfn-guard judges. */
  written: unknown;
}

export interface BenchInput {
  name: string;
  key: string;
  path: string;
  bytes: number;
  /** File path → its trails. */
  expected: Record<string, ExpectedTrail[]>;
}

export interface Random {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function createRandom(seed: number): Random;
export function generateTemplate(options: { seed: number; resources: number; trails: number }): {
  template: Record<string, unknown>;
  trails: ExpectedTrail[];
};
export function toYaml(template: Record<string, unknown>): string;
export function toJson(template: Record<string, unknown>): string;
export function writeSuite(workDir: string, options?: { quick?: boolean }): BenchInput[];
