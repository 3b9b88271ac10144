import { helmValues, kubernetesImage, kustomizeHelmChart, kustomizeImage } from '@gantry/updaters';
import { hostChanges } from '@gantry/updaters';
import { describe, expect, it } from 'vitest';
import { crlf, digestOf, expectLines, fixture, thrown } from './fixtures.js';

const D = digestOf('b');
const image = (tag: string, repository = 'registry.mirror.local:5000/library/nginx') =>
  ({ kind: 'oci-image', repository, tag, digest: D }) as const;

describe("Helm: the default chart's values.yaml (helm create)", () => {
  const values = fixture('helm-create-values.yaml');

  it('GIVEN image.tag only WHEN promoted THEN the tag line alone changes, the repository (and its host) kept', () => {
    const tag = helmValues({ tag: 'image.tag' });
    expect(tag.comparesBy).toBe('tag');
    // THEN the empty tag of the scaffold holds no version yet
    expect(tag.read(values, 'values.yaml')).toBeUndefined();
    const after = expectLines(tag, values, image('1.27.0'), { 14: '  tag: "1.27.0"' });
    expect(tag.read(after, 'values.yaml')).toEqual({ kind: 'oci-image', repository: 'nginx', tag: '1.27.0' });
  });

  it('GIVEN Windows line endings WHEN promoted THEN they are kept', () => {
    expectLines(helmValues({ tag: 'image.tag' }), crlf(values), image('1.27.0'), { 14: '  tag: "1.27.0"' });
  });

  it('GIVEN tag@digest in the tag value WHEN promoted THEN the tag value carries both', () => {
    const both = helmValues({ tag: 'image.tag', tagFormat: 'tag@digest' });
    expect(both.comparesBy).toBe('digest');
    expectLines(both, values, image('1.27.0'), { 14: `  tag: "1.27.0@${D}"` });
  });

  it('GIVEN host: source WHEN promoted THEN the repository Gantry reads from is written too', () => {
    const source = helmValues({ tag: 'image.tag', host: 'source' });
    expectLines(source, values, image('1.27.0'), {
      10: '  repository: registry.mirror.local:5000/library/nginx',
      14: '  tag: "1.27.0"',
    });
  });

  it('GIVEN a digest path the chart does not have WHEN read THEN file, line, path and the keys there are named', () => {
    const e = thrown(() => helmValues({ tag: 'image.tag', digest: 'image.digest' }).read(values, 'values.yaml'));
    expect(e.message).toBe(
      'values.yaml: line 10: no key "digest" in image; keys there: repository, pullPolicy, tag (looked at image.digest)',
    );
  });

  it('GIVEN two images in one values file WHEN each is promoted THEN each changes its own line', () => {
    const text =
      'app:\n  image:\n    repository: ghcr.io/example/app\n    tag: "1.0.0"\nworker:\n  image:\n    repository: ghcr.io/example/worker\n    tag: "2.0.0"\n';
    const app = helmValues({ tag: 'app.image.tag' });
    const worker = helmValues({ tag: 'worker.image.tag' });
    expectLines(app, text, image('1.1.0'), { 4: '    tag: "1.1.0"' });
    expectLines(worker, text, image('2.1.0'), { 8: '    tag: "2.1.0"' });
    // AND one image at two places moves together
    const both = helmValues({ tag: ['app.image.tag', 'worker.image.tag'] });
    expectLines(both, text, image('3.0.0'), { 4: '    tag: "3.0.0"', 8: '    tag: "3.0.0"' });
  });

  it('GIVEN a per-environment values-production.yaml holding only the tag WHEN promoted THEN it reads by the name given', () => {
    const prod = '# production overrides\nimage:\n  tag: 1.26.0\n';
    const tag = helmValues({ tag: 'image.tag', imageName: 'nginx' });
    expect(tag.read(prod, 'values-production.yaml')).toEqual({ kind: 'oci-image', repository: 'nginx', tag: '1.26.0' });
    expectLines(tag, prod, image('1.27.0'), { 3: '  tag: 1.27.0' });
  });

  it('GIVEN a templated tag WHEN read THEN an error names the line and the value, nothing is read as a version', () => {
    const text = 'image:\n  repository: nginx\n  tag: "{{ .Values.global.tag }}"\n';
    const e = thrown(() => helmValues({ tag: 'image.tag' }).read(text, 'values.yaml'));
    expect(e.message).toContain('values.yaml: line 3: "{{ .Values.global.tag }}" is a template');
  });

  it('GIVEN a tag that is an anchor shared by an alias WHEN written THEN refused with its line', () => {
    const text = 'image:\n  repository: nginx\n  tag: &v 1.0.0\nsidecar:\n  tag: *v\n';
    const e = thrown(() => helmValues({ tag: 'image.tag' }).write(text, image('1.1.0'), 'values.yaml'));
    expect(e.message).toContain('line 3: the value carries the anchor &v');
  });

  it('GIVEN duplicate keys WHEN read THEN the key and its line are named', () => {
    const text = 'image:\n  repository: nginx\n  tag: 1.0.0\n  tag: 1.1.0\n';
    const e = thrown(() => helmValues({ tag: 'image.tag' }).read(text, 'values.yaml'));
    expect(e.message).toContain('line 4');
    expect(e.message).toContain('duplicate key "tag"');
  });
});

describe('registry hosts', () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
      - name: app
        image: ghcr.io/example/app:1.0.0@${digestOf('a')}
`;

  it('GIVEN an image read from a mirror WHEN promoted THEN the host in the file stays; with host: source it changes, and hostChanges says so', () => {
    const mirror = image('1.1.0', 'mirror.local:5000/example/app');
    const kept = kubernetesImage({ container: 'app' }).write(deployment, mirror, 'd.yaml');
    expect(kept).toContain(`image: ghcr.io/example/app:1.1.0@${D}`);
    expect(hostChanges([{ path: 'd.yaml', before: deployment, after: kept }])).toEqual([]);
    const moved = kubernetesImage({ container: 'app', host: 'source' }).write(deployment, mirror, 'd.yaml');
    expect(moved).toContain(`image: mirror.local:5000/example/app:1.1.0@${D}`);
    expect(hostChanges([{ path: 'd.yaml', before: deployment, after: moved }])).toEqual([
      { path: 'd.yaml', line: 8, from: 'ghcr.io', to: 'mirror.local:5000' },
    ]);
  });

  it('GIVEN form: tag WHEN promoted THEN the reference carries the tag only', () => {
    const tag = kubernetesImage({ container: 'app', form: 'tag' });
    expect(tag.write(deployment, image('1.1.0'), 'd.yaml')).toContain('image: ghcr.io/example/app:1.1.0\n');
  });
});

describe('Kustomize images: as `kustomize edit set image` writes them (Kustomize docs)', () => {
  const k = fixture('kustomize-docs-images-kustomization.yaml');

  it('GIVEN an entry with newTag WHEN promoted by tag THEN newTag alone changes', () => {
    expectLines(kustomizeImage({ name: 'nginx', form: 'tag' }), k, image('1.9.0'), { 11: '  newTag: 1.9.0' });
  });

  it('GIVEN an entry pinned by digest WHEN promoted THEN the digest alone changes', () => {
    expectLines(
      kustomizeImage({ name: 'alpine' }),
      k,
      { kind: 'oci-image', repository: 'alpine', digest: D },
      {
        15: `  digest: ${D}`,
      },
    );
  });

  it('GIVEN no entry for the image WHEN promoted THEN one is added in kustomize shape: fields sorted, after the names before it', () => {
    const after = kustomizeImage({ name: 'redis' }).write(k, image('7.2.4', 'redis'), 'kustomization.yaml');
    expect(after).toBe(`${k}- digest: ${D}\n  name: redis\n  newTag: 7.2.4\n`);
    // AND a name that sorts first goes before the entry that sorts after it
    const sorted = 'images:\n- name: nginx\n  newTag: 1.8.0\n- name: postgres\n  newTag: v1\n';
    const added = kustomizeImage({ name: 'node', form: 'tag' }).write(sorted, image('20', 'node'), 'k.yaml');
    expect(added).toBe(
      'images:\n- name: nginx\n  newTag: 1.8.0\n- name: node\n  newTag: "20"\n- name: postgres\n  newTag: v1\n',
    );
  });

  it('GIVEN an overlay without images WHEN promoted THEN images is added at the end, as kustomize adds a missing field', () => {
    const overlay = fixture('kustomize-docs-overlay-kustomization.yaml');
    const after = kustomizeImage({ name: 'my-app', form: 'tag' }).write(overlay, image('1.2.3'), 'kustomization.yaml');
    expect(after).toBe(`${overlay}images:\n- name: my-app\n  newTag: 1.2.3\n`);
  });

  it('GIVEN helmCharts WHEN the chart is promoted THEN its version line alone changes', () => {
    const charts = fixture('kustomize-docs-helmcharts-kustomization.yaml');
    const minecraft = kustomizeHelmChart({ name: 'minecraft' });
    expect(minecraft.read(charts, 'k.yaml')).toEqual({
      kind: 'helm-chart',
      name: 'minecraft',
      version: '3.1.3',
      repository: 'https://itzg.github.io/minecraft-server-charts',
    });
    expectLines(
      minecraft,
      charts,
      { kind: 'helm-chart', name: 'minecraft', version: '3.2.0' },
      { 11: '  version: 3.2.0' },
    );
  });
});
