/**
 * What `gantry.config.ts` imports: pipelines as code, the resource types, the built-in
 * sources and updaters. One import for users; the pieces live in their own packages.
 */
export type {
  ArtifactTypes,
  Bundle,
  Duration,
  FileEdit,
  FileUpdater,
  GitCommit,
  HelmChart,
  Identity,
  Labels,
  OciImage,
  Phase,
  PhaseRef,
  Pipeline,
  PipelineBuilder,
  ProposalRecord,
  ReadOnlySource,
  ReadWriteSource,
  Resource,
  ResourceType,
  Revision,
  Source,
  SourceContext,
  System,
  SystemDefinition,
  VersionResolver,
  VersionSpec,
} from '@gantry/core';
export {
  bundle,
  bundleSource,
  customSource,
  defineConfig,
  definePipeline,
  gitCommit,
  helmChart,
  ociImage,
  ociImageByTag,
  parseDuration,
  pipeline,
} from '@gantry/core';
export { gitBranch, gitFile, gitFiles } from '@gantry/git';
export type { ChartSelect, HelmRepositorySourceOptions } from '@gantry/helm';
export { helmRepositorySource } from '@gantry/helm';
export { ociChartSource, ociImageSource } from '@gantry/oci';
export type { DocumentSelector, ImageForm, ImageUpdater, ImageWriteOptions, ValueOptions } from '@gantry/updaters';
export {
  argoCdChart,
  argoCdHelmImage,
  argoCdImageUpdaterFile,
  argoCdKustomizeImage,
  argoCdRevision,
  chartVersionAtPath,
  cueField,
  customUpdater,
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
  yamlPath,
} from '@gantry/updaters';
