export type { GitStats } from './clone.js';
export { formatCommitMessage } from './commit-message.js';
export { withFetchRound } from './fetch-round.js';
export type { RemoteConfig } from './config.js';
export {
  DEFAULT_BRANCH,
  DEFAULT_IDENTITY,
  DEFAULT_MAX_PUSH_ATTEMPTS,
  DEFAULT_STALE_AFTER,
  identitySchema,
  remoteConfigSchema,
} from './config.js';
export type { GitRepositories, GitRepositoriesOptions, GitRepository } from './repositories.js';
export { createGitRepositories, findCommitByTrailer, gitRepositoriesKey } from './repositories.js';
export { scrubSecrets } from './scrub.js';
export { gitSpawnHelperEnabled, useGitSpawnHelper } from './exec.js';
export { GitSpawnHelperError } from './spawn-helper.js';
export type { GitBranchOptions, GitFileOptions, GitFilesOptions } from './sources.js';
export { gitBranch, gitFile, gitFiles } from './sources.js';
export type { FileWrite } from './writer.js';
export type { GitBinary } from './git-binary.js';
export {
  compareVersions,
  findGit,
  GitNotFoundError,
  GitTooOldError,
  gitBinary,
  gitSpawnError,
  MIN_GIT_VERSION,
  parseGitVersion,
  requireGit,
} from './git-binary.js';
export type { ProbeRemoteOptions, RemoteProbe } from './ls-remote.js';
export { probeRemote } from './ls-remote.js';
export type { GitHubAppCredentials, GitHubAppTokenOptions, GitHubAppTokens } from './github-app-auth.js';
export { githubAppJwt, githubAppTokens } from './github-app-auth.js';
export type { GitHubProposalsOptions } from './github-proposals.js';
export { DEFAULT_GITHUB_API_URL, githubProposals, proposalOfPull, proposalProviders } from './github-proposals.js';
export type { GitLabProposalsOptions, MergeRequestJson } from './gitlab-proposals.js';
export { DEFAULT_GITLAB_API_URL, gitlabProposals, proposalOfMergeRequest } from './gitlab-proposals.js';
export type { ForeignCommit, ProposalPush } from './proposal-branch.js';
export { ForeignCommitsError } from './proposal-branch.js';
