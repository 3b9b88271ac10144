export type {
  ArgoCdChartOptions,
  ArgoCdHelmImageOptions,
  ArgoCdImageUpdaterFileOptions,
  ArgoCdKustomizeImageOptions,
  ArgoCdSourceOptions,
  HelmParameterOptions,
} from './argocd.js';
export {
  argoCdChart,
  argoCdHelmImage,
  argoCdImageUpdaterFile,
  argoCdKustomizeImage,
  argoCdRevision,
} from './argocd.js';
export type { CustomUpdaterOptions } from './custom-updater.js';
export { customUpdater } from './custom-updater.js';
export type { FluxImagePolicyOptions } from './flux-image-policy.js';
export { fluxImagePolicy } from './flux-image-policy.js';
export type {
  FluxGitRepositoryOptions,
  FluxGitRepositoryTagOptions,
  FluxOciArtifactOptions,
  FluxOciRepositoryOptions,
} from './flux-source.js';
export { fluxGitRepository, fluxGitRepositoryTag, fluxOciArtifact, fluxOciRepository } from './flux-source.js';
export type { HelmReleaseChartOptions } from './helm-release.js';
export { helmReleaseChart } from './helm-release.js';
export type { HelmValuesOptions, ImageUpdater } from './helm-values.js';
export { helmValues } from './helm-values.js';
export { type HostChange, hostChanges, hostChangesInDiff } from './host-changes.js';
export type { ImageForm, ImageWriteOptions } from './image-codec.js';
export type { KubernetesImageOptions } from './kubernetes-image.js';
export { kubernetesImage } from './kubernetes-image.js';
export type { KustomizeHelmChartOptions } from './kustomize-helm-chart.js';
export { kustomizeHelmChart } from './kustomize-helm-chart.js';
export type { KustomizeImageOptions } from './kustomize-image.js';
export { kustomizeImage } from './kustomize-image.js';
export type { DocumentSelector } from './locate.js';
export type { MarkerLineOptions } from './marker.js';
export { markerLine } from './marker.js';
export type { TerraformModuleOptions, TerraformVariableOptions } from './terraform.js';
export { terraformModule, terraformModuleCommit, terraformVariable } from './terraform.js';
export type { CueFieldOptions } from './timoni.js';
export { cueField } from './timoni.js';
export type { ValueOptions, ValueUpdater } from './value-codec.js';
export { isRange, isTemplate } from './version-text.js';
export type { ChartVersionAtPathOptions, ImageAtPathOptions, YamlPathOptions } from './yaml-path.js';
export { chartVersionAtPath, imageAtPath, yamlPath } from './yaml-path.js';
