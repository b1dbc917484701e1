import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';

// The official OASIS schema (oasis-tcs/sarif-spec, sarif-2.1/prose/sarif-schema-2.1.0.json, draft-07), stored: never fetched.
const schema = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'sarif-2.1.0.schema.json'), 'utf8'));

/** RFC 3986 characters only, every `%` starting an escape: what a consumer can resolve without guessing. */
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
// unicodeRegExp off: this schema's `language` pattern has a stray `]`, invalid under the `u` flag (fixed in errata 01).
const ajv = new Ajv({ allErrors: true, unicodeRegExp: false })
  .addFormat('uri', (value: string) => URI_CHARS.test(value) && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value))
  .addFormat('uri-reference', (value: string) => URI_CHARS.test(value))
  .addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
/** Validates a parsed SARIF log; on failure, its `errors` say where. */
export const validateSarif = ajv.compile(schema);
