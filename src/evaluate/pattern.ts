// CloudFormation checks a parameter value against its `AllowedPattern` with java.util.regex, matched against
// the whole value (`String.matches`). JavaScript's RegExp reads many of those patterns differently (`\A`, `\z`,
// `\p{Lower}`, `\Q…\E`, `.` and line terminators, `\s` and `\v`, `[a-z&&[^aeiou]]`) and backtracks, so a
// pull request's `(a+)+` could hang the run. Here a pattern is parsed the way Java parses it, into a small tree
// of code-point sets, concatenations, alternations and counted repetitions; that tree is written out in a
// minimal RE2 syntax (explicit code-point ranges, `\A`, `\z`) and matched by re2js in linear time, and it is
// walked to generate sample values. Whatever Java reads in a way this module cannot reproduce exactly —
// backreferences, lookaround, word boundaries, Unicode properties, version-dependent case folding, possessive
// and atomic constructs that could change the language — makes the pattern "not understood": never an
// approximation, because an approximation could accept a value CloudFormation refuses or refuse one it takes.
import type { RE2JS } from 're2js';

export type CompiledPattern =
  | {
      understood: true;
      /** Whether CloudFormation accepts `value` for this pattern (Java `String.matches`), in linear time. */
      matches(value: string): boolean;
      /**
       * Up to `count` distinct strings that match, none in `avoid`, shortest first, with lengths (in UTF-16
       * code units and in code points) within `lengths`. Fewer when the language (within `lengths`, less
       * `avoid`) has fewer strings — then all of them — but also when the generation budget runs out on a
       * hostile pattern: fewer is NOT a proof that the list is complete; `language` gives that proof.
       */
      sample(count: number, avoid: ReadonlySet<string>, lengths?: { min?: number; max?: number }): string[];
      /**
       * Every string that matches, with its length (UTF-16 code units) within `lengths`, shortest first, when
       * there are at most `limit` of them; undefined when there are more, or when that cannot be shown within
       * the budget. Never a partial list.
       */
      language(limit: number, lengths?: { min?: number; max?: number }): string[] | undefined;
    }
  | { understood: false; reason: string };

/** Longer patterns are not read at all: a parameter constraint has no need of more. */
export const MAX_PATTERN_LENGTH = 4096;
/** Group and class nesting beyond this is not read (keeps the recursive parser far from the stack limit). */
const MAX_NESTING = 100;
/** RE2's own limit on a counted repetition. */
const MAX_REPEAT = 1000;
/** Samples are generated from an automaton of at most this many states; a larger one gives no samples. */
const MAX_SAMPLE_STATES = 20_000;
/** Samples longer than this are not generated. */
const MAX_SAMPLE_LENGTH = 4096;
/** Bound on the work of one `sample` call (states visited and characters tried). */
const SAMPLE_BUDGET = 300_000;
const MEMO_LIMIT = 2048;

const memo = new Map<string, CompiledPattern>();

/** Reads `source` as Java would for `AllowedPattern`; the result is cached per source string. */
export function compileAllowedPattern(source: string): CompiledPattern {
  const cached = memo.get(source);
  if (cached) return cached;
  const compiled = compileUncached(source);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(source, compiled);
  return compiled;
}

function compileUncached(source: string): CompiledPattern {
  if (source.length > MAX_PATTERN_LENGTH) {
    return notUnderstood(`the pattern is ${source.length} characters long, over the ${MAX_PATTERN_LENGTH} read`);
  }
  let tree: PatternNode;
  try {
    tree = resolveJavaOnlyConstructs(new JavaPatternParser(source).parse());
  } catch (error) {
    if (error instanceof NotUnderstood) return notUnderstood(error.message);
    throw error;
  }
  let re2: RE2JS;
  try {
    // Loaded on the first pattern read: most runs read none, and every run would pay for loading it.
    const { RE2JS: Re2 } = require('re2js') as typeof import('re2js');
    re2 = Re2.compile(toRe2Syntax(tree));
  } catch (error) {
    // RE2 refuses what it cannot run in bounded space: repetition counts over 1000, programs too large.
    return notUnderstood(`the linear-time matcher cannot run it (${error instanceof Error ? error.message : String(error)})`);
  }
  const matches = (value: string): boolean => re2.testExact(value);
  let generator: SampleGenerator | null | undefined;
  const getGenerator = () => {
    if (generator === undefined) generator = nfaSize(tree) <= MAX_SAMPLE_STATES ? new SampleGenerator(tree, matches) : null;
    return generator;
  };
  return {
    understood: true,
    matches,
    sample(count, avoid, lengths = {}) {
      return getGenerator()?.sample(count, avoid, lengths.min ?? 0, lengths.max ?? Infinity) ?? [];
    },
    language(limit, lengths = {}) {
      return getGenerator()?.language(limit, lengths.min ?? 0, lengths.max ?? Infinity);
    },
  };
}

function notUnderstood(reason: string): CompiledPattern {
  return { understood: false, reason };
}

/** Thrown inside this module only, caught by `compileUncached`: the pattern is not understood. */
class NotUnderstood extends Error {}

// ---------------------------------------------------------------------------------------------------------
// Sets of code points: sorted, disjoint, non-adjacent inclusive ranges [lo0, hi0, lo1, hi1, …].

type CodePointSet = readonly number[];

const MAX_CODE_POINT = 0x10ffff;
const EMPTY: CodePointSet = [];
const ANY: CodePointSet = [0, MAX_CODE_POINT];

function setOf(...ranges: Array<[number, number] | number>): CodePointSet {
  const pairs = ranges.map((range): [number, number] => (typeof range === 'number' ? [range, range] : range));
  pairs.sort((a, b) => a[0] - b[0]);
  const result: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = result.length - 1;
    if (last > 0 && lo <= result[last] + 1) result[last] = Math.max(result[last], hi);
    else result.push(lo, hi);
  }
  return result;
}

function union(a: CodePointSet, b: CodePointSet): CodePointSet {
  const ranges: Array<[number, number]> = [];
  for (const set of [a, b]) for (let i = 0; i < set.length; i += 2) ranges.push([set[i], set[i + 1]]);
  return setOf(...ranges);
}

function complement(set: CodePointSet): CodePointSet {
  const result: number[] = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    if (set[i] > next) result.push(next, set[i] - 1);
    next = set[i + 1] + 1;
  }
  if (next <= MAX_CODE_POINT) result.push(next, MAX_CODE_POINT);
  return result;
}

function intersect(a: CodePointSet, b: CodePointSet): CodePointSet {
  return complement(union(complement(a), complement(b)));
}

function contains(set: CodePointSet, codePoint: number): boolean {
  for (let i = 0; i < set.length; i += 2) if (codePoint >= set[i] && codePoint <= set[i + 1]) return true;
  return false;
}

function sameSet(a: CodePointSet, b: CodePointSet): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * Java's CASE_INSENSITIVE without UNICODE_CASE folds ASCII letters only: a character matches when it, or the
 * other case of an ASCII letter, is in the set.
 */
function foldAsciiCase(set: CodePointSet): CodePointSet {
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < set.length; i += 2) {
    ranges.push([set[i], set[i + 1]]);
    for (const [from, to] of [[0x41, 0x61], [0x61, 0x41]]) {
      const lo = Math.max(set[i], from);
      const hi = Math.min(set[i + 1], from + 25);
      if (lo <= hi) ranges.push([lo - from + to, hi - from + to]);
    }
  }
  return setOf(...ranges);
}

const LINE_TERMINATORS = setOf(0x0a, 0x0d, 0x85, 0x2028, 0x2029);
const DIGIT = setOf([0x30, 0x39]);
const WORD = setOf([0x30, 0x39], [0x41, 0x5a], 0x5f, [0x61, 0x7a]);
const SPACE = setOf([0x09, 0x0d], 0x20);
const HORIZONTAL_SPACE = setOf(0x09, 0x20, 0xa0, 0x1680, 0x180e, [0x2000, 0x200a], 0x202f, 0x205f, 0x3000);
const VERTICAL_SPACE = setOf([0x0a, 0x0d], 0x85, 0x2028, 0x2029);

/** `\p{…}` names Java reads as ASCII POSIX classes (without UNICODE_CHARACTER_CLASS); others are Unicode data. */
const POSIX_CLASSES = new Map<string, CodePointSet>([
  ['Lower', setOf([0x61, 0x7a])],
  ['Upper', setOf([0x41, 0x5a])],
  ['ASCII', setOf([0x00, 0x7f])],
  ['Alpha', setOf([0x41, 0x5a], [0x61, 0x7a])],
  ['Digit', DIGIT],
  ['Alnum', setOf([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a])],
  ['Punct', setOf([0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e])],
  ['Graph', setOf([0x21, 0x7e])],
  ['Print', setOf([0x20, 0x7e])],
  ['Blank', setOf(0x20, 0x09)],
  ['Cntrl', setOf([0x00, 0x1f], 0x7f)],
  ['XDigit', setOf([0x30, 0x39], [0x41, 0x46], [0x61, 0x66])],
  ['Space', SPACE],
]);

// ---------------------------------------------------------------------------------------------------------
// The tree. A group is not a node of its own: captures do not matter when only the whole value is matched.

type PatternNode =
  | { kind: 'chars'; set: CodePointSet }
  | { kind: 'concat'; items: PatternNode[] }
  | { kind: 'alt'; items: PatternNode[] }
  /** `lazy` (reluctant) matters only inside an atomic group: it makes the group commit to the shortest match. */
  | { kind: 'repeat'; body: PatternNode; min: number; max: number; lazy: boolean }
  /** An atomic group, or a possessive quantifier around its greedy repetition: kept only where provably inert. */
  | { kind: 'atomic'; body: PatternNode }
  | { kind: 'start' }
  | { kind: 'end' }
  /** Java's `$` (without MULTILINE) and `\Z`: end of input, or before a line terminator that ends it. */
  | { kind: 'endOrFinalLineTerminator' };

interface Flags {
  caseInsensitive: boolean;
  dotAll: boolean;
  unixLines: boolean;
  multiline: boolean;
}

/**
 * java.util.regex's syntax (as of Java 11–21), for the constructs this module reproduces; any other construct,
 * and anything Java itself would reject, raises NotUnderstood.
 */
class JavaPatternParser {
  private readonly codePoints: number[];
  private position = 0;
  private flags: Flags = { caseInsensitive: false, dotAll: false, unixLines: false, multiline: false };
  private depth = 0;

  constructor(source: string) {
    this.codePoints = [];
    for (const char of source) {
      const codePoint = char.codePointAt(0) ?? 0;
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) throw new NotUnderstood('it contains an unpaired surrogate');
      this.codePoints.push(codePoint);
    }
  }

  parse(): PatternNode {
    const node = this.alternation();
    if (this.position < this.codePoints.length) throw new NotUnderstood('an unmatched ")"');
    return node;
  }

  private peek(offset = 0): number {
    return this.codePoints[this.position + offset] ?? -1;
  }

  private next(): number {
    const codePoint = this.peek();
    if (codePoint < 0) throw new NotUnderstood('it ends in the middle of a construct');
    this.position += 1;
    return codePoint;
  }

  private nest(): void {
    if (++this.depth > MAX_NESTING) throw new NotUnderstood(`groups or classes nest deeper than ${MAX_NESTING}`);
  }

  private alternation(): PatternNode {
    const items = [this.sequence()];
    while (this.peek() === 0x7c /* | */) {
      this.position += 1;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0] : { kind: 'alt', items };
  }

  private sequence(): PatternNode {
    const items: PatternNode[] = [];
    for (;;) {
      const codePoint = this.peek();
      if (codePoint < 0 || codePoint === 0x7c /* | */ || codePoint === 0x29 /* ) */) break;
      const atoms = this.atoms();
      if (atoms.length === 0) {
        if (isQuantifierStart(this.peek())) throw new NotUnderstood('a quantifier with nothing to repeat');
        continue;
      }
      items.push(...atoms.slice(0, -1), this.quantified(atoms[atoms.length - 1]));
    }
    return items.length === 1 ? items[0] : { kind: 'concat', items };
  }

  /** The next atom; several for `\Q…\E` (a quantifier applies to its last character, as in Java); none for a flag group. */
  private atoms(): PatternNode[] {
    const codePoint = this.next();
    switch (codePoint) {
      case 0x28 /* ( */:
        return this.group();
      case 0x5b /* [ */:
        return [{ kind: 'chars', set: this.characterClass() }];
      case 0x2e /* . */:
        return [{ kind: 'chars', set: this.dot() }];
      case 0x5e /* ^ */:
        if (this.flags.multiline) throw new NotUnderstood('"^" in MULTILINE mode');
        return [{ kind: 'start' }];
      case 0x24 /* $ */:
        if (this.flags.multiline) throw new NotUnderstood('"$" in MULTILINE mode');
        return [{ kind: 'endOrFinalLineTerminator' }];
      case 0x5c /* \ */:
        return this.escapeOutsideClass();
      case 0x2a /* * */:
      case 0x2b /* + */:
      case 0x3f /* ? */:
      case 0x7b /* { */:
        throw new NotUnderstood('a quantifier with nothing to repeat');
      default:
        return [this.literal(codePoint)];
    }
  }

  private literal(codePoint: number): PatternNode {
    const set = setOf(codePoint);
    return { kind: 'chars', set: this.flags.caseInsensitive ? foldAsciiCase(set) : set };
  }

  private dot(): CodePointSet {
    if (this.flags.dotAll) return ANY;
    return complement(this.flags.unixLines ? setOf(0x0a) : LINE_TERMINATORS);
  }

  private quantified(atom: PatternNode): PatternNode {
    let min: number;
    let max: number;
    switch (this.peek()) {
      case 0x2a /* * */: [min, max] = [0, Infinity]; this.position += 1; break;
      case 0x2b /* + */: [min, max] = [1, Infinity]; this.position += 1; break;
      case 0x3f /* ? */: [min, max] = [0, 1]; this.position += 1; break;
      case 0x7b /* { */: [min, max] = this.countedRepetition(); break;
      default: return atom;
    }
    if (atom.kind === 'start' || atom.kind === 'end' || atom.kind === 'endOrFinalLineTerminator') {
      throw new NotUnderstood('a quantifier on an anchor');
    }
    const lazy = this.peek() === 0x3f; /* ? */
    let node: PatternNode = { kind: 'repeat', body: atom, min, max, lazy };
    if (lazy) {
      this.position += 1;
    } else if (this.peek() === 0x2b /* + */) {
      this.position += 1;
      node = { kind: 'atomic', body: node };
    }
    if (isQuantifierStart(this.peek())) throw new NotUnderstood('two quantifiers in a row');
    return node;
  }

  private countedRepetition(): [number, number] {
    this.position += 1;
    const min = this.decimal();
    if (min === undefined) throw new NotUnderstood('a "{" that is not a counted repetition (Java refuses it)');
    let max = min;
    if (this.peek() === 0x2c /* , */) {
      this.position += 1;
      max = this.peek() === 0x7d ? Infinity : this.decimal() ?? -1;
    }
    if (this.next() !== 0x7d /* } */ || max < min) throw new NotUnderstood('a malformed counted repetition');
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
      throw new NotUnderstood(`a repetition count over ${MAX_REPEAT}`);
    }
    return [min, max];
  }

  private decimal(): number | undefined {
    let digits = '';
    while (this.peek() >= 0x30 && this.peek() <= 0x39 && digits.length < 8) digits += String.fromCodePoint(this.next());
    return digits === '' ? undefined : Number(digits);
  }

  private group(): PatternNode[] {
    this.nest();
    const saved = this.flags;
    let node: PatternNode;
    if (this.peek() !== 0x3f /* ? */) {
      node = this.alternation();
    } else {
      this.position += 1;
      const kind = this.next();
      if (kind === 0x3a /* : */) {
        node = this.alternation();
      } else if (kind === 0x3e /* > */) {
        node = { kind: 'atomic', body: this.alternation() };
      } else if (kind === 0x3d /* = */ || kind === 0x21 /* ! */) {
        throw new NotUnderstood('a lookahead');
      } else if (kind === 0x3c /* < */) {
        if (this.peek() === 0x3d || this.peek() === 0x21) throw new NotUnderstood('a lookbehind');
        this.groupName();
        node = this.alternation();
      } else {
        this.position -= 1;
        this.flags = this.inlineFlags();
        const end = this.next();
        if (end === 0x29 /* ) */) {
          this.depth -= 1;
          return []; // (?i) alone: the flags hold until the enclosing group ends
        }
        if (end !== 0x3a /* : */) throw new NotUnderstood('a malformed group');
        node = this.alternation();
      }
    }
    if (this.peek() !== 0x29 /* ) */) throw new NotUnderstood('an unclosed group');
    this.position += 1;
    this.flags = saved;
    this.depth -= 1;
    return [node];
  }

  private groupName(): void {
    const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!isLetter(this.peek())) throw new NotUnderstood('a malformed group name');
    let name = '';
    while (isLetter(this.peek()) || (this.peek() >= 0x30 && this.peek() <= 0x39)) name += String.fromCodePoint(this.next());
    if (this.next() !== 0x3e /* > */) throw new NotUnderstood('a malformed group name');
    if (this.groupNames.has(name)) throw new NotUnderstood(`two groups named "${name}" (Java refuses it)`);
    this.groupNames.add(name);
  }

  private readonly groupNames = new Set<string>();

  private inlineFlags(): Flags {
    const flags = { ...this.flags };
    let on = true;
    for (;;) {
      const codePoint = this.peek();
      const letter = String.fromCodePoint(Math.max(codePoint, 0));
      if (letter === '-' && on) on = false;
      else if (letter === 'i') flags.caseInsensitive = on;
      else if (letter === 's') flags.dotAll = on;
      else if (letter === 'd') flags.unixLines = on;
      else if (letter === 'm') flags.multiline = on;
      else if (letter === 'u' || letter === 'U' || letter === 'x') {
        if (on) throw new NotUnderstood(`the embedded flag "${letter}" (${FLAG_NAMES[letter]})`);
      } else {
        return flags;
      }
      this.position += 1;
    }
  }

  private escapeOutsideClass(): PatternNode[] {
    const letter = this.peek();
    switch (letter) {
      case 0x41 /* A */: this.position += 1; return [{ kind: 'start' }];
      case 0x7a /* z */: this.position += 1; return [{ kind: 'end' }];
      case 0x5a /* Z */: this.position += 1; return [{ kind: 'endOrFinalLineTerminator' }];
      case 0x51 /* Q */: {
        this.position += 1;
        const quoted: PatternNode[] = [];
        while (this.peek() >= 0 && !(this.peek() === 0x5c && this.peek(1) === 0x45 /* \E */)) {
          quoted.push(this.literal(this.next()));
        }
        if (this.peek() >= 0) this.position += 2;
        if (quoted.length === 0 && isQuantifierStart(this.peek())) {
          throw new NotUnderstood('a quantifier after an empty \\Q\\E');
        }
        return quoted;
      }
      default: {
        const set = this.escape(false);
        return [{ kind: 'chars', set: this.applyCase(set.set, set.isClass) }];
      }
    }
  }

  /**
   * Escapes that stand for characters or character classes, inside or outside `[…]`. A single character
   * comes back with isClass false (it may start a range inside a class).
   */
  private escape(inClass: boolean): { set: CodePointSet; isClass: boolean; codePoint?: number } {
    const letter = this.next();
    const char = (codePoint: number) => ({ set: setOf(codePoint), isClass: false, codePoint });
    const cls = (set: CodePointSet) => ({ set, isClass: true });
    switch (String.fromCodePoint(letter)) {
      case 'd': return cls(DIGIT);
      case 'D': return cls(complement(DIGIT));
      case 'w': return cls(WORD);
      case 'W': return cls(complement(WORD));
      case 's': return cls(SPACE);
      case 'S': return cls(complement(SPACE));
      case 'h': return cls(HORIZONTAL_SPACE);
      case 'H': return cls(complement(HORIZONTAL_SPACE));
      case 'v': return cls(VERTICAL_SPACE);
      case 'V': return cls(complement(VERTICAL_SPACE));
      case 'p': return cls(this.property(false));
      case 'P': return cls(this.property(true));
      case 't': return char(0x09);
      case 'n': return char(0x0a);
      case 'r': return char(0x0d);
      case 'f': return char(0x0c);
      case 'a': return char(0x07);
      case 'e': return char(0x1b);
      case '0': return char(this.octal());
      case 'x': return char(this.hexEscape());
      case 'u': return char(this.unicodeEscape());
      case 'c': return char(this.next() ^ 64);
      default:
        break;
    }
    if (isAsciiLetterOrDigit(letter)) {
      const what = ESCAPE_NAMES.get(String.fromCodePoint(letter));
      throw new NotUnderstood(what ? `${what} (\\${String.fromCodePoint(letter)})` : `the escape \\${String.fromCodePoint(letter)}${inClass ? ' in a class' : ''}`);
    }
    return char(letter);
  }

  private property(negated: boolean): CodePointSet {
    let name: string;
    if (this.peek() === 0x7b /* { */) {
      this.position += 1;
      name = '';
      while (this.peek() >= 0 && this.peek() !== 0x7d) name += String.fromCodePoint(this.next());
      this.next();
    } else {
      name = String.fromCodePoint(this.next());
    }
    const set = POSIX_CLASSES.get(name);
    if (!set) throw new NotUnderstood(`the property \\p{${name}} (Unicode data or an unknown name)`);
    if (this.flags.caseInsensitive && !sameSet(foldAsciiCase(set), set)) {
      throw new NotUnderstood(`\\p{${name}} with (?i), which Java versions read differently`);
    }
    return negated ? complement(set) : set;
  }

  private octal(): number {
    const isOctal = (c: number) => c >= 0x30 && c <= 0x37;
    if (!isOctal(this.peek())) throw new NotUnderstood('a malformed octal escape');
    let value = this.next() - 0x30;
    if (isOctal(this.peek())) {
      const first = value;
      value = value * 8 + this.next() - 0x30;
      if (isOctal(this.peek()) && first <= 3) value = value * 8 + this.next() - 0x30;
    }
    return value;
  }

  private hexDigits(count: number): number {
    let text = '';
    for (let i = 0; i < count; i++) text += String.fromCodePoint(this.next());
    if (!/^[0-9a-fA-F]+$/.test(text)) throw new NotUnderstood('a malformed hexadecimal escape');
    return parseInt(text, 16);
  }

  private hexEscape(): number {
    if (this.peek() !== 0x7b /* { */) return this.hexDigits(2);
    this.position += 1;
    let text = '';
    while (this.peek() !== 0x7d && text.length <= 8) text += String.fromCodePoint(this.next());
    this.next();
    const value = parseInt(text, 16);
    if (!/^[0-9a-fA-F]+$/.test(text) || value > MAX_CODE_POINT) throw new NotUnderstood('a malformed \\x{…} escape');
    if (value >= 0xd800 && value <= 0xdfff) throw new NotUnderstood('an escaped lone surrogate');
    return value;
  }

  /** `\uXXXX`; Java joins an escaped high surrogate with an escaped low one that follows. */
  private unicodeEscape(): number {
    const high = this.hexDigits(4);
    if (high >= 0xd800 && high <= 0xdbff && this.peek() === 0x5c && this.peek(1) === 0x75 /* \u */) {
      const saved = this.position;
      this.position += 2;
      const low = this.hexDigits(4);
      if (low >= 0xdc00 && low <= 0xdfff) return 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
      this.position = saved;
    }
    if (high >= 0xd800 && high <= 0xdfff) throw new NotUnderstood('an escaped lone surrogate');
    return high;
  }

  private applyCase(set: CodePointSet, isClass: boolean): CodePointSet {
    // Predefined classes are closed under ASCII case already, or refused in property().
    return this.flags.caseInsensitive && !isClass ? foldAsciiCase(set) : set;
  }

  /**
   * `[…]` after its `[`. Java 9+ reads `^` as negating the whole class and `&&` as intersecting what is on
   * either side; Java 8 read both differently in some combinations, so only the forms all agree on are read:
   * no `^` together with `&&`, no empty operand, and under (?i) no negation or intersection anywhere in a class
   * that has a letter case folding would change (whether folding comes before or after the operation varies).
   */
  private characterClass(): CodePointSet {
    const outermost = this.classDepth === 0;
    if (outermost) this.classShape = { operation: false, foldSensitiveLeaf: false };
    this.classDepth += 1;
    this.nest();
    const negated = this.peek() === 0x5e /* ^ */;
    if (negated) this.position += 1;
    const operands: CodePointSet[] = [];
    let operand: CodePointSet | undefined;
    let first = true;
    for (;;) {
      const codePoint = this.peek();
      if (codePoint < 0) throw new NotUnderstood('an unclosed class');
      if (codePoint === 0x5d /* ] */ && !first) {
        this.position += 1;
        break;
      }
      if (codePoint === 0x26 && this.peek(1) === 0x26 /* && */) {
        if (operand === undefined) throw new NotUnderstood('"&&" with nothing on its left');
        operands.push(operand);
        operand = undefined;
        this.position += 2;
        if (this.peek() === 0x5e || this.peek() === 0x26 || this.peek() === 0x5d) {
          throw new NotUnderstood('"&&" followed by "^", "&" or "]"');
        }
        continue;
      }
      let item: CodePointSet;
      if (codePoint === 0x5b /* [ */) {
        this.position += 1;
        item = this.characterClass();
      } else {
        item = this.classItem();
      }
      operand = operand === undefined ? item : union(operand, item);
      first = false;
    }
    if (operand === undefined) throw new NotUnderstood('"&&" with nothing on its right');
    operands.push(operand);
    const intersected = operands.length > 1;
    if (negated && intersected) throw new NotUnderstood('a class with both "^" and "&&" (Java versions differ)');
    this.classShape.operation ||= negated || intersected;
    this.classDepth -= 1;
    this.depth -= 1;
    if (outermost && this.flags.caseInsensitive && this.classShape.operation && this.classShape.foldSensitiveLeaf) {
      throw new NotUnderstood('a negated or intersected class of letters under (?i) (Java versions differ)');
    }
    const set = operands.reduce(intersect);
    return negated ? complement(set) : set;
  }

  private classDepth = 0;
  private classShape = { operation: false, foldSensitiveLeaf: false };

  /**
   * One character, range or predefined class inside `[…]`, already case-folded under (?i). As in Java, a
   * "-" is a range only between two characters; elsewhere (first, last, after a range or a predefined
   * class) it is itself, and a "]" first in the class is itself too.
   */
  private classItem(): CodePointSet {
    const start = this.classCharacter();
    const isRangeDash = this.peek() === 0x2d /* - */ && this.peek(1) !== 0x5d /* ] */;
    if (start.codePoint === undefined || !isRangeDash) return this.classLeaf(start.set);
    if (start.codePoint === 0x2d) throw new NotUnderstood('a range starting at "-"');
    this.position += 1;
    if (this.peek() === 0x5b || this.peek() === 0x26) throw new NotUnderstood('a range ending at "[" or "&"');
    const end = this.classCharacter();
    if (end.codePoint === undefined || end.codePoint < start.codePoint) throw new NotUnderstood('a malformed range');
    return this.classLeaf(setOf([start.codePoint, end.codePoint]));
  }

  private classLeaf(set: CodePointSet): CodePointSet {
    const folded = this.flags.caseInsensitive ? foldAsciiCase(set) : set;
    if (!sameSet(folded, set)) this.classShape.foldSensitiveLeaf = true;
    return folded;
  }

  private classCharacter(): { set: CodePointSet; codePoint?: number } {
    const codePoint = this.next();
    if (codePoint !== 0x5c /* \ */) return { set: setOf(codePoint), codePoint };
    if (this.peek() === 0x51 /* Q */) throw new NotUnderstood('\\Q in a class');
    const escaped = this.escape(true);
    return escaped.isClass ? { set: escaped.set } : { set: escaped.set, codePoint: escaped.codePoint };
  }
}

function isQuantifierStart(codePoint: number): boolean {
  return codePoint === 0x2a || codePoint === 0x2b || codePoint === 0x3f || codePoint === 0x7b;
}

function isAsciiLetterOrDigit(codePoint: number): boolean {
  return (codePoint >= 0x30 && codePoint <= 0x39) || (codePoint >= 0x41 && codePoint <= 0x5a) || (codePoint >= 0x61 && codePoint <= 0x7a);
}

const FLAG_NAMES: Record<string, string> = { u: 'UNICODE_CASE', U: 'UNICODE_CHARACTER_CLASS', x: 'COMMENTS' };

const ESCAPE_NAMES = new Map<string, string>([
  ...['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((digit): [string, string] => [digit, 'a backreference']),
  ['k', 'a named backreference'],
  ['b', 'a word boundary'],
  ['B', 'a word boundary'],
  ['G', 'the end-of-previous-match anchor'],
  ['R', 'a linebreak matcher (atomic in Java)'],
  ['X', 'a grapheme cluster'],
  ['N', 'a named character'],
  ['E', 'a \\E without \\Q'],
]);

// ---------------------------------------------------------------------------------------------------------
// Java-only constructs kept only where they cannot change what matches the whole value.

/**
 * `$` and `\Z` become the end of input where nothing can be consumed after them (then a match must end there).
 * An atomic group (or possessive quantifier) is dropped where backtracking into it could not help: its body
 * matches strings of one length only, or it greedily repeats one character set that nothing after it can
 * start with (then the longest run is the only one that can succeed, with or without backtracking).
 */
function resolveJavaOnlyConstructs(tree: PatternNode): PatternNode {
  return resolve(tree, EMPTY);
}

function resolve(node: PatternNode, follow: CodePointSet): PatternNode {
  switch (node.kind) {
    case 'chars':
    case 'start':
    case 'end':
      return node;
    case 'endOrFinalLineTerminator':
      if (follow.length > 0) throw new NotUnderstood('"$" or "\\Z" with something that can follow it');
      return { kind: 'end' };
    case 'alt':
      return { kind: 'alt', items: node.items.map((item) => resolve(item, follow)) };
    case 'concat': {
      const items: PatternNode[] = [];
      let after = follow;
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];
        items.unshift(resolve(item, after));
        after = nullable(item) ? union(firstChars(item), after) : firstChars(item);
      }
      return { kind: 'concat', items };
    }
    case 'repeat': {
      // Java leaves a loop after an iteration that matched nothing, which changes the language only where
      // matching nothing depends on the position, i.e. where an anchor can match or not.
      if (node.max > 1 && nullable(node.body) && hasAnchor(node.body)) {
        throw new NotUnderstood('a repeated group that can match nothing and holds an anchor');
      }
      const bodyFollow = node.max > 1 ? union(follow, firstChars(node.body)) : follow;
      return { ...node, body: resolve(node.body, bodyFollow) };
    }
    case 'atomic': {
      const body = resolve(node.body, follow);
      const [min, max] = lengthRange(body);
      if (min === max) return body;
      if (body.kind === 'repeat' && !body.lazy && body.body.kind === 'chars' && intersect(body.body.set, follow).length === 0) {
        return body;
      }
      throw new NotUnderstood('a possessive quantifier or atomic group that can change what matches');
    }
  }
}

function hasAnchor(node: PatternNode): boolean {
  switch (node.kind) {
    case 'chars': return false;
    case 'concat':
    case 'alt': return node.items.some(hasAnchor);
    case 'repeat':
    case 'atomic': return hasAnchor(node.body);
    default: return true;
  }
}

/** Caches one fact per tree node: the analyses below are asked about every node many times. */
function memoised<T>(compute: (node: PatternNode) => T): (node: PatternNode) => T {
  const cache = new WeakMap<PatternNode, T>();
  return (node) => {
    if (cache.has(node)) return cache.get(node) as T;
    const value = compute(node);
    cache.set(node, value);
    return value;
  };
}

const nullable = memoised((node: PatternNode): boolean => {
  switch (node.kind) {
    case 'chars': return false;
    case 'concat': return node.items.every(nullable);
    case 'alt': return node.items.some(nullable);
    case 'repeat': return node.min === 0 || nullable(node.body);
    case 'atomic': return nullable(node.body);
    default: return true;
  }
});

/** The characters a match of `node` can begin with (a superset is fine: it is used to prove disjointness). */
const firstChars = memoised((node: PatternNode): CodePointSet => {
  switch (node.kind) {
    case 'chars': return node.set;
    case 'concat': {
      let result = EMPTY;
      for (const item of node.items) {
        result = union(result, firstChars(item));
        if (!nullable(item)) break;
      }
      return result;
    }
    case 'alt': return node.items.map(firstChars).reduce(union, EMPTY);
    case 'repeat': return node.max === 0 ? EMPTY : firstChars(node.body);
    case 'atomic': return firstChars(node.body);
    default: return EMPTY;
  }
});

/** Shortest and longest match length in code points (Infinity when unbounded). */
const lengthRange = memoised((node: PatternNode): [number, number] => {
  switch (node.kind) {
    case 'chars': return [1, 1];
    case 'concat': return node.items.map(lengthRange).reduce(([a, b], [c, d]) => [a + c, b + d], [0, 0]);
    case 'alt': {
      const ranges = node.items.map(lengthRange);
      return [Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
    }
    case 'repeat': {
      const [min, max] = lengthRange(node.body);
      return [min * node.min, node.max === 0 || max === 0 ? 0 : max * node.max];
    }
    case 'atomic': return lengthRange(node.body);
    default: return [0, 0];
  }
});

// ---------------------------------------------------------------------------------------------------------
// RE2 syntax: only explicit code points, ranges, groups, repetitions, \A and \z, so that nothing depends on
// how RE2 reads a construct Java reads otherwise.

function toRe2Syntax(node: PatternNode): string {
  switch (node.kind) {
    case 'chars': return setToRe2(node.set);
    case 'concat': return node.items.length === 0 ? '(?:)' : node.items.map((item) => (item.kind === 'alt' ? `(?:${toRe2Syntax(item)})` : toRe2Syntax(item))).join('');
    case 'alt': return node.items.map(toRe2Syntax).join('|');
    case 'repeat': {
      const max = node.max === Infinity ? '' : String(node.max);
      return `(?:${toRe2Syntax(node.body)}){${node.min},${max}}`.replace(/\{(\d+),\1\}$/, '{$1}');
    }
    case 'atomic': throw new Error('atomic groups are resolved before RE2 syntax is written');
    case 'start': return '\\A';
    case 'end':
    case 'endOrFinalLineTerminator': return '\\z';
  }
}

function setToRe2(set: CodePointSet): string {
  if (set.length === 0) return '[^\\x{0}-\\x{10FFFF}]';
  const hex = (codePoint: number) => `\\x{${codePoint.toString(16)}}`;
  if (set.length === 2 && set[0] === set[1]) return hex(set[0]);
  let body = '';
  for (let i = 0; i < set.length; i += 2) body += set[i] === set[i + 1] ? hex(set[i]) : `${hex(set[i])}-${hex(set[i + 1])}`;
  return `[${body}]`;
}

// ---------------------------------------------------------------------------------------------------------
// Sample generation: a Thompson automaton over the tree, each state labelled with the range of lengths that
// can still follow it (from the tree, so a superset: `(aa)*` allows odd lengths too). A depth-first walk for
// each total length, shortest first, moves between sets of states one character at a time, so every path is
// a distinct string, and takes only characters after which the remaining length is still in range; a dead end
// that the ranges did not foresee costs budget, and the budget bounds every call.

function nfaSize(node: PatternNode): number {
  switch (node.kind) {
    case 'chars': return 2;
    case 'concat':
    case 'alt': return node.items.reduce((sum, item) => sum + nfaSize(item), 2);
    case 'repeat': return nfaSize(node.body) * (node.max === Infinity ? node.min + 1 : Math.max(node.max, 1)) + 2;
    case 'atomic': return nfaSize(node.body);
    default: return 2;
  }
}

/** Characters tried first when generating samples, so that samples read like ordinary values. */
const PREFERRED = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.:/@+=,~ ';
const REPRESENTATIVES_PER_SET = 12;
const CANDIDATES_PER_STEP = 24;

type LengthRange = [number, number];

function addRanges(a: LengthRange, b: LengthRange): LengthRange {
  return [a[0] + b[0], a[1] + b[1]];
}

class SampleGenerator {
  private readonly epsilon: number[][] = [];
  private readonly startAnchors: number[][] = [];
  private readonly endAnchors: number[][] = [];
  private readonly edges: Array<Array<{ set: CodePointSet; chars: number[]; to: number }>> = [];
  /** Per state, the shortest and longest number of characters that can follow it to the end of a match. */
  private readonly remaining: LengthRange[] = [];
  private readonly start: number;
  private readonly accept: number;
  private budget = 0;

  constructor(tree: PatternNode, private readonly matches: (value: string) => boolean) {
    this.start = this.newState(lengthRange(tree));
    this.accept = this.build(tree, this.start, [0, 0]);
  }

  private newState(remaining: LengthRange): number {
    this.epsilon.push([]);
    this.startAnchors.push([]);
    this.endAnchors.push([]);
    this.edges.push([]);
    this.remaining.push(remaining);
    return this.epsilon.length - 1;
  }

  /** Adds `node` from state `from`, followed by strings of lengths `after`; returns the state where it ends. */
  private build(node: PatternNode, from: number, after: LengthRange): number {
    switch (node.kind) {
      case 'chars': {
        const to = this.newState(after);
        if (node.set.length > 0) this.edges[from].push({ set: node.set, chars: representatives(node.set), to });
        return to;
      }
      case 'start':
      case 'end': {
        const to = this.newState(after);
        (node.kind === 'start' ? this.startAnchors : this.endAnchors)[from].push(to);
        return to;
      }
      case 'concat': {
        const rests: LengthRange[] = [after];
        for (let i = node.items.length - 1; i > 0; i--) rests.unshift(addRanges(lengthRange(node.items[i]), rests[0]));
        return node.items.reduce((state, item, i) => this.build(item, state, rests[i]), from);
      }
      case 'alt': {
        const end = this.newState(after);
        for (const item of node.items) {
          const branch = this.newState(addRanges(lengthRange(item), after));
          this.epsilon[from].push(branch);
          this.epsilon[this.build(item, branch, after)].push(end);
        }
        return end;
      }
      case 'repeat': {
        const [bodyMin, bodyMax] = lengthRange(node.body);
        // After copy k (0-based) come between min-k-1 and max-k-1 more copies, then `after`.
        const followingCopies = (k: number): LengthRange => [
          after[0] + bodyMin * Math.max(0, node.min - k - 1),
          bodyMax === 0 ? after[1] : after[1] + bodyMax * (node.max - k - 1),
        ];
        let state = from;
        for (let k = 0; k < node.min; k++) state = this.build(node.body, state, followingCopies(k));
        const end = this.newState(after);
        this.epsilon[state].push(end);
        if (node.max === Infinity) {
          const loop = this.newState(followingCopies(node.min - 1));
          this.epsilon[state].push(loop);
          const last = this.build(node.body, loop, followingCopies(node.min));
          this.epsilon[last].push(loop, end);
        } else {
          for (let k = node.min; k < node.max; k++) {
            state = this.build(node.body, state, followingCopies(k));
            this.epsilon[state].push(end);
          }
        }
        return end;
      }
      default:
        throw new Error(`${node.kind} is resolved before samples are generated`);
    }
  }

  sample(count: number, avoid: ReadonlySet<string>, minLength: number, maxLength: number): string[] {
    const found: string[] = [];
    const withinLengths = (value: string) => value.length >= minLength && value.length <= maxLength && [...value].length >= minLength;
    const accept = (value: string): boolean => {
      if (avoid.has(value) || !withinLengths(value) || !this.matches(value)) return false;
      found.push(value);
      return found.length >= count;
    };
    if (count <= 0) return found;
    // First with a few preferred characters per set, so that samples read like ordinary values…
    this.budget = SAMPLE_BUDGET;
    const [shortest, longest] = this.remaining[this.start];
    const last = Math.min(maxLength, longest, MAX_SAMPLE_LENGTH);
    for (let length = Math.max(minLength, shortest); length <= last && found.length < count && this.budget > 0; length++) {
      const initial = this.closure([this.start], true, length === 0);
      if (this.walk(initial, length, '', accept)) break;
    }
    if (found.length >= count) return found;
    // …then, when they run short, over every character, so that fewer means the language has no more.
    const first = this.enumerate(count + avoid.size, Math.ceil(minLength / 2), Math.min(maxLength, MAX_SAMPLE_LENGTH));
    const seen = new Set(found);
    const more = first.strings.filter((value) => !seen.has(value) && !avoid.has(value) && withinLengths(value) && this.matches(value));
    return [...found, ...more].sort((a, b) => a.length - b.length).slice(0, count);
  }

  language(limit: number, minLength: number, maxLength: number): string[] | undefined {
    const longest = Math.min(maxLength, this.remaining[this.start][1]);
    if (longest > MAX_SAMPLE_LENGTH) return undefined;
    const result = this.enumerate(limit + 1, Math.ceil(minLength / 2), longest);
    if (!result.complete || result.strings.length > limit) return undefined;
    return result.strings.filter((value) => value.length >= minLength && value.length <= maxLength && this.matches(value));
  }

  /**
   * The first `cap` strings of `firstLength` to `lastLength` code points, shortest first, over every character
   * of every set; complete is true when there are no others in those lengths (and the budget did not run out).
   */
  private enumerate(cap: number, firstLength: number, lastLength: number): { strings: string[]; complete: boolean } {
    this.budget = SAMPLE_BUDGET;
    const strings: string[] = [];
    const [shortest, longest] = this.remaining[this.start];
    for (let length = Math.max(firstLength, shortest); length <= Math.min(lastLength, longest); length++) {
      const initial = this.closure([this.start], true, length === 0);
      const suffixes = this.suffixes(initial, length, cap - strings.length);
      strings.push(...suffixes.strings);
      if (!suffixes.complete || this.budget <= 0) return { strings, complete: false };
    }
    return { strings, complete: true };
  }

  /** Up to `cap` strings of exactly `remaining` characters that lead from `states` to acceptance. */
  private suffixes(states: Set<number>, remaining: number, cap: number): { strings: string[]; complete: boolean } {
    if (remaining === 0) return { strings: states.has(this.accept) && cap > 0 ? [''] : [], complete: cap > 0 || !states.has(this.accept) };
    const fits = (state: number) => this.remaining[state][0] <= remaining - 1 && remaining - 1 <= this.remaining[state][1];
    const live = [...states].flatMap((state) => this.edges[state].filter((edge) => fits(edge.to)));
    // Characters between two consecutive boundaries lead to the same states: one walk serves them all.
    const boundaries = [...new Set(live.flatMap((edge) => edge.set.map((bound, i) => (i % 2 === 0 ? bound : bound + 1))))].sort((a, b) => a - b);
    const strings: string[] = [];
    for (let b = 0; b + 1 < boundaries.length; b++) {
      if (--this.budget <= 0) return { strings, complete: false };
      const [lo, hi] = [boundaries[b], boundaries[b + 1] - 1];
      const targets = live.filter((edge) => contains(edge.set, lo)).map((edge) => edge.to);
      if (targets.length === 0) continue;
      const rest = this.suffixes(this.closure(targets, false, remaining === 1), remaining - 1, cap - strings.length);
      for (let char = lo; char <= hi && rest.strings.length > 0; char++) {
        for (const suffix of rest.strings) {
          if (strings.length >= cap) return { strings, complete: false };
          strings.push(String.fromCodePoint(char) + suffix);
        }
      }
      if (!rest.complete) return { strings, complete: false };
    }
    return { strings, complete: true };
  }

  /** Depth-first over distinct strings of exactly `remaining` more characters; true once `accept` says enough. */
  private walk(states: Set<number>, remaining: number, prefix: string, accept: (value: string) => boolean): boolean {
    if (remaining === 0) return states.has(this.accept) && accept(prefix);
    const fits = (state: number) => this.remaining[state][0] <= remaining - 1 && remaining - 1 <= this.remaining[state][1];
    const candidates = new Map<number, number>();
    for (const state of states) {
      for (const edge of this.edges[state]) {
        if (!fits(edge.to)) continue;
        for (const char of edge.chars) if (!candidates.has(char)) candidates.set(char, preference(char));
      }
    }
    const ordered = [...candidates.keys()].sort((a, b) => (candidates.get(a) ?? 0) - (candidates.get(b) ?? 0)).slice(0, CANDIDATES_PER_STEP);
    for (const char of ordered) {
      if (--this.budget <= 0) return true;
      const targets: number[] = [];
      for (const state of states) {
        for (const edge of this.edges[state]) if (fits(edge.to) && contains(edge.set, char)) targets.push(edge.to);
      }
      const next = this.closure(targets, false, remaining === 1);
      if (this.walk(next, remaining - 1, prefix + String.fromCodePoint(char), accept)) return true;
    }
    return false;
  }

  private closure(from: number[], atStart: boolean, atEnd: boolean): Set<number> {
    const seen = new Set(from);
    const pending = [...from];
    const visit = (next: number) => {
      if (!seen.has(next)) {
        seen.add(next);
        pending.push(next);
      }
    };
    while (pending.length > 0 && this.budget-- > 0) {
      const state = pending.pop() ?? 0;
      for (const next of this.epsilon[state]) visit(next);
      if (atStart) for (const next of this.startAnchors[state]) visit(next);
      if (atEnd) for (const next of this.endAnchors[state]) visit(next);
    }
    return seen;
  }
}

function preference(codePoint: number): number {
  const index = codePoint < 0x80 ? PREFERRED.indexOf(String.fromCharCode(codePoint)) : -1;
  return index >= 0 ? index : PREFERRED.length + codePoint;
}

/** A few characters of `set` to build samples from: preferred ASCII first, then the lowest of each range. */
function representatives(set: CodePointSet): number[] {
  const chosen: number[] = [];
  for (const char of PREFERRED) {
    const codePoint = char.charCodeAt(0);
    if (contains(set, codePoint)) chosen.push(codePoint);
    if (chosen.length >= REPRESENTATIVES_PER_SET) return chosen;
  }
  for (let i = 0; i < set.length && chosen.length < REPRESENTATIVES_PER_SET; i += 2) {
    for (let c = set[i]; c <= set[i + 1] && c <= set[i] + REPRESENTATIVES_PER_SET && chosen.length < REPRESENTATIVES_PER_SET; c++) {
      const isSurrogate = c >= 0xd800 && c <= 0xdfff; // never part of a well-formed value
      if (!isSurrogate && !chosen.includes(c)) chosen.push(c);
    }
  }
  return chosen;
}
