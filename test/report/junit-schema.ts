// The elements and attributes of Jenkins' junit-10.xsd (jenkinsci/xunit-plugin, the schema CI servers check JUnit
// reports against), as a table: no XSD validator runs in Node without a native library, so the JUnit tests check a
// document's structure against this instead. Attribute types are all strings there, except `time` (a number).
import { XMLParser } from 'fast-xml-parser';

interface ElementRule {
  attributes: string[];
  required?: string[];
  children: string[];
  /** Text content allowed (mixed content or a string element). */
  text?: boolean;
}

const OUTCOME: ElementRule = { attributes: ['type', 'message'], children: [], text: true };

export const JUNIT_10: Record<string, ElementRule> = {
  testsuites: { attributes: ['name', 'time', 'tests', 'failures', 'errors'], children: ['testsuite'] },
  testsuite: {
    attributes: ['name', 'tests', 'failures', 'errors', 'group', 'time', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url'],
    required: ['name', 'tests', 'failures', 'errors'],
    children: ['testsuite', 'properties', 'testcase', 'system-out', 'system-err'],
  },
  properties: { attributes: [], children: ['property'] },
  property: { attributes: ['name', 'value'], required: ['name', 'value'], children: [] },
  testcase: {
    attributes: ['name', 'time', 'classname', 'group'],
    required: ['name'],
    children: ['skipped', 'error', 'failure', 'rerunFailure', 'rerunError', 'flakyFailure', 'flakyError', 'system-out', 'system-err'],
  },
  failure: OUTCOME,
  error: OUTCOME,
  skipped: OUTCOME,
  'system-out': { attributes: [], children: [], text: true },
  'system-err': { attributes: [], children: [], text: true },
};

const SUREFIRE_TIME = /^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$/;

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, trimValues: true });

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Every way `xml` departs from junit-10.xsd, as `element: problem` lines; empty when it is valid. */
export function junit10Violations(xml: string): string[] {
  const problems: string[] = [];
  const visit = (nodes: Node[], parent: string | undefined) => {
    for (const node of nodes) {
      const name = Object.keys(node).find((key) => key !== ':@')!;
      if (name === '#text' || name === '?xml') {
        if (name === '#text' && parent !== undefined && !JUNIT_10[parent].text) problems.push(`${parent}: text is not allowed`);
        continue;
      }
      const rule = JUNIT_10[name];
      if (!rule) {
        problems.push(`${name}: not an element of the schema`);
        continue;
      }
      if (parent === undefined ? name !== 'testsuites' && name !== 'testsuite' : !JUNIT_10[parent].children.includes(name)) {
        problems.push(`${name}: not allowed in ${parent ?? 'the document'}`);
      }
      const attributes = node[':@'] ?? {};
      for (const attribute of Object.keys(attributes)) {
        if (!rule.attributes.includes(attribute)) problems.push(`${name}: attribute ${attribute} is not allowed`);
      }
      for (const attribute of rule.required ?? []) {
        if (!(attribute in attributes)) problems.push(`${name}: attribute ${attribute} is required`);
      }
      if ('time' in attributes && (name === 'testsuite' || name === 'testsuites') && !SUREFIRE_TIME.test(attributes.time)) {
        problems.push(`${name}: time ${attributes.time} is not a SUREFIRE_TIME`);
      }
      visit(node[name] as Node[], name);
    }
  };
  visit(parser.parse(xml) as Node[], undefined);
  return problems;
}
