import { isMap, isScalar } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseFile } from './document.js';
import { applyEdits, insertPair, replaceScalar } from './splice.js';

const set = (content: string, key: string, value: string) => {
  const file = parseFile(content, 'f.yaml', key);
  const root = file.documents[0]?.contents;
  const pair = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
  if (!isScalar(pair?.value)) throw new Error(`no scalar ${key}`);
  return applyEdits(content, [replaceScalar(file, pair.value, value)]);
};

describe('replaceScalar', () => {
  it('GIVEN single quotes WHEN the value has an apostrophe THEN it is doubled; a line break switches to double quotes', () => {
    expect(set("a: 'x'\n", 'a', "it's")).toBe("a: 'it''s'\n");
    expect(set("a: 'x'\n", 'a', 'two\nlines')).toBe('a: "two\\nlines"\n');
  });

  it('GIVEN a plain scalar WHEN the value would read as something else THEN it is double quoted', () => {
    expect(set('a: x\n', 'a', '# not a comment')).toBe('a: "# not a comment"\n');
    expect(set('a: x\n', 'a', '123')).toBe('a: "123"\n');
    expect(set('a: x\n', 'a', 'null')).toBe('a: "null"\n');
    expect(set('a: 7\n', 'a', '8')).toBe('a: 8\n');
    expect(set('a: ~\n', 'a', 'v1')).toBe('a: v1\n');
  });

  it('GIVEN the same value WHEN set THEN the very same string comes back', () => {
    const text = 'a: "x"   # keep\n';
    expect(set(text, 'a', 'x')).toBe(text);
  });
});

describe('insertPair', () => {
  it('GIVEN two inserts at one place WHEN applied THEN they keep the order given', () => {
    const content = 'm:\n  a: 1\nz: 2\n';
    const file = parseFile(content, 'f.yaml', 'm');
    const root = file.documents[0]?.contents;
    const m = isMap(root) ? root.items[0]?.value : undefined;
    if (!isMap(m)) throw new Error('no map');
    const after = applyEdits(content, [insertPair(file, m, 'b', 'x y'), insertPair(file, m, 'c', 'true')]);
    expect(after).toBe('m:\n  a: 1\n  b: x y\n  c: "true"\nz: 2\n');
  });
});
