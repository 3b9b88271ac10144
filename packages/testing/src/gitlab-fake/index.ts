export type {
  GitLabFake,
  GitLabFakeOptions,
  GitLabFault,
  GitLabHookDelivery,
  GitLabRecordedRequest,
} from './server.js';
export { startGitLabFake } from './server.js';
export type { GitLabMergeRequest, GitLabNote, GitLabPipeline } from './state.js';
