export type { AuthChallenge } from './www-authenticate.js';
export { parseWwwAuthenticate } from './www-authenticate.js';
export { nextLink } from './link-header.js';
export type { BasicCredentials } from './docker-config.js';
export { credentialsFromDockerConfig, dockerConfigPath, loadDockerCredentials } from './docker-config.js';
export type { LayoutRegistryConfig, RegistryAuth, RegistryConfig, RemoteRegistryConfig } from './config.js';
export {
  DEFAULT_CACHE_TTL,
  DEFAULT_LAYOUT_HOST,
  DEFAULT_TIMEOUT,
  isLayoutConfig,
  registryConfigSchema,
} from './config.js';
export { ANNOTATIONS, MANIFEST_ACCEPT, MEDIA_TYPES } from './media-types.js';
export type { Descriptor, ImageConfig, ImageIndex, ImageManifest, Manifest } from './manifest.js';
export { digestOf, parseImageConfig, parseManifest } from './manifest.js';
export type { ReadOptions, ReferrersOptions, RegistryReader, TagListOptions } from './reader.js';
export type { RegistryClient, RegistryClientOptions } from './client.js';
export { createRegistryClient } from './client.js';
export type { PushSide } from './push.js';
export { referrersTag } from './referrers.js';
export type { LayoutRegistry, LayoutRegistryOptions } from './layout.js';
export { createLayoutRegistry } from './layout.js';
export type { LayoutImageOptions } from './layout-write.js';
export type { BuiltBlob, BuiltImage, ImageBuildOptions, LayerInput } from './image-build.js';
export { buildHelmChart, buildImage } from './image-build.js';
export { writeLayoutImage } from './layout-write.js';
export type { Registries, RegistriesOptions, Registry, RegistryStats } from './registries.js';
export { createRegistries, ociRegistriesKey } from './registries.js';
export type { TagSelect } from './select.js';
export { checkSelect, describeSelect, pickLexical, pickNewest, pickSemver, versionOfTag } from './select.js';
export { chooseTag, imageCreated } from './choose.js';
export type { OciImageSourceOptions } from './image-source.js';
export { ociImageSource } from './image-source.js';
export type { OciChartSourceOptions } from './chart-source.js';
export { ociChartSource } from './chart-source.js';
export type { BudgetRunOptions, Clock, RequestBudget, RequestLimits } from './budget.js';
export { BudgetPausedError, createRequestBudget, DEFAULT_LIMITS, systemClock } from './budget.js';
export type { RetryPolicy } from './retry.js';
export { backoffMs, DEFAULT_RETRY, retryAfterMs } from './retry.js';
export type { RateLimitNotice, RequestCounter } from './http.js';
export { inCachedRound, withCachedReads } from './read-session.js';
export type { PingRegistryOptions, RegistryAccess, RegistryPing } from './ping.js';
export { pingRegistry } from './ping.js';
export { imageHome } from './image-home.js';
