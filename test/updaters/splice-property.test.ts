import { helmChart } from '@gantry/core';
import { yamlPath } from '@gantry/updaters';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** A YAML tree with the text it was written as: styles, comments and blank lines chosen at random. */
type Leaf = { kind: 'leaf'; text: string; comment: string };
type Tree = Leaf | { kind: 'map'; entries: [string, Tree][] } | { kind: 'list'; items: Leaf[] };

const plain = fc.stringMatching(/^[a-z][a-z0-9.-]{0,7}$/);
const anyText = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((s) => !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(s) && s.trim() === s);
const comment = fc.oneof(fc.constant(''), fc.stringMatching(/^ {1,3}# [a-z :#'"-]{0,12}$/));
const leaf: fc.Arbitrary<Leaf> = fc.record({
  kind: fc.constant('leaf' as const),
  text: fc.oneof(
    plain,
    fc.integer({ min: 0, max: 99999 }).map(String),
    anyText.map((s) => `'${s.replaceAll("'", "''")}'`),
    anyText.map((s) => JSON.stringify(s)),
  ),
  comment,
});
const keys = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 4 });
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    keys.chain((ks) =>
      fc
        .tuple(...ks.map(() => tie('node')))
        .map((vs) => ({ kind: 'map' as const, entries: ks.map((k, i) => [k, vs[i] as Tree] as [string, Tree]) })),
    ),
    fc.array(leaf, { minLength: 1, maxLength: 3 }).map((items) => ({ kind: 'list' as const, items })),
  ),
})).node;
const root = keys.chain((ks) =>
  fc
    .tuple(...ks.map(() => tree))
    .map((vs) => ({ kind: 'map' as const, entries: ks.map((k, i) => [k, vs[i] as Tree] as [string, Tree]) })),
);

interface Written {
  readonly text: string;
  /** Path -> 0-based line of each leaf. */
  readonly leaves: { path: string; line: number; comment: string }[];
}

function write(t: Tree & { kind: 'map' }, blank: boolean): Written {
  const lines: string[] = ['# a document with comments'];
  const leaves: Written['leaves'] = [];
  const walk = (node: Tree & { kind: 'map' }, indent: string, path: string) => {
    for (const [k, v] of node.entries) {
      const at = path ? `${path}.${k}` : k;
      if (blank) lines.push('');
      if (v.kind === 'leaf') {
        leaves.push({ path: at, line: lines.length, comment: v.comment });
        lines.push(`${indent}${k}: ${v.text}${v.comment}`);
      } else if (v.kind === 'list') {
        lines.push(`${indent}${k}:   # a list`);
        v.items.forEach((item, i) => {
          leaves.push({ path: `${at}[${i}]`, line: lines.length, comment: item.comment });
          lines.push(`${indent}  - ${item.text}${item.comment}`);
        });
      } else {
        lines.push(`${indent}${k}:`);
        walk(v, `${indent}  `, at);
      }
    }
  };
  walk(t, '', '');
  return { text: `${lines.join('\n')}\n`, leaves };
}

/** The parsed document with `path` set to `value`: what the edited file must mean. */
function setIn(doc: unknown, path: string, value: string): unknown {
  const steps = path.split(/\.|(?=\[)/).map((s) => (s.startsWith('[') ? Number(s.slice(1, -1)) : s));
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  steps.slice(0, -1).forEach((s) => {
    node = node[s] as Record<string | number, unknown>;
  });
  node[steps[steps.length - 1] as string | number] = value;
  return copy;
}

describe('splicing a value into a YAML document (property)', () => {
  it('GIVEN random documents with comments WHEN a random existing value is set THEN only that scalar changes: every other byte stays, the document means the same but for that value', () => {
    fc.assert(
      fc.property(root, fc.boolean(), fc.nat(), anyText, (doc, blank, pick, value) => {
        const written = write(doc, blank);
        const target = written.leaves[pick % written.leaves.length];
        if (!target) return;
        const updater = yamlPath({
          path: target.path,
          resource: helmChart,
          format: (c) => c.version,
          parse: () => undefined,
        });
        const after = updater.write(written.text, { kind: 'helm-chart', name: 'x', version: value }, 'doc.yaml');
        const a = written.text.split('\n');
        const b = after.split('\n');
        // THEN the same lines, all but the target's identical
        expect(b).toHaveLength(a.length);
        a.forEach((line, i) => {
          if (i !== target.line) expect(b[i]).toBe(line);
        });
        // AND the target line keeps its key, indentation and comment
        const before = a[target.line] as string;
        const prefix = before.slice(0, before.indexOf(before.trimStart().startsWith('- ') ? '- ' : ': ') + 2);
        expect(b[target.line]?.startsWith(prefix)).toBe(true);
        expect(b[target.line]?.endsWith(target.comment)).toBe(true);
        // AND the document reads as before, with the new value at the path
        expect(parse(after)).toEqual(setIn(parse(written.text), target.path, value));
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});
