import { OffsetRecorder, type NodeKind } from './offset-recorder';
import { WarningLog, type ParseWarning } from './parsed';
import type { NodeOffsets } from './positions';
import { MAY_BE_TYPED, resolvePlainScalar } from './yaml-scalars';

/** yaml-cfn's short forms: CloudFormation's intrinsic functions and its rule functions. */
export const YAML_CFN_FUNCTIONS = [
  'Fn::Base64', 'Fn::Cidr', 'Fn::FindInMap', 'Fn::GetAtt', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Join', 'Fn::Select',
  'Fn::Split', 'Fn::Sub', 'Fn::Transform', 'Ref', 'Condition', 'Fn::And', 'Fn::Equals', 'Fn::If', 'Fn::Not', 'Fn::Or',
  'Fn::Contains', 'Fn::EachMemberEquals', 'Fn::EachMemberIn', 'Fn::RefAll', 'Fn::ValueOf', 'Fn::ValueOfAll',
];
/** The short forms AWS::LanguageExtensions adds. */
export const LANGUAGE_EXTENSION_FUNCTIONS = ['Fn::ForEach', 'Fn::Length', 'Fn::ToJsonString'];

/** `!GetAtt` → `Fn::GetAtt`, `!Ref` → `Ref`. */
const FUNCTION_OF_TAG = new Map(
  [...YAML_CFN_FUNCTIONS, ...LANGUAGE_EXTENSION_FUNCTIONS].map((name) => [`!${name.replace(/^Fn::/, '')}`, name]),
);

/** Past any real template; js-yaml reports (or reads) what nests deeper. */
const MAX_DEPTH = 500;

// Characters js-yaml rejects or treats specially: control characters, NEL, Unicode line breaks, a byte-order
// mark but the one that may start the text, a carriage return that does not end a line.
// eslint-disable-next-line no-control-regex
const UNSUPPORTED_CHARACTER = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]/;
const LONE_CARRIAGE_RETURN = /\r(?!\n)/;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const END = 0; // the sentinel after the text
const HASH = 0x23;
const COLON = 0x3a;
const COMMA = 0x2c;
const DASH = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const BANG = 0x21;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LEFT_BRACKET = 0x5b;
const RIGHT_BRACKET = 0x5d;
const LEFT_BRACE = 0x7b;
const RIGHT_BRACE = 0x7d;
const PIPE = 0x7c;
const GREATER = 0x3e;

/** Thrown to leave the fast reader: the text is outside its subset, or not valid YAML. */
const GIVE_UP = Symbol('give up');
function giveUp(): never {
  throw GIVE_UP;
}

/**
 * Reads the YAML that CloudFormation templates are written in — block and flow collections, plain, quoted and
 * block scalars, comments and every short-form tag — with exactly the values and offsets of the js-yaml
 * reader (`parseYamlWithJsYaml`), faster (README, "Performance"), and without loading js-yaml.
 *
 * Plain scalars are typed by `resolvePlainScalar`, as the js-yaml reader types them; mapping keys stay as
 * written. Of two equal keys the last wins, with a warning, as CloudFormation reads them.
 *
 * Undefined means "not sure": anchors, aliases, merge keys, complex keys, other tags, directives, multi-line
 * plain or quoted scalars, tabs as separators, and every syntax error. The caller then reads the text with
 * js-yaml, which also words the error.
 *
 * Offsets are recorded through the same `OffsetRecorder` as js-yaml's, with events where js-yaml's listener
 * fires them: each node opens where js-yaml starts composing it and closes with its value. Where js-yaml
 * composes one node inside another (a flow collection in block context, first tried as a mapping key) the
 * reader does too, since that shifts the depth that decides what is indexed.
 */
export function readYamlFast(
  text: string,
  base = 0,
  indexEverything = false,
  indexedTypes?: ReadonlySet<string>,
): { body: unknown; nodes: Map<object, NodeOffsets>; warnings: ParseWarning[] } | undefined {
  // A byte-order mark is no content: reading starts after it, and every offset stays that of the text.
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const content = start === 0 ? text : text.slice(start);
  if (UNSUPPORTED_CHARACTER.test(content)) return undefined;
  if (content.includes('\r') && LONE_CARRIAGE_RETURN.test(content)) return undefined;
  if (SURROGATE.test(content) && LONE_SURROGATE.test(content)) return undefined;
  const recorder = new OffsetRecorder(indexEverything, indexedTypes);
  const warnings = new WarningLog(base === 0 ? text : undefined);
  try {
    const body = new FastReader(text, base, recorder, warnings).readDocument(start);
    return { body, nodes: recorder.nodes, warnings: warnings.warnings };
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

class FastReader {
  /** The text, ending with a line break and a NUL sentinel (js-yaml reads it so too; a NUL in it gives up). */
  private readonly src: string;
  private i = 0;
  /** Indentation of the line whose content `i` is at; -1 at the end of the text. */
  private indent = 0;
  /** What the last collection or tagged node read was, as js-yaml's state says it to its listener. */
  private kind: NodeKind = 'scalar';
  private tagged = false;
  /**
   * The keys of the open mappings, innermost last, and where each starts: what names both lines of a
   * duplicate. A mapping's keys are dropped as it ends, so this holds one path's worth of keys.
   */
  private readonly keyNames: string[] = [];
  private readonly keyStarts: number[] = [];
  private keyCount = 0;

  constructor(
    text: string,
    private readonly base: number,
    private readonly recorder: OffsetRecorder,
    private readonly warnings: WarningLog,
  ) {
    this.src = text + (text.endsWith('\n') ? '\0' : '\n\0');
  }

  // Events: a collection or tagged node is recorded around its reading, `recorder.open` where js-yaml opens it
  // (none opens at MAX_DEPTH, so that no node lies deeper) and `recorder.close` with its value, `kind` and
  // `tagged` saying how it was read. A scalar node, which nothing is recorded in, is one `recorder.scalar`.
  //
  // Cold — a CLI reading a few templates, with V8's JIT still unwarmed — every call, closure and loop step
  // costs many times what it does once optimized. So the readers record directly, inline the small steps of
  // their common cases (a character test, a run of spaces) rather than call a helper for each, and leave
  // scanning along a line to native string searches and sticky regular expressions.

  readDocument(start: number): unknown {
    this.seekContent(start, false, true);
    if (this.indent < 0) giveUp();
    this.recorder.open(this.i + this.base);
    const value = this.readBlockCollection();
    this.recorder.close(value, this.kind, this.tagged, undefined);
    if (this.indent !== -1) giveUp();
    return value;
  }

  // ------------------------------------------------------------------ block collections

  /** A collection starting a line at `this.indent`: the document, or below its key, dash or tag. */
  private readBlockCollection(): unknown {
    const c = this.src.charCodeAt(this.i);
    if (c === DASH && this.atSequenceItem()) return this.readBlockSequence(this.indent);
    if (c === LEFT_BRACKET || c === LEFT_BRACE) return this.readFlowInBlock();
    const start = this.i;
    return this.readBlockMapping(this.indent, start, this.readKey(false));
  }

  /**
   * Entries at column `indent`, from the first key, read already (`- Key: value` or not): it starts at
   * `keyStart`. js-yaml opens each value right after its key's ':'.
   */
  private readBlockMapping(indent: number, keyStart: number, key: string): Record<string, unknown> {
    const s = this.src;
    const mapping: Record<string, unknown> = {};
    const firstKey = this.keyCount;
    for (;;) {
      if (key === '<<') giveUp();
      // Cold, a call per key costs: the common case is written out here, and in readFlow.
      if (Object.hasOwn(mapping, key)) this.warnDuplicateKey(key, keyStart, firstKey);
      this.keyNames[this.keyCount] = key;
      this.keyStarts[this.keyCount++] = keyStart;
      this.recorder.scalar(keyStart + this.base, key, key);
      const start = this.i;
      let i = start;
      while (s.charCodeAt(i) === SPACE) i++;
      this.i = i;
      const c = s.charCodeAt(i);
      let value: unknown = null;
      if (c !== LF && c !== CR && c !== HASH) {
        value = this.readInlineNode(start, indent, false);
      } else {
        this.seekContent(this.i, true);
        // A sequence may sit at its key's indentation.
        if (this.indent > indent || (this.indent === indent && this.atSequenceItem())) {
          if (this.recorder.open(start + this.base) >= MAX_DEPTH) giveUp();
          value = this.readBlockCollection();
          this.recorder.close(value, this.kind, this.tagged, undefined);
        } else {
          this.recorder.scalar(start + this.base, null, undefined);
        }
      }
      if (key === '__proto__') defineOwn(mapping, key, value);
      else mapping[key] = value;
      if (this.indent < indent) break;
      // Deeper is bad indentation; a sequence item at this column is no key, and `readKey` gives up on it.
      if (this.indent > indent) giveUp();
      keyStart = this.i;
      key = this.readKey(false);
    }
    this.keyCount = firstKey;
    this.kind = 'mapping';
    this.tagged = false;
    return mapping;
  }

  /** `key`, at `keyStart`, is in its mapping (whose first key is logged at `firstKey`) already. */
  private warnDuplicateKey(key: string, keyStart: number, firstKey: number): void {
    this.warnings.duplicateKey(key, keyStart + this.base, () => {
      let k = this.keyCount - 1;
      while (k > firstKey && this.keyNames[k] !== key) k--;
      return this.keyStarts[k] + this.base;
    });
  }

  /**
   * A plain or quoted key on one line and the ':' after it, in block context followed by a space or line break;
   * leaves `i` after the ':'. Gives the key as written (`1.0:` → '1.0', `True:` → 'True').
   */
  private readKey(inFlow: boolean): string {
    const s = this.src;
    const key = this.readScalar(s.charCodeAt(this.i), inFlow, false) as string;
    let i = this.i;
    while (s.charCodeAt(i) === SPACE) i++;
    const next = s.charCodeAt(i + 1);
    if (s.charCodeAt(i) !== COLON || (!inFlow && next !== SPACE && next !== LF && next !== CR)) giveUp();
    this.i = i + 1;
    return key;
  }

  /**
   * Items at column `indent`, from the first dash. An item opens where its content starts: a scalar, the first
   * key of a mapping (`- Key: value`), a node the readers of values read, or a collection on the lines below.
   */
  private readBlockSequence(indent: number): unknown[] {
    const s = this.src;
    const sequence: unknown[] = [];
    for (;;) {
      const dash = this.i;
      let i = dash + 1;
      let c = s.charCodeAt(i);
      if (c === SPACE) {
        while (c === SPACE) c = s.charCodeAt(++i);
        if (c === TAB) giveUp();
      } else if (c !== LF && c !== CR) {
        giveUp();
      }
      this.i = i;
      if (c === LF || c === CR || c === HASH) {
        sequence.push(this.readItemBelow(indent));
      } else if (c === BANG || c === LEFT_BRACKET || c === LEFT_BRACE || c === PIPE || c === GREATER) {
        sequence.push(this.readInlineNode(i, indent, true));
      } else {
        // A scalar, or the first key of a mapping: the same text up to a ': ', typed only if no key.
        const start = i;
        let scalar = this.readScalar(c, false, false);
        i = this.i;
        while (s.charCodeAt(i) === SPACE) i++;
        const next = s.charCodeAt(i + 1);
        if (s.charCodeAt(i) === COLON && (next === SPACE || next === LF || next === CR)) {
          this.i = i + 1;
          if (this.recorder.open(start + this.base) >= MAX_DEPTH) giveUp();
          const mapping = this.readBlockMapping(indent + start - dash, start, scalar as string);
          this.recorder.close(mapping, this.kind, this.tagged, undefined);
          sequence.push(mapping);
        } else {
          if (c < 0x80 && MAY_BE_TYPED[c] === 1) scalar = resolvePlainScalar(scalar as string);
          this.seekContent(this.i, true);
          this.recorder.scalar(start + this.base, scalar, undefined);
          sequence.push(scalar);
        }
      }
      if (this.indent !== indent) {
        if (this.indent > indent) giveUp();
        break;
      }
      // The next item, or else the end (a sequence may sit at its key's indentation, the next key after it).
      const next = s.charCodeAt(this.i + 1);
      if (s.charCodeAt(this.i) !== DASH || (next !== SPACE && next !== LF && next !== CR && next !== TAB)) break;
    }
    this.kind = 'sequence';
    this.tagged = false;
    return sequence;
  }

  /**
   * A collection on the lines below its dash. js-yaml reads no node at all for an empty item (the next line
   * no deeper than the dash), which would shift the items' offsets: left to it.
   */
  private readItemBelow(indent: number): unknown {
    this.seekContent(this.i, true);
    if (this.indent <= indent) giveUp();
    if (this.recorder.open(this.i + this.base) >= MAX_DEPTH) giveUp();
    const value = this.readBlockCollection();
    this.recorder.close(value, this.kind, this.tagged, undefined);
    return value;
  }

  /**
   * A node that starts on the line of its key (`compact` false) or of its dash (`compact` true), in a
   * collection at column `indent`; js-yaml opens it at `start`. Leaves `i` at the next line with content.
   */
  private readInlineNode(start: number, indent: number, compact: boolean): unknown {
    const c = this.src.charCodeAt(this.i);
    let value: unknown;
    if (c === BANG || c === LEFT_BRACKET || c === LEFT_BRACE) {
      if (this.recorder.open(start + this.base) >= MAX_DEPTH) giveUp();
      if (c === BANG) {
        value = this.readTagged(indent, compact);
      } else if (compact) {
        value = this.readFlowInBlock();
      } else {
        value = this.readFlow();
        this.seekContent(this.i, true);
      }
      this.recorder.close(value, this.kind, this.tagged, undefined);
      return value;
    }
    if (c === PIPE || c === GREATER) {
      value = this.readBlockScalar(indent);
    } else {
      value = this.readScalar(c, false, true);
      this.seekContent(this.i, true);
    }
    this.recorder.scalar(start + this.base, value, undefined);
    return value;
  }

  /**
   * A tag and what it wraps: on the same line, or a block collection on the next lines. js-yaml first tries
   * a tagged scalar on the tag's line as a mapping key, composing a node it then drops (a child event that
   * only ever gives `!GetAtt a.b`'s array the wrapper's start offset): the reader records the same event.
   */
  private readTagged(indent: number, compact: boolean): unknown {
    const s = this.src;
    const tagStart = this.i;
    const name = this.readTag();
    while (s.charCodeAt(this.i) === SPACE) this.i++;
    const c = s.charCodeAt(this.i);
    let content: unknown;
    if (c === LF || c === CR || c === HASH) {
      this.seekContent(this.i, true);
      const sameIndent = this.indent === indent && !compact && this.atSequenceItem();
      const next = s.charCodeAt(this.i);
      if (!(this.indent > indent || sameIndent) || next === LEFT_BRACKET || next === LEFT_BRACE) giveUp();
      content = this.readBlockCollection();
    } else if (c === LEFT_BRACKET || c === LEFT_BRACE) {
      content = this.readFlow();
      this.seekContent(this.i, true);
    } else if (c === PIPE || c === GREATER) {
      content = this.readBlockScalar(indent);
      this.kind = 'scalar';
    } else {
      content = this.readScalar(c, false, false);
      this.recorder.scalar(tagStart + this.base, null, undefined);
      this.seekContent(this.i, true);
      this.kind = 'scalar';
    }
    this.tagged = true;
    return construct(name, content);
  }

  /**
   * A flow collection where js-yaml tries a block mapping first (a sequence item, a value on the line after
   * its key, the document): it composes the collection as a would-be key, one level deeper, inside the node.
   */
  private readFlowInBlock(): unknown {
    if (this.recorder.open(this.i + this.base) >= MAX_DEPTH) giveUp();
    const value = this.readFlow();
    this.recorder.close(value, this.kind, this.tagged, undefined);
    this.seekContent(this.i, true);
    return value;
  }

  // ------------------------------------------------------------------ flow collections

  /**
   * `[…]` or `{…}`, its entries never empty. An entry opens where it starts: a scalar, a tag and what it wraps
   * on the same line, or a flow collection.
   */
  private readFlow(): unknown {
    const s = this.src;
    const isMapping = s.charCodeAt(this.i) === LEFT_BRACE;
    const terminator = isMapping ? RIGHT_BRACE : RIGHT_BRACKET;
    const mapping: Record<string, unknown> = {};
    const sequence: unknown[] = [];
    const firstKey = this.keyCount;
    this.i++;
    for (;;) {
      // After the opening bracket or a comma: an entry, or the end (a trailing comma is allowed).
      this.skipFlowSpace();
      if (s.charCodeAt(this.i) === terminator) break;
      let key = '';
      if (isMapping) {
        const keyStart = this.i;
        key = this.readKey(true);
        if (key === '<<') giveUp();
        if (Object.hasOwn(mapping, key)) this.warnDuplicateKey(key, keyStart, firstKey);
        this.keyNames[this.keyCount] = key;
        this.keyStarts[this.keyCount++] = keyStart;
        this.recorder.scalar(keyStart + this.base, key, key);
        this.skipFlowSpace();
      }
      const start = this.i;
      const c = s.charCodeAt(start);
      let value: unknown;
      if (c !== BANG && c !== LEFT_BRACKET && c !== LEFT_BRACE) {
        value = this.readScalar(c, true, true);
        this.recorder.scalar(start + this.base, value, undefined);
      } else {
        if (this.recorder.open(start + this.base) >= MAX_DEPTH) giveUp();
        if (c === BANG) {
          const name = this.readTag();
          if (s.charCodeAt(this.i) !== SPACE) giveUp();
          while (s.charCodeAt(this.i) === SPACE) this.i++;
          const d = s.charCodeAt(this.i);
          if (d === LEFT_BRACKET || d === LEFT_BRACE) {
            value = construct(name, this.readFlow());
          } else {
            value = construct(name, this.readScalar(d, true, false));
            this.kind = 'scalar';
          }
          this.tagged = true;
        } else {
          value = this.readFlow();
        }
        this.recorder.close(value, this.kind, this.tagged, undefined);
      }
      if (!isMapping) sequence.push(value);
      else if (key === '__proto__') defineOwn(mapping, key, value);
      else mapping[key] = value;
      this.skipFlowSpace();
      const after = s.charCodeAt(this.i);
      if (after === terminator) break;
      if (after !== COMMA) giveUp();
      this.i++;
    }
    this.i++;
    this.keyCount = firstKey;
    this.kind = isMapping ? 'mapping' : 'sequence';
    this.tagged = false;
    return isMapping ? mapping : sequence;
  }

  // ------------------------------------------------------------------ scalars

  /** A known short-form tag followed by white space (an unknown one is js-yaml's to report). */
  private readTag(): string {
    const s = this.src;
    const start = this.i;
    let i = start;
    let c = s.charCodeAt(i);
    while (c !== SPACE && c !== LF && c !== CR && c !== TAB && c !== END) c = s.charCodeAt(++i);
    this.i = i;
    return FUNCTION_OF_TAG.get(s.slice(start, i)) ?? giveUp();
  }

  /**
   * A quoted or plain scalar on one line, starting with `c`; a plain one `typed` by `resolvePlainScalar`, or
   * left a string (a key, a tag's content). A plain scalar ends at ': ' (in flow also ':' before , [ ] { }),
   * at ' #', at the line's end and, in flow, at , [ ] { }; `i` is left after its last character that is not a
   * space. What continues on the next line, more indented, makes a multi-line scalar, which the block readers
   * reject as bad indentation; a tab in it or after it, which every reader rejects where it stops.
   *
   * The end of a scalar is searched for (indexOf, a sticky regular expression), not stepped to: cold, a loop
   * step per character costs far more than a native scan.
   */
  private readScalar(c: number, inFlow: boolean, typed: boolean): unknown {
    const s = this.src;
    const start = this.i;
    if (c === SINGLE_QUOTE) {
      // '' is a quote.
      let text = '';
      for (let from = start + 1; ; ) {
        const quote = s.indexOf("'", from);
        if (quote < 0) giveUp();
        text += s.slice(from, quote);
        if (s.charCodeAt(quote + 1) !== SINGLE_QUOTE) {
          if (text.includes('\n')) giveUp();
          this.i = quote + 1;
          return text;
        }
        text += "'";
        from = quote + 2;
      }
    }
    if (c === DOUBLE_QUOTE) {
      // Most have no escape: the text up to the next quote as it stands, if on the same line.
      const quote = s.indexOf('"', start + 1);
      const text = s.slice(start + 1, quote < 0 ? start + 1 : quote);
      if (quote < 0 || text.includes('\\') || text.includes('\n')) return this.readEscaped(start + 1);
      this.i = quote + 1;
      return text;
    }
    if (c === DASH) {
      const next = s.charCodeAt(start + 1);
      if (isSpaceOrBreak(next) || next === TAB || next === END || (inFlow && isFlowIndicator(next))) giveUp();
    } else if (c < 0x80 && NOT_PLAIN_START[c] === 1) {
      giveUp();
    }
    const plain = inFlow ? PLAIN_IN_FLOW : PLAIN_IN_BLOCK;
    plain.lastIndex = start;
    plain.test(s);
    this.i = plain.lastIndex;
    const text = s.slice(start, this.i);
    return typed && c < 0x80 && MAY_BE_TYPED[c] === 1 ? resolvePlainScalar(text) : text;
  }

  /** The rest of a double-quoted scalar from `from`, escapes and all. */
  private readEscaped(from: number): string {
    const s = this.src;
    let text = '';
    for (let i = from; ; i++) {
      const c = s.charCodeAt(i);
      if (c === DOUBLE_QUOTE) {
        this.i = i + 1;
        return text + s.slice(from, i);
      }
      if (isBreak(c) || c === END) giveUp();
      if (c === BACKSLASH) {
        text += s.slice(from, i);
        const escape = s[++i];
        const digits = escape === 'x' ? 2 : escape === 'u' ? 4 : 0;
        if (digits > 0) {
          const hex = s.slice(i + 1, i + 1 + digits);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) giveUp();
          text += String.fromCharCode(parseInt(hex, 16));
          i += digits;
        } else {
          text += ESCAPES.get(escape) ?? giveUp();
        }
        from = i + 1;
      }
    }
  }

  /**
   * `|` or `>`, optionally with `-` or `+`, in a collection at column `indent`: the lines indented as the first
   * one. Folding is supported only where no line is indented further, where it is a plain join.
   */
  private readBlockScalar(indent: number): string {
    const s = this.src;
    const folded = s.charCodeAt(this.i) === GREATER;
    let c = s.charCodeAt(++this.i);
    const chomping = c === DASH ? 'strip' : c === PLUS ? 'keep' : 'clip';
    if (chomping !== 'clip') c = s.charCodeAt(++this.i);
    if (c !== SPACE && !isBreak(c)) giveUp();
    this.skipSpaces();
    if (s.charCodeAt(this.i) === HASH) this.i = s.indexOf('\n', this.i);
    if (!isBreak(s.charCodeAt(this.i))) giveUp();
    let i = afterBreak(s, this.i);
    let lineStart = i;

    let text = '';
    let textIndent = -1;
    let deepestBlank = 0;
    let emptyLines = 0;
    let hasContent = false;
    for (;; lineStart = i) {
      while (s.charCodeAt(i) === SPACE) i++;
      const spaces = i - lineStart;
      c = s.charCodeAt(i);
      if (c === END) break;
      if (isBreak(c) && (textIndent < 0 || spaces <= textIndent)) {
        if (textIndent < 0) deepestBlank = Math.max(deepestBlank, spaces);
        emptyLines++;
        i = afterBreak(s, i);
        continue;
      }
      if (textIndent < 0) {
        if (spaces <= indent) break;
        // js-yaml takes a leading blank line's spaces for the indentation: leave that to it.
        if (deepestBlank > spaces) giveUp();
        textIndent = spaces;
      } else if (spaces < textIndent) {
        break;
      }
      const from = lineStart + textIndent;
      if (folded && (s.charCodeAt(from) === SPACE || s.charCodeAt(from) === TAB)) giveUp();
      if (folded && hasContent && emptyLines === 0) text += ' ';
      else text += '\n'.repeat(hasContent && !folded ? emptyLines + 1 : emptyLines);
      let to = s.indexOf('\n', from);
      i = to + 1;
      if (s.charCodeAt(to - 1) === CR) to--;
      text += s.slice(from, to);
      hasContent = true;
      emptyLines = 0;
    }
    if (chomping === 'keep') text += '\n'.repeat(hasContent ? emptyLines + 1 : emptyLines);
    else if (chomping === 'clip' && hasContent) text += '\n';

    this.seekContent(lineStart, false);
    return text;
  }

  // ------------------------------------------------------------------ white space, comments, lines

  private skipSpaces(): void {
    const s = this.src;
    while (s.charCodeAt(this.i) === SPACE) this.i++;
    if (s.charCodeAt(this.i) === TAB) giveUp();
  }

  /** A dash followed by white space: a block sequence item. */
  private atSequenceItem(): boolean {
    const s = this.src;
    const next = s.charCodeAt(this.i + 1);
    return s.charCodeAt(this.i) === DASH && (isSpaceOrBreak(next) || next === TAB);
  }

  /**
   * On to the next line with content, from `from`; sets `i` and `indent` (-1 at the end of the text). After a
   * node (`afterNode`) the rest of its line must be blank: spaces, and a comment after a space. A document
   * marker gives up, save one `---` that starts the document.
   */
  private seekContent(from: number, afterNode: boolean, atDocumentStart = false): void {
    const s = this.src;
    let i = from;
    let restOfLine = afterNode;
    for (;;) {
      const lineStart = i;
      while (s.charCodeAt(i) === SPACE) i++;
      const c = s.charCodeAt(i);
      if (c === LF) {
        i++;
      } else if (c === CR) {
        i += 2;
      } else if (c === HASH) {
        if (restOfLine && s.charCodeAt(i - 1) !== SPACE) giveUp();
        i = s.indexOf('\n', i) + 1;
      } else if (c === TAB || restOfLine) {
        giveUp();
      } else if (c === END) {
        this.i = i;
        this.indent = -1;
        return;
      } else if (i === lineStart && (c === DASH || c === DOT) && (isDocumentMarker(s, i) || (atDocumentStart && s.startsWith('---', i)))) {
        // js-yaml takes a document's first line starting with '---' for the marker, whatever follows.
        if (!atDocumentStart || !isDocumentMarker(s, i) || c !== DASH) giveUp();
        this.seekContent(i + 3, true);
        return;
      } else {
        this.i = i;
        this.indent = i - lineStart;
        return;
      }
      restOfLine = false;
    }
  }

  /** White space, line breaks and comments inside a flow collection. */
  private skipFlowSpace(): void {
    const s = this.src;
    let i = this.i;
    let lineStart = -1;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === SPACE) {
        i++;
      } else if (c === LF || c === CR) {
        i = c === CR ? i + 2 : i + 1;
        lineStart = i;
      } else if (c === HASH) {
        const before = s.charCodeAt(i - 1);
        if (before !== SPACE && before !== LF) giveUp();
        i = s.indexOf('\n', i);
      } else if (c === TAB || c === END || (i === lineStart && isDocumentMarker(s, i))) {
        giveUp();
      } else {
        this.i = i;
        return;
      }
    }
  }
}

/** A table of the ASCII characters in `chars`: one indexed read where a chain of comparisons would be several. */
function asciiSet(chars: string): Uint8Array {
  const set = new Uint8Array(0x80);
  for (let i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = 1;
  return set;
}

/** What cannot start a plain scalar (js-yaml's rules, less `?` and `:` which it rarely allows); `-` depends on what follows. */
const NOT_PLAIN_START = asciiSet(' \t\r\n\0,[]{}#&*!|>\'"%@`?:');
/**
 * A plain scalar on one line: runs of characters that are no space, tab, line break, NUL or ':' (nor, in flow,
 * , [ ] { }), a ':' not followed by white space (nor, in flow, by one of those), and spaces followed by either.
 */
const PLAIN_IN_BLOCK = /(?:[^\0\t\n\r :]+|:(?![\t\n\r ])| +(?=[^\0\t\n\r #:]|:(?![\t\n\r ])))*/y;
const PLAIN_IN_FLOW = /(?:[^\0\t\n\r :,[\]{}]+|:(?![\t\n\r ,[\]{}])| +(?=[^\0\t\n\r #:,[\]{}]|:(?![\t\n\r ,[\]{}])))*/y;

/** YAML's escapes in double-quoted scalars, but for \x, \u (read as hex) and \U (left to js-yaml). */
const ESCAPES = new Map(Object.entries({
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ',
  '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
}));

function isBreak(c: number): boolean {
  return c === LF || c === CR;
}

function isSpaceOrBreak(c: number): boolean {
  return c === SPACE || c === LF || c === CR;
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LEFT_BRACKET || c === RIGHT_BRACKET || c === LEFT_BRACE || c === RIGHT_BRACE;
}

function afterBreak(s: string, i: number): number {
  return s.charCodeAt(i) === CR ? i + 2 : i + 1;
}

/** `---` or `...` followed by white space, at `i` (a line start). */
function isDocumentMarker(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if ((c !== DASH && c !== DOT) || s.charCodeAt(i + 1) !== c || s.charCodeAt(i + 2) !== c) return false;
  const next = s.charCodeAt(i + 3);
  return isSpaceOrBreak(next) || next === TAB || next === END;
}

/** What yaml-cfn builds for a tag: the long form, `!GetAtt a.b` split at its first dot (null without one). */
function construct(name: string, content: unknown): Record<string, unknown> {
  // A store, not `{ [name]: content }`: with a different name from call to call, the literal is the slower.
  const wrapper: Record<string, unknown> = {};
  if (name === 'Fn::GetAtt' && typeof content === 'string') {
    const dot = content.indexOf('.');
    wrapper[name] = dot < 0 ? null : [content.slice(0, dot), content.slice(dot + 1)];
  } else {
    wrapper[name] = content;
  }
  return wrapper;
}

/** `__proto__` as an own property, as any key: a template's names are data, never a prototype. */
function defineOwn(mapping: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(mapping, key, { value, enumerable: true, writable: true, configurable: true });
}
