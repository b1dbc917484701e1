/**
 * What a loader hands on: one template — its file, and its text or parsed body when already at hand — with what
 * the CDK says of it. Loaders locate templates; which template deploys which, with what inputs, is for
 * src/nested/ to decide.
 */
export interface TemplateSource {
  /** Path of the template file (results show it relative to the run's cwd). */
  file: string;
  /** The text, if already read; else the file is read through the run's InputReader. */
  text?: string;
  /** An already-parsed template (a CDK stack rendered in-process): no positions, line and column are 1/1. */
  body?: unknown;
  /** Named by the user: a file that is not a template is an error, not a skip. */
  explicit?: boolean;
  /** Found inside a cloud assembly: CDK's own files there (`manifest.json`, `*.assets.json`…) are not templates. */
  inCloudAssembly?: boolean;
  /** Local nested stacks are followed, and files read, only inside this folder (default: the template's own). */
  root?: string;
  /** Set for a template of a CDK app (a cloud assembly, or a stack rendered in-process). */
  cdk?: CdkContext;
}

export type Acknowledgement = { id: string; reason: string };

/** What a CDK app says of one of its templates. */
export interface CdkContext {
  /** Stack name; a nested stack is `<parent stack>/<logical ID of its stack resource>`. */
  stack: string;
  /** `aws://ACCOUNT/REGION`. */
  environment?: string;
  /** Logical ID → construct path, where resources carry no `aws:cdk:path` metadata. */
  constructPaths?: Record<string, string>;
  /** Logical ID → rules acknowledged on the construct (`Validations.of(construct).acknowledge`). */
  acknowledgements?: Record<string, Acknowledgement[]>;
  /**
   * The templates its stack resources deploy, by logical ID, where the app located them (a nested stack's own
   * template, a file asset): their TemplateURL is computed from an asset bucket, which no template can tell.
   */
  nestedTemplates?: Map<string, TemplateSource>;
}
