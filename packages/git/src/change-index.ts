import { join } from 'node:path';
import type { Revision } from '@gantry/core';
import type { BranchIndexes } from './change-index-file.js';
import { loadIndexes, saveIndexes } from './change-index-file.js';
import type { Clone } from './clone.js';
import type { LogRecord } from './commit-message.js';
import { LOG_FORMAT, MARKED_LOG_FORMAT, parseLogRecords } from './commit-message.js';

/** For one tip: path -> the commit that last changed it. */
interface Built {
  readonly tip: string;
  readonly changes: ReadonlyMap<string, Revision>;
}

/**
 * Answers "which commit last changed this path" for many paths with one `git log
 * --name-only` walk per tip. When a branch moves forward, only the new commits are
 * walked and laid over the previous index. The index is saved in the clone, so a new
 * process walks only what changed since.
 */
export interface ChangeIndex {
  lastChange(branch: string, tip: string, path: string): Promise<Revision | undefined>;
  /** Lays commits we just pushed (oldest first) over the index of `from`, so reads at `to` walk nothing. */
  advance(branch: string, from: string, commits: ReadonlyArray<LogRecord>, to: string): void;
  /** The commit itself (message, author, trailers), cached by SHA. */
  commit(sha: string): Promise<Revision>;
  /** Saves the index now if it changed. */
  flush(): Promise<void>;
}

/** Newest first: path -> first commit seen, laid over `base` when given. */
function overlay(
  base: ReadonlyMap<string, Revision> | undefined,
  records: readonly LogRecord[],
): Map<string, Revision> {
  const changes = new Map(base);
  const seen = new Set<string>();
  for (const r of records)
    for (const p of r.paths)
      if (!seen.has(p)) {
        seen.add(p);
        changes.set(p, r.revision);
      }
  return changes;
}

export function createChangeIndex(clone: Clone, saveDelayMs = 1000): ChangeIndex {
  const file = join(clone.dir, 'gantry-change-index.json');
  const latest: BranchIndexes = new Map();
  let loaded: Promise<void> | undefined;
  const building = new Map<string, Promise<Built>>();
  const commits = new Map<string, Promise<Revision>>();
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();

  const save = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return saving;
    dirty = false;
    const snapshot: BranchIndexes = new Map(latest);
    // a cache: failing to save only costs a longer walk in the next process
    saving = saving.then(() => saveIndexes(file, snapshot)).catch(() => undefined);
    return saving;
  };
  const changed = () => {
    dirty = true;
    timer ??= setTimeout(() => void save(), saveDelayMs).unref();
  };

  const load = (): Promise<void> => {
    loaded ??= loadIndexes(file).then((saved) => {
      for (const [b, i] of saved) if (!latest.has(b)) latest.set(b, i);
    });
    return loaded;
  };

  const walk = async (range: readonly string[], format: string) =>
    clone.git(['log', '--no-renames', '--name-only', `--format=${format}`, ...range]);

  const build = async (branch: string, tip: string): Promise<Built> => {
    const base = latest.get(branch);
    let changes: Map<string, Revision> | undefined;
    if (base) {
      const out = await walk([tip, `^${base.tip}`, '--boundary'], MARKED_LOG_FORMAT).catch(() => undefined);
      // `%m` marks boundary commits `-`: base is one of them exactly when it is an ancestor of tip
      const chunks = (out ?? '').split('\x1e').filter((c) => c.trim() !== '');
      const boundary = new Set(chunks.filter((c) => c.startsWith('-')).map((c) => c.slice(1, c.indexOf('\0'))));
      if (boundary.has(base.tip)) {
        const walked = chunks.filter((c) => !c.startsWith('-')).map((c) => `\x1e${c.slice(1)}`);
        changes = overlay(base.changes, parseLogRecords(walked.join('')));
      }
    }
    changes ??= overlay(undefined, parseLogRecords(await walk([tip], LOG_FORMAT)));
    const built = { tip, changes };
    const current = latest.get(branch);
    // a slower build of an older tip must not replace a newer one
    if (!current || current.tip === base?.tip) {
      latest.set(branch, built);
      changed();
    }
    return built;
  };

  const indexFor = async (branch: string, tip: string): Promise<Built> => {
    await load();
    const have = latest.get(branch);
    if (have?.tip === tip) return have;
    const key = `${branch}\0${tip}`;
    let p = building.get(key);
    if (!p) {
      p = build(branch, tip).finally(() => building.delete(key));
      building.set(key, p);
    }
    return p;
  };

  return {
    advance(branch, from, pushed, to) {
      const base = latest.get(branch);
      if (base?.tip !== from) return;
      latest.set(branch, { tip: to, changes: overlay(base.changes, [...pushed].reverse()) });
      changed();
    },
    async lastChange(branch, tip, path) {
      return (await indexFor(branch, tip)).changes.get(path);
    },
    commit(sha) {
      let p = commits.get(sha);
      if (!p) {
        p = clone.git(['log', '-1', `--format=${LOG_FORMAT}`, sha]).then((out) => {
          const r = parseLogRecords(out)[0];
          if (!r) throw new Error(`git log printed no commit for ${sha}`);
          return r.revision;
        });
        p.catch(() => commits.delete(sha));
        commits.set(sha, p);
      }
      return p;
    },
    flush: save,
  };
}
