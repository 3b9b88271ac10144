export type { FakeGitHubApp, FakeInstallationToken } from './apps.js';
export type { CheckRunInput } from './checks.js';
export type { FakeUser } from './http.js';
export type { GitHubFake, GitHubFakeOptions, GitHubFault, RecordedRequest, WebhookDelivery } from './server.js';
export { startGitHubFake } from './server.js';
export type {
  FakeCheckRun,
  FakeComment,
  FakeCommitStatus,
  FakeDeployment,
  FakeDeploymentStatus,
  FakePull,
  FakeWebhook,
} from './state.js';
