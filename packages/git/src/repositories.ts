import { join } from 'node:path';
import type { Identity, Logger, Revision, ServiceKey, Snapshot, WriteLock, WriteResult } from '@gantry/core';
import { NotFoundError, serviceKey } from '@gantry/core';
import { createChangeIndex } from './change-index.js';
import type { GitStats } from './clone.js';
import { openClone } from './clone.js';
import { LOG_FORMAT, parseLogRecords } from './commit-message.js';
import type { RemoteConfig } from './config.js';
import { DEFAULT_BRANCH, DEFAULT_IDENTITY, DEFAULT_MAX_PUSH_ATTEMPTS, DEFAULT_STALE_AFTER } from './config.js';
import { credentialEnv, moveUrlCredentials, secretsOf, writeAskpass } from './credentials.js';
import type { GroupQueue } from './group-queue.js';
import type { ProposalPush } from './proposal-branch.js';
import { pushProposalBranch } from './proposal-branch.js';
import type { FileWrite } from './writer.js';
import { createBranchWriter, writeRefPrefix } from './writer.js';

/** One configured remote: reads at branch tips without a checkout, and group-committed writes. */
export interface GitRepository {
  readonly name: string;
  /** The remote URL without credentials. */
  readonly url: string;
  /** The branch sources use when they name none. */
  readonly defaultBranch: string;
  /** The remote changed (a push webhook said so): the next read fetches, however recent the last fetch. */
  expire(): void;
  /** The branch tip, fetching first when the cached clone is stale. */
  tip(branch: string): Promise<string>;
  /** Files at the branch tip (one fetch when stale, one shared cat-file process). */
  snapshot(branch: string, paths: readonly string[]): Promise<Snapshot>;
  /** The commit that last changed `path` as of `tip` (of `branch`). */
  lastChange(branch: string, tip: string, path: string): Promise<Revision | undefined>;
  /** The commits that changed any of `paths` on `branch` (at the fetched tip), newest first, at most `limit`. */
  log(branch: string, paths: readonly string[], limit: number): Promise<Revision[]>;
  /** Files at a revision (`undefined` where a path did not exist then). */
  readAt(revision: string, paths: readonly string[]): Promise<Snapshot>;
  commit(sha: string): Promise<Revision>;
  /** Queues a write on the branch's single writer; it goes out with whatever else is waiting. */
  write(branch: string, write: FileWrite): Promise<WriteResult>;
  /** The newest commit on the remote branch carrying trailer `key: value`. */
  findCommitByTrailer(branch: string, key: string, value: string): Promise<Revision | undefined>;
  /** A proposal: the change as one commit on `base`'s tip, force-pushed to `head` (see proposal-branch.ts). */
  proposeOn(base: string, head: string, write: FileWrite, foreign?: 'refuse' | 'replace'): Promise<ProposalPush>;
  /**
   * Whether `ancestor` is `descendant` or one of its ancestors. A commit the clone does not
   * have yet (a deployer reports a commit pushed since the last fetch) is fetched once.
   */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
}

/** The Git repositories a system is configured with. */
export interface GitRepositories {
  readonly names: readonly string[];
  /** Throws `NotFoundError('repository', ...)` for a name not configured. */
  repository(name: string): GitRepository;
  /** The newest commit on `branch` (default: the repository's) of `repository` with trailer `key: value`. */
  findCommitByTrailer(
    repository: string,
    branch: string | undefined,
    key: string,
    value: string,
  ): Promise<Revision | undefined>;
  stats(): GitStats;
  /** Makes every writer hold `lock` while it commits and pushes (replicas sharing a remote). */
  useWriteLock(lock: WriteLock): void;
  /** Ends the long-lived git processes. */
  close(): Promise<void>;
}

export interface GitRepositoriesOptions {
  /** Clones live under `<dataDir>/git/`. */
  readonly dataDir: string;
  readonly remotes: Readonly<Record<string, RemoteConfig>>;
  readonly logger: Logger;
  /** Author of commits whose request names none; `Gantry <gantry@localhost>` by default. */
  readonly author?: Identity;
  /** Committer of every commit; the author by default. */
  readonly committer?: Identity;
}

/** Service key under which sources find the repositories. */
export const gitRepositoriesKey: ServiceKey<GitRepositories> = serviceKey<GitRepositories>('gantry.git.repositories');

export function createGitRepositories(options: GitRepositoriesOptions): GitRepositories {
  const stats: GitStats = { processes: 0, fetches: 0, pushes: 0, commits: 0 };
  const author = options.author ?? DEFAULT_IDENTITY;
  const committer = options.committer ?? author;
  let askpass: Promise<string> | undefined;
  const askpassPath = () => {
    askpass ??= writeAskpass(join(options.dataDir, 'git'));
    return askpass;
  };
  const closers: Array<() => Promise<void>> = [];
  const repos = new Map<string, GitRepository>();
  let writeLock: WriteLock | undefined;

  const open = (name: string, given: RemoteConfig): GitRepository => {
    const config = moveUrlCredentials(given);
    const secrets = secretsOf(config.credentials);
    const logger = options.logger.child({ component: 'git', repository: name });
    const clone = openClone({
      logger,
      name,
      url: config.url,
      dataDir: options.dataDir,
      staleAfter: config.staleAfter ?? DEFAULT_STALE_AFTER,
      secrets,
      stats,
      networkEnv: async () =>
        config.credentials && !('sshKey' in config.credentials)
          ? credentialEnv(config.credentials, await askpassPath())
          : credentialEnv(config.credentials, ''),
    });
    const index = createChangeIndex(clone);
    const writers = new Map<string, GroupQueue<FileWrite, WriteResult>>();
    closers.push(async () => {
      // this process's scratch refs go with it (a process that crashed leaves one ref per branch)
      if (writers.size > 0) {
        const refs = await clone.git(['for-each-ref', '--format=delete %(refname)', writeRefPrefix]).catch(() => '');
        if (refs.trim() !== '') await clone.git(['update-ref', '--stdin'], { input: refs }).catch(() => undefined);
      }
      clone.close();
      await index.flush();
    });
    // file texts at each branch's current tip: a no-change status reads nothing twice
    const texts = new Map<string, { tip: string; files: Map<string, Promise<string | undefined>> }>();
    const writer = (branch: string) => {
      let w = writers.get(branch);
      if (!w) {
        w = createBranchWriter({
          clone,
          index,
          branch,
          author,
          committer,
          maxPushAttempts: config.maxPushAttempts ?? DEFAULT_MAX_PUSH_ATTEMPTS,
          secrets,
          stats,
          logger,
          lock: () => writeLock,
        });
        writers.set(branch, w);
      }
      return w;
    };
    return {
      name,
      url: clone.url,
      defaultBranch: config.branch ?? DEFAULT_BRANCH,
      expire: () => clone.expire(),
      tip: (branch) => clone.tip(branch),
      async snapshot(branch, paths) {
        const revision = await clone.tip(branch);
        let cached = texts.get(branch);
        if (cached?.tip !== revision) {
          cached = { tip: revision, files: new Map() };
          texts.set(branch, cached);
        }
        const files = cached.files;
        const read = paths.map((p) => {
          let t = files.get(p);
          if (!t) {
            t = clone.readFile(revision, p);
            files.set(p, t);
            t.catch(() => files.delete(p));
          }
          return t;
        });
        const contents = await Promise.all(read);
        return { revision, files: Object.fromEntries(paths.map((p, i) => [p, contents[i]])) };
      },
      lastChange: (branch, tip, path) => index.lastChange(branch, tip, path),
      async log(branch, paths, limit) {
        const tip = await clone.tip(branch);
        const out = await clone.git([
          'log',
          `--max-count=${Math.max(1, Math.floor(limit))}`,
          `--format=${LOG_FORMAT}`,
          tip,
          '--',
          ...paths,
        ]);
        return parseLogRecords(out).map((r) => r.revision);
      },
      async readAt(revision, paths) {
        const contents = await Promise.all(paths.map((p) => clone.readFile(revision, p)));
        return { revision, files: Object.fromEntries(paths.map((p, i) => [p, contents[i]])) };
      },
      commit: (sha) => index.commit(sha),
      write: (branch, w) => writer(branch).submit(w),
      proposeOn: (base, head, w, foreign) =>
        pushProposalBranch({ clone, author, committer, secrets, stats, logger }, base, head, w, foreign),
      async isAncestor(ancestor, descendant) {
        const known = async (sha: string) => (await clone.remote(['cat-file', '-e', `${sha}^{commit}`])).code === 0;
        if (!(await known(ancestor)) || !(await known(descendant))) {
          await clone.fresh(Date.now());
          if (!(await known(ancestor)) || !(await known(descendant))) return false;
        }
        const out = await clone.remote(['merge-base', '--is-ancestor', ancestor, descendant]);
        return out.code === 0;
      },
      async findCommitByTrailer(branch, key, value) {
        const tip = await clone.tip(branch);
        const out = await clone.git([
          'log',
          '--fixed-strings',
          `--grep=${key}: ${value}`,
          `--format=${LOG_FORMAT}`,
          tip,
        ]);
        return parseLogRecords(out).find((r) => r.revision.trailers?.[key] === value)?.revision;
      },
    };
  };

  const repository = (name: string): GitRepository => {
    let r = repos.get(name);
    if (r) return r;
    const config = Object.hasOwn(options.remotes, name) ? options.remotes[name] : undefined;
    if (!config) throw new NotFoundError('repository', name, Object.keys(options.remotes));
    r = open(name, config);
    repos.set(name, r);
    return r;
  };

  return {
    names: Object.keys(options.remotes),
    repository,
    findCommitByTrailer: (name, branch, key, value) => {
      const r = repository(name);
      return r.findCommitByTrailer(branch ?? r.defaultBranch, key, value);
    },
    stats: () => ({ ...stats }),
    useWriteLock(lock) {
      writeLock = lock;
    },
    async close() {
      await Promise.all(closers.map((c) => c()));
    },
  };
}

/** Standalone form of `GitRepositories.findCommitByTrailer`, for crash recovery. */
export function findCommitByTrailer(
  repos: GitRepositories,
  repository: string,
  branch: string | undefined,
  key: string,
  value: string,
): Promise<Revision | undefined> {
  return repos.findCommitByTrailer(repository, branch, key, value);
}
