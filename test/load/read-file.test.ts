import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputReader } from '../../src/load/read-file';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-trail-lint-read-'));
const root = path.join(work, 'root');
const outside = path.join(work, 'outside');
fs.mkdirSync(root);
fs.mkdirSync(outside);
fs.writeFileSync(path.join(root, 'a.yaml'), 'Resources: {}\n');
fs.writeFileSync(path.join(outside, 'secret.yaml'), 'SECRET\n');
fs.mkdirSync(path.join(root, 'sub'));
fs.symlinkSync('a.yaml', path.join(root, 'inside-link.yaml'));
fs.symlinkSync('../outside/secret.yaml', path.join(root, 'outside-link.yaml'));
fs.symlinkSync('../outside', path.join(root, 'outside-dir'));
execFileSync('mkfifo', [path.join(root, 'fifo.yaml')]);

const read = (reader: InputReader, name: string) => reader.read(path.join(root, name), root);

describe('InputReader', () => {
  it('reads a regular file inside the root, and a link that stays inside', () => {
    const reader = new InputReader();
    expect(read(reader, 'a.yaml').toString()).toBe('Resources: {}\n');
    expect(read(reader, 'inside-link.yaml').toString()).toBe('Resources: {}\n');
    expect([...reader.filesRead]).toEqual([fs.realpathSync(path.join(root, 'a.yaml'))]);
  });

  it('refuses a link, or a path through a linked folder, that leads outside the root, naming neither target nor content', () => {
    const reader = new InputReader();
    expect(read(reader, 'outside-link.yaml')).toEqual({ code: 'E0003', message: `is a symbolic link that leads outside ${root}: not read` });
    expect(read(reader, 'outside-dir/secret.yaml')).toEqual({ code: 'E0003', message: `leads (through a symbolic link) outside ${root}: not read` });
    expect(reader.filesRead.size).toBe(0);
  });

  it('refuses a FIFO without waiting for a writer, a directory, and the kernel file systems', () => {
    const reader = new InputReader();
    expect(read(reader, 'fifo.yaml')).toEqual({ code: 'E0004', message: 'not a regular file (a FIFO): not read' });
    expect(read(reader, 'sub')).toEqual({ code: 'E0004', message: 'not a regular file (a directory): not read' });
    expect(reader.read('/proc/self/environ', '/proc/self')).toEqual({ code: 'E0004', message: 'not a regular file (a /proc entry): not read' });
    expect(reader.read('/dev/zero', '/dev')).toEqual({ code: 'E0004', message: 'not a regular file (a /dev entry): not read' });
  });

  it('refuses a file past the size limit, and any file once the run has read its budget', () => {
    fs.writeFileSync(path.join(root, 'ten.yaml'), '0123456789');
    expect(read(new InputReader(9, 100), 'ten.yaml')).toEqual({ code: 'E0005', message: 'file is 10 bytes; the limit is 9' });
    const reader = new InputReader(10, 15);
    expect((read(reader, 'ten.yaml') as Buffer).length).toBe(10);
    expect(read(reader, 'ten.yaml')).toEqual({ code: 'E3003', message: 'not read: the run has read 10 bytes and may read at most 15 in all (lint fewer files at a time)' });
  });

  it('names what is missing', () => {
    expect(read(new InputReader(), 'nope.yaml')).toEqual({ code: 'E0001', message: 'no such file or directory' });
  });
});
