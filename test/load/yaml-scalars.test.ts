// Plain YAML scalars as CloudFormation may read them: YAML 1.2's reading and YAML 1.1's, both kept where their
// string forms differ. Both YAML readers (the fast one and js-yaml with our schema) must give each value, and
// keep a key as written.
import { describe, expect, it } from 'vitest';
import { AmbiguousScalar } from '../../src/evaluate/values';
import { parseYamlWithJsYaml } from '../../src/load/yaml';
import { readYamlFast } from '../../src/load/yaml-fast';
import { resolvePlainScalar } from '../../src/load/yaml-scalars';

const either = (text: string, reading11: unknown) => new AmbiguousScalar(text, [text, reading11]);

/** Every form of YAML 1.1's bool, int, float and null that 1.2's core schema reads otherwise, and neighbours that it does not. */
const SCALARS: [string, unknown][] = [
  // bool: 1.1's yes/no/on/off/y/n are strings in 1.2; true/false read alike.
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((text): [string, unknown] => [text, either(text, true)]),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((text): [string, unknown] => [text, either(text, false)]),
  ['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false],
  ['yES', 'yES'], ['oN', 'oN'], ['Onwards', 'Onwards'], ['nope', 'nope'],
  // null reads alike.
  ['~', null], ['null', null], ['Null', null], ['NULL', null], ['nULL', 'nULL'],
  // int: decimal integers read alike; 1.1's octal, binary, hex, underscores, sexagesimal and signs read as their value.
  ['0', 0], ['42', 42], ['-3', -3], ['123456789012345678901', '123456789012345678901'],
  ['0777', either('0777', 511)], ['010', either('010', 8)], ['01', either('01', 1)], ['00', either('00', 0)], ['08', '08'],
  ['0x1F', either('0x1F', 31)], ['0x1f', either('0x1f', 31)], ['-0x1F', either('-0x1F', -31)], ['0x_1F', either('0x_1F', 31)],
  ['0b101', either('0b101', 5)], ['0o17', '0o17'], ['0x', '0x'], ['0b', '0b'],
  ['1_000', either('1_000', 1000)], ['1:30', either('1:30', 90)], ['190:20:30', either('190:20:30', 685230)], ['1:60', '1:60'],
  ['+1', either('+1', 1)], ['-0', either('-0', 0)],
  ['0x1FFFFFFFFFFFFFFFF', either('0x1FFFFFFFFFFFFFFFF', '36893488147419103231')],
  // float: a number's 1.2 string form is its text; 1.1 writes its value as Java does.
  ['1.5', 1.5], ['-0.5', -0.5], ['1.0', '1.0'], ['100.0', '100.0'], ['0.0', '0.0'], ['-0.0', '-0.0'],
  ['1e3', '1e3'], ['1.5e3', '1.5e3'], ['1E3', '1E3'], ['1e+21', 1e21],
  ['1.10', either('1.10', 1.1)], ['0.50', either('0.50', 0.5)], ['09.5', either('09.5', 9.5)], ['.5', either('.5', 0.5)],
  ['-.5', either('-.5', -0.5)], ['+0.5', either('+0.5', 0.5)], ['1.', either('1.', '1.0')], ['1_0.5', either('1_0.5', 10.5)],
  ['1.5e+3', either('1.5e+3', '1500.0')], ['1.5E-3', either('1.5E-3', 0.0015)], ['12345678.5', new AmbiguousScalar('12345678.5', [12345678.5, '1.23456785E7'])],
  ['1:30.5', either('1:30.5', 90.5)], ['.inf', either('.inf', Infinity)], ['-.Inf', either('-.Inf', -Infinity)], ['.NaN', either('.NaN', NaN)],
  // Strings in both: CloudFormation has no timestamp type; versions, addresses and words.
  ['2010-09-09', '2010-09-09'], ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'], ['10.0.0.0/16', '10.0.0.0/16'],
  ['1.2.3', '1.2.3'], ['-x', '-x'], ['+x', '+x'], ['.x', '.x'], ['.', '.'], ['=', '='], ['Infinity', 'Infinity'],
  ['-Infinity', '-Infinity'], ['NaN', 'NaN'],
];

describe('plain scalars as CloudFormation may read them', () => {
  it.each(SCALARS)('%s', (text, expected) => {
    expect(resolvePlainScalar(text)).toEqual(expected);
    // In block and flow context, as a value, a sequence item and a key (which stays as written), in both readers.
    const yaml = `Value: ${text}\nList: [${text}]\nItems:\n  - ${text}\n${text}: key\nFlow: {${text}: key}\n`;
    const expectedBody = { Value: expected, List: [expected], Items: [expected], [text]: 'key', Flow: { [text]: 'key' } };
    const fast = readYamlFast(yaml);
    expect(fast, 'the fast reader reads it').toBeDefined();
    expect(fast!.body).toEqual(expectedBody);
    expect(parseYamlWithJsYaml(yaml).body).toEqual(expectedBody);
  });

  it('keeps quoted and tagged scalars strings', () => {
    const yaml = `A: 'yes'\nB: "0777"\nC: !!str on\nD: !Sub yes\nE: !Ref 1.10\n`;
    const expected = { A: 'yes', B: '0777', C: 'on', D: { 'Fn::Sub': 'yes' }, E: { Ref: '1.10' } };
    expect(parseYamlWithJsYaml(yaml).body).toEqual(expected);
    const fast = readYamlFast(yaml.replace('C: !!str on\n', ''));
    expect(fast!.body).toEqual({ ...expected, C: undefined });
  });

  it('gives readings whose string forms differ, the 1.2 reading first', () => {
    for (const [text] of SCALARS) {
      const value = resolvePlainScalar(text);
      if (!(value instanceof AmbiguousScalar)) continue;
      expect(value.text).toBe(text);
      expect(value.readings).toHaveLength(2);
      expect(String(value.readings[0])).toBe(text);
      expect(String(value.readings[1])).not.toBe(String(value.readings[0]));
    }
  });
});
