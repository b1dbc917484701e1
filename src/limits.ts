// Bounds on what one run may produce, so that no input — however many files, trails or nested stacks it
// holds — makes a run take minutes, fill memory, or build a report too long to be a string. Past a bound the
// run says which one, as an input error (exit 2): never a partial report that reads as complete.
import type { InputErrorRecord, TrailResult } from './types';

/** Templates linted in one run, nested stacks counted each time a parent deploys them. */
export const MAX_TEMPLATES_PER_RUN = 10_000;
/** Results and input errors of one run together. */
export const MAX_FINDINGS_PER_RUN = 10_000;
/** Their size as JSON: every report format is a small multiple of it. */
export const MAX_FINDING_CHARS_PER_RUN = 32 * 1024 * 1024;
/** Resources of a reported type (trails) in one template; CloudFormation accepts 500 resources of any type. */
export const MAX_REPORTED_RESOURCES_PER_TEMPLATE = 2_000;
/** The rendered report (any format); what the bounds above already keep it under. */
export const MAX_REPORT_CHARS = 128 * 1024 * 1024;

/** What one run has produced so far, against the bounds above. */
export class RunLimits {
  private templates = 0;
  private findings = 0;
  private findingChars = 0;

  /** Why the next template is not linted, once the run has reached a bound. */
  reached(): string | undefined {
    const stop = (what: string) => `not linted: the run has reached its limit of ${what} (lint fewer files at a time)`;
    if (this.templates >= MAX_TEMPLATES_PER_RUN) return stop(`${MAX_TEMPLATES_PER_RUN} templates`);
    if (this.findings >= MAX_FINDINGS_PER_RUN) return stop(`${MAX_FINDINGS_PER_RUN} results and input errors`);
    if (this.findingChars >= MAX_FINDING_CHARS_PER_RUN) return stop(`${MAX_FINDING_CHARS_PER_RUN} characters of results`);
    return undefined;
  }

  /** One template instance linted, and the results and errors it added to the report. */
  count(results: TrailResult[], errors: InputErrorRecord[]): void {
    this.templates++;
    this.findings += results.length + errors.length;
    if (results.length > 0) this.findingChars += JSON.stringify(results).length;
    if (errors.length > 0) this.findingChars += JSON.stringify(errors).length;
  }
}

/** The shortest text that can declare one resource (`T: {Type: AWS::CloudTrail::Trail}`) is longer than this. */
const MIN_CHARS_PER_RESOURCE = 30;

/**
 * Counted in the text before parsing, so that a huge template of trails is refused in milliseconds rather than
 * parsed for half a minute: each mention of a reported type counts (a comment that names it too). A template
 * too short to hold that many is not scanned. `tooManyOfType` checks the parsed count.
 */
export function tooManyMentions(text: string, types: Iterable<string>): string | undefined {
  if (text.length < MAX_REPORTED_RESOURCES_PER_TEMPLATE * MIN_CHARS_PER_RESOURCE) return undefined;
  for (const type of types) {
    let mentions = 0;
    for (let at = text.indexOf(type); at !== -1; at = text.indexOf(type, at + type.length)) {
      if (++mentions > MAX_REPORTED_RESOURCES_PER_TEMPLATE) return tooMany(type, `more than ${MAX_REPORTED_RESOURCES_PER_TEMPLATE}`);
    }
  }
  return undefined;
}

/** The same bound on the parsed template's resources. */
export function tooManyOfType(idsByType: ReadonlyMap<string, readonly string[]>, types: Iterable<string>): string | undefined {
  for (const type of types) {
    const count = idsByType.get(type)?.length ?? 0;
    if (count > MAX_REPORTED_RESOURCES_PER_TEMPLATE) return tooMany(type, String(count));
  }
  return undefined;
}

function tooMany(type: string, count: string): string {
  return `the template declares ${count} ${type} resources; the limit is ${MAX_REPORTED_RESOURCES_PER_TEMPLATE} per template (CloudFormation accepts 500 resources)`;
}
