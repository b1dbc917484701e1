// Random YAML documents shaped like CloudFormation templates, in every style the fast reader reads and many it
// should leave to js-yaml: block and flow collections, compact mappings, sequences at their key's indentation,
// plain / quoted / block scalars, short-form and other tags, comments, blank lines, CRLF. Mostly ordinary
// choices, a few tricky ones, so that most documents are read by both readers and some by one only.
import fc from 'fast-check';

/** A YAML value as data (so counterexamples print readably), rendered by `renderDocument`. */
export type Spec =
  | { scalar: string }
  | { flow: string }
  | { block: string; lines: string[]; extra: number }
  | { map: Entry[]; step: number }
  | { seq: Item[]; step: number }
  | { tag: string; value: Spec };
interface Entry {
  key: string;
  value: Spec;
  comment: string;
  gap: string;
}
interface Item {
  value: Spec;
  comment: string;
  gap: string;
}

/** One of `common`, and once in a while (a document makes dozens of choices) one of `rare`. */
const usually = <T>(common: readonly T[], rare: readonly T[]) =>
  fc.oneof({ weight: 100, arbitrary: fc.constantFrom(...common) }, { weight: 1, arbitrary: fc.constantFrom(...rare) });

const flowSafePlain = ['a', 'Value', 'AWS::S3::Bucket', 'arn:aws:s3:::bucket/*', '10.0.0.0/16', '2010-09-09', 'us-east-1', 'python3.12',
  '0', '12', '-3', '1.5', '-0', '0.50', 'true', 'False', 'null', '~', 'a b', 'a#b', 'http://example.com/a?b=c', "it's", '-x', 'x-',
  'ünïcödé', '😀', 'Res.Arn', 'Res.Arn.Sub'];
const trickyPlain = ['007', '1e3', '0x1F', '0o17', '.5', '+1', '1_000', '.inf', '-.inf', '.NaN', '1.', '-0.0', 'yes', 'on', 'NULL',
  'TRUE', 'a: b', 'a:', '-', '?x', ':x', '%x', '@x', '`x', '*x', '&x a', '!x', '|x', '>x', 'a\tb', '---', '...', '[x', 'x]', '{x'];
const plain = usually([...flowSafePlain, 'a,b', '${AWS::Region}', 'a ]b', 'x # comment', 'a{b}'], trickyPlain);
const plainInFlow = usually(flowSafePlain, ['a,b', '${AWS::Region}', 'x # comment', ...trickyPlain]);
const quoted = usually(
  ["'a'", "'it''s'", "''", "'a # b'", "'true'", "'1'", '"a"', '"a\\nb"', '"\\t\\"q\\"\\\\"', '"\\x41\\u00e9"', '""',
    '"a: b"', "'a: b'", '"${AWS::StackName}-x"'],
  ['"\\U0001F600"', '"\\q"', "'unterminated", '"unterminated', '"a\tb"', '"\\/\\0\\a\\e\\N\\_\\L\\P"', '"\\x4"', "'a'b'"],
);
const key = usually(
  ['Resources', 'Properties', 'Type', 'Name', 'Key', 'Value', 'Tags', 'Fn::If', 'Ref', 'A', 'B', 'C', 'D', 'E', '"Quoted Key"',
    "'single'", '1', 'true', 'a b', 'a:b', '"a"'],
  ['__proto__', '<<', '-k', 'null', '~', '1.50', '"x\\ty"', '? k', '&a k', '*a', '!Ref k', '[k]', '{k: v}', 'k ', '"k":x', 'k\t'],
);
const tag = usually(
  ['!Ref', '!GetAtt', '!Sub', '!If', '!Join', '!Select', '!Equals', '!Not', '!And', '!Or', '!Condition', '!FindInMap', '!Base64',
    '!Cidr', '!GetAZs', '!ImportValue', '!Split', '!Transform', '!ForEach', '!Length', '!ToJsonString', '!Contains', '!ValueOf'],
  ['!Foo', '!!str', '!<tag:yaml.org,2002:str>', '!ref', '!', '!Ref!', '&anchor', '&a !Ref'],
);
const comment = usually(['', '', '', ' # note', '  #x'], ['#x', ' #', '\t# tab']);
const gap = usually(['', '', '', '\n', '# comment\n', '\n\n'], ['   # indented\n', '  \n', '---\n', '\t\n']);
const separator = usually([', ', ', ', ',', ' , ', ',\n  ', ', # c\n    '], ['\n, ', ',,', ' ,\n']);
const flowScalar = fc.oneof({ weight: 3, arbitrary: plainInFlow }, { weight: 2, arbitrary: quoted }, {
  weight: 1,
  arbitrary: fc.tuple(tag, fc.oneof(plainInFlow, quoted)).map(([t, s]) => `${t} ${s}`),
});

const flowNodes = fc.letrec<{ node: string; seq: string; map: string }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, flowScalar, tie('seq'), tie('map'), fc.tuple(tag, tie('seq')).map(([t, s]) => `${t} ${s}`)),
  seq: fc
    .tuple(fc.array(tie('node'), { maxLength: 4 }), separator, fc.boolean())
    .map(([items, sep, trailing]) => `[${items.join(sep)}${trailing && items.length > 0 ? ',' : ''}]`),
  map: fc
    .tuple(fc.uniqueArray(fc.tuple(key, tie('node')), { maxLength: 4, selector: ([k]) => k }), separator, usually([': ', ': '], [':', ' : ', ':\n  ']))
    .map(([entries, sep, colon]) => `{${entries.map(([k, v]) => `${k}${colon}${v}`).join(sep)}}`),
}));
const flow = fc.oneof(flowNodes.seq, flowNodes.map);

const blockLines = fc.array(
  usually(['line', 'echo "$X"', 'a: b', '# not a comment', '', 'x  '], ['  more indented', '\tTab', '  ', '---']),
  { maxLength: 5 },
);

const leaf: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 8, arbitrary: fc.oneof(plain, quoted).map((scalar) => ({ scalar })) },
  { weight: 2, arbitrary: flow.map((text) => ({ flow: text })) },
  {
    weight: 2,
    arbitrary: fc.record({
      block: usually(['|', '|-', '|+', '>', '>-'], ['>+', '|2', '| # c', '|-+', '>\t']),
      lines: blockLines,
      extra: usually([2, 2, 4], [0, 1]),
    }),
  },
);

const value: fc.Arbitrary<Spec> = fc.letrec<{ value: Spec; untagged: Spec; item: Spec; map: Spec; seq: Spec }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: tie('untagged') },
    { weight: 1, arbitrary: fc.record({ tag, value: tie('untagged') }) },
  ),
  untagged: fc.oneof({ depthSize: 'small', withCrossShrink: true }, { weight: 6, arbitrary: leaf }, tie('map'), tie('seq')),
  // A sequence right in a sequence (`-`, then `- a` below it) is rare in templates; a tagged one is common.
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: leaf },
    { weight: 2, arbitrary: tie('map') },
    { weight: 2, arbitrary: fc.record({ tag, value: tie('untagged') }) },
    { weight: 1, arbitrary: tie('seq') },
  ),
  map: fc.record({
    map: fc.uniqueArray(fc.record({ key, value: tie('value'), comment, gap }), { minLength: 1, maxLength: 4, selector: (entry) => entry.key }),
    step: usually([2, 2, 4], [1, 3]),
  }),
  seq: fc.record({
    seq: fc.array(fc.record({ value: tie('item'), comment, gap }), { minLength: 1, maxLength: 4 }),
    step: usually([2, 0], [1, 4]),
  }),
})).value;

/** A template: a few sections, then Resources whose Properties nest deep enough for the lazy indexing rule. */
export const cloudFormationYaml: fc.Arbitrary<string> = fc
  .record({
    sections: fc.uniqueArray(fc.record({ key, value, comment, gap }), { maxLength: 3, selector: (entry) => entry.key }),
    resources: fc.uniqueArray(
      fc.record({
        name: usually(['Bucket', 'Trail', 'Queue', 'Topic'], ['"Quoted"', 'Trail ']),
        type: plainInFlow,
        properties: value,
        gap,
        // Now and then a resource in flow style, on its key's line or the next (js-yaml reads the latter deeper).
        flowStyle: fc.option(fc.record({ properties: flowNodes.map, onNextLine: fc.boolean() }), { freq: 6 }),
      }),
      { maxLength: 4, selector: (resource) => resource.name },
    ),
    start: usually(['', '', '# header\n', '\n'], ['---\n', '--- # c\n', '%YAML 1.2\n---\n', '\uFEFF', ' ']),
    end: usually(['\n', '\n', ''], ['\n\n', '\n# end', '\n...\n', '  ']),
    crlf: fc.boolean(),
  })
  .map(({ sections, resources, start, end, crlf }) => {
    const otherSections = sections.filter((section) => section.key !== 'Resources');
    const resourceEntries = resources.map(({ name, type, properties, gap, flowStyle }): Entry => ({
      key: name,
      gap,
      comment: '',
      value: flowStyle
        ? { flow: `${flowStyle.onNextLine ? '\n    ' : ''}{Type: ${type}, Properties: ${flowStyle.properties}}` }
        : { map: [{ key: 'Type', value: { scalar: type }, comment: '', gap: '' }, { key: 'Properties', value: properties, comment: '', gap: '' }], step: 2 },
    }));
    const document: Spec = { map: [...otherSections, { key: 'Resources', value: { map: resourceEntries, step: 2 }, comment: '', gap: '\n' }], step: 0 };
    const text = start + render(document, 0).lines.join('\n') + end;
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

/**
 * The inline part (after `key:` or `- `) and the lines below it, for a value owned by a key or item at
 * `indent`. Only a key's sequence may sit at the key's own indentation.
 */
function render(spec: Spec, indent: number, ownedByKey = true): { inline: string; lines: string[] } {
  if ('scalar' in spec) return { inline: spec.scalar, lines: [] };
  if ('flow' in spec) return { inline: spec.flow, lines: [] };
  if ('block' in spec) return { inline: spec.block, lines: spec.lines.map((line) => (line ? ' '.repeat(indent + spec.extra) + line : '')) };
  if ('tag' in spec) {
    const inner = render(spec.value, indent, ownedByKey);
    return { inline: inner.inline ? `${spec.tag} ${inner.inline}` : spec.tag, lines: inner.lines };
  }
  if ('map' in spec) return { inline: '', lines: mappingLines(spec.map, indent + spec.step) };
  const step = ownedByKey ? spec.step : Math.max(spec.step, 2);
  return { inline: '', lines: spec.seq.flatMap((item) => itemLines(item, indent + step)) };
}

function mappingLines(entries: Entry[], indent: number, firstGap = true): string[] {
  const pad = ' '.repeat(indent);
  return entries.flatMap(({ key, value, comment, gap }, index) => {
    const { inline, lines } = render(value, indent);
    const gapLines = firstGap || index > 0 ? gapOf(gap, pad) : [];
    return [...gapLines, `${pad}${key}:${inline ? ` ${inline}` : ''}${comment}`, ...lines];
  });
}

function itemLines({ value, comment, gap }: Item, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if ('map' in value) {
    // "- Key: value" with the rest of the mapping aligned under the first key.
    const lines = mappingLines(value.map, indent + 2, false);
    return [...gapOf(gap, pad), `${pad}- ${lines[0].slice(indent + 2)}`, ...lines.slice(1)];
  }
  const { inline, lines } = render(value, indent, false);
  return [...gapOf(gap, pad), `${pad}-${inline ? ` ${inline}` : ''}${comment}`, ...lines];
}

function gapOf(gap: string, pad: string): string[] {
  if (!gap) return [];
  return gap.replace(/\n$/, '').split('\n').map((line) => (line.startsWith('#') ? pad + line : line));
}
