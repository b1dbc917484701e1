import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InputErrorRecord } from '../types';
import { Code } from '../codes';
import { isSymbolicLink, isWithin, leavesWorkingDirectory, linkLeadsOutside } from './read-file';
import { isTemplateFileName } from './template-file';

/** A file to lint; `explicit` when the user named it (then a non-template is an error, not a skip). */
export interface FoundFile {
  file: string;
  explicit: boolean;
  /** The directory the user named (or the file's own): nested stacks are followed only inside it. */
  root: string;
  /** Below a cloud assembly's directory: CDK's own JSON files there are not templates. */
  inCloudAssembly?: boolean;
}

export interface Discovery {
  files: FoundFile[];
  /**
   * Directories that hold a CDK cloud assembly, read as assemblies: a directory named with a `manifest.json`, or
   * one found whose manifest is a cloud assembly's. Their files are listed in `files` too: what the assembly does
   * not reach is linted as a loose file.
   */
  assemblies: string[];
  errors: InputErrorRecord[];
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/** Expands the paths a user gave into template files and cloud assemblies, in a stable order. */
export function discover(paths: string[], isCloudAssembly: (dir: string) => boolean): Discovery {
  const found: Discovery = { files: [], assemblies: [], errors: [] };
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A dangling link goes to the reader, which refuses a link out the same whether its target exists or not.
      if (code === 'ENOENT' && isSymbolicLink(given)) {
        found.files.push({ file: given, explicit: true, root: path.dirname(given) });
        continue;
      }
      found.errors.push(code === 'ENOENT' ? { file: given, code: Code.FileNotFound, message: 'no such file or directory' } : { file: given, code: Code.FileUnreadable, message: `cannot read: ${code}` });
      continue;
    }
    if (!stat.isDirectory()) {
      found.files.push({ file: given, explicit: true, root: path.dirname(given) });
      continue;
    }
    const realRoot = fs.realpathSync.native(given);
    if (leavesWorkingDirectory(given, realRoot)) {
      found.errors.push({ file: given, code: Code.LinkOutsideRoot, message: 'leads outside the working directory through a symbolic link: not read' });
      continue;
    }
    const namedAssembly = fs.existsSync(path.join(given, 'manifest.json'));
    if (namedAssembly) found.assemblies.push(given);
    walk({ root: given, realRoot, found, visited: new Set(), isCloudAssembly }, given, namedAssembly);
  }
  return found;
}

interface Walk {
  /** The directory the user named, as named, and its real path: nothing outside the latter is walked or read. */
  root: string;
  realRoot: string;
  found: Discovery;
  /** Real paths of the directories walked: a symlink loop, or a directory reached twice, is walked once. */
  visited: Set<string>;
  isCloudAssembly: (dir: string) => boolean;
}

function walk(state: Walk, dir: string, inAssembly: boolean): void {
  const { root, found, visited, isCloudAssembly } = state;
  let real: string;
  try {
    real = fs.realpathSync.native(dir);
  } catch (error) {
    found.errors.push({ file: dir, code: Code.FileUnreadable, message: `cannot read directory: ${(error as NodeJS.ErrnoException).code}` });
    return;
  }
  if (visited.has(real)) return;
  visited.add(real);
  // Nothing below a folder is dropped because of a file in it: an assembly's directory is walked as well.
  if (dir !== root && isCloudAssembly(dir)) {
    found.assemblies.push(dir);
    inAssembly = true;
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    found.errors.push({ file: dir, code: Code.FileUnreadable, message: `cannot read directory: ${(error as NodeJS.ErrnoException).code}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      const target = linkTarget(full, state.realRoot);
      if (target === undefined) continue; // a dangling link is nothing to lint
      isDirectory = target.isDirectory;
      const wanted = isDirectory ? !SKIPPED_DIRECTORIES.has(entry.name) : isTemplateFileName(entry.name);
      if (wanted && !target.inside) {
        found.errors.push({ file: full, code: Code.LinkOutsideRoot, message: `is a symbolic link that leads outside ${root}: not read` });
        continue;
      }
    }
    if (isDirectory) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(state, full, inAssembly);
    } else if (isTemplateFileName(entry.name)) {
      // Not only regular files: the reader refuses a FIFO, socket or device by name instead of skipping it silently.
      found.files.push({ file: full, explicit: false, root, ...(inAssembly && { inCloudAssembly: true }) });
    }
  }
}

/** Where a symbolic link in the walk leads: undefined when nothing is there (and it does not point outside). */
function linkTarget(link: string, realRoot: string): { isDirectory: boolean; inside: boolean } | undefined {
  try {
    const real = fs.realpathSync.native(link);
    return { isDirectory: fs.statSync(real).isDirectory(), inside: isWithin(realRoot, real) };
  } catch {
    return linkLeadsOutside(link, realRoot) ? { isDirectory: false, inside: false } : undefined;
  }
}
