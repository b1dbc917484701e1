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

  it('answers each file of a folder as a fresh reader would, once it knows the folder (links, dot-dot, a link swapped in)', () => {
    fs.mkdirSync(path.join(root, 'many'));
    fs.writeFileSync(path.join(root, 'many', 'b.yaml'), 'Resources: {}\n');
    fs.writeFileSync(path.join(root, 'many', 'swapped.yaml'), 'Resources: {}\n');
    fs.symlinkSync('../../outside/secret.yaml', path.join(root, 'many', 'out.yaml'));
    fs.symlinkSync('many', path.join(root, 'many-link'));
    const names = ['many/b.yaml', 'many/out.yaml', 'many-link/b.yaml', 'many/../a.yaml', 'outside-dir/../a.yaml', 'many/b.yaml/', 'many/nope.yaml', 'a.yaml', 'fifo.yaml', 'sub'];
    const shared = new InputReader();
    const answer = (result: Buffer | { message: string }) => (Buffer.isBuffer(result) ? result.toString() : result);
    for (const name of names) expect(answer(read(shared, name)), name).toEqual(answer(read(new InputReader(), name)));
    expect([...shared.filesRead].sort()).toEqual([fs.realpathSync(path.join(root, 'a.yaml')), fs.realpathSync(path.join(root, 'many', 'b.yaml'))].sort());

    // The folder is known now; a link swapped in for one of its files is still refused.
    expect(answer(read(shared, 'many/swapped.yaml'))).toBe('Resources: {}\n');
    fs.rmSync(path.join(root, 'many', 'swapped.yaml'));
    fs.symlinkSync('../../outside/secret.yaml', path.join(root, 'many', 'swapped.yaml'));
    expect(read(shared, 'many/swapped.yaml')).toEqual({ code: 'E0003', message: `is a symbolic link that leads outside ${root}: not read` });
  });

  it('names what is missing', () => {
    expect(read(new InputReader(), 'nope.yaml')).toEqual({ code: 'E0001', message: 'no such file or directory' });
  });
});
