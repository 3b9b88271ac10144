import type { FileUpdater, Resource } from '@gantry/core';
import {
  argoCdChart,
  argoCdHelmImage,
  argoCdImageUpdaterFile,
  argoCdKustomizeImage,
  argoCdRevision,
  chartVersionAtPath,
  cueField,
  fluxGitRepository,
  fluxGitRepositoryTag,
  fluxImagePolicy,
  fluxOciArtifact,
  fluxOciRepository,
  helmReleaseChart,
  helmValues,
  imageAtPath,
  kubernetesImage,
  kustomizeHelmChart,
  kustomizeImage,
  markerLine,
  terraformModule,
  terraformModuleCommit,
  terraformVariable,
  type ValueOptions,
} from '@gantry/updaters';
import type { UpdaterConfig } from './updater-schema.js';

export type ResourceKind = 'oci-image' | 'helm-chart' | 'git-commit';

type ValueConfig = Extract<UpdaterConfig, { value: string }>;

const VALUE_KIND: Record<ValueConfig['value'], ResourceKind> = {
  image: 'oci-image',
  tag: 'oci-image',
  digest: 'oci-image',
  version: 'helm-chart',
  commit: 'git-commit',
};

const FIXED_KIND: Record<Exclude<UpdaterConfig['type'], ValueConfig['type']>, ResourceKind> = {
  'kubernetes-image': 'oci-image',
  'kustomize-image': 'oci-image',
  'kustomize-helm-chart': 'helm-chart',
  'helm-values': 'oci-image',
  'helm-release-chart': 'helm-chart',
  'image-path': 'oci-image',
  'chart-version-path': 'helm-chart',
  'flux-oci-repository': 'helm-chart',
  'flux-oci-artifact': 'oci-image',
  'flux-git-repository': 'git-commit',
  'flux-git-repository-tag': 'helm-chart',
  'flux-image-policy': 'oci-image',
  'argocd-chart': 'helm-chart',
  'argocd-revision': 'git-commit',
  'argocd-helm-image': 'oci-image',
  'argocd-kustomize-image': 'oci-image',
  'argocd-image-updater': 'oci-image',
  'terraform-module': 'helm-chart',
  'terraform-module-commit': 'git-commit',
};

/** Which resource an updater reads and writes; YAML has no compiler, so this check stands in for it. */
export function updaterKind(u: UpdaterConfig): ResourceKind {
  return 'value' in u ? VALUE_KIND[u.value] : FIXED_KIND[u.type as keyof typeof FIXED_KIND];
}

/** Drops `type` and the keys whose value is `undefined` (exactOptionalPropertyTypes). */
function options<T extends { type: string }>(u: T): Omit<T, 'type'> {
  const { type: _, ...rest } = u;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Omit<T, 'type'>;
}

function value(u: ValueConfig): ValueOptions {
  const common = { ...(u.form ? { form: u.form } : {}), ...(u.host ? { host: u.host } : {}) };
  switch (u.value) {
    case 'image':
      return { value: 'image', ...common };
    case 'tag':
    case 'digest':
      return { value: u.value, image: u.image ?? '' };
    case 'version':
      return {
        value: 'version',
        chart: u.chart ?? '',
        ...(u.holdsRanges !== undefined ? { holdsRanges: u.holdsRanges } : {}),
      };
    case 'commit':
      return { value: 'commit' };
  }
}

/** Builds the updater a gantry.yaml `updater:` names, with the same options as in TypeScript. */
export function buildUpdater(u: UpdaterConfig): FileUpdater<Resource> & { readonly comparesBy?: 'tag' | 'digest' } {
  const made = (() => {
    switch (u.type) {
      case 'kubernetes-image':
        return kubernetesImage(options(u));
      case 'kustomize-image':
        return kustomizeImage(options(u));
      case 'kustomize-helm-chart':
        return kustomizeHelmChart(options(u));
      case 'helm-values':
        return helmValues(options(u));
      case 'helm-release-chart':
        return helmReleaseChart(options(u));
      case 'image-path': {
        const { path, ...rest } = options(u);
        return imageAtPath(path, rest);
      }
      case 'chart-version-path': {
        const { chart, ...rest } = options(u);
        return chartVersionAtPath({ ...rest, name: chart });
      }
      case 'flux-oci-repository':
        return fluxOciRepository(options(u));
      case 'flux-oci-artifact':
        return fluxOciArtifact(options(u));
      case 'flux-git-repository':
        return fluxGitRepository(options(u));
      case 'flux-git-repository-tag':
        return fluxGitRepositoryTag(options(u));
      case 'flux-image-policy':
        return fluxImagePolicy(options(u));
      case 'argocd-chart':
        return argoCdChart(options(u));
      case 'argocd-revision':
        return argoCdRevision(options(u));
      case 'argocd-helm-image': {
        const { parameters, valuesObject, ...rest } = options(u);
        return argoCdHelmImage({
          ...rest,
          ...(parameters ? { parameters: dropUndefined(parameters) } : {}),
          ...(valuesObject ? { valuesObject: dropUndefined(valuesObject) } : {}),
        });
      }
      case 'argocd-kustomize-image':
        return argoCdKustomizeImage(options(u));
      case 'argocd-image-updater': {
        const { helm, kustomize, ...rest } = options(u);
        return argoCdImageUpdaterFile({
          ...rest,
          ...(helm ? { helm: dropUndefined(helm) } : {}),
          ...(kustomize ? { kustomize } : {}),
        });
      }
      case 'terraform-module':
        return terraformModule(options(u));
      case 'terraform-module-commit':
        return terraformModuleCommit(options(u));
      case 'terraform-variable':
        return terraformVariable({ ...value(u), variable: u.variable });
      case 'cue-field':
        return cueField({ ...value(u), path: u.path });
      case 'marker':
        return markerLine({
          ...value(u),
          marker: u.marker,
          pattern: u.pattern,
          ...(u.line ? { line: u.line } : {}),
        });
    }
  })();
  return made as FileUpdater<Resource> & { readonly comparesBy?: 'tag' | 'digest' };
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
