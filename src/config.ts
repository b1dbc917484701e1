// The config file, `.cfn-trail-lint.yaml`: options a team shares, and options per template (a pipeline deploys each
// stack with its own parameters). Found from the working directory upwards, or named with `--config`. Command-line
// options win over it. Read with eemeli/yaml, whose nodes carry their offsets: every mistake is reported as
// `file:line:column: what is wrong`, and a key this file does not define is a mistake, never ignored.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node, Pair, YAMLMap } from 'yaml';
import { ALL_RULES } from '../rules';
import { Code, type ErrorCode } from './codes';
import { OptionError, checkRegion, type Notice } from './cli-options';
import { InputReader } from './load/read-file';
import { FORMATS, type Format } from './report';
import type { UnknownMode } from './report/finding';

export const CONFIG_FILE_NAME = '.cfn-trail-lint.yaml';

/** A config file is a few lines; anything much larger is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** A mistake in the config file: exit 2, naming the file, line and column. */
export class ConfigError extends OptionError {
  constructor(message: string, code: ErrorCode = Code.ConfigInvalid) {
    super(code, message);
  }
}

/** One `templates` entry: options for the top-level templates its globs match. */
export interface TemplateEntry {
  /** Globs, relative to the config file's folder. */
  files: string[];
  parameters?: Record<string, string>;
  /** Relative to the config file's folder. */
  parametersFile?: string;
  region?: string;
  strict?: boolean;
}

export interface Config {
  /** The config file, and the folder its globs and file names are relative to. */
  file: string;
  dir: string;
  region?: string;
  strict?: boolean;
  unknown?: UnknownMode;
  exclude: string[];
  format?: Format;
  /** The rules to apply, as `--rule` chooses them (ids of ALL_RULES); `--rule` wins. */
  rules?: string[];
  templates: TemplateEntry[];
  /** Notices for the user (a Region the table does not know). */
  notices: Notice[];
}

/** The config file that applies in `cwd`: the nearest `.cfn-trail-lint.yaml` in it or a folder above. */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The config file, read as every input is (`InputReader`): a link that leads out of its folder, a FIFO or a device
 * is refused with the reader's code, and nothing of what it leads to is shown.
 */
export function loadConfig(file: string, files: InputReader = new InputReader()): Config {
  return parseConfig(readConfigText(file, files), file);
}

function readConfigText(file: string, files: InputReader): string {
  const bytes = files.read(file, path.dirname(file));
  if ('message' in bytes) throw new ConfigError(`cannot read config file ${file}: ${bytes.message}`, bytes.code);
  if (bytes.length > MAX_CONFIG_BYTES) throw new ConfigError(`${file}: config file is ${bytes.length} bytes; the limit is ${MAX_CONFIG_BYTES}`, Code.FileTooLarge);
  return bytes.toString('utf8');
}

const TOP_LEVEL_KEYS = ['region', 'strict', 'unknown', 'exclude', 'format', 'rules', 'templates'] as const;
const TEMPLATE_KEYS = ['files', 'parameters', 'parametersFile', 'region', 'strict'] as const;
const RULE_IDS = ALL_RULES.map((rule) => rule.id);

/** Parses and checks a config file's text; `file` names it in errors and anchors its relative paths. */
export function parseConfig(text: string, file: string): Config {
  // Loaded here only: most runs have no config file, and the parser is the larger part of the bundle.
  const yaml = require('yaml') as typeof import('yaml');
  const lineCounter = new yaml.LineCounter();
  const document = yaml.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return file;
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const fail = (node: Node | null | undefined, message: string, code?: ErrorCode): never => {
    throw new ConfigError(`${at(node?.range?.[0])}: ${message}`, code);
  };
  const [syntax] = document.errors;
  if (syntax) throw new ConfigError(`${at(syntax.pos[0])}: ${syntax.message.split('\n')[0]}`);

  const config: Config = { file, dir: path.dirname(path.resolve(file)), exclude: [], templates: [], notices: [] };
  const root = document.contents;
  if (root === null) return config; // an empty file: no options
  const entries = mapping(yaml, root, 'the config file', fail);
  for (const pair of entries.items) {
    const key = keyOf(yaml, pair, fail);
    const value = pair.value as Node | null;
    switch (checkKey(key, TOP_LEVEL_KEYS, 'the config file', pair, fail)) {
      case 'region':
        config.region = region(yaml, value, config, fail);
        break;
      case 'strict':
        config.strict = boolean(yaml, value, 'strict', fail);
        break;
      case 'unknown':
        config.unknown = oneOf(yaml, value, 'unknown', ['fail', 'warn'] as const, fail);
        break;
      case 'format':
        config.format = oneOf(yaml, value, 'format', FORMATS, fail);
        break;
      case 'exclude':
        config.exclude = strings(yaml, value, 'exclude', fail);
        break;
      case 'rules':
        config.rules = strings(yaml, value, 'rules', fail);
        for (const [index, id] of config.rules.entries()) {
          if (!RULE_IDS.includes(id)) fail(yaml.isSeq(value) ? (value.items[index] as Node) : value, `rules: no rule ${JSON.stringify(id)} (rules: ${RULE_IDS.join(', ')})`, Code.RuleUnknown);
        }
        break;
      case 'templates':
        config.templates = templateEntries(yaml, value, config, fail);
        break;
    }
  }
  return config;
}

type Yaml = typeof import('yaml');
type Fail = (node: Node | null | undefined, message: string, code?: ErrorCode) => never;

function mapping(yaml: Yaml, node: Node | null, what: string, fail: Fail): YAMLMap {
  if (!yaml.isMap(node)) return fail(node, `${what} must be a mapping of keys to values`);
  return node;
}

function keyOf(yaml: Yaml, pair: Pair, fail: Fail): string {
  const key = pair.key as Node | null;
  if (!yaml.isScalar(key) || typeof key.value !== 'string') return fail(key, 'keys must be plain names');
  return key.value;
}

function checkKey<K extends string>(key: string, known: readonly K[], where: string, pair: Pair, fail: Fail): K {
  if (!(known as readonly string[]).includes(key)) fail(pair.key as Node, `unknown key ${JSON.stringify(key)} in ${where} (known keys: ${known.join(', ')})`);
  return key as K;
}

function scalar(yaml: Yaml, node: Node | null, name: string, fail: Fail): unknown {
  if (!yaml.isScalar(node)) return fail(node, `${name} must be a single value`);
  return node.value;
}

function boolean(yaml: Yaml, node: Node | null, name: string, fail: Fail): boolean {
  const value = scalar(yaml, node, name, fail);
  if (typeof value !== 'boolean') fail(node, `${name} must be true or false`);
  return value as boolean;
}

function oneOf<V extends string>(yaml: Yaml, node: Node | null, name: string, values: readonly V[], fail: Fail): V {
  const value = scalar(yaml, node, name, fail);
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) fail(node, `${name} must be one of ${values.join(', ')}`);
  return value as V;
}

function region(yaml: Yaml, node: Node | null, config: Config, fail: Fail): string {
  const value = scalar(yaml, node, 'region', fail);
  if (typeof value !== 'string') return fail(node, 'region must be a Region name, e.g. eu-west-1');
  try {
    const notice = checkRegion(value);
    if (notice) config.notices.push({ ...notice, message: `${config.file}: ${notice.message}` });
  } catch (error) {
    if (error instanceof OptionError) fail(node, error.message, error.code);
    throw error;
  }
  return value;
}

/** A list of strings, or one string. */
function strings(yaml: Yaml, node: Node | null, name: string, fail: Fail): string[] {
  if (yaml.isScalar(node) && typeof node.value === 'string') return [node.value];
  if (!yaml.isSeq(node)) return fail(node, `${name} must be a list of strings`);
  return node.items.map((item) => {
    if (!yaml.isScalar(item) || typeof item.value !== 'string') return fail(item as Node, `${name} must be a list of strings`);
    return item.value;
  });
}

function templateEntries(yaml: Yaml, node: Node | null, config: Config, fail: Fail): TemplateEntry[] {
  if (!yaml.isSeq(node)) return fail(node, 'templates must be a list of entries, each with files');
  return node.items.map((item) => {
    const entryMap = mapping(yaml, item as Node, 'a templates entry', fail);
    const entry: Partial<TemplateEntry> = {};
    for (const pair of entryMap.items) {
      const key = keyOf(yaml, pair, fail);
      const value = pair.value as Node | null;
      switch (checkKey(key, TEMPLATE_KEYS, 'a templates entry', pair, fail)) {
        case 'files':
          entry.files = strings(yaml, value, 'files', fail);
          break;
        case 'parameters':
          entry.parameters = parameterValues(yaml, value, fail);
          break;
        case 'parametersFile': {
          const name = scalar(yaml, value, 'parametersFile', fail);
          if (typeof name !== 'string') fail(value, 'parametersFile must be a file name');
          entry.parametersFile = path.resolve(config.dir, name as string);
          break;
        }
        case 'region':
          entry.region = region(yaml, value, config, fail);
          break;
        case 'strict':
          entry.strict = boolean(yaml, value, 'strict', fail);
          break;
      }
    }
    if (!entry.files) fail(item as Node, 'a templates entry needs files: the templates it applies to (globs relative to the config file)');
    return entry as TemplateEntry;
  });
}

/** `{Key: value}`: the values as CloudFormation receives them, strings (a YAML `true` or `3` is written as text). */
function parameterValues(yaml: Yaml, node: Node | null, fail: Fail): Record<string, string> {
  const values: Record<string, string> = Object.create(null);
  for (const pair of mapping(yaml, node, 'parameters', fail).items) {
    const key = keyOf(yaml, pair, fail);
    const value = pair.value as Node | null;
    if (!yaml.isScalar(value) || value.value === null || typeof value.value === 'object') fail(value ?? (pair.key as Node), `parameter ${key} must be a string, number or boolean`);
    values[key] = String((value as { value: unknown }).value);
  }
  return values;
}
