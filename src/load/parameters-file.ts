import { ParametersError, parametersFromDocument, type GivenParameters } from '../parameters';
import { parseJson } from './json';
import { ParseFailure } from './parsed';
import { SourceMap } from './positions';
import { InputReader } from './read-file';
import * as path from 'node:path';

/**
 * A parameters file — CloudFormation's `[{ParameterKey, ParameterValue}]`, CodePipeline's `{"Parameters": {…}}` or
 * `{"Key": "Value"}` — read through the run's reader (bounded, no special files), for the command line, a config
 * file's `parametersFile` and the CDK Aspect alike. What is wrong is a ParametersError naming file:line:column.
 */
export function readParametersFile(file: string, files: InputReader = new InputReader()): GivenParameters {
  const bytes = files.read(file, path.dirname(file));
  if ('message' in bytes) throw new ParametersError(`cannot read parameters file ${file}: ${bytes.message}`);
  const text = bytes.toString('utf8');
  let body: unknown;
  try {
    const parsed = parseJson(text);
    // The deployer's own input: a parameter given twice is refused, not read last-wins as a template is.
    const duplicate = parsed.warnings?.find((warning) => warning.code === 'duplicate-key');
    if (duplicate) throw new ParseFailure(duplicate.message.slice(0, duplicate.message.indexOf("':") + 1), duplicate.offset);
    body = parsed.body;
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error;
    const { line, column } = new SourceMap(text, new WeakMap()).positionOf(error.offset);
    throw new ParametersError(`${file}:${line}:${column}: ${error.message}`);
  }
  return parametersFromDocument(body, file);
}
