// Plain data shared by the loaders, the evaluator, the rules, the reporters and the CLI.
// Nothing here throws and nothing here knows about files or formats.
import type { ErrorCode, WarningCode } from './codes';

/** A path into a parsed template: ['Resources', 'Trail', 'Properties', 'IsMultiRegionTrail']. */
export type TemplatePath = readonly (string | number)[];

/** 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

export type Status = 'pass' | 'fail' | 'unknown' | 'skip' | 'suppressed';

export const STATUSES: readonly Status[] = ['pass', 'fail', 'unknown', 'skip', 'suppressed'];

/** One trail's verdict, exactly as the JSON report's `results[]` holds it (scripts parse it: keep the shape). */
export interface TrailResult {
  ruleId: string;
  status: Status;
  /** Set rules: the group of templates the result is about (`account 123456789012`, or `templates`). */
  group?: string;
  file: string;
  logicalId: string;
  stack?: string;
  constructPath?: string;
  line: number;
  column: number;
  message: string;
  /** Inputs of one deployment that produces this verdict (a failing one for `fail`). */
  when?: Record<string, string>;
  /** The chain from the property to the inputs that decide it, one step a line. */
  because?: string[];
  fix?: string;
  /** Reason of the suppression, for `suppressed`. */
  suppression?: { id: string; reason: string; source: string };
  /**
   * For a template another one deploys (nested stack, SAM application, StackSet): the chain of parent resources
   * that deploys this instance, outermost first. Absent when the template is judged as named.
   */
  deployedBy?: DeployedBy[];
}

/** A parent template (as reports show its file) and the logical ID of the resource in it that deploys a child. */
export interface DeployedBy {
  file: string;
  logicalId: string;
}

/** Where an input error or warning is, its stable code (src/codes.ts) and its message. */
interface InputRecord<C> {
  file: string;
  line?: number;
  column?: number;
  /** Stable: scripts and tests match it; the message may be reworded. */
  code: C;
  message: string;
}

/** A file that could not be read as a template, a template CloudFormation would reject, or a run past its limits. */
export type InputErrorRecord = InputRecord<ErrorCode>;

/** What a template holds that CloudFormation reads otherwise than it looks (a duplicate key, a YAML alias). */
export type InputWarningRecord = InputRecord<WarningCode>;

export interface Summary {
  pass: number;
  fail: number;
  unknown: number;
  skip: number;
  suppressed: number;
  errors: number;
}

export interface LintReport {
  tool: { name: string; version: string };
  results: TrailResult[];
  errors: InputErrorRecord[];
  /** What a template holds that CloudFormation reads otherwise than it looks (a duplicate key, a YAML alias); never changes the exit code. */
  warnings: InputWarningRecord[];
  summary: Summary;
}

export interface LintOptions {
  /** Parameter values given by the deployer (`--parameters`); they fix those inputs. */
  parameters?: Record<string, string>;
  /** IDs of the rules to apply (default: DEFAULT_RULE_IDS, the trail rule alone). */
  rules?: string[];
  /** Parameters given as UsePreviousValue: their value is the stack's current one, which the template cannot tell. */
  previousParameters?: string[];
  /** Fixes `AWS::Region` (and the partition and URL suffix that follow from it). */
  region?: string;
  /** Parameter Defaults do not fix values: every permitted value counts. */
  strict?: boolean;
  /** Paths in results are written relative to this directory (default: process.cwd()). */
  cwd?: string;
  /** Files named explicitly that are not templates are skipped, as in a directory (pre-commit passes every staged file). */
  skipNonTemplates?: boolean;
  /** Files found (in a directory, or named) that are not linted: `--exclude`. */
  isExcluded?(file: string): boolean;
  /**
   * Options for one top-level template (a config file's `templates` entry): they replace these for it. Its nested
   * stacks keep its region and strictness; the parameters they receive are what it passes them.
   */
  optionsFor?(file: string): Partial<Pick<LintOptions, 'parameters' | 'region' | 'strict'>>;
  /** A template read from standard input, linted before the paths: its text and the name reports show. */
  stdin?: { file: string; text: string };
}
