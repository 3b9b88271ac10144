import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { parseBlockYaml } from './block-yaml.js';

/** What the updaters read of a tree: keys, values, their style and where each scalar is. */
function shape(node: unknown): unknown {
  if (isMap(node)) return { map: node.items.map((p) => [shape(p.key), shape(p.value)]), at: node.range?.[0] };
  if (isSeq(node)) return { seq: node.items.map(shape), at: node.range?.[0] };
  if (isScalar(node))
    return {
      value: node.value,
      type: node.type,
      source: node.source,
      range: node.range?.slice(0, 2),
      anchor: node.anchor,
      tag: node.tag,
    };
  return { other: node === null ? null : typeof node };
}

/** The full parser's tree, when the text is one valid document. */
function fullShape(text: string): unknown {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length !== 1 || docs[0]?.errors.length !== 0) return 'invalid';
  return shape(docs[0].contents);
}

const deployment = `# staging
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-1
  namespace: staging # one namespace per environment
  labels:
    app.kubernetes.io/name: svc-1
spec:
  replicas: 2
  paused: false
  template:
    spec:
      initContainers:
      - name: migrate
        image: "ghcr.io/example/migrate:v3"   # tag only
      containers:
        - name: app
          image: 'registry.example.com/svc-1@sha256:${'a'.repeat(64)}'
          ports:
            - containerPort: 8080
          args:
            - --port
            - x#y

        - name: proxy
          image: ghcr.io/example/proxy:1.4
`;

describe('parseBlockYaml', () => {
  it('reads a Kubernetes workload as the full parser does', () => {
    // GIVEN a block-style Deployment with comments, quotes, indentless and indented lists
    // WHEN it is parsed quickly
    const quick = parseBlockYaml(deployment);
    // THEN the tree is the full parser's: the same keys, values, styles and offsets
    expect(quick).toBeDefined();
    expect(shape(quick)).toEqual(fullShape(deployment));
  });

  it.each([
    ['a flow map', 'a: {b: c}\n'],
    ['a flow list', 'a: [b, c]\n'],
    ['an anchor', 'a: &x b\nc: *x\n'],
    ['a tag', 'a: !!str b\n'],
    ['a block scalar', 'a: |\n  b\n'],
    ['a multi-line plain scalar', 'a: b\n  c\n'],
    ['an escape', 'a: "b\\tc"\n'],
    ['a doubled single quote', "a: 'it''s'\n"],
    ['a float', 'a: 1.5\n'],
    ['an octal number', 'a: 0o14\n'],
    ['a number with a leading zero', 'a: 0123\n'],
    ['a negative number', 'a: -1\n'],
    ['a boolean key', 'true: b\n'],
    ['a null', 'a: ~\n'],
    ['an empty value', 'a:\nb: c\n'],
    ['a duplicate key', 'a: b\na: c\n'],
    ['a tab', 'a:\tb\n'],
    ['two documents', 'a: b\n---\nc: d\n'],
    ['a list at the top', '- a\n'],
    ['a nested map in a value', 'a: b: c\n'],
    ['a quoted key', '"a": b\n'],
    ['a key with a space', 'a b: c\n'],
    ['an item on the next line', 'a:\n  -\n    b: c\n'],
    ['a wrongly indented key', 'a:\n    b: c\n  d: e\n'],
    ['CRLF line ends', 'a: b\r\nc: d\r\n'],
  ])('leaves %s to the full parser', (_, text) => {
    // GIVEN text outside the block subset
    // WHEN it is parsed quickly
    // THEN the quick parser declines rather than guess
    expect(parseBlockYaml(text)).toBeUndefined();
  });

  it('never disagrees with the full parser on what it accepts', () => {
    // GIVEN YAML-like text built from keys, values of every style and indentations, some of it invalid
    const key = fc.constantFrom('a', 'kind', 'name', 'image', 'app.kubernetes.io/name', 'true', 'b_2', 'x-y', 'a b');
    const scalar = fc.constantFrom(
      'app',
      'ghcr.io/x/y:1.2@sha256:abc',
      '"quoted"',
      "'single'",
      '"with # hash"',
      'x#y',
      'b # comment',
      '1',
      '0x1f',
      '.5',
      'null',
      'No',
      '~',
      '-x',
      'a: b',
      'http://host:80/p',
      '"a\\"b"',
      "'it''s'",
      '&a x',
      '*a',
      '[1, 2]',
      '{a: b}',
      '|',
      '"open',
      'x:',
      '',
      '# only a comment',
    );
    const indent = fc.constantFrom('', ' ', '  ', '   ', '    ', '      ');
    const line = fc.oneof(
      fc.tuple(indent, key, scalar).map(([i, k, v]) => `${i}${k}: ${v}`),
      fc.tuple(indent, key).map(([i, k]) => `${i}${k}:`),
      fc.tuple(indent, scalar).map(([i, v]) => `${i}- ${v}`),
      fc.tuple(indent, key, scalar).map(([i, k, v]) => `${i}- ${k}: ${v}`),
      fc.tuple(indent, key).map(([i, k]) => `${i}- ${k}:`),
      fc.constantFrom('', '# comment', '  # indented comment', '---', '...', '-', '- - a', '\ta: b'),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 14 }), (lines) => {
        const text = `${lines.join('\n')}\n`;
        const quick = parseBlockYaml(text);
        // THEN whatever the quick parser accepts, the full parser reads as one valid document, the same tree
        if (quick !== undefined) expect(shape(quick)).toEqual(fullShape(text));
      }),
      { numRuns: 4000 },
    );
  });

  it('reads random block documents as the full parser does', () => {
    // GIVEN random trees of maps, lists and scalars written in block style: two or four spaces,
    // lists indented or not, extra spaces after dashes, comments, blank lines, every quoting
    type Tree = { s: string } | { m: Array<[string, Tree]> } | { q: Tree[] };
    const text = fc.constantFrom(
      'app',
      'ghcr.io/x/y:1.2@sha256:abc',
      '"quoted"',
      "'single'",
      '"with # hash"',
      "'x: y'",
      'x#y',
      '--port',
      'Deployment',
      'yes',
      'http://host:80/p',
      '""',
      '1',
      '8080',
      'True',
      'false',
      'null',
    );
    const keys = fc.uniqueArray(
      fc.constantFrom('a', 'kind', 'name', 'image', 'spec', 'app.kubernetes.io/name', 'x_y'),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    const { tree } = fc.letrec<{ tree: Tree; map: Tree; seq: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        text.map((s) => ({ s })),
        tie('map'),
        tie('seq'),
      ),
      map: keys.chain((ks) =>
        fc.tuple(...ks.map((k) => tie('tree').map((v) => [k, v] as [string, Tree]))).map((m) => ({ m })),
      ),
      seq: fc
        .array(
          fc.oneof(
            text.map((s) => ({ s })),
            tie('map'),
          ),
          { minLength: 1, maxLength: 3 },
        )
        .map((q) => ({ q })),
    }));
    const style = fc.record({
      step: fc.constantFrom(2, 4),
      indentless: fc.boolean(),
      dash: fc.constantFrom('- ', '-   '),
      comment: fc.constantFrom('', '  # note'),
      blank: fc.boolean(),
    });
    const write = (
      root: Tree,
      o: { step: number; indentless: boolean; dash: string; comment: string; blank: boolean },
    ) => {
      const out: string[] = [];
      const entries = (m: Array<[string, Tree]>, col: number, first?: string) => {
        m.forEach(([k, v], i) => {
          const pad = i === 0 && first !== undefined ? first : ' '.repeat(col);
          if ('s' in v) out.push(`${pad}${k}: ${v.s}${o.comment}`);
          else {
            out.push(`${pad}${k}:${o.comment}`);
            if (o.blank) out.push('');
            if ('m' in v) entries(v.m, col + o.step);
            else items(v.q, o.indentless ? col : col + o.step);
          }
        });
      };
      const items = (q: Tree[], col: number) => {
        for (const item of q) {
          const pad = `${' '.repeat(col)}${o.dash}`;
          if ('s' in item) out.push(`${pad}${item.s}`);
          else if ('m' in item) entries(item.m, pad.length, pad);
        }
      };
      if ('m' in root) entries(root.m, 0);
      else out.push(`a: ${'s' in root ? root.s : 'x'}`);
      return `# generated\n${out.join('\n')}\n`;
    };
    let accepted = 0;
    fc.assert(
      fc.property(tree, style, (root, o) => {
        const yaml = write(root, o);
        const quick = parseBlockYaml(yaml);
        if (quick === undefined) return;
        accepted++;
        // THEN what the quick parser accepts, it reads as the full parser does
        expect(shape(quick)).toEqual(fullShape(yaml));
      }),
      { numRuns: 2000 },
    );
    // AND it accepts most of them (the comparison above is not vacuous)
    expect(accepted).toBeGreaterThan(400);
  });
});
