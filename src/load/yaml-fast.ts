import { OffsetRecorder, type NodeKind } from './offset-recorder';
import type { NodeOffsets } from './positions';

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
// mark (which it strips, shifting every offset), a carriage return that does not end a line.
// eslint-disable-next-line no-control-regex
const UNSUPPORTED_CHARACTER = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]/;
const LONE_CARRIAGE_RETURN = /\r(?!\n)/;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Plain scalars of js-yaml's core schema that the fast reader types itself; any other scalar that may be a
// number in some js-yaml 4 release (binary, octal, hex, exponents, underscores, .inf, leading zeros…) is left
// to js-yaml.
const DECIMAL_INTEGER = /^-?(?:0|[1-9][0-9]{0,14})$/;
const DECIMAL_FRACTION = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
const MAYBE_NUMBER =
  /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9_]+)?|0[xob][0-9a-fA-F_]+|\.[0-9_]+(?:[eE][-+]?[0-9_]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN))$/;

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

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Reads the YAML that CloudFormation templates are written in — block and flow collections, plain, quoted and
 * block scalars, comments and every short-form tag — with exactly the values and offsets of the js-yaml
 * reader (`parseYamlWithJsYaml`), two to three times as fast warm, more cold, and without loading js-yaml.
 *
 * Undefined means "not sure": anchors, aliases, complex keys, other tags, directives, multi-line plain or
 * quoted scalars, scalars whose type js-yaml's core schema might read otherwise, duplicate keys, tabs as
 * separators, and every syntax error. The caller then reads the text with js-yaml, which also words the
 * error.
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
): { body: unknown; nodes: Map<object, NodeOffsets> } | undefined {
  if (UNSUPPORTED_CHARACTER.test(text)) return undefined;
  if (text.includes('\r') && LONE_CARRIAGE_RETURN.test(text)) return undefined;
  if (SURROGATE.test(text) && LONE_SURROGATE.test(text)) return undefined;
  const recorder = new OffsetRecorder(indexEverything, indexedTypes);
  try {
    const body = new FastReader(text, base, recorder).readDocument();
    return { body, nodes: recorder.nodes };
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

interface Key {
  start: number;
  /** The key as js-yaml types it (`1:` is the number 1)… */
  value: unknown;
  /** …and as the property name it becomes. */
  name: string;
}

class FastReader {
  /** The text, ending with a line break and a NUL sentinel (js-yaml reads it so too; a NUL in it gives up). */
  private readonly src: string;
  private i = 0;
  /** Indentation of the line whose content `i` is at; -1 at the end of the text. */
  private indent = 0;
  private depth = 0;
  /** What the last node read was, as js-yaml's state says it to its listener. */
  private kind: NodeKind = 'scalar';
  private tagged = false;

  constructor(
    text: string,
    private readonly base: number,
    private readonly recorder: OffsetRecorder,
  ) {
    this.src = text + (text.endsWith('\n') ? '\0' : '\n\0');
  }

  readDocument(): unknown {
    this.seekContent(true);
    if (this.indent < 0) giveUp();
    const start = this.i;
    this.open(start);
    const c = this.ch();
    let value: unknown;
    if (this.atSequenceItem()) value = this.readBlockSequence(this.indent);
    else if (c === LEFT_BRACKET || c === LEFT_BRACE) value = this.readFlowInBlock();
    else value = this.readBlockMapping(this.indent);
    this.close(value);
    if (this.indent !== -1) giveUp();
    return value;
  }

  // ------------------------------------------------------------------ events

  private open(start: number): void {
    if (++this.depth > MAX_DEPTH) giveUp();
    this.recorder.open(start + this.base);
  }

  private close(value: unknown): void {
    this.depth--;
    this.recorder.close(value, this.kind, this.tagged, undefined);
  }

  private recordKey(key: Key): void {
    this.recorder.open(key.start + this.base);
    this.recorder.close(key.value, 'scalar', false, key.name);
  }

  // ------------------------------------------------------------------ block collections

  /** Entries at column `indent`, the first key possibly read already (`- Key: value`). */
  private readBlockMapping(indent: number, firstKey?: Key): Record<string, unknown> {
    const mapping: Record<string, unknown> = {};
    let key = firstKey ?? this.readBlockKey();
    for (;;) {
      if (key.name === '__proto__' || key.name === '<<' || hasOwn.call(mapping, key.name)) giveUp();
      this.recordKey(key);
      mapping[key.name] = this.readMappingValue(indent);
      if (this.indent < indent) break;
      if (this.indent > indent || this.atSequenceItem()) giveUp();
      key = this.readBlockKey();
    }
    this.kind = 'mapping';
    this.tagged = false;
    return mapping;
  }

  /** A plain or quoted key on one line, then ':' and a space or line break; leaves `i` after the ':'. */
  private readBlockKey(): Key {
    const start = this.i;
    const c = this.ch();
    let value: unknown;
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) value = this.readQuoted();
    else if (this.atPlainStart(false)) value = resolvePlain(this.readPlain(false));
    else giveUp();
    this.skipSpaces();
    if (this.ch() !== COLON || !isSpaceOrBreak(this.src.charCodeAt(this.i + 1))) giveUp();
    this.i++;
    return { start, value, name: String(value) };
  }

  /** The value after `key:` in a mapping at column `indent`. js-yaml opens it right after the ':'. */
  private readMappingValue(indent: number): unknown {
    this.open(this.i);
    this.skipSpaces();
    const c = this.ch();
    let value: unknown = null;
    if (isBreak(c) || c === HASH) {
      this.finishLine();
      // A sequence may sit at its key's indentation.
      if (this.indent > indent || (this.indent === indent && this.atSequenceItem())) value = this.readBlockCollection();
      else {
        this.kind = 'scalar';
        this.tagged = false;
      }
    } else {
      value = this.readInline(indent, false);
    }
    this.close(value);
    return value;
  }

  /** A collection starting a line at `this.indent`, after its key or tag. */
  private readBlockCollection(): unknown {
    if (this.atSequenceItem()) return this.readBlockSequence(this.indent);
    const c = this.ch();
    if (c === LEFT_BRACKET || c === LEFT_BRACE) return this.readFlowInBlock();
    return this.readBlockMapping(this.indent);
  }

  private readBlockSequence(indent: number): unknown[] {
    const sequence: unknown[] = [];
    do {
      sequence.push(this.readSequenceItem(indent));
      if (this.indent > indent) giveUp();
    } while (this.indent === indent && this.atSequenceItem());
    this.kind = 'sequence';
    this.tagged = false;
    return sequence;
  }

  /** `- item` with the dash at column `indent`; the item opens where its content starts. */
  private readSequenceItem(indent: number): unknown {
    const dash = this.i++;
    if (isBreak(this.ch())) return this.readItemBelow(indent);
    if (this.ch() !== SPACE) giveUp();
    this.skipSpaces();
    const c = this.ch();
    if (isBreak(c) || c === HASH) return this.readItemBelow(indent);
    const start = this.i;
    this.open(start);
    let value: unknown;
    const quoted = c === SINGLE_QUOTE || c === DOUBLE_QUOTE;
    if (quoted || this.atPlainStart(false)) {
      // A scalar, or the first key of a mapping (`- Key: value`): the same text up to a ': '.
      const text = quoted ? this.readQuoted() : this.readPlain(false);
      const scalar = quoted ? text : resolvePlain(text);
      const end = this.i;
      this.skipSpaces();
      if (this.ch() === COLON && isSpaceOrBreak(this.src.charCodeAt(this.i + 1))) {
        this.i++;
        value = this.readBlockMapping(indent + start - dash, { start, value: scalar, name: String(scalar) });
      } else {
        this.i = end;
        value = scalar;
        this.kind = 'scalar';
        this.tagged = false;
        this.finishLine();
      }
    } else {
      value = this.readInline(indent, true);
    }
    this.close(value);
    return value;
  }

  /**
   * A collection on the lines below its dash. js-yaml reads no node at all for an empty item (the next line
   * no deeper than the dash), which would shift the items' offsets: left to it.
   */
  private readItemBelow(indent: number): unknown {
    this.finishLine();
    if (this.indent <= indent) giveUp();
    this.open(this.i);
    const value = this.readBlockCollection();
    this.close(value);
    return value;
  }

  /**
   * A node that starts on the line of its key (`compact` false) or of its dash (`compact` true), in a
   * collection at column `indent`. Leaves `i` at the next line with content.
   */
  private readInline(indent: number, compact: boolean): unknown {
    const c = this.ch();
    if (c === BANG) return this.readTagged(indent, compact);
    if (c === LEFT_BRACKET || c === LEFT_BRACE) {
      if (compact) return this.readFlowInBlock();
      const value = this.readFlow();
      this.finishLine();
      return value;
    }
    if (c === PIPE || c === GREATER) return this.readBlockScalar(indent);
    let value: unknown;
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) value = this.readQuoted();
    else if (this.atPlainStart(false)) value = resolvePlain(this.readPlain(false));
    else giveUp();
    this.kind = 'scalar';
    this.tagged = false;
    this.finishLine();
    return value;
  }

  /**
   * A tag and what it wraps: on the same line, or a block collection on the next lines. js-yaml first tries
   * a tagged scalar on the tag's line as a mapping key, composing a node it then drops (a child event that
   * only ever gives `!GetAtt a.b`'s array the wrapper's start offset): the reader records the same event.
   */
  private readTagged(indent: number, compact: boolean): unknown {
    const tagStart = this.i;
    const name = this.readTag();
    this.skipSpaces();
    const c = this.ch();
    let content: unknown;
    if (isBreak(c) || c === HASH) {
      this.finishLine();
      const sameIndent = this.indent === indent && !compact && this.atSequenceItem();
      const next = this.ch();
      if (!(this.indent > indent || sameIndent) || next === LEFT_BRACKET || next === LEFT_BRACE) giveUp();
      content = this.readBlockCollection();
    } else if (c === LEFT_BRACKET || c === LEFT_BRACE) {
      content = this.readFlow();
      this.finishLine();
    } else if (c === PIPE || c === GREATER) {
      content = this.readBlockScalar(indent);
    } else {
      if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) content = this.readQuoted();
      else if (this.atPlainStart(false)) content = this.readPlain(false);
      else giveUp();
      this.kind = 'scalar';
      this.recorder.open(tagStart + this.base);
      this.recorder.close(null, 'scalar', false, undefined);
      this.finishLine();
    }
    this.tagged = true;
    return construct(name, content);
  }

  /**
   * A flow collection where js-yaml tries a block mapping first (a sequence item, a value on the line after
   * its key, the document): it composes the collection as a would-be key, one level deeper, inside the node.
   */
  private readFlowInBlock(): unknown {
    this.open(this.i);
    const value = this.readFlow();
    this.close(value);
    this.finishLine();
    return value;
  }

  // ------------------------------------------------------------------ flow collections

  private readFlow(): unknown {
    const isMapping = this.ch() === LEFT_BRACE;
    const terminator = isMapping ? RIGHT_BRACE : RIGHT_BRACKET;
    const mapping: Record<string, unknown> = {};
    const sequence: unknown[] = [];
    this.i++;
    this.skipFlowSpace();
    while (this.ch() !== terminator) {
      if (isMapping) {
        const key = this.readFlowKey();
        if (key.name === '__proto__' || key.name === '<<' || hasOwn.call(mapping, key.name)) giveUp();
        this.recordKey(key);
        this.skipFlowSpace();
        mapping[key.name] = this.readFlowEntry();
      } else {
        sequence.push(this.readFlowEntry());
      }
      this.skipFlowSpace();
      const c = this.ch();
      if (c === COMMA) {
        this.i++;
        this.skipFlowSpace();
      } else if (c !== terminator) {
        giveUp();
      }
    }
    this.i++;
    this.kind = isMapping ? 'mapping' : 'sequence';
    this.tagged = false;
    return isMapping ? mapping : sequence;
  }

  /** A plain or quoted key, then ':' on the same line; leaves `i` after the ':'. */
  private readFlowKey(): Key {
    const start = this.i;
    const c = this.ch();
    let value: unknown;
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) value = this.readQuoted();
    else if (this.atPlainStart(true)) value = resolvePlain(this.readPlain(true));
    else giveUp();
    this.skipSpaces();
    if (this.ch() !== COLON) giveUp();
    this.i++;
    return { start, value, name: String(value) };
  }

  /** An item of a flow sequence or a value of a flow mapping (never empty here). */
  private readFlowEntry(): unknown {
    this.open(this.i);
    let value: unknown;
    const c = this.ch();
    if (c === BANG) {
      const name = this.readTag();
      if (this.ch() !== SPACE) giveUp();
      this.skipSpaces();
      value = construct(name, this.readFlowContent(false));
      this.tagged = true;
    } else {
      value = this.readFlowContent(true);
    }
    this.close(value);
    return value;
  }

  private readFlowContent(typed: boolean): unknown {
    const c = this.ch();
    if (c === LEFT_BRACKET || c === LEFT_BRACE) return this.readFlow();
    let value: unknown;
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) value = this.readQuoted();
    else if (this.atPlainStart(true)) value = typed ? resolvePlain(this.readPlain(true)) : this.readPlain(true);
    else giveUp();
    this.kind = 'scalar';
    this.tagged = false;
    return value;
  }

  // ------------------------------------------------------------------ scalars

  /** A known short-form tag followed by white space (an unknown one is js-yaml's to report). */
  private readTag(): string {
    const start = this.i;
    let c = this.ch();
    while (!isSpaceOrBreak(c) && c !== TAB && c !== END) c = this.src.charCodeAt(++this.i);
    return FUNCTION_OF_TAG.get(this.src.slice(start, this.i)) ?? giveUp();
  }

  /**
   * A plain scalar on one line: it ends at ': ' (in flow also ':' before , [ ] { }), at ' #', at the line's
   * end and, in flow, at , [ ] { }. Trailing spaces are not part of it. What continues on the next line, more
   * indented, makes a multi-line scalar, which the block readers reject as bad indentation.
   */
  private readPlain(inFlow: boolean): string {
    const s = this.src;
    const start = this.i;
    let end = start;
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === COLON) {
        const next = s.charCodeAt(i + 1);
        if (isSpaceOrBreak(next) || next === TAB || (inFlow && isFlowIndicator(next))) break;
      } else if (c === SPACE) {
        if (s.charCodeAt(i + 1) === HASH) break;
        i++;
        continue;
      } else if (isBreak(c) || c === END || (inFlow && isFlowIndicator(c))) {
        break;
      } else if (c === TAB) {
        giveUp();
      }
      end = ++i;
    }
    this.i = i;
    return s.slice(start, end);
  }

  private readQuoted(): string {
    return this.ch() === SINGLE_QUOTE ? this.readSingleQuoted() : this.readDoubleQuoted();
  }

  private readSingleQuoted(): string {
    const s = this.src;
    let from = this.i + 1;
    let text = '';
    for (let i = from; ; i++) {
      const c = s.charCodeAt(i);
      if (c === SINGLE_QUOTE) {
        text += s.slice(from, i);
        if (s.charCodeAt(i + 1) !== SINGLE_QUOTE) {
          this.i = i + 1;
          return text;
        }
        from = ++i;
      } else if (isBreak(c) || c === END) {
        giveUp();
      }
    }
  }

  private readDoubleQuoted(): string {
    const s = this.src;
    let from = this.i + 1;
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
    const folded = this.ch() === GREATER;
    let c = s.charCodeAt(++this.i);
    const chomping = c === DASH ? 'strip' : c === PLUS ? 'keep' : 'clip';
    if (chomping !== 'clip') c = s.charCodeAt(++this.i);
    if (c !== SPACE && !isBreak(c)) giveUp();
    this.skipSpaces();
    if (this.ch() === HASH) this.i = s.indexOf('\n', this.i);
    if (!isBreak(this.ch())) giveUp();
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

    this.i = lineStart;
    this.seekContent();
    this.kind = 'scalar';
    this.tagged = false;
    return text;
  }

  // ------------------------------------------------------------------ white space, comments, lines

  private ch(): number {
    return this.src.charCodeAt(this.i);
  }

  private skipSpaces(): void {
    while (this.ch() === SPACE) this.i++;
    if (this.ch() === TAB) giveUp();
  }

  /** A dash followed by white space: a block sequence item. */
  private atSequenceItem(): boolean {
    const next = this.src.charCodeAt(this.i + 1);
    return this.ch() === DASH && (isSpaceOrBreak(next) || next === TAB);
  }

  /** Whether a plain scalar starts at `i` (js-yaml's rules, less `?` and `:` which it rarely allows). */
  private atPlainStart(inFlow: boolean): boolean {
    const c = this.ch();
    if (c === DASH) {
      const next = this.src.charCodeAt(this.i + 1);
      return !isSpaceOrBreak(next) && next !== TAB && next !== END && !(inFlow && isFlowIndicator(next));
    }
    return !NOT_PLAIN_START.has(c);
  }

  /** After a node: spaces and a comment to the end of the line, then on to the next line with content. */
  private finishLine(): void {
    this.skipSpaces();
    const s = this.src;
    if (this.ch() === HASH) {
      if (s.charCodeAt(this.i - 1) !== SPACE) giveUp();
      this.i = s.indexOf('\n', this.i);
    }
    if (!isBreak(this.ch())) giveUp();
    this.i = afterBreak(s, this.i);
    this.seekContent();
  }

  /**
   * From the start of a line, past blank and comment lines to the first content; sets `indent`. A document
   * marker gives up, save one `---` that starts the document.
   */
  private seekContent(atDocumentStart = false): void {
    const s = this.src;
    let i = this.i;
    for (;;) {
      const lineStart = i;
      while (s.charCodeAt(i) === SPACE) i++;
      const c = s.charCodeAt(i);
      if (isBreak(c)) {
        i = afterBreak(s, i);
      } else if (c === HASH) {
        i = s.indexOf('\n', i) + 1;
      } else if (c === END) {
        this.i = i;
        this.indent = -1;
        return;
      } else if (c === TAB) {
        giveUp();
      } else if (i === lineStart && (isDocumentMarker(s, i) || (atDocumentStart && s.startsWith('---', i)))) {
        // js-yaml takes a document's first line starting with '---' for the marker, whatever follows.
        if (!atDocumentStart || !isDocumentMarker(s, i) || c !== DASH) giveUp();
        this.i = i + 3;
        this.finishLine();
        return;
      } else {
        this.i = i;
        this.indent = i - lineStart;
        return;
      }
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
      } else if (isBreak(c)) {
        i = afterBreak(s, i);
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

const NOT_PLAIN_START = new Set(
  [...' \t\r\n\0,[]{}#&*!|>\'"%@`?:'].map((c) => c.charCodeAt(0)),
);

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

/** A plain scalar typed as js-yaml's core schema types it, or a give-up where the reader is not sure. */
function resolvePlain(text: string): unknown {
  switch (text) {
    case '~': case 'null': case 'Null': case 'NULL':
      return null;
    case 'true': case 'True': case 'TRUE':
      return true;
    case 'false': case 'False': case 'FALSE':
      return false;
  }
  const c = text.charCodeAt(0);
  if (!((c >= 0x30 && c <= 0x39) || c === DASH || c === PLUS || c === DOT)) return text;
  // js-yaml reads -0 as the integer 0, not -0.
  if (DECIMAL_INTEGER.test(text)) return text === '-0' ? 0 : Number(text);
  if (DECIMAL_FRACTION.test(text)) return Number(text);
  if (MAYBE_NUMBER.test(text)) giveUp();
  return text;
}

/** What yaml-cfn builds for a tag: the long form, `!GetAtt a.b` split at its first dot (null without one). */
function construct(name: string, content: unknown): Record<string, unknown> {
  if (name === 'Fn::GetAtt' && typeof content === 'string') {
    const dot = content.indexOf('.');
    return { [name]: dot < 0 ? null : [content.slice(0, dot), content.slice(dot + 1)] };
  }
  return { [name]: content };
}
