import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { fastYamlToJs } from './fast-yaml.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** What gantry.yaml read with the `yaml` library gives, or its first error. */
function viaYaml(text: string): { value: unknown } | { error: string } {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  return first ? { error: first.message } : { value: doc.toJS() };
}

/** The fast path either declines or gives exactly what `yaml` gives: same values, same key order. */
async function expectSameOrDeclined(text: string): Promise<'fast' | 'declined'> {
  const fast = await fastYamlToJs(text);
  if (!fast) return 'declined';
  const slow = viaYaml(text);
  expect(slow, text).toHaveProperty('value');
  const value = (slow as { value: unknown }).value;
  expect(isDeepStrictEqual(fast.value, value), text).toBe(true);
  expect(JSON.stringify(fast.value)).toBe(JSON.stringify(value));
  return 'fast';
}

const CONFIGS = [
  'examples/gitops/gantry.yaml',
  'examples/gitops/yaml/gantry.yaml',
  'deploy/kubernetes/base/gantry.yaml',
  'deploy/kubernetes/overlays/production/gantry.yaml',
];

/** As bench/fleet-gen.ts writes a pipeline: the shape of a 10,000-pipeline file. */
const FLEET = `repositories:
  config-0: { url: "file:///tmp/x/repo-0.git", branch: main }
registries:
  registry-0: { url: "http://127.0.0.1:1", limits: { requestsPerSecond: 5000, concurrency: 16 } }
server:
  schedules: []
pipelines:
  - name: svc-00000
    resource: oci-image
    labels: { team: payments }
    phases:
      - name: oci
        source: { type: oci, registry: registry-0, repository: svc-0, select: { by: tag, tag: latest } }
      - name: staging
        promotesFrom: oci
        source: { type: git, repository: config-0, path: apps/svc-0/staging.yaml, updater: { type: kubernetes-image, container: app } }
`;

describe('fastYamlToJs reads gantry.yaml as the yaml library does', () => {
  it.each(CONFIGS)('GIVEN %s WHEN read THEN the fast path, with the same data', async (path) => {
    expect(await expectSameOrDeclined(readFileSync(join(ROOT, path), 'utf8'))).toBe('fast');
  });

  it('GIVEN the shape of a fleet configuration WHEN read THEN the fast path, with the same data', async () => {
    expect(await expectSameOrDeclined(FLEET)).toBe('fast');
  });

  it('GIVEN the YAML examples of the docs WHEN read THEN each is the same or declined', async () => {
    const docs = join(ROOT, 'docs');
    let fast = 0;
    for (const file of readdirSync(docs).filter((f) => f.endsWith('.md'))) {
      for (const m of readFileSync(join(docs, file), 'utf8').matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
        if ((await expectSameOrDeclined(m[1] ?? '')) === 'fast') fast++;
      }
    }
    expect(fast).toBeGreaterThan(10);
  });

  it.each([
    ['quoted keys', `"a b": 1\n'c:d': 2\n"": 3\n`],
    [
      'scalars of the core schema',
      'a: [1, -0, +7, 0o17, 0x1F, 1.5, .5, +.5, 1., 1e3, -2.5E-3, 1e999, 99999999999999999999]\n',
    ],
    ['strings that look like numbers elsewhere', 'a: [1_000, 0b101, 017, 0o8, 0xG, 12:30, 2001-12-14, 1.2.3, "1"]\n'],
    ['special floats', 'a: [.inf, -.Inf, +.INF, .nan, .NaN, .NAN, .Nan]\n'],
    ['nulls and booleans', 'a: [~, null, Null, NULL, nUll, true, True, TRUE, tRue, false, yes, no, on, off, y, n]\n'],
    ['empty values', 'a:\nb: ""\nc: { d: , e: }\nf: []\ng: {}\n'],
    ['keys that are not strings', '1: a\n0x10: b\ntrue: c\n~: d\n1.5: e\n'],
    [
      'block scalars',
      'a: |\n  x\n   y\n\nb: >-\n  folded\n  more\n\n  para\nc: |+\n  keep\n\nd: >2\n   indented\ne: |-\n  strip\n',
    ],
    ['multi-line strings', 'a: plain\n  multi line\nb: "double\n  quoted\n\n  para"\nc: \'single\n  quoted\'\n'],
    ['escapes', 'a: "tab\\t e\\u00e9 \\x41 \\\\ \\""\nb: \'it\'\'s\'\nc: a#b\nd: "#x" # comment\n'],
    ['flow collections', 'a: { b: [1, { c: d }], "e": f, g: "h, i" }\nb: [a, [b, c], {}]\n'],
    ['a merge key, which YAML 1.2 leaves a plain key', 'a: { b: 1 }\nc:\n  <<: { b: 2 }\n  d: 3\n'],
    ['the __proto__ key', '__proto__: { polluted: true }\na: 1\n'],
    ['a document marker and Windows line ends', '---\r\na: 1\r\nb:\r\n  - c\r\n...\r\n'],
    ['non-ASCII text', 'name: "café ☕"\nlabels: { équipe: données }\n'],
  ])('GIVEN %s WHEN read THEN the same data', async (_, text) => {
    expect(await expectSameOrDeclined(text)).toBe('fast');
  });

  it.each([
    ['anchors and aliases', 'a: &x { b: 1 }\nc: *x\n'],
    ['an alias in a merge key', 'a: &x { b: 1 }\nc:\n  <<: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a custom tag', 'a: !secret x\n'],
    ['a YAML 1.1 directive', '%YAML 1.1\n---\na: yes\n'],
    ['a tab', 'a:\n\tb: 1\n'],
    ['an empty key', 'a:\n  b: 1\n  : c\n'],
    ['a complex key', '? [a, b]\n: c\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['two keys that become one string', '1: a\n"1": b\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a key longer than yaml allows', `${'k'.repeat(1100)}: 1\n`],
    ['a quoted key longer than yaml allows', `"${'k'.repeat(1100)}": 1\n`],
    ['an empty file', ''],
    ['a comment alone', '# nothing\n'],
    ['a syntax error', 'a: "open\nb: 1\n'],
  ])('GIVEN %s WHEN read THEN declined: the yaml library reads it', async (_, text) => {
    expect(await fastYamlToJs(text)).toBeUndefined();
  });

  it('GIVEN edge cases of YAML syntax WHEN read THEN each is the same or declined', async () => {
    // line breaks and escapes, folding, numbers, flow and block forms, errors yaml may report
    const texts = [
      'a: x\u0085y\n',
      'a: x\u2028y\n',
      'a: "x\u2028y"\n',
      'a: x\u0007\n',
      'a: "\u0007"\n',
      'a: x\ry\n',
      'a: x\uFEFFy\n',
      'a: 😀\n',
      'a: "\uD800"\n',
      'a: x\u00A0y\n',
      'a:\u00A0b\n',
      'a: x\r\n  y\r\n',
      'a: >\r\n  x\r\n  y\r\n',
      'a: "x\r\n  y"\n',
      'a: \u000b\n',
      'a: \u007f\n',
      '\uFEFFa: 1\n',
      'a: |  \n  x  \n  y\n',
      `${'k'.repeat(1100)}: 1\n`,
      `"${'k'.repeat(1100)}": 1\n`,
      'a: b # c\n',
      'a: "x\\\n  y"\n',
      'a: [b\n  c, d]\n',
      'a: [b, c, ]\n',
      'a: {b: 1,}\n',
      '- - x\n  - y\n- z\n',
      'a : b\n',
      'a:  b  \n',
      'a: 1\r b: 2\r',
      'a: 1\n...\nb: 2\n',
      'a: { }\n',
      'a: [0o, 0x, +0x1, -0o7, .5e3, 5e, 1e+3, 1E3, -1., +., ., -, +]\n',
      'a: "\\U0001F600 \\N \\_ \\L \\P \\0 \\a \\e \\/"\n',
      'a: "folded  \n   line\\ \n  end"\n',
      'a: >\n  a\n   b\n  c\n\n\n',
      'a: |2-\n   x\n',
      'a: |\n\n  x\n',
      'a:\n- b\n- c\n',
      'a: -b\n',
      'a: b:c\n',
      'a: b: c\n',
      'a: "b"c\n',
      "a: 'b'c\n",
      'a: [b]c\n',
      'a:\n  b\nc: d\n',
      '- a\nb: c\n',
      'a: {b: c} d\n',
      'a: "unterminated\n',
      'a: b\n  c: d\n',
      '"a": b\n"a": c\n',
      'a: 1 #c\n#d\nb: 2',
      'a: #c\n  b\n',
      'a: !\n',
      'a: 12_3\n',
      'a: 0777\n',
      'a: 09\n',
      'a: 1e400\n',
      'a: -1e400\n',
      'a: 0.0\n',
      'a: -0.0\n',
      'a: 00\n',
      'a: [a: b]\n',
      'a: [a: b, c]\n',
      'a: {a}\n',
      'a: {a, b: c}\n',
      'a: [{a: b}: c]\n',
      'a: "\\x"\n',
      "a: 'x\n\n  y'\n",
      'a: x\n\n  y\n',
      '- x\n -y\n',
      'a:\n  - b\n  -c\n',
      'a: >+\n  x\n\n',
      'a: >-\n\n  x\n\n',
      'key with spaces: v\n',
      'a: http://x:1/y?q=1#f\n',
      'a: @x\n',
      'a: `x\n',
      'a: |x\n',
      'a: >1\n  x\n',
      'a: "x" # c\nb: \'y\' #c\n',
      'a:\n  # comment\n  b: 1\n',
      '---\n',
      '--- a\n',
      '--- |\n  x\n',
      'a: ---\n',
      'a: ...\n',
      '- ---\n',
      'a: "\\u00"\n',
    ];
    for (const text of texts) await expectSameOrDeclined(text);
  });

  it('GIVEN many small edits of the example configurations WHEN read THEN never different data', async () => {
    // a fixed seed: the same texts every run
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const texts = CONFIGS.map((p) => readFileSync(join(ROOT, p), 'utf8')).concat(FLEET);
    const pieces = [' ', ':', '-', '#', '"', "'", '{', '}', '[', ']', ',', '\n', '|', '>', '?', 'x', '1', '.', '\\'];
    for (let n = 0; n < 300; n++) {
      let text = texts[Math.floor(random() * texts.length)] ?? '';
      const at = Math.floor(random() * text.length);
      const piece = pieces[Math.floor(random() * pieces.length)] ?? '';
      const op = random();
      if (op < 0.25) {
        const lines = text.split('\n');
        const i = Math.floor(random() * lines.length);
        lines[i] = random() < 0.5 ? ` ${lines[i]}` : (lines[i] ?? '').replace(/^ /, '');
        text = lines.join('\n');
      } else if (op < 0.5) text = text.slice(0, at) + text.slice(at + 1);
      else if (op < 0.75) text = text.slice(0, at) + piece + text.slice(at);
      else text = text.slice(0, at) + piece + text.slice(at + 1);
      await expectSameOrDeclined(text);
    }
  });
});
