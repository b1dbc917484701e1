// The one way a file's bytes get into the linter: templates, nested templates, a cloud assembly's manifests and
// metadata, parameters files. Every file may be written by whoever opened the pull request, so the reader trusts
// neither where a path leads, nor what kind of file is there, nor how long it is.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Code, type ErrorCode } from '../codes';

/** Larger than any template CloudFormation accepts (1 MB in S3), with room for synthesized ones. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** All the files of one run together: with the per-file limit, what keeps a run within seconds. */
export const MAX_RUN_BYTES = 128 * 1024 * 1024;

/** Why a file was not read; `message` never quotes the file's content nor a link's target. */
export interface ReadFailure {
  code: ErrorCode;
  message: string;
}

// O_NONBLOCK: opening a FIFO or a device must not wait for a writer (fstat refuses it right after).
// O_NOCTTY: a terminal device must not become the process's controlling terminal.
// O_NOFOLLOW: the real path is opened, so a link there now was swapped in after the check.
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY | fs.constants.O_NOFOLLOW;

/** File systems whose regular-looking files are the kernel's (process memory, environment, devices). */
const SPECIAL_FILE_SYSTEMS = ['/proc', '/sys', '/dev'];

/**
 * Reads files for one run. `read(file, root)` returns the bytes of `file` only when its real path lies inside
 * `root` (a folder the user named, or a cloud assembly's own folder), it is a regular file, and it and the run
 * so far stay within the byte limits. It remembers the real path of every file it read.
 */
export class InputReader {
  /** Real paths of the files read, so that nothing read is written over (`--output`). */
  readonly filesRead = new Set<string>();
  private bytesRead = 0;
  private readonly realRoots = new Map<string, string | ReadFailure>();
  /** Real paths of the folders files were read from, per root (see openInKnownFolder). */
  private readonly realFolders = new Map<string, string | undefined>();

  constructor(
    private readonly maxFileBytes = MAX_FILE_BYTES,
    private readonly maxRunBytes = MAX_RUN_BYTES,
  ) {}

  read(file: string, root: string): Buffer | ReadFailure {
    const realRoot = this.realRoot(root);
    if (typeof realRoot !== 'string') return realRoot;
    const opened = this.openInKnownFolder(file, realRoot);
    if (opened !== undefined) return this.readOpenFile(opened.fd, opened.real);
    let real: string;
    try {
      real = fs.realpathSync.native(file);
    } catch (error) {
      // Missing, or not a path at all (`/proc/self/fd/1` to a pipe): outside is said the same way as when it exists.
      if (linkLeadsOutside(file, realRoot)) return { code: Code.LinkOutsideRoot, message: `is a symbolic link that leads outside ${root}: not read` };
      return openFailure(error);
    }
    if (!isWithin(realRoot, real)) {
      const link = isSymbolicLink(file) ? 'is a symbolic link that leads' : 'leads (through a symbolic link)';
      return { code: Code.LinkOutsideRoot, message: `${link} outside ${root}: not read` };
    }
    const special = SPECIAL_FILE_SYSTEMS.find((system) => isWithin(system, real));
    if (special !== undefined) return { code: Code.NotRegularFile, message: `not a regular file (a ${special} entry): not read` };
    return this.readRegularFile(real);
  }

  /**
   * The many files of one folder, without resolving each path: the folder's real path (resolved once) and the
   * file's name, opened with O_NOFOLLOW, are the file's real path. Undefined, for `read`'s full checks, when the
   * folder is not plainly inside `realRoot`, the name is not a plain name, or the open fails (a link: ELOOP).
   */
  private openInKnownFolder(file: string, realRoot: string): { fd: number; real: string } | undefined {
    const name = path.basename(file);
    if (name === '' || name === '.' || name === '..' || file.endsWith('/') || file.endsWith(path.sep)) return undefined;
    const folder = this.realFolder(path.dirname(file), realRoot);
    if (folder === undefined) return undefined;
    const real = path.join(folder, name);
    if (SPECIAL_FILE_SYSTEMS.includes(real)) return undefined;
    try {
      return { fd: fs.openSync(real, OPEN_FLAGS), real };
    } catch {
      return undefined;
    }
  }

  /** A folder's real path when it lies inside `realRoot` and outside the kernel's file systems, else undefined. */
  private realFolder(folder: string, realRoot: string): string | undefined {
    const key = `${realRoot}\u0000${folder}`;
    if (this.realFolders.has(key)) return this.realFolders.get(key);
    let real: string | undefined;
    try {
      real = fs.realpathSync.native(folder);
      if (!isWithin(realRoot, real) || SPECIAL_FILE_SYSTEMS.some((system) => isWithin(system, real!))) real = undefined;
    } catch {
      real = undefined;
    }
    this.realFolders.set(key, real);
    return real;
  }

  private readRegularFile(real: string): Buffer | ReadFailure {
    let fd: number;
    try {
      fd = fs.openSync(real, OPEN_FLAGS);
    } catch (error) {
      return openFailure(error);
    }
    return this.readOpenFile(fd, real);
  }

  /** Reads the file open as `fd` (its real path `real`) within the limits, and closes it. */
  private readOpenFile(fd: number, real: string): Buffer | ReadFailure {
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile()) return { code: Code.NotRegularFile, message: `not a regular file (${kindOf(stat)}): not read` };
      const remaining = this.maxRunBytes - this.bytesRead;
      if (stat.size > this.maxFileBytes) return { code: Code.FileTooLarge, message: `file is ${stat.size} bytes; the limit is ${this.maxFileBytes}` };
      if (stat.size > remaining) return this.runBudgetSpent();
      const bytes = readAtMost(fd, stat.size, Math.min(this.maxFileBytes, remaining));
      if (!bytes) {
        return remaining < this.maxFileBytes ? this.runBudgetSpent() : { code: Code.FileTooLarge, message: `file grew past the limit of ${this.maxFileBytes} bytes while read` };
      }
      this.bytesRead += bytes.length;
      this.filesRead.add(real);
      return bytes;
    } catch (error) {
      return openFailure(error);
    } finally {
      fs.closeSync(fd);
    }
  }

  private runBudgetSpent(): ReadFailure {
    return { code: Code.RunReadLimit, message: `not read: the run has read ${this.bytesRead} bytes and may read at most ${this.maxRunBytes} in all (lint fewer files at a time)` };
  }

  private realRoot(root: string): string | ReadFailure {
    let real = this.realRoots.get(root);
    if (real === undefined) {
      try {
        real = fs.realpathSync.native(root);
        if (leavesWorkingDirectory(root, real)) real = { code: Code.LinkOutsideRoot, message: `the folder ${root} leads outside the working directory through a symbolic link: not read` };
      } catch (error) {
        real = { code: Code.FileUnreadable, message: `cannot resolve the folder ${root}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
      }
      this.realRoots.set(root, real);
    }
    return real;
  }
}

/**
 * A path named inside the working directory whose real path is outside it: a folder the workflow names
 * (`templates`) that the pull request replaced with a link to `/`. Paths named outside it are the user's choice.
 */
export function leavesWorkingDirectory(given: string, real: string): boolean {
  const cwd = process.cwd();
  if (!isWithin(cwd, path.resolve(given))) return false;
  try {
    return !isWithin(fs.realpathSync.native(cwd), real);
  } catch {
    return false; // the working directory is gone: every read fails on its own
  }
}

/** `target` is `base` or lies below it (both real, absolute paths). */
export function isWithin(base: string, target: string): boolean {
  const relative = path.relative(base, target);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/**
 * A symbolic link whose target cannot be resolved, followed hop by hop without touching the target: true when
 * some hop points outside `realRoot` (so that a link out reads the same whether its target exists or not).
 */
export function linkLeadsOutside(link: string, realRoot: string): boolean {
  let at = link;
  for (let hop = 0; hop < 40; hop++) {
    let target: string;
    try {
      target = fs.readlinkSync(at);
      at = path.resolve(fs.realpathSync.native(path.dirname(at)), target);
    } catch {
      return false; // not a link (any more), or its folder is gone: nothing leads on
    }
    if (!isWithin(realRoot, at)) return true;
  }
  return false; // a loop of links, all inside
}

/** The file's bytes (`size` expected, more if it grew meanwhile), or undefined past `limit`: never more than limit+1 read. */
function readAtMost(fd: number, size: number, limit: number): Buffer | undefined {
  // One byte to spare: the read that finds the end has room to run, so a file that keeps its size is never copied.
  let bytes = Buffer.allocUnsafe(Math.min(size, limit) + 1);
  let length = 0;
  for (;;) {
    if (length === bytes.length) {
      if (length > limit) return undefined;
      const grown = Buffer.allocUnsafe(Math.min(Math.max(2 * length, 64 * 1024), limit + 1));
      bytes.copy(grown, 0, 0, length);
      bytes = grown;
    }
    const read = fs.readSync(fd, bytes, length, bytes.length - length, null);
    if (read === 0) return length > limit ? undefined : bytes.subarray(0, length);
    length += read;
  }
}

export function isSymbolicLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

function openFailure(error: unknown): ReadFailure {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { code: Code.FileNotFound, message: 'no such file or directory' };
  if (code === 'ELOOP') return { code: Code.FileUnreadable, message: 'cannot read file: a symbolic link loop, or a link swapped in while read' };
  return { code: Code.FileUnreadable, message: `cannot read file: ${code ?? String(error)}` };
}
