// Random Java patterns and values for the differential test against java.util.regex: built from fragments
// that exercise where Java and JavaScript/RE2 differ, with a seeded generator so that a failure repeats.

/** A small deterministic generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS = [
  'a', 'b', 'A', 'k', 's', '-', '.', '\\.', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '\\h', '\\v', '\\V', '\\n', '\\r',
  '\\t', '\\x41', '\\x{62}', '\\u0061', '\\0101', '\\cJ', '\\e', '\\-', '\\]', ']', '}', '\\Qa.b\\E', '\\Q-]\\E', '\\Q',
  '\\p{Lower}', '\\p{Upper}', '\\p{Alpha}', '\\p{Punct}', '\\p{Space}', '\\P{Alnum}', '\\p{XDigit}', '\\p{L}', '\\pL',
  '[a-c]', '[^a]', '[^\\n]', '[]a]', '[-a]', '[a-]', '[\\w-]', '[\\w-.]', '[a-c-e]', '[a-z&&[^aeiou]]', '[a-z&&b-d]',
  '[^a-z&&[b]]', '[a[b]]', '[^\\d\\s]', '[\\p{Lower}A]', '[a&b]', '[\\x{41}-\\x{43}]', '[.]', '[$^]', '[\\Q]\\E]',
  '^', '$', '\\A', '\\z', '\\Z', '\\b', '\\R', '\\1', 'é', 'É', '\\x{1F600}', '\u{1F600}', '\\u00e9', '{', 'x{',
];
/** Fragments this module is meant to read, for runs where most patterns should be understood. */
const READABLE_ATOMS = ATOMS.filter((atom) => !['\\b', '\\R', '\\1', '\\p{L}', '\\pL', '{', 'x{', '[\\Q]\\E]', '\\Q', '[^a-z&&[b]]'].includes(atom));
const QUANTIFIERS = ['', '', '', '*', '+', '?', '{2}', '{0,2}', '{1,}', '*?', '+?', '*+', '++', '?+', '{2}+', '{1,3}+', '{,2}', '**'];
const READABLE_QUANTIFIERS = QUANTIFIERS.filter((quantifier) => quantifier !== '{,2}' && quantifier !== '**');
const FLAGS = ['(?i)', '(?s)', '(?d)', '(?m)', '(?-i)', '(?is)', '(?x)', '(?u)'];
const READABLE_FLAGS = ['(?i)', '(?s)', '(?d)', '(?-i)', '(?is)'];

/** A random pattern of up to `depth` levels of groups. */
export function randomPattern(random: () => number, readable = false, depth = 3): string {
  const atoms = readable ? READABLE_ATOMS : ATOMS;
  const flags = readable ? READABLE_FLAGS : FLAGS;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const sequence = (level: number): string => {
    let text = '';
    const length = 1 + Math.floor(random() * 4);
    for (let i = 0; i < length; i++) {
      const roll = random();
      if (roll < 0.08) text += pick(flags);
      let atom: string;
      if (roll > 0.8 && level > 0) {
        const opener = pick(readable ? ['(', '(?:', '(?>', '(?i:', '(?-i:'] : ['(', '(?:', '(?>', '(?i:', '(?<n>', '(?=']);
        atom = `${opener}${alternation(level - 1)})`;
      } else {
        atom = pick(atoms);
      }
      const isAnchor = ['^', '$', '\\A', '\\z', '\\Z'].includes(atom);
      text += atom + (readable && isAnchor ? '' : pick(readable ? READABLE_QUANTIFIERS : QUANTIFIERS));
    }
    return text;
  };
  const alternation = (level: number): string => {
    const branches = random() < 0.25 ? 2 : 1;
    return Array.from({ length: branches }, () => (random() < 0.05 ? '' : sequence(level))).join('|');
  };
  return alternation(depth);
}

const VALUE_CHARS = ['a', 'b', 'A', 'B', 'k', 'K', 's', 'S', '\u212a', '\u017f', 'e', 'z', '0', '1', '9', '-', '.', ']', '}', '{',
  '\n', '\r', '\u0085', '\u2028', '\u000b', ' ', '\t', '\u00a0', '\u00e9', '\u00c9', '\u{1F600}', '_', '$', '^', '&', '\u001b', '\n', 'J', '\ud800', '\ude00', '\ud83d'];

/** Random values over characters where Java and other engines tend to differ. */
export function randomValues(random: () => number, count: number): string[] {
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    let value = '';
    const length = Math.floor(random() * 6);
    for (let j = 0; j < length; j++) value += VALUE_CHARS[Math.floor(random() * VALUE_CHARS.length)];
    values.push(value);
  }
  return values;
}

/** Values near `sample`: each character dropped, doubled, and a line terminator appended. */
export function mutations(sample: string): string[] {
  const chars = [...sample];
  const result = [`${sample}\n`, `${sample}\r\n`, `${sample}a`, `a${sample}`];
  for (let i = 0; i < chars.length && i < 6; i++) {
    result.push([...chars.slice(0, i), ...chars.slice(i + 1)].join(''));
    result.push([...chars.slice(0, i + 1), ...chars.slice(i)].join(''));
  }
  return result;
}
