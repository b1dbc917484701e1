import * as path from 'node:path';
import { isObject, parameterString, type TemplateModel } from './evaluate/model';
import type { TemplatePath } from './types';

const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** A nested stack of a plain CloudFormation template, as its parent declares it. */
export type NestedStackReference =
  | { kind: 'local'; logicalId: string; file: string; parameters: Record<string, string>; unfixed: string[]; path: TemplatePath }
  | { kind: 'unread'; logicalId: string; reason: string; path: TemplatePath }
  | { kind: 'outside'; logicalId: string; message: string; path: TemplatePath };

/**
 * The nested stacks a template creates. A `TemplateURL` that is a local relative path is followed — within
 * `root` only — with the parameters the parent passes: a literal (or a parent parameter with a fixed value)
 * fixes the nested parameter; any other value leaves it free, even where the nested template has a Default,
 * because the parent's value replaces that Default. A remote or computed URL is not read.
 */
export function nestedStacks(
  model: TemplateModel,
  templateFile: string,
  root: string,
  fixedValue: (parameter: string) => string | undefined,
): NestedStackReference[] {
  const references: NestedStackReference[] = [];
  for (const [logicalId, resource] of Object.entries(model.resources)) {
    if (!isObject(resource) || resource.Type !== STACK_TYPE || !isObject(resource.Properties)) continue;
    const at = ['Resources', logicalId, 'Properties', 'TemplateURL'];
    const url = resource.Properties.TemplateURL;
    if (typeof url !== 'string') {
      references.push({ kind: 'unread', logicalId, reason: 'its TemplateURL is computed at deploy time', path: at });
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
      references.push({ kind: 'unread', logicalId, reason: `its template ${url} is remote and is not fetched`, path: at });
      continue;
    }
    const file = path.resolve(path.dirname(templateFile), url);
    const relative = path.relative(root, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      references.push({ kind: 'outside', logicalId, message: `nested stack ${logicalId}: TemplateURL ${url} leaves the linted folder ${root}`, path: at });
      continue;
    }
    const parameters: Record<string, string> = {};
    const unfixed: string[] = [];
    const passed = isObject(resource.Properties.Parameters) ? resource.Properties.Parameters : {};
    for (const [name, value] of Object.entries(passed)) {
      const fixed = passedValue(value, fixedValue);
      if (fixed === undefined) unfixed.push(name);
      else parameters[name] = fixed;
    }
    references.push({ kind: 'local', logicalId, file, parameters, unfixed, path: at });
  }
  return references;
}

function passedValue(value: unknown, fixedValue: (parameter: string) => string | undefined): string | undefined {
  if (isObject(value)) return typeof value.Ref === 'string' && Object.keys(value).length === 1 ? fixedValue(value.Ref) : undefined;
  return parameterString(value);
}
