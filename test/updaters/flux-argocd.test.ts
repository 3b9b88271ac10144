import {
  argoCdChart,
  argoCdHelmImage,
  argoCdImageUpdaterFile,
  argoCdKustomizeImage,
  argoCdRevision,
  fluxGitRepository,
  fluxImagePolicy,
  fluxOciRepository,
  helmReleaseChart,
} from '@gantry/updaters';
import { describe, expect, it } from 'vitest';
import { crlf, digestOf, expectLines, fixture, thrown } from './fixtures.js';

const chart = (name: string, version: string) => ({ kind: 'helm-chart', name, version }) as const;
const image = (repository: string, tag: string, digest?: string) =>
  ({ kind: 'oci-image', repository, tag, ...(digest ? { digest } : {}) }) as const;
const SHA = '3f6b1a4c2d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a';

describe('Flux HelmRelease (helm-controller API reference example)', () => {
  const release = fixture('flux-api-helmrelease.yaml');

  it("GIVEN the example's version '6.5.*' WHEN read THEN a range error naming file, line and value", () => {
    const e = thrown(() => helmReleaseChart().read(release, 'podinfo.yaml'));
    expect(e.code).toBe('updater_failed');
    expect(e.message).toContain('podinfo.yaml: line 22: "6.5.*" is a version range, not one version');
    expect(e.message).toContain('(looked at spec.chart.spec.version)');
  });

  it('GIVEN holdsRanges WHEN promoted THEN the range is replaced by the exact version, its quotes kept', () => {
    const ranged = helmReleaseChart({ holdsRanges: true });
    expect(ranged.read(release, 'podinfo.yaml')).toBeUndefined();
    const after = expectLines(ranged, release, chart('podinfo', '6.5.4'), { 22: "      version: '6.5.4'" });
    expect(ranged.read(after, 'podinfo.yaml')).toEqual({ ...chart('podinfo', '6.5.4'), repository: 'podinfo' });
  });

  it('GIVEN a chartRef to an OCIRepository in the file WHEN promoted THEN spec.ref.semver of that OCIRepository changes', () => {
    const text = fixture('flux-api-helmrelease-chartref-ocirepository.yaml');
    expect(thrown(() => helmReleaseChart().read(text, 'f.yaml')).message).toContain(
      'line 13: ">= 6.0.0" is a version range',
    );
    expectLines(helmReleaseChart({ holdsRanges: true }), text, chart('podinfo', '6.5.4'), {
      13: '    semver: "6.5.4"',
    });
    // AND the same file read as the OCIRepository itself
    const pinned = text.replace('">= 6.0.0"', '"6.5.4"');
    expect(fluxOciRepository().read(pinned, 'f.yaml')).toEqual({
      ...chart('podinfo', '6.5.4'),
      repository: 'oci://ghcr.io/stefanprodan/charts/podinfo',
    });
  });

  it('GIVEN a chartRef to a HelmChart WHEN promoted THEN its spec.version changes', () => {
    const text = fixture('flux-api-helmrelease-chartref-helmchart.yaml');
    expectLines(helmReleaseChart({ holdsRanges: true }), text, chart('podinfo', '6.5.4'), { 12: '  version: "6.5.4"' });
  });

  it('GIVEN a per-environment patch holding only the version WHEN read without the chart name THEN the error asks for it; WHEN named THEN read and written', () => {
    const patch = fixture('flux-helmrelease-version-patch.yaml');
    expect(thrown(() => helmReleaseChart().read(patch, 'patch.yaml')).message).toContain(
      'give the chart name (option chart)',
    );
    // any chart is accepted when writing: the base names it
    expectLines(helmReleaseChart(), patch, chart('podinfo', '6.5.4'), { 10: '      version: "6.5.4"' });
    const named = helmReleaseChart({ chart: 'podinfo' });
    expect(named.read(patch, 'patch.yaml')).toEqual(chart('podinfo', '6.5.3'));
    expect(thrown(() => named.write(patch, chart('redis', '1.0.0'), 'patch.yaml')).message).toContain(
      'holds chart "podinfo"',
    );
  });

  it('GIVEN a GitRepository pinned to a commit WHEN promoted THEN spec.ref.commit changes, the branch stays', () => {
    const git = fixture('flux-api-gitrepository-commit.yaml');
    expect(fluxGitRepository().read(git, 'git.yaml')).toMatchObject({ kind: 'git-commit', ref: 'master' });
    expectLines(fluxGitRepository(), git, { kind: 'git-commit', commit: SHA }, { 12: `    commit: ${SHA}` });
  });
});

describe('Flux image automation markers (image update guide)', () => {
  const markers = fixture('flux-image-update-guide-markers.yaml');
  const policy = fluxImagePolicy({ policy: 'flux-system:podinfo' });

  it('GIVEN the setter markers WHEN read THEN the whole reference is the version, compared by tag', () => {
    expect(policy.comparesBy).toBe('tag');
    expect(policy.read(markers, 'm.yaml')).toEqual(image('ghcr.io/stefanprodan/podinfo', '5.0.0'));
  });

  it('GIVEN a new tag WHEN promoted THEN the marked image and tag values change, :name kept, markers kept', () => {
    const next = image('mirror.local/stefanprodan/podinfo', '5.0.1', digestOf('c'));
    expectLines(policy, markers, next, {
      17: '        image: ghcr.io/stefanprodan/podinfo:5.0.1 # {"$imagepolicy": "flux-system:podinfo"}',
      28: '      tag: 5.0.1  # {"$imagepolicy": "flux-system:podinfo:tag"}',
    });
    expectLines(policy, crlf(markers), next, {
      17: '        image: ghcr.io/stefanprodan/podinfo:5.0.1 # {"$imagepolicy": "flux-system:podinfo"}',
      28: '      tag: 5.0.1  # {"$imagepolicy": "flux-system:podinfo:tag"}',
    });
  });

  it('GIVEN a policy with no marker WHEN read THEN the markers there are listed with their lines', () => {
    const e = thrown(() => fluxImagePolicy({ policy: 'other' }).read(markers, 'm.yaml'));
    expect(e.message).toContain(
      'markers in the file: flux-system:podinfo (line 17), flux-system:podinfo:name (line 27)',
    );
  });
});

describe('Argo CD (Argo CD docs)', () => {
  const helm = fixture('argocd-docs-application-helm.yaml');

  it('GIVEN a Helm source WHEN the chart is promoted THEN targetRevision changes', () => {
    expect(argoCdChart().read(helm, 'app.yaml')).toMatchObject(chart('argo', '0.9.2'));
    expectLines(argoCdChart(), helm, chart('argo', '0.9.3'), { 11: '    targetRevision: 0.9.3' });
  });

  it('GIVEN helm.parameters WHEN an image is promoted THEN the parameter value changes', () => {
    const params = argoCdHelmImage({ parameters: { tag: 'image.tag', imageName: 'ghcr.io/example/guestbook' } });
    expect(params.read(helm, 'app.yaml')).toEqual(image('ghcr.io/example/guestbook', 'v1.2.3'));
    expectLines(params, helm, image('ghcr.io/example/guestbook', 'v1.2.4'), { 15: '        value: v1.2.4' });
  });

  it('GIVEN helm.valuesObject WHEN an image is promoted THEN the value under valuesObject changes', () => {
    const values = argoCdHelmImage({ valuesObject: { tag: 'image.tag' } });
    expect(values.read(helm, 'app.yaml')).toEqual(image('ghcr.io/example/guestbook', 'v1.2.3'));
    expectLines(values, helm, image('ghcr.io/example/guestbook', 'v1.2.4'), { 19: '          tag: v1.2.4' });
  });

  it('GIVEN kustomize.images WHEN an image is promoted THEN its entry changes, name= kept', () => {
    const k = fixture('argocd-docs-application-kustomize.yaml');
    const mine = argoCdKustomizeImage({ name: 'my-app', form: 'tag' });
    expect(mine.read(k, 'app.yaml')).toEqual(image('gcr.io/my-repo/my-app', '0.1'));
    expectLines(mine, k, image('gcr.io/my-repo/my-app', '0.2'), { 16: '      - my-app=gcr.io/my-repo/my-app:0.2' });
    const demo = argoCdKustomizeImage({ name: 'gcr.io/heptio-images/ks-guestbook-demo', form: 'tag' });
    expectLines(demo, k, image('gcr.io/heptio-images/ks-guestbook-demo', '0.3'), {
      15: '      - gcr.io/heptio-images/ks-guestbook-demo:0.3',
    });
  });

  it('GIVEN an ApplicationSet with several sources WHEN each is promoted THEN the chosen source changes', () => {
    const set = fixture('argocd-docs-applicationset-sources.yaml');
    const redis = argoCdChart({ chart: 'redis' });
    expectLines(redis, set, chart('redis', '20.11.4'), { 25: '        targetRevision: 20.11.4' });
    const app = argoCdRevision({ repoURL: 'https://github.com/argoproj/argocd-example-apps.git' });
    expect(app.read(set, 'set.yaml')).toMatchObject({ commit: '53e28ff20cc530b9ada2173fbbd64d48338583ba' });
    expectLines(app, set, { kind: 'git-commit', commit: SHA }, { 21: `        targetRevision: ${SHA}` });
    const e = thrown(() => argoCdChart().read(set, 'set.yaml'));
    expect(e.message).toContain('several sources match');
  });

  it("GIVEN Argo CD Image Updater's write-back file WHEN promoted THEN the image.tag parameter changes", () => {
    const file = fixture('argocd-image-updater-.argocd-source-guestbook.yaml');
    const updater = argoCdImageUpdaterFile({});
    expect(updater.read(file, '.argocd-source-guestbook.yaml')).toEqual(image('ghcr.io/example/guestbook', '1.2.3'));
    expectLines(updater, file, image('ghcr.io/example/guestbook', '1.2.4'), { 7: '    value: 1.2.4' });
  });

  it('GIVEN a write-back file without the tag parameter WHEN promoted THEN it is added as Image Updater writes it', () => {
    const only =
      'helm:\n  parameters:\n  - name: image.name\n    value: ghcr.io/example/guestbook\n    forcestring: true\n';
    const updater = argoCdImageUpdaterFile({});
    expect(updater.read(only, '.argocd-source-guestbook.yaml')).toBeUndefined();
    const after = updater.write(only, image('ghcr.io/example/guestbook', '20'), '.argocd-source-guestbook.yaml');
    expect(after).toBe(`${only}  - name: image.tag\n    value: "20"\n    forcestring: true\n`);
    expect(updater.read(after, '.argocd-source-guestbook.yaml')).toEqual(image('ghcr.io/example/guestbook', '20'));
  });
});
