import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CdkContext, TemplateSource } from './source';
import { Code, type ErrorCode } from '../codes';
import { isObject, type JsonObject } from '../evaluate/model';
import type { InputErrorRecord } from '../types';
import { InputReader, isWithin } from './read-file';
import { readTemplateText } from './template-file';

/**
 * Reads a CDK cloud assembly (`cdk.out`) into template sources: every stack artifact, the stage
 * assemblies below it (`assembly-*`, recursively) and the nested stacks each template creates, each
 * template file once, with its stack name, construct paths and CDK acknowledgements.
 *
 * Stack names: a stack artifact's CloudFormation name (`properties.stackName`, else the artifact ID);
 * a nested stack is `<parent stack name>/<logical ID of its AWS::CloudFormation::Stack resource>`, the
 * name the parent's Resources tab shows.
 *
 * Nothing here leaves the assembly directory: a manifest path that points outside it is an input error.
 */

type Acknowledgement = { id: string; reason: string };
type MetadataEntry = { type?: unknown; data?: unknown };
type Metadata = Record<string, MetadataEntry[]>;
type Json = JsonObject;

/** The metadata key `Validations.of(construct).acknowledge()` records under (measured: aws-cdk-lib 2.276 writes it into the stack's metadata in cdk.out). */
export const ACKNOWLEDGED_RULES_METADATA = 'aws:cdk:acknowledged-rules';

/** The artifact types of a cloud assembly's manifest (aws-cdk-lib 2.x writes these). */
const ARTIFACT_TYPES = new Set(['aws:cloudformation:stack', 'cdk:asset-manifest', 'cdk:tree', 'cdk:cloud-assembly', 'cdk:feature-flag-report']);

/**
 * A directory found in a folder is read as a cloud assembly only when its `manifest.json` is one: a schema
 * `version` and artifacts, each of a known type. A file dropped into a folder cannot make it one — and even then
 * every template file the assembly does not reach is still linted (see lintPaths).
 */
export function isCloudAssembly(dir: string, files: InputReader = new InputReader()): boolean {
  const manifest = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifest)) return false;
  const parsed = readJson(manifest, dir, files);
  if (!isObject(parsed) || typeof parsed.version !== 'string' || !isObject(parsed.artifacts)) return false;
  return Object.values(parsed.artifacts).every((artifact) => isObject(artifact) && typeof artifact.type === 'string' && ARTIFACT_TYPES.has(artifact.type));
}

/**
 * The stacks of the assembly in `dir`, as sources to lint (nested templates hang from their parents'
 * `nestedTemplates`, to be judged as each parent deploys them), and the absolute paths of every file read
 * as a template or as an assembly's manifest: the files of the folder it did not reach are still to lint.
 */
export function discoverCloudAssembly(
  dir: string,
  files: InputReader = new InputReader(),
): { sources: TemplateSource[]; errors: InputErrorRecord[]; reached: Set<string> } {
  const reader = new AssemblyReader(dir, files);
  reader.readAssembly(dir);
  return { sources: reader.sources, errors: reader.errors, reached: reader.reached };
}

/**
 * The sources for some stack templates of a synthesized assembly and the nested stacks they create — what a
 * CDK validation plugin is handed (CDK does not hand it nested stacks).
 */
export function discoverStackTemplates(templateFiles: string[], files: InputReader = new InputReader()): { sources: TemplateSource[]; errors: InputErrorRecord[] } {
  const byDirectory = new Map<string, Set<string>>();
  for (const file of templateFiles) {
    const dir = path.dirname(path.resolve(file));
    byDirectory.set(dir, (byDirectory.get(dir) ?? new Set()).add(path.resolve(file)));
  }
  const sources: TemplateSource[] = [];
  const errors: InputErrorRecord[] = [];
  for (const [dir, stackTemplates] of byDirectory) {
    const reader = new AssemblyReader(dir, files);
    reader.readStacksOf(dir, stackTemplates);
    sources.push(...reader.sources);
    errors.push(...reader.errors);
  }
  return { sources, errors };
}

/**
 * CDK records `acknowledge({ id: 'X' })` as `Annotation::X` (an id without a namespace is taken for an
 * annotation's); report the id as the user wrote it. Other namespaces (`cfn-trail-lint::X`) are kept.
 */
function acknowledgedRuleId(recorded: string): string {
  return recorded.replace(/^Annotation::/, '');
}

/**
 * The acknowledgements that apply to the construct at `constructPath`: those recorded on it or on any
 * ancestor, the closest one winning for each rule id — as CDK matches them for validation plugins.
 */
export function acknowledgementsAt(
  constructPath: string,
  recordedAt: (ancestorPath: string) => Record<string, unknown>[],
): Acknowledgement[] {
  const found = new Map<string, Acknowledgement>();
  for (let at = constructPath; ; at = at.slice(0, Math.max(0, at.lastIndexOf('/')))) {
    for (const data of recordedAt(at)) {
      for (const [recorded, reason] of Object.entries(data)) {
        const id = acknowledgedRuleId(recorded);
        if (!found.has(id)) found.set(id, { id, reason: typeof reason === 'string' ? reason : '' });
      }
    }
    if (at === '') break;
  }
  return [...found.values()];
}

/** What one stack artifact's metadata says about the templates it synthesized. */
interface StackMetadata {
  /** Construct path of a stack or nested stack → its template file name. */
  templateFileByStackPath: Map<string, string>;
  /** Template file name → (logical ID → construct path without the leading '/'). */
  pathsByTemplate: Map<string, Map<string, string>>;
  /** Construct path → acknowledgement data recorded there. */
  acknowledgements: Map<string, Record<string, unknown>[]>;
}

/** One template waiting to be read: where it sits, and what its stack's metadata says. */
interface PendingTemplate {
  file: string;
  stack: string;
  metadata: StackMetadata;
  /** The stack artifact's environment, `aws://ACCOUNT/REGION`. */
  environment?: string;
  /** Construct path of the nested stack this template is, for assemblies without `aws:cdk:templateFile`. */
  stackPath?: string;
}

class AssemblyReader {
  readonly sources: TemplateSource[] = [];
  readonly errors: InputErrorRecord[] = [];
  /** Absolute paths of the manifests and templates read. */
  readonly reached = new Set<string>();
  /** Templates already read, by absolute path: a template shared by two parents is read once, linted per instance. */
  private readonly claimed = new Map<string, TemplateSource | undefined>();

  constructor(
    private readonly root: string,
    private readonly files: InputReader,
  ) {}

  readAssembly(dir: string): void {
    const artifacts = this.artifactsOf(dir);
    if (!artifacts) return;
    const assetFiles = this.assetSourcesOf(dir, artifacts);
    const stacks: StackMetadata[] = [];
    for (const [artifactId, artifact] of artifacts) {
      if (artifact.type === 'aws:cloudformation:stack') stacks.push(this.readStack(dir, artifactId, artifact, assetFiles));
    }
    this.readUnclaimedNestedTemplates(dir, stacks);
    // Stage assemblies after this assembly's own stacks: reports list an app's stacks outside-in.
    for (const [artifactId, artifact] of artifacts) {
      if (artifact.type !== 'cdk:cloud-assembly') continue;
      const properties = isObject(artifact.properties) ? artifact.properties : {};
      const nested = this.inside(dir, properties.directoryName, `artifact ${artifactId}: directoryName`);
      if (nested) this.readAssembly(nested);
    }
  }

  /** Reads the stack artifacts whose template is one of `templateFiles` (absolute paths), with their nested stacks. */
  readStacksOf(dir: string, templateFiles: Set<string>): void {
    const artifacts = this.artifactsOf(dir);
    if (!artifacts) return;
    const assetFiles = this.assetSourcesOf(dir, artifacts);
    for (const [artifactId, artifact] of artifacts) {
      const properties = isObject(artifact.properties) ? artifact.properties : {};
      const selected = typeof properties.templateFile === 'string' && templateFiles.has(path.resolve(dir, properties.templateFile));
      if (artifact.type === 'aws:cloudformation:stack' && selected) this.readStack(dir, artifactId, artifact, assetFiles);
    }
  }

  private artifactsOf(dir: string): [string, Json][] | undefined {
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = readJson(manifestFile, this.root, this.files);
    if (!isObject(manifest) || !isObject(manifest.artifacts)) {
      this.errors.push({ file: manifestFile, ...(manifest instanceof ReadError ? manifest : { code: Code.AssemblyManifestInvalid, message: 'not a cloud assembly manifest (no artifacts)' }) });
      return undefined;
    }
    this.reached.add(path.resolve(manifestFile));
    return Object.entries(manifest.artifacts).filter((entry): entry is [string, Json] => isObject(entry[1]));
  }

  private readStack(dir: string, artifactId: string, artifact: Json, assetFiles: Map<string, string>): StackMetadata {
    const properties = isObject(artifact.properties) ? artifact.properties : {};
    const file = this.inside(dir, properties.templateFile, `artifact ${artifactId}: templateFile`);
    const metadata = this.stackMetadataOf(dir, artifact, path.basename(file ?? ''));
    const stack = typeof properties.stackName === 'string' ? properties.stackName : artifactId;
    const environment = typeof artifact.environment === 'string' ? artifact.environment : undefined;
    const source = file && !this.claimed.has(path.resolve(file)) ? this.readTemplate({ file, stack, metadata, environment }, assetFiles) : undefined;
    if (source) this.sources.push(source);
    return metadata;
  }

  /**
   * Reads one template (a stack's or a nested stack's) and, through its stack resources, the nested templates it
   * deploys. Each file is read once; a cycle ends at a template already being read (the linter reports it).
   */
  private readTemplate(template: PendingTemplate, assetFiles: Map<string, string>): TemplateSource | undefined {
    const absolute = path.resolve(template.file);
    if (this.claimed.has(absolute)) return this.claimed.get(absolute);
    this.claimed.set(absolute, undefined);
    const name = path.basename(template.file);
    const { pathsByTemplate } = template.metadata;
    const constructPaths = pathsByTemplate.get(name) ?? pathsByTemplate.get(nestedStackKey(template.stackPath)) ?? new Map<string, string>();
    const cdk: CdkContext = { stack: template.stack, ...(template.environment !== undefined && { environment: template.environment }) };
    const source: TemplateSource = { file: template.file, inCloudAssembly: true, cdk };
    // No prototype: a logical ID is data (`toString` without a construct path must not find Object.prototype's).
    if (constructPaths.size > 0) cdk.constructPaths = Object.assign(Object.create(null), Object.fromEntries(constructPaths));
    // Built from entries: a logical ID `__proto__` stays a key, not the object's prototype.
    const acknowledgements = Object.fromEntries(
      [...constructPaths]
        .map(([logicalId, constructPath]) => [logicalId, acknowledgementsAt('/' + constructPath, (at) => template.metadata.acknowledgements.get(at) ?? [])] as const)
        .filter(([, found]) => found.length > 0),
    );
    if (Object.keys(acknowledgements).length > 0) cdk.acknowledgements = acknowledgements;

    const read = readTemplateText(template.file, this.root, this.files);
    if ('message' in read) {
      this.errors.push({ file: template.file, code: read.code, message: read.message });
      return undefined;
    }
    const { text } = read;
    this.reached.add(absolute);
    source.text = text;
    this.claimed.set(absolute, source);
    // Stack resources are found by their parsed Type (a JSON escape such as "Stac\u006b" is the same string);
    // a template that does not parse is reported by the engine. Most deploy no stack: they are parsed once, there.
    const body = text.includes('AWS::CloudFormation::Stack') || text.includes('\\u') ? parseQuietly(text) : undefined;
    const resources = isObject(body) && isObject(body.Resources) ? body.Resources : {};
    const nestedTemplates = new Map<string, TemplateSource>();
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (!isObject(resource) || resource.Type !== 'AWS::CloudFormation::Stack') continue;
      const nested = this.nestedTemplateOf(path.dirname(template.file), resource, constructPaths.get(logicalId), template.metadata, assetFiles);
      if (nested === undefined) continue; // not in the assembly (a remote TemplateURL): the linter reports it unknown
      const stackPath = constructPaths.get(logicalId)?.match(NESTED_STACK_RESOURCE_PATH)?.[1];
      const child = this.readTemplate({ file: nested, stack: `${template.stack}/${logicalId}`, metadata: template.metadata, environment: template.environment, stackPath }, assetFiles);
      if (child) nestedTemplates.set(logicalId, child);
    }
    if (nestedTemplates.size > 0) cdk.nestedTemplates = nestedTemplates;
    return source;
  }

  /**
   * Finds the file of a nested stack: `aws:asset:path` metadata (written when the CDK CLI runs the app);
   * else the construct path of its resource (`<Nested>.NestedStack/<Nested>.NestedStackResource`) and
   * the `aws:cdk:templateFile` metadata of `<Nested>`; else the asset hash in its TemplateURL, looked up
   * in the assembly's `*.assets.json`.
   */
  private nestedTemplateOf(
    dir: string,
    resource: Json,
    resourcePath: string | undefined,
    metadata: StackMetadata,
    assetFiles: Map<string, string>,
  ): string | undefined {
    const properties = isObject(resource.Properties) ? resource.Properties : {};
    const url = JSON.stringify(properties.TemplateURL ?? '');
    // Metadata names the template CDK made for the resource; an override of its TemplateURL may deploy another.
    // Where the asset manifest tells the template's object key, the TemplateURL must name it.
    const uploaded = (file: string | undefined) => {
      const keys = [...assetFiles].filter(([, asset]) => file !== undefined && path.resolve(asset) === path.resolve(file)).map(([objectKey]) => objectKey);
      return keys.length === 0 || keys.some((objectKey) => url.includes(objectKey)) ? file : undefined;
    };
    const resourceMetadata = isObject(resource.Metadata) ? resource.Metadata : {};
    const assetPath = resourceMetadata['aws:asset:path'];
    const byAssetPath = typeof assetPath === 'string' ? uploaded(this.inside(dir, assetPath, 'aws:asset:path')) : undefined;
    if (byAssetPath !== undefined) return byAssetPath;
    const byConstruct = resourcePath?.match(NESTED_STACK_RESOURCE_PATH);
    const templateFile = byConstruct ? metadata.templateFileByStackPath.get('/' + byConstruct[1]) : undefined;
    const byTemplateFile = templateFile !== undefined ? uploaded(this.inside(dir, templateFile, 'aws:cdk:templateFile')) : undefined;
    if (byTemplateFile !== undefined) return byTemplateFile;
    for (const [objectKey, file] of assetFiles) if (url.includes(objectKey)) return file;
    return undefined;
  }

  /** Nested templates no parent resource led to are still linted: a template is never skipped silently. */
  private readUnclaimedNestedTemplates(dir: string, stacks: StackMetadata[]): void {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((name) => name.endsWith('.nested.template.json')).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (this.claimed.has(path.resolve(dir, name))) continue;
      const metadata = stacks.find((stack) => stack.pathsByTemplate.has(name)) ?? emptyMetadata();
      const stackPath = [...metadata.templateFileByStackPath].find(([, file]) => file === name)?.[0];
      const source = this.readTemplate({ file: path.join(dir, name), stack: stackPath?.slice(1) ?? name, metadata }, new Map());
      if (source) this.sources.push(source);
    }
  }

  /** Object key (`<hash>.json`) of each file asset → its file in the assembly. */
  private assetSourcesOf(dir: string, artifacts: [string, Json][]): Map<string, string> {
    const files = new Map<string, string>();
    for (const [artifactId, artifact] of artifacts) {
      if (artifact.type !== 'cdk:asset-manifest' || !isObject(artifact.properties)) continue;
      const manifestFile = this.inside(dir, artifact.properties.file, `artifact ${artifactId}: file`);
      const assets = manifestFile ? readJson(manifestFile, this.root, this.files) : undefined;
      if (!isObject(assets) || !isObject(assets.files)) continue;
      for (const [hash, asset] of Object.entries(assets.files)) {
        if (!isObject(asset) || !isObject(asset.source) || typeof asset.source.path !== 'string') continue;
        const file = this.inside(dir, asset.source.path, `${artifact.properties.file}: ${hash}`);
        const keys = isObject(asset.destinations) ? Object.values(asset.destinations) : [];
        for (const destination of keys) {
          if (file && isObject(destination) && typeof destination.objectKey === 'string') files.set(destination.objectKey, file);
        }
      }
    }
    return files;
  }

  /** Inline `metadata` (older assemblies) and `additionalMetadataFile` (current ones), indexed. */
  private stackMetadataOf(dir: string, artifact: Json, templateName: string): StackMetadata {
    const entries: Metadata = {};
    if (isObject(artifact.metadata)) Object.assign(entries, artifact.metadata);
    if (artifact.additionalMetadataFile !== undefined) {
      const file = this.inside(dir, artifact.additionalMetadataFile, 'additionalMetadataFile');
      const extra = file ? readJson(file, this.root, this.files) : undefined;
      if (extra instanceof ReadError) this.errors.push({ file: file as string, ...extra });
      else if (isObject(extra)) Object.assign(entries, extra);
    }
    return indexMetadata(entries, templateName);
  }

  /** Resolves a path the manifest gives, relative to `dir`; outside the assembly it is an input error. */
  private inside(dir: string, relative: unknown, what: string): string | undefined {
    if (typeof relative !== 'string' || relative === '') {
      this.errors.push({ file: path.join(dir, 'manifest.json'), code: Code.AssemblyPathInvalid, message: `${what} is missing` });
      return undefined;
    }
    const file = path.join(dir, relative);
    if (!insideAssembly(this.root, file)) {
      this.errors.push({ file: path.join(dir, 'manifest.json'), code: Code.AssemblyPathInvalid, message: `${what} "${relative}" points outside the cloud assembly` });
      return undefined;
    }
    return file;
  }
}

function indexMetadata(entries: Metadata, stackTemplateName: string): StackMetadata {
  const index: StackMetadata = { templateFileByStackPath: new Map(), pathsByTemplate: new Map(), acknowledgements: new Map() };
  const logicalIds: [string, string][] = [];
  for (const [constructPath, list] of Object.entries(entries)) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (!isObject(entry)) continue;
      if (entry.type === 'aws:cdk:templateFile' && typeof entry.data === 'string') index.templateFileByStackPath.set(constructPath, entry.data);
      if (entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') logicalIds.push([constructPath, entry.data]);
      if (entry.type === ACKNOWLEDGED_RULES_METADATA && isObject(entry.data)) {
        index.acknowledgements.set(constructPath, [...(index.acknowledgements.get(constructPath) ?? []), entry.data]);
      }
    }
  }
  // aws-cdk-lib 2.100 writes no aws:cdk:templateFile: a nested stack is then known by its resource's construct path,
  // and its resources are indexed under that path until its template is found (through the assets).
  const templateKeys = new Map(index.templateFileByStackPath);
  for (const [constructPath] of logicalIds) {
    const stackPath = constructPath.match(NESTED_STACK_RESOURCE_PATH)?.[1];
    if (stackPath !== undefined && !templateKeys.has('/' + stackPath)) templateKeys.set('/' + stackPath, nestedStackKey(stackPath));
  }
  // A resource belongs to the template of the deepest (nested) stack whose construct path contains it.
  const stackPaths = [...templateKeys.keys()].sort((a, b) => b.length - a.length);
  for (const [constructPath, logicalId] of logicalIds) {
    const owner = stackPaths.find((stackPath) => constructPath.startsWith(stackPath + '/'));
    const template = owner === undefined ? stackTemplateName : (templateKeys.get(owner) as string);
    const paths = index.pathsByTemplate.get(template) ?? new Map<string, string>();
    paths.set(logicalId, constructPath.replace(/^\//, ''));
    index.pathsByTemplate.set(template, paths);
  }
  return index;
}

/** The construct path of a nested stack's `AWS::CloudFormation::Stack` resource: `<stack path>.NestedStack/<id>.NestedStackResource`. */
const NESTED_STACK_RESOURCE_PATH = /^\/?(.*)\.NestedStack\/[^/]+\.NestedStackResource$/;

/** The key of a nested stack's construct paths when its template file is not named in the metadata. */
function nestedStackKey(stackPath: string | undefined): string {
  return `nested stack /${stackPath ?? ''}`;
}

function emptyMetadata(): StackMetadata {
  return { templateFileByStackPath: new Map(), pathsByTemplate: new Map(), acknowledgements: new Map() };
}

function insideAssembly(root: string, file: string): boolean {
  if (!isWithin(path.resolve(root), path.resolve(file))) return false;
  // A symlink inside the assembly must not lead out of it either.
  try {
    return isWithin(fs.realpathSync(root), fs.realpathSync(file));
  } catch {
    return true; // does not exist (yet): reading it reports that
  }
}

/** A JSON file CDK writes, or why it cannot be read. */
function readJson(file: string, root: string, files: InputReader): unknown {
  const bytes = files.read(file, root);
  if ('message' in bytes) return new ReadError(bytes);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return new ReadError({ code: Code.AssemblyManifestInvalid, message: `not valid JSON: ${(error as Error).message}` });
  }
}

/** What readJson returns for a file it cannot read: a class, so that no JSON value can pass for one. */
class ReadError {
  readonly code: ErrorCode;
  readonly message: string;

  constructor(failure: { code: ErrorCode; message: string }) {
    this.code = failure.code;
    this.message = failure.message;
  }
}

function parseQuietly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
