export type {
  ApiMe,
  ClientOptions,
  ArtifactsQuery,
  DeployerEventsQuery,
  GantryClient,
  HistoryQuery,
  MetricsQuery,
  ReadOptions,
} from './client.js';
export { createClient } from './client.js';
export { ApiProblemError, ApiUnreachableError } from './problem-error.js';
export type { SseMessage } from './sse.js';
export { readSse } from './sse.js';
