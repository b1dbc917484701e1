import { Code } from '../codes';
import { ParametersError, parametersFromDocument, type GivenParameters } from '../parameters';
import { parseJson } from './json';
import { ParseFailure, type ParsedText } from './parsed';
import { SourceMap } from './positions';
import { InputReader } from './read-file';
import * as path from 'node:path';

/**
 * A parameters file — CloudFormation's `[{ParameterKey, ParameterValue}]`, CodePipeline's `{"Parameters": {…}}` or
 * `{"Key": "Value"}` — read through the run's reader (bounded, no special files, nothing outside `root`), for the
 * command line, a config file's `parametersFile` (inside the config file's folder) and the CDK Aspect alike. What is
 * wrong is a ParametersError naming file:line:column.
 */
export function readParametersFile(file: string, files: InputReader = new InputReader(), root = path.dirname(file)): GivenParameters {
  const bytes = files.read(file, root);
  if ('message' in bytes) throw new ParametersError(bytes.code, `cannot read parameters file ${file}: ${bytes.message}`);
  const text = bytes.toString('utf8');
  const refuse = (offset: number, message: string): never => {
    const { line, column } = new SourceMap(text, new WeakMap()).positionOf(offset);
    throw new ParametersError(Code.ParametersFileInvalid, `${file}:${line}:${column}: ${message}`);
  };
  let parsed: ParsedText;
  try {
    parsed = parseJson(text);
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error;
    return refuse(error.offset, error.message);
  }
  // The deployer's own input: a parameter given twice is refused, not read last-wins as a template is.
  const duplicate = parsed.warnings?.find((warning) => warning.code === Code.DuplicateKey);
  if (duplicate) refuse(duplicate.offset, duplicate.message.slice(0, duplicate.message.indexOf("':") + 1));
  return parametersFromDocument(parsed.body, file);
}
