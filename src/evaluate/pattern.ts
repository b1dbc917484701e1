// Placeholder until the Java-regex module lands: understands nothing, so a pattern constrains nothing.
export type CompiledPattern =
  | { understood: true; matches(value: string): boolean; sample(count: number, avoid: ReadonlySet<string>, lengths?: { min?: number; max?: number }): string[] }
  | { understood: false; reason: string };

export function compileAllowedPattern(source: string): CompiledPattern {
  return { understood: false, reason: `AllowedPattern ${source} is not read by this build` };
}
