export type { Env, LoadConfigOptions, LoadedConfig } from './load-config.js';
export { findConfigFile, loadConfig } from './load-config.js';
export { createLogger } from './logger.js';
export { findPipelinesFile, importPipelinesFile } from './pipelines-file.js';
export type { OpenRuntimeOptions, Runtime } from './runtime.js';
export { dataDirOf, openRuntime } from './runtime.js';
export type {
  GantryConfig,
  LogLevel,
  PhaseConfig,
  PipelineConfig,
  RegistryConfigInput,
  RepositoryConfigInput,
  ServerConfig,
  SourceConfig,
  UpdaterConfig,
} from './schema.js';
export { configJsonSchema, configSchema } from './schema.js';
export { buildYamlPipelines } from './yaml-pipelines.js';
export type { PathSegment, YamlFile } from './yaml-file.js';
export { formatPath, issueAt, parseYamlFile } from './yaml-file.js';
