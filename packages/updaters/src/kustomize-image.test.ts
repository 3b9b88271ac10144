import { UpdaterError } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { kustomizeImage } from './kustomize-image.js';
import { digestOf, lineChanges, thrown } from './test-support.js';

const OLD = digestOf('a');
const NEW = digestOf('c');
const FILE = 'env/production/kustomization.yaml';

const kustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base   # shared manifests

images:
    # the application
    - name: app
      newName: ghcr.io/example/app
      newTag: "1.4.0"
      digest: '${OLD}'
    - {name: proxy, newTag: "2.0", digest: ${OLD}}
    - name: worker
      newTag: v7  # no digest yet
`;

const app = kustomizeImage({ name: 'app' });

describe('kustomizeImage', () => {
  it('GIVEN an entry with newName, newTag and digest WHEN read THEN they make the image', () => {
    expect(app.read(kustomization, FILE)).toEqual({
      kind: 'oci-image',
      repository: 'ghcr.io/example/app',
      digest: OLD,
      tag: '1.4.0',
    });
  });

  it('GIVEN a new digest with the same tag WHEN written THEN only the digest line changes, quotes kept', () => {
    const image = { kind: 'oci-image', repository: 'ghcr.io/example/app', digest: NEW, tag: '1.4.0' } as const;
    const after = app.write(kustomization, image, FILE);
    expect(lineChanges(kustomization, after)).toEqual([
      { line: 11, before: `      digest: '${OLD}'`, after: `      digest: '${NEW}'` },
    ]);
    expect(app.read(after, FILE)).toEqual(image);
  });

  it('GIVEN a new tag too WHEN written THEN newTag and digest change, in their own quoting', () => {
    const image = { kind: 'oci-image', repository: 'ghcr.io/example/app', digest: NEW, tag: '1.5.0' } as const;
    const after = app.write(kustomization, image, FILE);
    expect(lineChanges(kustomization, after).map((c) => c.after)).toEqual([
      '      newTag: "1.5.0"',
      `      digest: '${NEW}'`,
    ]);
  });

  it('GIVEN the same image WHEN written THEN the very same string comes back', () => {
    const same = app.read(kustomization, FILE);
    expect(same).toBeDefined();
    if (same) expect(app.write(kustomization, same, FILE)).toBe(kustomization);
  });

  it('GIVEN a flow-style entry WHEN written THEN it changes within its line', () => {
    const proxy = kustomizeImage({ name: 'proxy' });
    const after = proxy.write(kustomization, { kind: 'oci-image', repository: 'proxy', digest: NEW, tag: '2.1' }, FILE);
    expect(lineChanges(kustomization, after).map((c) => c.after)).toEqual([
      `    - {name: proxy, newTag: "2.1", digest: ${NEW}}`,
    ]);
  });

  it('GIVEN a digest without a tag WHEN written THEN newTag goes, as `kustomize edit set image proxy@<digest>` drops it', () => {
    const proxy = kustomizeImage({ name: 'proxy' });
    const after = proxy.write(kustomization, { kind: 'oci-image', repository: 'proxy', digest: NEW }, FILE);
    expect(lineChanges(kustomization, after).map((c) => c.after)).toEqual([`    - {name: proxy, digest: ${NEW}}`]);
  });

  it('GIVEN an entry without digest WHEN read THEN not pinned; WHEN a tagged digest is written THEN one digest line is added, aligned', () => {
    const worker = kustomizeImage({ name: 'worker' });
    expect(worker.read(kustomization, FILE)).toBeUndefined();
    const image = { kind: 'oci-image', repository: 'worker', digest: NEW, tag: 'v7' } as const;
    const after = worker.write(kustomization, image, FILE);
    expect(lineChanges(kustomization, after)).toEqual([{ line: 15, after: `      digest: ${NEW}` }]);
    expect(worker.read(after, FILE)).toEqual(image);
  });

  it('GIVEN an entry holding tags WHEN it compares by tag THEN the tag is the version; WHEN written THEN only newTag changes', () => {
    const worker = kustomizeImage({ name: 'worker', form: 'tag' });
    expect(worker.comparesBy).toBe('tag');
    expect(worker.read(kustomization, FILE)).toEqual({ kind: 'oci-image', repository: 'worker', tag: 'v7' });
    const after = worker.write(
      kustomization,
      { kind: 'oci-image', repository: 'worker', tag: 'v8', digest: NEW },
      FILE,
    );
    expect(lineChanges(kustomization, after)).toEqual([
      { line: 14, before: '      newTag: v7  # no digest yet', after: '      newTag: v8  # no digest yet' },
    ]);
  });

  it('GIVEN another repository and no newName WHEN written THEN the file keeps its name; with host: source, newName is added in key order', () => {
    const image = { kind: 'oci-image', repository: 'registry.local/worker', digest: NEW, tag: 'v7' } as const;
    const kept = kustomizeImage({ name: 'worker' }).write(kustomization, image, FILE);
    expect(lineChanges(kustomization, kept).map((c) => c.after)).toEqual([`      digest: ${NEW}`]);
    const worker = kustomizeImage({ name: 'worker', host: 'source' });
    const after = worker.write(kustomization, image, FILE);
    expect(after.split('\n').slice(-5)).toEqual([
      '    - name: worker',
      '      newName: registry.local/worker',
      '      newTag: v7  # no digest yet',
      `      digest: ${NEW}`,
      '',
    ]);
    expect(worker.read(after, FILE)).toMatchObject({ repository: 'registry.local/worker', digest: NEW });
  });

  it('GIVEN a file without a trailing newline WHEN a key is added THEN it goes on a new last line', () => {
    const text = 'images:\n- name: app\n  newTag: v1';
    const after = app.write(text, { kind: 'oci-image', repository: 'app', digest: NEW, tag: 'v1' }, 'k.yaml');
    expect(after).toBe(`${text}\n  digest: ${NEW}`);
  });

  it('GIVEN a digest replacing a tag in the last line WHEN written THEN the tag line goes and the digest line comes', () => {
    const text = 'images:\n- name: app\n  newTag: v1';
    const after = app.write(text, { kind: 'oci-image', repository: 'app', digest: NEW }, 'k.yaml');
    expect(after).toBe(`images:\n- name: app\n  digest: ${NEW}\n`);
  });

  it('GIVEN no entry of that name, or no images at all WHEN read THEN nothing pinned yet (a promotion adds it)', () => {
    expect(kustomizeImage({ name: 'api' }).read(kustomization, FILE)).toBeUndefined();
    expect(app.read('resources: [a.yaml]\n', FILE)).toBeUndefined();
  });

  it('GIVEN images that is not a list WHEN read THEN the error names its line', () => {
    const e = thrown(() => app.read('resources: [a.yaml]\nimages: app\n', FILE));
    expect(e).toBeInstanceOf(UpdaterError);
    expect(e.message).toContain('line 2: images is not a list');
  });
});
