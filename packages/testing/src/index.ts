export { freePort } from './free-port.js';
export { hasTool } from './require-tool.js';
export type { TempDir } from './temp-dir.js';
export { tempDir } from './temp-dir.js';
export type { PostgresSchema } from './postgres.js';
export { hasPostgres, postgresSchema, testDatabaseUrl } from './postgres.js';
export type { BareRepoOptions, FixtureCommit } from './git-fixtures.js';
export { commitToBareRepo, createBareRepo, readBareFile, runGit } from './git-fixtures.js';
export type { GitHttpServer, GitHttpServerOptions } from './git-http.js';
export { GIT_HTTP_BACKEND, startGitHttpServer } from './git-http.js';
export type { SshKeyPair, SshServer } from './ssh-server.js';
export { createSshKey, knownHostsLine, SSHD_BINARY, startSshServer } from './ssh-server.js';
export type { StartRegistryOptions, TestRegistry } from './registry.js';
export { REGISTRY_BINARY, startRegistry } from './registry.js';
export type { PushTestImageOptions } from './oci-push.js';
export { pushTestChart, pushTestImage } from './oci-push.js';
export type { PipelineSandbox, PipelineSandboxOptions, SandboxCommit } from './pipeline-sandbox.js';
export { createPipelineSandbox } from './pipeline-sandbox.js';
export type {
  CheckRunInput,
  FakeCheckRun,
  FakeGitHubApp,
  FakeInstallationToken,
  FakePull,
  GitHubFake,
  GitHubFakeOptions,
  GitHubFault,
  RecordedRequest,
  WebhookDelivery,
} from './github-fake/index.js';
export { startGitHubFake } from './github-fake/index.js';
export type {
  GitLabFake,
  GitLabFakeOptions,
  GitLabFault,
  GitLabHookDelivery,
  GitLabMergeRequest,
  GitLabRecordedRequest,
} from './gitlab-fake/index.js';
export { startGitLabFake } from './gitlab-fake/index.js';
export type { PrometheusTestSample, StartPrometheusOptions, TestPrometheus } from './prometheus.js';
export { PROMETHEUS_BINARY, startPrometheus } from './prometheus.js';
export {
  type HelmRepositoryRequest,
  type HelmTestChart,
  type PublishedChart,
  type StartHelmRepositoryOptions,
  type TestHelmRepository,
  startHelmRepository,
} from './helm-repository.js';
export * from './cosign-signing.js';
export type { VirtualClock } from './virtual-clock.js';
export { createVirtualClock } from './virtual-clock.js';
export type { ProxiedRequest, RateLimitingProxy, RateLimitingProxyOptions } from './rate-limiting-proxy.js';
export { startHangingServer, startRateLimitingProxy } from './rate-limiting-proxy.js';
