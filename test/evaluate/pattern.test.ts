import { describe, expect, it } from 'vitest';
import { compileAllowedPattern, MAX_PATTERN_LENGTH, type CompiledPattern } from '../../src/evaluate/pattern';
import { askJava, javaIsInstalled } from './java-oracle';
import { mutations, randomPattern, randomValues, seededRandom } from './pattern-fuzz';

type Understood = Extract<CompiledPattern, { understood: true }>;

function understood(source: string): Understood {
  const compiled = compileAllowedPattern(source);
  if (!compiled.understood) throw new Error(`${source} not understood: ${compiled.reason}`);
  return compiled;
}

// Each row: a Java pattern, values Java's String.matches accepts, values it refuses (checked against
// java.util.regex 17 by the oracle test below where a JDK is installed).
const MATCH_TABLE: Array<[string, string[], string[]]> = [
  ['\\A\\d+\\z', ['0', '123456789012'], ['', '12a', '12\n', ' 1']],
  ['\\d{12}', ['123456789012'], ['12345678901', '1234567890123', '12345678901a', '１２３４５６７８９０１２']],
  ['\\p{Lower}+', ['abc', 'z'], ['', 'aBc', 'é', 'ß']],
  ['\\p{Upper}\\p{Alpha}*', ['A', 'Abc'], ['abc', 'É']],
  ['\\p{Alnum}+\\p{Punct}', ['a1!', 'Z9~'], ['a1', 'a1 ']],
  ['\\p{XDigit}{4}', ['09af', 'ABCD'], ['0g00', '123']],
  ['\\P{Space}+', ['a-b'], ['a b', 'a\u000bb']],
  ['\\Qa.b\\E', ['a.b'], ['axb', 'a.b.']],
  ['\\Qa.b', ['a.b'], ['axb']],
  ['x\\Q*\\E+', ['x*', 'x**'], ['x', 'xx']],
  ['[a-z&&[^aeiou]]+', ['bcd', 'xyz'], ['abc', 'e', 'B']],
  ['[a-z&&d-f]', ['d', 'e', 'f'], ['a', 'g']],
  ['[a-d[m-p]]+', ['abmp'], ['e', 'q']],
  ['^[a-z][a-z0-9-]*$', ['a', 'my-bucket-1'], ['', '1abc', 'Abc', 'abc\n']],
  ['^abc$', ['abc'], ['abc\n', 'abc\r\n', '\nabc']],
  ['abc\\Z', ['abc'], ['abc\n', 'abcd']],
  ['^$|^vpc-[0-9a-f]{8,17}$', ['', 'vpc-0123abcd'], ['vpc-0123', 'vpc-0123ABCD']],
  ['(?i)^[a-z]+$', ['abc', 'ABC', 'aBc'], ['\u212a', '\u017f', 'é']],
  ['(?i)k', ['k', 'K'], ['\u212a']],
  ['(?i:a)b', ['ab', 'Ab'], ['aB']],
  ['(a(?i)b)c', ['abc', 'aBc'], ['abC', 'Abc']],
  ['a(?i)b|c', ['ab', 'aB', 'c', 'C'], ['Ab']],
  ['.', ['a', 'é', '\u{1F600}', '\u0000'], ['\n', '\r', '\u0085', '\u2028', '\u2029', '', 'ab']],
  ['(?s).', ['\n', '\r'], ['']],
  ['(?d).', ['\r', '\u0085'], ['\n']],
  ['\\s+', [' \t\n\u000b\f\r'], ['\u00a0']],
  ['\\h', [' ', '\u00a0', '\u3000'], ['\n']],
  ['\\v', ['\n', '\u000b', '\u2029'], [' ', 'v']],
  ['\\w+', ['a_Z9'], ['é', 'a-b']],
  ['\\x41\\u0042\\0103\\x{44}\\cJ\\e', ['ABCD\n\u001b'], ['ABCD']],
  ['\\uD83D\\uDE00', ['\u{1F600}'], ['\uD83D']],
  ['[\\w+=,.@-]+', ['user+name=x,y.z@a-b'], ['user name', 'a/b']],
  ['[a-c-e]', ['a', 'c', '-', 'e'], ['d']],
  ['[\\w-.]+', ['a-b.c'], ['a b']],
  ['[]a]', [']', 'a'], ['b']],
  ['(?<name>ab)+', ['abab'], ['aba']],
  ['a*+b', ['b', 'aaab'], ['aaa']],
  ['[0-9]++x', ['1x', '123x'], ['x', '12']],
  ['(?>a|b)c', ['ac', 'bc'], ['abc']],
  ['(a?){3}', ['', 'a', 'aaa'], ['aaaa']],
  ['a{0}b', ['b'], ['ab']],
  ['}]', ['}]'], ['}']],
  ['(dev|test|prod)', ['dev', 'test', 'prod'], ['Dev', 'devtest', '']],
  ['arn:aws:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]+', ['arn:aws:sns:us-east-1:123456789012:my-topic'], ['arn:aws:sns:us-east-1:1234:my-topic']],
  ['(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})', ['10.0.0.0/16'], ['10.0.0/16', '10.0.0.0/123']],
  ['[\\x20-\\x7E]*', ['', 'Hello, World!'], ['tab\there', 'é']],
];

// Patterns whose Java meaning this module cannot reproduce exactly: they must be refused, with a reason.
const NOT_UNDERSTOOD: Array<[string, RegExp]> = [
  ['(a)\\1', /backreference/],
  ['(?<x>a)\\k<x>', /named backreference/],
  ['(?=a)a', /lookahead/],
  ['(?!a).', /lookahead/],
  ['(?<=a)b', /lookbehind/],
  ['(?<!a)b', /lookbehind/],
  ['\\bword\\b', /word boundary/],
  ['\\R', /linebreak/],
  ['\\X', /grapheme/],
  ['\\p{L}+', /property/],
  ['\\p{IsLatin}', /property/],
  ['\\p{javaLowerCase}', /property/],
  ['\\p{InGreek}', /property/],
  ['(?i)\\p{Lower}', /Java versions/],
  ['(?i)[^a]', /Java versions/],
  ['[^a-z&&[aeiou]]', /Java versions/],
  ['(?u)(?i)a', /UNICODE_CASE/],
  ['(?U)\\w', /UNICODE_CHARACTER_CLASS/],
  ['(?x)a b', /COMMENTS/],
  ['(?m)^a$', /MULTILINE/],
  ['a*+a', /possessive/],
  ['(?>a|ab)c', /possessive quantifier or atomic group/],
  ['(?>a*?)', /possessive quantifier or atomic group/],
  ['a$\\n', /can follow it/],
  ['(^|a)*b', /anchor/],
  ['a{1001}', /over 1000/],
  ['a{1000}{1000}', /two quantifiers/],
  ['(?:a{1000}){1000}', /linear-time matcher cannot run it/],
  ['((a{100}){100}){100}', /linear-time matcher cannot run it/],
  ['a{', /counted repetition/],
  ['*a', /nothing to repeat/],
  ['(a', /unclosed group/],
  ['a)', /unmatched/],
  ['[a', /unclosed class/],
  ['\\E', /\\E without \\Q/],
  ['\\y', /escape/],
  ['\uD800', /surrogate/],
  ['('.repeat(1000) + ')'.repeat(1000), /nest deeper/],
  ['a'.repeat(MAX_PATTERN_LENGTH + 1), /characters long/],
];

describe('compileAllowedPattern: Java semantics', () => {
  it.each(MATCH_TABLE)('%s', (source, accepted, refused) => {
    const compiled = understood(source);
    for (const value of accepted) expect(compiled.matches(value), JSON.stringify(value)).toBe(true);
    for (const value of refused) expect(compiled.matches(value), JSON.stringify(value)).toBe(false);
  });

  it.each(NOT_UNDERSTOOD)('not understood: %s', (source, reason) => {
    const compiled = compileAllowedPattern(source);
    expect(compiled.understood).toBe(false);
    if (!compiled.understood) expect(compiled.reason).toMatch(reason);
  });

  it('is memoised per source string', () => {
    expect(compileAllowedPattern('[a-z]+')).toBe(compileAllowedPattern('[a-z]+'));
  });
});

describe('compileAllowedPattern: hostile patterns stay fast', () => {
  it.each([
    ['(a+)+$', `${'a'.repeat(40)}b`],
    ['(a|a)*b', 'a'.repeat(5000)],
    ['(a*)*b', 'a'.repeat(5000)],
    ['(.*a){20}', `${'a'.repeat(5000)}b`],
    ['(\\w+\\s?)+$', `${'word '.repeat(2000)}!`],
  ])('%s against a long non-matching value', (source, value) => {
    const started = performance.now();
    const compiled = understood(source);
    expect(compiled.matches(value)).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses blow-ups at compile time, quickly', () => {
    const started = performance.now();
    for (const source of ['(?:(?:(?:a{1,1000}){1,1000}){1,1000})', '(((a{1,100}){1,100}){1,100}){1,100}', `${'(?:a|b)'.repeat(600)}`]) {
      compileAllowedPattern(source);
    }
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('samples bounded for patterns with huge automata or languages', () => {
    const started = performance.now();
    for (const source of ['(a|b|c|d){1000}', '(a?){1000}', '.{4000}', '[0-9a-f]{1000}', '(a|aa|aaa)*b']) {
      const compiled = compileAllowedPattern(source);
      if (compiled.understood) for (const value of compiled.sample(5, new Set())) expect(compiled.matches(value)).toBe(true);
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('sample', () => {
  function checkSamples(compiled: Understood, samples: string[], avoid: ReadonlySet<string>, min = 0, max = Infinity): void {
    expect(new Set(samples).size).toBe(samples.length);
    for (const [i, value] of samples.entries()) {
      expect(compiled.matches(value), JSON.stringify(value)).toBe(true);
      expect(avoid.has(value)).toBe(false);
      expect(value.length).toBeGreaterThanOrEqual(min);
      expect(value.length).toBeLessThanOrEqual(max);
      if (i > 0) expect(value.length).toBeGreaterThanOrEqual(samples[i - 1].length); // shortest first
    }
  }

  it('an account ID: twelve digits, none of the constants', () => {
    const compiled = understood('\\d{12}');
    const avoid = new Set(['000000000000', '123456789012']);
    const samples = compiled.sample(3, avoid);
    expect(samples).toHaveLength(3);
    checkSamples(compiled, samples, avoid);
  });

  it('an SNS topic ARN', () => {
    const compiled = understood('arn:aws:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]+');
    const samples = compiled.sample(2, new Set());
    expect(samples).toHaveLength(2);
    checkSamples(compiled, samples, new Set());
    expect(samples[0]).toMatch(/^arn:aws:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/);
  });

  it('a finite language gives what exists', () => {
    const compiled = understood('(dev|prod)');
    expect(compiled.sample(1, new Set(['dev']))).toEqual(['prod']);
    expect(compiled.sample(5, new Set(['dev']))).toEqual(['prod']);
    expect(compiled.sample(1, new Set(['dev', 'prod']))).toEqual([]);
    expect(compiled.sample(5, new Set())).toEqual(['dev', 'prod']);
    expect(understood('a?').sample(5, new Set())).toEqual(['', 'a']);
    expect(understood('[a&&b]').sample(5, new Set())).toEqual([]);
  });

  it('shortest first, within MinLength and MaxLength', () => {
    const compiled = understood('[a-z][a-z0-9-]*');
    const avoid = new Set(['a', 'b']);
    const samples = compiled.sample(5, avoid);
    expect(samples).toHaveLength(5);
    expect(samples[0]).toHaveLength(1);
    checkSamples(compiled, samples, avoid);
    const bounded = compiled.sample(4, new Set(), { min: 5, max: 6 });
    expect(bounded).toHaveLength(4);
    checkSamples(compiled, bounded, new Set(), 5, 6);
    expect(understood('[a-z]{3}').sample(3, new Set(), { min: 4 })).toEqual([]);
    expect(understood('[a-z]{3}').sample(3, new Set(), { max: 2 })).toEqual([]);
  });

  it('Java-only constructs, anchors and case-insensitivity', () => {
    for (const source of ['\\A\\d+\\z', '\\p{Lower}+', '\\Qa.b\\E', '[a-z&&[^aeiou]]+', '^abc$', '(?i)abc', 'x\\Z', '(?s).']) {
      const compiled = understood(source);
      const samples = compiled.sample(3, new Set());
      expect(samples.length, source).toBeGreaterThan(0);
      checkSamples(compiled, samples, new Set());
    }
    expect(understood('\\Qa.b\\E').sample(3, new Set())).toEqual(['a.b']);
    expect(understood('(?i)ab').sample(5, new Set())).toEqual(['ab', 'aB', 'Ab', 'AB']);
  });

  it('runs short only when the language has no more', () => {
    const letters = understood('[a-z]');
    expect(letters.sample(30, new Set())).toHaveLength(26);
    const avoid = new Set(['a', 'b', 'c']);
    const rest = letters.sample(30, avoid);
    expect(rest).toHaveLength(23);
    checkSamples(letters, rest, avoid);
    const alphanumeric = understood('[a-zA-Z0-9]');
    const many = alphanumeric.sample(40, new Set());
    expect(many).toHaveLength(40);
    checkSamples(alphanumeric, many, new Set());
  });

  it('a large avoid set is stepped over', () => {
    const compiled = understood('[0-9]{2}');
    const avoid = new Set(Array.from({ length: 95 }, (_, i) => String(i).padStart(2, '0')));
    expect(compiled.sample(10, avoid)).toEqual(['95', '96', '97', '98', '99']);
  });
});

describe('language: every value, or undefined', () => {
  it.each([
    ['(dev|test|prod)', {}, ['dev', 'prod', 'test']],
    ['a?', {}, ['', 'a']],
    ['(?i)ab', {}, ['AB', 'Ab', 'aB', 'ab']],
    ['[a-z]+', { max: 1 }, 'abcdefghijklmnopqrstuvwxyz'.split('')],
    ['[a-c]{1,3}', { min: 3 }, undefined],
    ['[ab]{1,2}', { min: 2 }, ['aa', 'ab', 'ba', 'bb']],
    ['[a&&b]', {}, []],
    ['\\d{12}', {}, undefined],
    ['[a-z]+', {}, undefined],
    ['a{0,40}', {}, undefined],
    ['.', {}, undefined],
  ] as const)('%s %o', (source, lengths, expected) => {
    const result = understood(source).language(32, lengths);
    expect(result === undefined ? undefined : [...result].sort()).toEqual(expected);
  });

  it('is exact at the limit', () => {
    expect(understood('[a-z]').language(26)).toHaveLength(26);
    expect(understood('[a-z]').language(25)).toBeUndefined();
  });
});

// Where a JDK is installed, java.util.regex itself is the oracle: every pattern this module understands must
// match exactly the values Java's String.matches accepts, and every pattern Java refuses must be refused here.
describe.runIf(javaIsInstalled())('compileAllowedPattern agrees with java.util.regex', () => {
  it('on the tables above and the samples', () => {
    const cases = MATCH_TABLE.map(([pattern, accepted, refused]) => {
      const samples = understood(pattern).sample(5, new Set());
      return { pattern, values: [...accepted, ...refused, ...samples, ...samples.flatMap(mutations)] };
    });
    const verdicts = askJava(cases);
    cases.forEach(({ pattern, values }, i) => {
      expect(verdicts[i].compiles, pattern).toBe(true);
      const compiled = understood(pattern);
      values.forEach((value, k) => expect(compiled.matches(value) ? '1' : '0', `${pattern} ${JSON.stringify(value)}`).toBe(verdicts[i].results[k]));
    });
  });

  it.each([
    ['readable', 1, true],
    ['readable', 2, true],
    ['any', 3, false],
  ] as const)('on random patterns (%s, seed %i)', (_kind, seed, readable) => {
    const random = seededRandom(seed);
    const cases = Array.from({ length: 2500 }, () => {
      const pattern = randomPattern(random, readable);
      const compiled = compileAllowedPattern(pattern);
      const samples = compiled.understood ? compiled.sample(5, new Set()) : [];
      return { pattern, compiled, values: [...randomValues(random, 20), ...samples, ...samples.flatMap(mutations)] };
    });
    const verdicts = askJava(cases);
    let understoodCount = 0;
    cases.forEach(({ pattern, compiled, values }, i) => {
      if (!compiled.understood) return;
      understoodCount += 1;
      expect(verdicts[i].compiles, `Java refuses ${pattern}`).toBe(true);
      values.forEach((value, k) => {
        if (verdicts[i].results[k] === 'E') return;
        expect(compiled.matches(value) ? '1' : '0', `${pattern} ${JSON.stringify(value)}`).toBe(verdicts[i].results[k]);
      });
    });
    expect(understoodCount).toBeGreaterThan(readable ? 1000 : 500);
  });
});
