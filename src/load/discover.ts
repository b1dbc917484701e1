import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InputErrorRecord } from '../types';
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
      found.errors.push({ file: given, message: code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${code}` });
      continue;
    }
    if (stat.isDirectory()) {
      const namedAssembly = fs.existsSync(path.join(given, 'manifest.json'));
      if (namedAssembly) found.assemblies.push(given);
      walk(given, given, found, new Set(), isCloudAssembly, namedAssembly);
    }
    else found.files.push({ file: given, explicit: true, root: path.dirname(given) });
  }
  return found;
}

function walk(root: string, dir: string, found: Discovery, visited: Set<string>, isCloudAssembly: (dir: string) => boolean, inAssembly: boolean): void {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch (error) {
    found.errors.push({ file: dir, message: `cannot read directory: ${(error as NodeJS.ErrnoException).code}` });
    return;
  }
  if (visited.has(real)) return; // a symlink loop, or a directory reached twice
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
    found.errors.push({ file: dir, message: `cannot read directory: ${(error as NodeJS.ErrnoException).code}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = fs.statSync(full);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue; // a dangling link is nothing to lint
      }
    }
    if (isDirectory && !SKIPPED_DIRECTORIES.has(entry.name)) walk(root, full, found, visited, isCloudAssembly, inAssembly);
    else if (isFile && isTemplateFileName(entry.name)) found.files.push({ file: full, explicit: false, root, ...(inAssembly && { inCloudAssembly: true }) });
  }
}
