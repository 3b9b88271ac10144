import { createHash } from 'node:crypto';
import { access, appendFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Duration, Logger } from '@gantry/core';
import { freshReadsSince, SourceError } from '@gantry/core';
import type { CatFileBatch } from './cat-file.js';
import { createCatFileBatch } from './cat-file.js';
import { gitFailure } from './classify.js';
import { fetchOncePerRound } from './fetch-round.js';
import type { GitOutput, GitRunner, GitRunOptions } from './exec.js';
import { createRunner } from './exec.js';
import { readRefs } from './refs.js';
import { displayUrl, scrubSecrets } from './scrub.js';

/** Counters behind `GitRepositories.stats()`. */
export interface GitStats {
  /** git processes started (each command, each cat-file batch process). */
  processes: number;
  fetches: number;
  pushes: number;
  /** Commits that landed on a remote. */
  commits: number;
}

export interface CloneOptions {
  readonly name: string;
  readonly url: string;
  readonly dataDir: string;
  readonly staleAfter: Duration;
  /** Environment for commands that talk to the remote (credentials). */
  readonly networkEnv: () => Promise<Readonly<Record<string, string>>>;
  readonly secrets: readonly string[];
  readonly stats: GitStats;
  readonly logger: Logger;
}

/**
 * The cached clone of one remote: a bare repository under the data directory holding
 * every remote branch as `refs/remotes/origin/*`, fetched when older than `staleAfter`.
 * Concurrent readers share one in-flight fetch.
 */
export interface Clone {
  readonly name: string;
  /** URL without credentials. */
  readonly url: string;
  readonly dir: string;
  /** Runs a local git command; throws `git_failed` on a non-zero exit. */
  git(args: readonly string[], options?: GitRunOptions): Promise<string>;
  /** Runs a command against the remote, with credentials; returns the raw outcome. */
  remote(args: readonly string[], options?: GitRunOptions): Promise<GitOutput>;
  /** Makes sure a fetch started no earlier than `staleAfter` ago (or than `since`) has completed. */
  fresh(since?: number): Promise<void>;
  /**
   * The remote branch tip: fetched first when stale, or with `fetch: false` as last
   * fetched (or pushed by us), fetching only if nothing was fetched yet.
   */
  tip(branch: string, fetch?: boolean): Promise<string>;
  /** Records a tip we pushed, so reads see it without a fetch. */
  pushed(branch: string, sha: string): void;
  /** The remote changed (a push webhook said so): the next read fetches, whatever its age. */
  expire(): void;
  /** File text at a commit, `undefined` when there is no file there. */
  readFile(commit: string, path: string): Promise<string | undefined>;
  close(): void;
}

/** A value as `git config` writes it: quoted, with backslash, quote and control characters escaped. */
export function configValue(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replaceAll('\b', '\\b');
  return `"${escaped}"`;
}

export function cloneDir(dataDir: string, name: string, url: string): string {
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 12);
  return join(dataDir, 'git', `${name.replace(/[^A-Za-z0-9._-]/g, '_')}-${hash}`);
}

export function openClone(o: CloneOptions): Clone {
  const dir = cloneDir(o.dataDir, o.name, o.url);
  const url = displayUrl(o.url);
  /** Held by each fetch (see `fileLock`): processes sharing the data directory fetch one at a time. */
  const fetchLock = join(`${dir}.locks`, 'fetch.lock');
  let lockDir: Promise<void> | undefined;
  const run: GitRunner = createRunner(dir, () => {
    o.stats.processes++;
  });
  const batch: CatFileBatch = createCatFileBatch(dir, () => {
    o.stats.processes++;
  });
  let tips = new Map<string, string>();
  let initialized: Promise<void> | undefined;
  let inflight: { started: number; done: Promise<void> } | undefined;
  let lastFetchStarted = Number.NEGATIVE_INFINITY;
  /** Reads must see a fetch started after this (set by `expire`). */
  let expiredAt = Number.NEGATIVE_INFINITY;

  const failure = (args: readonly string[], out: GitOutput) =>
    gitFailure({ repository: o.name, url, command: args[0] ?? '', stderr: scrubSecrets(out.stderr, o.secrets) });

  const git = async (args: readonly string[], options?: GitRunOptions): Promise<string> => {
    const out = await run(args, options);
    if (out.code !== 0) throw failure(args, out);
    return out.stdout;
  };

  /** Creates the bare clone in a temporary directory and renames it into place, so a crash leaves no half clone. */
  const init = async (): Promise<void> => {
    try {
      await access(join(dir, 'HEAD'));
      return;
    } catch {
      // not cloned yet
    }
    const tmp = `${dir}.init-${process.pid}-${Date.now()}`;
    const at = createRunner(tmp, () => {
      o.stats.processes++;
    });
    const step = async (args: readonly string[]) => {
      const out = await at(args);
      if (out.code !== 0) throw failure(args, out);
    };
    await mkdir(tmp, { recursive: true });
    try {
      await step(['init', '--quiet', '--bare']);
      // the remote and the settings written straight into the config git init made: three
      // `git config` processes less per repository (a fleet's start spawns for 50 of them)
      await appendFile(
        join(tmp, 'config'),
        `[remote "origin"]\n\turl = ${configValue(o.url)}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[core]\n\tquotePath = false\n`,
      );
      // another process sharing the data dir may have won the race; its clone is as good
      await rename(tmp, dir).catch(() => undefined);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  };

  const remote = async (args: readonly string[], options: GitRunOptions = {}): Promise<GitOutput> =>
    run(args, { ...options, env: { ...(await o.networkEnv()), ...options.env } });

  const pushedAt = new Map<string, { sha: string; at: number }>();

  const fetchNow = async (started: number): Promise<void> => {
    initialized ??= init().catch((e: unknown) => {
      initialized = undefined;
      throw e;
    });
    await initialized;
    const args = ['fetch', '--quiet', '--prune', '--no-tags', 'origin'];
    const t0 = Date.now();
    // processes sharing the data directory fetch into the same refs/remotes: one at a time
    lockDir ??= mkdir(dirname(fetchLock), { recursive: true }).then(
      () => undefined,
      (e: unknown) => {
        lockDir = undefined;
        throw e;
      },
    );
    await lockDir;
    const out = await remote(args, { lockFile: fetchLock });
    if (out.code !== 0) throw failure(args, out);
    // read after the lock is let go: a fetch by another process meanwhile only makes them newer
    const next = await readRefs(dir, 'refs/remotes/origin/');
    o.stats.fetches++;
    o.logger.debug({ url, ms: Date.now() - t0 }, 'git fetch');
    // a push of ours that landed after this fetch began is newer than what it saw
    for (const [branch, p] of pushedAt) if (p.at > started) next.set(branch, p.sha);
    tips = next;
  };

  const startFetch = (): Promise<void> => {
    const started = Date.now();
    const done = fetchNow(started).then(
      () => {
        lastFetchStarted = Math.max(lastFetchStarted, started);
        inflight = undefined;
      },
      (e: unknown) => {
        inflight = undefined;
        throw e;
      },
    );
    inflight = { started, done };
    return done;
  };

  const fresh = async (since?: number): Promise<void> => {
    if (since === undefined) {
      // what a read without a time of its own must be newer than: a push webhook's expiry, and a
      // person's request made just now (a fetch begun before either is not fresh enough)
      const need = Math.max(
        expiredAt > lastFetchStarted ? expiredAt : Number.NEGATIVE_INFINITY,
        freshReadsSince() ?? Number.NEGATIVE_INFINITY,
      );
      if (need > lastFetchStarted) return fresh(need);
      // one fetch per repository per round of background reads, however long the round lasts
      return fetchOncePerRound(dir, async () => {
        // a reader accepts any fetch in flight: that is what makes one fetch serve a whole status
        if (inflight) return inflight.done;
        if (lastFetchStarted > Date.now() - o.staleAfter.ms) return;
        return startFetch();
      });
    }
    for (;;) {
      if (lastFetchStarted >= since) return;
      if (inflight && inflight.started >= since) return inflight.done;
      if (!inflight) return startFetch();
      await inflight.done.catch(() => undefined);
    }
  };

  return {
    name: o.name,
    url,
    dir,
    git,
    remote,
    fresh,
    async tip(branch, fetch = true) {
      if (fetch || lastFetchStarted === Number.NEGATIVE_INFINITY) await fresh();
      const sha = tips.get(branch);
      if (!sha) {
        throw new SourceError(
          'git_branch_not_found',
          `branch "${branch}" does not exist in git repository "${o.name}" (${url}); branches: ${[...tips.keys()].join(', ') || '(none)'}`,
          { repository: o.name, url, branch, known: [...tips.keys()] },
        );
      }
      return sha;
    },
    expire() {
      expiredAt = Date.now();
    },
    pushed(branch, sha) {
      tips.set(branch, sha);
      pushedAt.set(branch, { sha, at: Date.now() });
    },
    async readFile(commit, path) {
      const obj = await batch.read(`${commit}:${path}`);
      return obj.found && obj.type === 'blob' ? obj.content.toString('utf8') : undefined;
    },
    close: () => batch.close(),
  };
}
