import * as path from 'node:path';
import { isObject, passedParameters, type TemplateModel } from './evaluate/model';
import type { TemplatePath } from './types';

const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** A nested stack of a plain CloudFormation template, as its parent declares it. */
export type NestedStackReference =
  | { kind: 'local'; logicalId: string; file: string; parameters: Record<string, string>; unfixedParameters?: string[]; path: TemplatePath }
  | { kind: 'unread'; logicalId: string; reason: string; path: TemplatePath; remote: boolean }
  | { kind: 'outside'; logicalId: string; message: string; path: TemplatePath };

/**
 * The nested stacks a template creates. A `TemplateURL` that is a local relative path is followed — within
 * `root` only — with the parameters the parent passes (`passedParameters`). A remote or computed URL is not read.
 */
export function nestedStacks(
  model: TemplateModel,
  templateFile: string,
  root: string,
  fixedValue: (parameter: string) => string | undefined,
): NestedStackReference[] {
  const references: NestedStackReference[] = [];
  for (const logicalId of model.idsByType.get(STACK_TYPE) ?? []) {
    const resource = model.resources[logicalId] as Record<string, unknown>;
    if (!isObject(resource.Properties)) continue;
    const at = ['Resources', logicalId, 'Properties', 'TemplateURL'];
    const url = resource.Properties.TemplateURL;
    if (typeof url !== 'string') {
      references.push({ kind: 'unread', logicalId, reason: 'its TemplateURL is computed at deploy time', path: at, remote: false });
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
      references.push({ kind: 'unread', logicalId, reason: `its template ${url} is remote and is not fetched`, path: at, remote: true });
      continue;
    }
    const file = path.resolve(path.dirname(templateFile), url);
    const relative = path.relative(root, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      references.push({ kind: 'outside', logicalId, message: `nested stack ${logicalId}: TemplateURL ${url} leaves the linted folder ${root}`, path: at });
      continue;
    }
    references.push({ kind: 'local', logicalId, file, ...passedParameters(resource.Properties.Parameters, fixedValue), path: at });
  }
  return references;
}
