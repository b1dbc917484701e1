import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

/** An element's attributes (as strings) and, for an element with a body, its text under `#text`. */
type Element = Record<string, string | undefined>;
export type JunitTestCase = Element & { failure?: Element; error?: Element; skipped?: Element };
export type JunitSuite = Element & { testcase: JunitTestCase[] };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => name === 'testsuite' || name === 'testcase',
});

/** Parses a JUnit document (after checking that it is well-formed XML) into plain objects: attributes as strings, `#text` for bodies. */
export function parseJunit(xml: string): { testsuites: Element & { testsuite?: JunitSuite[] } } {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml);
}
