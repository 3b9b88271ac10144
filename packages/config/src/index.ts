export type { Env, LoadConfigOptions, LoadedConfig } from './load-config.js';
export { findConfigFile, loadConfig } from './load-config.js';
export { createLogger } from './logger.js';
export type { KnownNames, ReferenceProblem, SourceProblem, SubjectsOf } from './check-references.js';
export {
  checkReferences,
  gitBranchProblem,
  gitPathProblem,
  proposalProblem,
  subjectProblems,
} from './check-references.js';
export type { LoadedSystem, LoadSystemOptions } from './load-system.js';
export { loadSystem } from './load-system.js';
export { ConfigLoadError, findPipelinesFile, importPipelinesFile } from './pipelines-file.js';
export type { SourceLocation } from './source-location.js';
export type { TypecheckOptions, TypecheckResult } from './typecheck.js';
export { typecheckPipelinesFile } from './typecheck.js';
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
export type { LazyYamlFile, PathSegment, YamlFile } from './yaml-file.js';
export { formatPath, issueAt, parseYamlFile } from './yaml-file.js';
