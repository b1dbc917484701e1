// The catalogue of error codes (src/codes.ts), the README's table of them and the source that produces them agree:
// every code is documented, none is documented that does not exist, and none exists that nothing produces.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, Code, FAMILIES } from '../src/codes';

const ROOT = path.resolve(__dirname, '..');

/** The rows of the README's "Error codes" table: code, title, what to do. */
function readmeRows(): string[][] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n### Error codes\n');
  expect(start).toBeGreaterThan(0);
  const section = readme.slice(start + 1).split(/\n#{2,3} /)[0];
  return section
    .split('\n')
    .filter((line) => /^\| `[EW]\d{4}` \|/.test(line))
    .map((line) => line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|')));
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('error codes', () => {
  it('are unique, shaped E/W and four digits, each in a known family', () => {
    const codes = Object.values(Code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(code).toMatch(/^[EW]\d{4}$/);
      expect(Object.keys(FAMILIES), code).toContain(code.slice(0, 2));
    }
    expect(Object.keys(CODES).sort()).toEqual([...codes].sort());
  });

  it('are listed in the README, each with its title and what to do, and nothing else is', () => {
    const catalogue = Object.entries(CODES).map(([code, { title, action }]) => [`\`${code}\``, title, action]);
    expect(readmeRows()).toEqual(catalogue);
  });

  it('are each produced somewhere in src/ or rules/ (no dead code)', () => {
    const source = [...sourceFiles(path.join(ROOT, 'src')), ...sourceFiles(path.join(ROOT, 'rules'))]
      .filter((file) => file !== path.join(ROOT, 'src', 'codes.ts'))
      .map((file) => fs.readFileSync(file, 'utf8'))
      .join('\n');
    const unused = Object.keys(Code).filter((name) => !new RegExp(`\\bCode\\.${name}\\b`).test(source));
    expect(unused).toEqual([]);
  });
});
