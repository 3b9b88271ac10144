import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Identity, Logger, Revision, WriteLock, WriteResult } from '@gantry/core';
import { SourceError } from '@gantry/core';
import { fileLock, processInstanceId } from '@gantry/locks';
import type { ChangeIndex } from './change-index.js';
import { gitFailure, isRetryableRejection, tail } from './classify.js';
import type { Clone, GitStats } from './clone.js';
import { formatCommitMessage } from './commit-message.js';
import type { GroupQueue, Settled } from './group-queue.js';
import { createGroupQueue } from './group-queue.js';
import { scrubSecrets } from './scrub.js';

/** One commit's worth of file changes, re-applied on whatever tip the push lands on. */
export interface FileWrite {
  /** Files the change reads (and may write). */
  readonly paths: readonly string[];
  /**
   * Given the files' current text (undefined: no such file), returns the new text of the
   * files that change, or `undefined` when the target is already there. May throw
   * (missing file, updater error): only this request fails.
   */
  readonly apply: (
    files: Readonly<Record<string, string | undefined>>,
    /** The commit the files were read at (the previous commit of the group, or the tip). */
    revision: string,
  ) => Readonly<Record<string, string>> | undefined;
  readonly message: string;
  readonly trailers: Readonly<Record<string, string>>;
  readonly author?: Identity;
}

export interface WriterOptions {
  readonly clone: Clone;
  readonly index: ChangeIndex;
  readonly branch: string;
  readonly author: Identity;
  readonly committer: Identity;
  readonly maxPushAttempts: number;
  readonly secrets: readonly string[];
  readonly stats: GitStats;
  readonly logger: Logger;
  /** Held around each group's commit and push when replicas share the repository (across machines). */
  readonly lock?: () => WriteLock | undefined;
}

/** A commit of the group, as fast-import will write it. */
interface Planned {
  readonly request: number;
  readonly files: Readonly<Record<string, string>>;
  readonly author: Identity;
  readonly message: string;
  readonly seconds: number;
  readonly revision: Omit<Revision, 'id'>;
}

/** This process's scratch refs (one per branch it writes); removed when the repositories close. */
export const writeRefPrefix = `refs/gantry/write/${processInstanceId}/`;

/** Jittered exponential back-off between push attempts: ~50 ms, 100 ms ... capped near 1 s. */
export function backoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(1000, 50 * 2 ** (attempt - 1));
  return Math.round(base * (0.5 + random()));
}

const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
const person = (who: Identity, seconds: number): string =>
  `${who.name.replace(/[<>\n]/g, '')} <${who.email.replace(/[<>\n]/g, '')}> ${seconds} +0000`;

/**
 * The `git fast-import` stream for a chain of commits on `base`: one process builds every
 * blob, tree and commit of a group, reading only the trees along the changed paths.
 */
export function fastImportStream(ref: string, base: string, commits: readonly Planned[], committer: Identity): string {
  return commits
    .map((c, i) => {
      const files = Object.entries(c.files)
        .map(([path, text]) => `M 100644 inline ${path}\n${data(text)}`)
        .join('');
      const from = i === 0 ? `from ${base}\n` : '';
      return `commit ${ref}\nmark :${i + 1}\nauthor ${person(c.author, c.seconds)}\ncommitter ${person(committer, c.seconds)}\n${data(c.message)}${from}${files}\n`;
    })
    .join('');
}

/**
 * The single writer of one (repository, branch): group commit. Each request becomes its
 * own commit, chained on the previous one, with no checkout; the whole group goes out in
 * one push, never forced. The first attempt builds on the tip last fetched (a promotion
 * has just read it); a rejected push fetches and re-applies every request on the new tip,
 * so the other writer's commits stay.
 */
export function createBranchWriter(o: WriterOptions): GroupQueue<FileWrite, WriteResult> {
  const { clone, branch } = o;
  const key = createHash('sha256').update(branch).digest('hex').slice(0, 12);
  // scratch state is per process: processes sharing the data directory never read each other's marks
  const ref = `${writeRefPrefix}${key}`;
  const marks = join(clone.dir, `gantry-marks-${processInstanceId}-${key}`);
  // processes sharing the clone take turns per branch; the lock dies with its holder
  const branchLock = fileLock(join(`${clone.dir}.locks`, `write-${key}.lock`));

  /** Applies each request on `base` in order; files changed earlier in the chain are seen by later requests. */
  const plan = async (base: string, group: readonly FileWrite[]) => {
    const overlay = new Map<string, string>();
    // every file of the group is asked of the cat-file process at once, not one round trip per request
    const atBase = new Map<string, Promise<string | undefined>>();
    for (const w of group) for (const p of w.paths) if (!atBase.has(p)) atBase.set(p, clone.readFile(base, p));
    for (const r of atBase.values()) r.catch(() => undefined);
    const read = async (path: string) => (overlay.has(path) ? overlay.get(path) : atBase.get(path));
    const planned: Planned[] = [];
    const results: Settled<WriteResult>[] = [];
    for (const [i, w] of group.entries()) {
      try {
        const texts = await Promise.all(w.paths.map(read));
        const changed = w.apply(Object.fromEntries(w.paths.map((p, k) => [p, texts[k]])), base);
        if (!changed || Object.keys(changed).length === 0) {
          results.push({ ok: true, value: { kind: 'unchanged' } });
          continue;
        }
        for (const p of Object.keys(changed)) {
          if (p.includes('\n') || p.startsWith('"')) throw new RangeError(`unsupported file name ${JSON.stringify(p)}`);
        }
        for (const [p, t] of Object.entries(changed)) overlay.set(p, t);
        const seconds = Math.floor(Date.now() / 1000);
        const author = w.author ?? o.author;
        planned.push({
          request: i,
          files: changed,
          author,
          message: formatCommitMessage(w.message, w.trailers),
          seconds,
          revision: {
            time: new Date(seconds * 1000),
            author: `${author.name} <${author.email}>`,
            message: w.message.replace(/\s+$/, ''),
            trailers: { ...w.trailers },
          },
        });
        results.push({ ok: true, value: { kind: 'unchanged' } }); // replaced once the commit exists
      } catch (error) {
        results.push({ ok: false, error });
      }
    }
    return { planned, results };
  };

  /** Writes the planned chain; returns each commit's SHA, in order. */
  const build = async (base: string, planned: readonly Planned[]): Promise<string[]> => {
    await clone.git(['fast-import', '--quiet', '--force', '--date-format=raw', `--export-marks=${marks}`], {
      input: fastImportStream(ref, base, planned, o.committer),
    });
    const exported = new Map(
      (await readFile(marks, 'utf8'))
        .split('\n')
        .map((l) => l.split(' '))
        .filter((p): p is [string, string] => p.length === 2),
    );
    return planned.map((_, i) => {
      const sha = exported.get(`:${i + 1}`);
      if (!sha) throw new Error(`git fast-import exported no commit for mark :${i + 1}`);
      return sha;
    });
  };

  const push = async (sha: string) => {
    // to the URL, not `origin`: pushing to a named remote also updates refs/remotes/origin/*,
    // which races with a reader's fetch in the same clone ("cannot lock ref")
    const args = ['push', '--porcelain', clone.url, `${sha}:refs/heads/${branch}`];
    const out = await clone.remote(args);
    if (out.code === 0) return { ok: true as const };
    const output = scrubSecrets(`${out.stdout}\n${out.stderr}`, o.secrets);
    if (isRetryableRejection(output)) return { ok: false as const, output };
    if (/\[remote rejected\]|\[rejected\]/.test(output)) {
      throw new SourceError(
        'git_push_rejected',
        `push to branch "${branch}" of git repository "${clone.name}" was refused: ${tail(output)}`,
        { repository: clone.name, url: clone.url, branch, retryable: false },
      );
    }
    throw gitFailure({ repository: clone.name, url: clone.url, command: 'push', stderr: output });
  };

  const flush = (group: readonly FileWrite[]): Promise<Settled<WriteResult>[]> => {
    const local = () => branchLock.withLock(() => flushGroup(group));
    // always in this order (replicas' lock, then this machine's), so no two writers wait on each other
    const lock = o.lock?.();
    return lock ? lock.withLock(`git ${clone.url} ${branch}`, local) : local();
  };

  const flushGroup = async (group: readonly FileWrite[]): Promise<Settled<WriteResult>[]> => {
    const began = Date.now();
    let since: number | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        if (since !== undefined) await clone.fresh(since);
        let base = await clone.tip(branch, false);
        let { planned, results } = await plan(base, group);
        // "already there" on a tip we did not just fetch may be stale news: confirm it on a fresh one
        if (since === undefined && planned.length < group.length) {
          since = began;
          await clone.fresh(since);
          base = await clone.tip(branch, false);
          ({ planned, results } = await plan(base, group));
        }
        if (planned.length === 0) return results;
        const shas = await build(base, planned);
        const head = shas[shas.length - 1] as string;
        const pushed = await push(head);
        if (pushed.ok) {
          clone.pushed(branch, head);
          o.stats.pushes++;
          o.stats.commits += planned.length;
          o.logger.info(
            { branch, head, commits: planned.length, requests: group.length, attempts: attempt },
            'git push',
          );
          const landed = planned.map((p, i) => ({
            revision: { id: shas[i] as string, ...p.revision },
            paths: Object.keys(p.files),
          }));
          o.index.advance(branch, base, landed, head);
          for (const [i, p] of planned.entries()) {
            results[p.request] = {
              ok: true,
              value: { kind: 'written', revision: landed[i]?.revision as Revision, attempts: attempt },
            };
          }
          return results;
        }
        if (attempt >= o.maxPushAttempts) {
          throw new SourceError(
            'git_push_rejected',
            `push to branch "${branch}" of git repository "${clone.name}" was still rejected after ${attempt} attempts: ${tail(pushed.output)}`,
            { repository: clone.name, url: clone.url, branch, attempts: attempt },
          );
        }
        since = Date.now();
        const delay = backoff(attempt);
        o.logger.warn(
          { branch, attempt, delayMs: delay },
          'git push rejected: the branch moved; fetching and re-applying',
        );
        await sleep(delay);
      }
    } finally {
      await rm(marks, { force: true });
    }
  };

  return createGroupQueue(flush);
}
