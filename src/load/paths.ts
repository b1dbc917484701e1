import * as path from 'node:path';
import type { InputErrorRecord, LintOptions } from '../types';
import { discoverCloudAssembly, isCloudAssembly } from './cloud-assembly';
import { discover } from './discover';
import type { InputReader } from './read-file';
import type { TemplateSource } from './source';

/**
 * The paths a run names, as sources: standard input first, then loose template files (named, or found in a
 * folder), then the stacks of cloud assemblies (with the nested templates CDK's metadata locates). Every template
 * file an assembly did not reach is a loose file: a manifest never hides one.
 */
export function sourcesOfPaths(
  paths: string[],
  options: Pick<LintOptions, 'isExcluded' | 'skipNonTemplates' | 'stdin'>,
  files: InputReader,
): { sources: TemplateSource[]; errors: InputErrorRecord[] } {
  const found = discover(paths, (dir) => isCloudAssembly(dir, files));
  const excluded = (file: string) => options.isExcluded?.(file) ?? false;
  const errors = [...found.errors];
  const fromAssemblies: TemplateSource[] = [];
  const reached = new Set<string>();
  for (const dir of found.assemblies) {
    if (reached.has(path.resolve(dir, 'manifest.json'))) continue; // a stage assembly its parent's manifest names
    const assembly = discoverCloudAssembly(dir, files);
    fromAssemblies.push(...assembly.sources.filter(({ file }) => !excluded(file)));
    errors.push(...assembly.errors);
    for (const file of assembly.reached) reached.add(file);
  }
  const sources: TemplateSource[] = found.files
    .filter(({ file }) => !reached.has(path.resolve(file)) && !excluded(file))
    .map(({ file, explicit, root, inCloudAssembly }) => ({ file, explicit: explicit && !options.skipNonTemplates, root, ...(inCloudAssembly && { inCloudAssembly }) }));
  if (options.stdin) sources.unshift({ file: options.stdin.file, text: options.stdin.text, explicit: true, root: path.dirname(path.resolve(options.stdin.file)) });
  return { sources: [...sources, ...fromAssemblies], errors };
}
