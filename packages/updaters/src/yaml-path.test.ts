import { type GitCommit, gitCommit, helmChart, UpdaterError } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { digestOf, lineChanges, thrown } from './test-support.js';
import { chartVersionAtPath, imageAtPath, yamlPath } from './yaml-path.js';

const OLD = digestOf('a');
const NEW = digestOf('e');

const commitAt = (path: string) =>
  yamlPath<GitCommit>({
    path,
    resource: gitCommit,
    format: (c) => c.commit,
    parse: (text) => (/^[0-9a-f]{40}$/.test(text) ? { kind: 'git-commit', commit: text } : undefined),
  });

const SHA1 = '1'.repeat(40);
const SHA2 = '2'.repeat(40);

describe('yamlPath', () => {
  const app = `# Argo CD application
apiVersion: argoproj.io/v1alpha1
kind: Application
spec:
  sources:
  - repoURL: https://example.com/config.git
    targetRevision: '${SHA1}'   # pinned
  -   repoURL: https://example.com/charts.git
      targetRevision: main
`;

  it('GIVEN an index path WHEN read THEN the text is parsed into the resource', () => {
    expect(commitAt('spec.sources[0].targetRevision').read(app, 'app.yaml')).toEqual({
      kind: 'git-commit',
      commit: SHA1,
    });
  });

  it('GIVEN text that parse does not accept WHEN read THEN not pinned', () => {
    expect(commitAt('spec.sources[1].targetRevision').read(app, 'app.yaml')).toBeUndefined();
  });

  it('GIVEN a new value WHEN written THEN only that line changes, its quotes and comment kept', () => {
    const updater = commitAt('spec.sources[repoURL=https://example.com/config.git].targetRevision');
    const after = updater.write(app, { kind: 'git-commit', commit: SHA2 }, 'app.yaml');
    expect(lineChanges(app, after)).toEqual([
      {
        line: 7,
        before: `    targetRevision: '${SHA1}'   # pinned`,
        after: `    targetRevision: '${SHA2}'   # pinned`,
      },
    ]);
    expect(updater.read(after, 'app.yaml')).toEqual({ kind: 'git-commit', commit: SHA2 });
    expect(updater.write(after, { kind: 'git-commit', commit: SHA2 }, 'app.yaml')).toBe(after);
  });

  it('GIVEN a parse that throws WHEN read THEN an UpdaterError naming the file and path', () => {
    const strict = yamlPath<GitCommit>({
      path: 'spec.sources[1].targetRevision',
      resource: gitCommit,
      format: (c) => c.commit,
      parse: (text) => {
        throw new Error(`not a sha: ${text}`);
      },
    });
    const e = thrown(() => strict.read(app, 'app.yaml'));
    expect(e).toBeInstanceOf(UpdaterError);
    expect(e.message).toContain('not a sha: main');
    expect(e.context).toMatchObject({ file: 'app.yaml', path: 'spec.sources[1].targetRevision' });
  });

  it('GIVEN a path to a map WHEN read THEN an error says a single value was expected', () => {
    const e = thrown(() => commitAt('spec.sources[0]').read(app, 'app.yaml'));
    expect(e.message).toContain('expected a single value, found a map');
  });

  it('GIVEN an index past the end WHEN read THEN the error gives the length', () => {
    const e = thrown(() => commitAt('spec.sources[5].targetRevision').read(app, 'app.yaml'));
    expect(e.message).toContain('no item [5] in spec.sources (2 items)');
  });

  it('GIVEN a value needing quotes in a plain scalar WHEN written THEN it is quoted so it reads back as text', () => {
    const text = 'a: x  # c\nb: |\n  block\nc:\nd: end\n';
    const write = (path: string, value: string) =>
      yamlPath<GitCommit>({
        path,
        resource: gitCommit,
        format: () => value,
        parse: (t) => ({ kind: 'git-commit', commit: t }),
      }).write(text, { kind: 'git-commit', commit: value }, 'f.yaml');
    expect(write('a', 'true')).toBe('a: "true"  # c\nb: |\n  block\nc:\nd: end\n');
    expect(write('a', 'x: y')).toBe('a: "x: y"  # c\nb: |\n  block\nc:\nd: end\n');
    expect(write('b', 'new')).toBe('a: x  # c\nb: "new"\nc:\nd: end\n');
    expect(write('c', 'filled')).toBe('a: x  # c\nb: |\n  block\nc: filled\nd: end\n');
  });
});

describe('imageAtPath', () => {
  const pkg = `{
\t"name": "app",
\t"deploy": {
\t\t"image": "ghcr.io/example/app:1.0@${OLD}",
\t\t"replicas": 2
\t}
}
`;

  it('GIVEN a tab-indented JSON file WHEN written THEN one line changes and it stays valid JSON', () => {
    const updater = imageAtPath('deploy.image');
    expect(updater.read(pkg, 'deploy.json')).toEqual({
      kind: 'oci-image',
      repository: 'ghcr.io/example/app',
      digest: OLD,
      tag: '1.0',
    });
    const image = { kind: 'oci-image', repository: 'ghcr.io/example/app', digest: NEW, tag: '1.1' } as const;
    const after = updater.write(pkg, image, 'deploy.json');
    expect(lineChanges(pkg, after).map((c) => c.after)).toEqual([`\t\t"image": "ghcr.io/example/app:1.1@${NEW}",`]);
    expect(JSON.parse(after)).toEqual({
      name: 'app',
      deploy: { image: `ghcr.io/example/app:1.1@${NEW}`, replicas: 2 },
    });
  });

  it('GIVEN JSON with a null where the image goes WHEN written THEN a JSON string replaces it', () => {
    const text = '{"image": null, "n": 1}';
    const after = imageAtPath('image').write(text, { kind: 'oci-image', repository: 'app', digest: NEW }, 'x.txt');
    expect(after).toBe(`{"image": "app@${NEW}", "n": 1}`);
    expect(JSON.parse(after)).toEqual({ image: `app@${NEW}`, n: 1 });
  });

  it('GIVEN a second document holding the path WHEN written THEN that document changes', () => {
    const text = `a: 1\n---\n# second\nimage: app@${OLD}\n`;
    const after = imageAtPath('image').write(text, { kind: 'oci-image', repository: 'app', digest: NEW }, 'x.yaml');
    expect(after).toBe(`a: 1\n---\n# second\nimage: app@${NEW}\n`);
  });

  it('GIVEN no document holding the path WHEN read THEN the error names the path and the closest keys', () => {
    const e = thrown(() => imageAtPath('deploy.img').read(pkg, 'deploy.json'));
    expect(e.message).toContain('no key "img" in deploy; keys there: image, replicas');
  });
});

describe('chartVersionAtPath', () => {
  const chartYaml = `apiVersion: v2
name: umbrella
version: 0.3.0
dependencies:
  - name: redis
    version: "18.0.1"
    repository: oci://registry-1.docker.io/bitnamicharts
  - name: postgresql
    version: 13.2.0
`;

  it('GIVEN an umbrella chart WHEN a dependency version is promoted THEN only that line changes', () => {
    const updater = chartVersionAtPath({ path: 'dependencies[name=postgresql].version', name: 'postgresql' });
    expect(updater.read(chartYaml, 'Chart.yaml')).toEqual({
      kind: 'helm-chart',
      name: 'postgresql',
      version: '13.2.0',
    });
    const after = updater.write(chartYaml, { kind: 'helm-chart', name: 'postgresql', version: '13.4.1' }, 'Chart.yaml');
    expect(lineChanges(chartYaml, after)).toEqual([
      { line: 9, before: '    version: 13.2.0', after: '    version: 13.4.1' },
    ]);
    expect(updater.read(after, 'Chart.yaml')).toEqual({ kind: 'helm-chart', name: 'postgresql', version: '13.4.1' });
  });

  it('GIVEN a quoted version WHEN written THEN the quotes stay', () => {
    const updater = chartVersionAtPath({ path: 'dependencies[name=redis].version', name: 'redis' });
    const after = updater.write(chartYaml, { kind: 'helm-chart', name: 'redis', version: '18.2.0' }, 'Chart.yaml');
    expect(lineChanges(chartYaml, after).map((c) => c.after)).toEqual(['    version: "18.2.0"']);
  });

  it('GIVEN a path in two documents WHEN read THEN an ambiguity error names both; WHEN a document is selected THEN that one is written', () => {
    const two =
      'kind: A\nmetadata: {name: one}\nspec: {tag: "1"}\n---\nkind: A\nmetadata: {name: two}\nspec: {tag: "2"}\n';
    const any = yamlPath({ path: 'spec.tag', resource: helmChart, format: (c) => c.version, parse: () => undefined });
    expect(() => any.read(two, 'f.yaml')).toThrow(
      /spec.tag is in 2 documents \(document 1 \(A one\) at line 3; document 2 \(A two\) at line 7\)/,
    );
    const two2 = yamlPath({
      path: 'spec.tag',
      resource: helmChart,
      format: (c) => c.version,
      parse: () => undefined,
      select: { name: 'two' },
    });
    expect(two2.write(two, { kind: 'helm-chart', name: 'x', version: '3' }, 'f.yaml')).toBe(
      two.replace('{tag: "2"}', '{tag: "3"}'),
    );
  });
});
