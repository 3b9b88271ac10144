export type { FakeUser } from './http.js';
export type { GitHubFake, GitHubFakeOptions, GitHubFault, RecordedRequest } from './server.js';
export { startGitHubFake } from './server.js';
export type { FakeCommitStatus, FakeDeployment, FakeDeploymentStatus } from './state.js';
