import { readFileSync } from 'node:fs';
import { type FileUpdater, type Resource, unifiedDiff } from '@gantry/core';
import * as u from '@gantry/updaters';
import { describe, expect, it } from 'vitest';
import { digestOf, fixture } from './fixtures.js';

const doc = (page: string): string => readFileSync(new URL(`../../docs/${page}`, import.meta.url), 'utf8');
const D = digestOf('b');
const img = (repository: string, tag: string, digest?: string) =>
  ({ kind: 'oci-image', repository, tag, ...(digest ? { digest } : {}) }) as const;
const ch = (name: string, version: string) => ({ kind: 'helm-chart', name, version }) as const;

interface Case {
  readonly page: string;
  readonly path: string;
  readonly before: string;
  readonly updater: FileUpdater<Resource>;
  readonly resource: Resource;
}

const values = fixture('helm-create-values.yaml').replace('tag: ""', 'tag: "1.26.0"');
const argo = fixture('argocd-docs-application-helm.yaml');
const tf = fixture('terraform-registry-module-vpc.tf');
const any = (x: unknown) => x as FileUpdater<Resource>;

const CASES: Record<string, Case> = {
  'helm tag': {
    page: 'helm.md',
    path: 'charts/podinfo/values-production.yaml',
    before: values,
    updater: any(u.helmValues({ tag: 'image.tag' })),
    resource: img('nginx', '1.27.0', D),
  },
  'helm tag@digest': {
    page: 'helm.md',
    path: 'v.yaml',
    before: values,
    updater: any(u.helmValues({ tag: 'image.tag', tagFormat: 'tag@digest' })),
    resource: img('nginx', '1.27.0', D),
  },
  'kustomize tag': {
    page: 'kustomize.md',
    path: 'overlays/production/kustomization.yaml',
    before: fixture('kustomize-docs-images-kustomization.yaml'),
    updater: any(u.kustomizeImage({ name: 'nginx', form: 'tag' })),
    resource: img('nginx', '1.9.0', D),
  },
  'kustomize new entry': {
    page: 'kustomize.md',
    path: 'k.yaml',
    before: fixture('kustomize-docs-images-kustomization.yaml'),
    updater: any(u.kustomizeImage({ name: 'redis' })),
    resource: img('redis', '7.2.4', D),
  },
  'kustomize overlay': {
    page: 'kustomize.md',
    path: 'overlays/production/kustomization.yaml',
    before: fixture('kustomize-docs-overlay-kustomization.yaml'),
    updater: any(u.kustomizeImage({ name: 'my-app', form: 'tag' })),
    resource: img('ghcr.io/example/my-app', '1.2.3'),
  },
  'kustomize helmCharts': {
    page: 'kustomize.md',
    path: 'base/kustomization.yaml',
    before: fixture('kustomize-docs-helmcharts-kustomization.yaml'),
    updater: any(u.kustomizeHelmChart({ name: 'minecraft' })),
    resource: ch('minecraft', '3.2.0'),
  },
  'flux range': {
    page: 'flux-layouts.md',
    path: 'clusters/production/podinfo.yaml',
    before: fixture('flux-api-helmrelease.yaml'),
    updater: any(u.helmReleaseChart({ holdsRanges: true })),
    resource: ch('podinfo', '6.5.4'),
  },
  'flux chartRef': {
    page: 'flux-layouts.md',
    path: 'clusters/production/podinfo.yaml',
    before: fixture('flux-api-helmrelease-chartref-ocirepository.yaml').replace('">= 6.0.0"', '"6.5.3"'),
    updater: any(u.helmReleaseChart()),
    resource: ch('podinfo', '6.5.4'),
  },
  'flux patch': {
    page: 'flux-layouts.md',
    path: 'clusters/production/podinfo-patch.yaml',
    before: fixture('flux-helmrelease-version-patch.yaml'),
    updater: any(u.helmReleaseChart({ chart: 'podinfo' })),
    resource: ch('podinfo', '6.5.4'),
  },
  'flux git': {
    page: 'flux-layouts.md',
    path: 'clusters/production/source.yaml',
    before: fixture('flux-api-gitrepository-commit.yaml'),
    updater: any(u.fluxGitRepository()),
    resource: { kind: 'git-commit', commit: '3f6b1a4c2d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a' } as Resource,
  },
  'flux markers': {
    page: 'flux-layouts.md',
    path: 'clusters/production/podinfo.yaml',
    before: fixture('flux-image-update-guide-markers.yaml'),
    updater: any(u.fluxImagePolicy({ policy: 'flux-system:podinfo' })),
    resource: img('ghcr.io/stefanprodan/podinfo', '5.0.1', D),
  },
  'argo chart': {
    page: 'argocd-layouts.md',
    path: 'apps/production/guestbook.yaml',
    before: argo,
    updater: any(u.argoCdChart()),
    resource: ch('argo', '0.9.3'),
  },
  'argo parameters': {
    page: 'argocd-layouts.md',
    path: 'a.yaml',
    before: argo,
    updater: any(u.argoCdHelmImage({ parameters: { tag: 'image.tag', imageName: 'ghcr.io/example/guestbook' } })),
    resource: img('ghcr.io/example/guestbook', 'v1.2.4'),
  },
  'argo valuesObject': {
    page: 'argocd-layouts.md',
    path: 'a.yaml',
    before: argo,
    updater: any(u.argoCdHelmImage({ valuesObject: { tag: 'image.tag' } })),
    resource: img('ghcr.io/example/guestbook', 'v1.2.4'),
  },
  'argo kustomize': {
    page: 'argocd-layouts.md',
    path: 'a.yaml',
    before: fixture('argocd-docs-application-kustomize.yaml'),
    updater: any(u.argoCdKustomizeImage({ name: 'my-app', form: 'tag' })),
    resource: img('gcr.io/my-repo/my-app', '0.2'),
  },
  'argo applicationset': {
    page: 'argocd-layouts.md',
    path: 'apps/guestbook-set.yaml',
    before: fixture('argocd-docs-applicationset-sources.yaml'),
    updater: any(u.argoCdChart({ chart: 'redis' })),
    resource: ch('redis', '20.11.4'),
  },
  'argo image updater': {
    page: 'argocd-layouts.md',
    path: 'guestbook/.argocd-source-guestbook.yaml',
    before: fixture('argocd-image-updater-.argocd-source-guestbook.yaml'),
    updater: any(u.argoCdImageUpdaterFile({})),
    resource: img('ghcr.io/example/guestbook', '1.2.4'),
  },
  'terraform version': {
    page: 'terraform.md',
    path: 'production/main.tf',
    before: tf,
    updater: any(u.terraformModule({ module: 'vpc' })),
    resource: ch('vpc', '5.1.3'),
  },
  'terraform ref': {
    page: 'terraform.md',
    path: 'production/main.tf',
    before: tf,
    updater: any(u.terraformModule({ module: 'app', field: 'ref' })),
    resource: ch('app', 'v1.3.0'),
  },
  tfvars: {
    page: 'terraform.md',
    path: 'production.tfvars',
    before: fixture('terraform-docs-production.tfvars'),
    updater: any(u.terraformVariable({ variable: 'app_image', value: 'image', form: 'tag' })),
    resource: img('ghcr.io/example/app', '1.5.0'),
  },
  timoni: {
    page: 'timoni.md',
    path: 'bundles/podinfo.cue',
    before: fixture('timoni-docs-bundle-podinfo.cue'),
    updater: any(u.cueField({ path: 'bundle.instances.podinfo.module.version', value: 'version', chart: 'podinfo' })),
    resource: ch('podinfo', '6.14.1'),
  },
};

describe('the diffs the docs show are the diffs Gantry writes', () => {
  it.each(Object.entries(CASES))('GIVEN %s WHEN promoted THEN its page shows that very diff', (_, c) => {
    const after = c.updater.write(c.before, c.resource, c.path);
    const diff = unifiedDiff([{ path: c.path, before: c.before, after }]);
    // pages show the whole diff, or its hunks alone
    const hunks = diff.split('\n').slice(2).join('\n');
    expect(diff.length).toBeGreaterThan(0);
    expect(doc(c.page)).toContain(hunks.trimEnd());
  });
});
