export { lintPaths, lintSources, summarize, type TemplateSource } from './lint';
export { formatReport, FORMATS, type Format } from './report';
export { RULES } from '../rules';
export type * from './types';
export { Code, CODES, type CodeDescription, type ErrorCode, type WarningCode } from './codes';
