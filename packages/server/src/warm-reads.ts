import type { Pipeline, Resource } from '@gantry/core';
import type { GitRepositories } from '@gantry/git';

/** Below this many pipelines a round reads its files as it goes: there is little to gather. */
const WARM_FROM = 16;

/** The files a set of pipelines reads, by repository and branch (`undefined`: the repository's default). */
function filesByRepository(pipelines: readonly Pipeline<Resource>[]): Map<string, Map<string | undefined, string[]>> {
  const out = new Map<string, Map<string | undefined, string[]>>();
  for (const p of pipelines)
    for (const ph of p.phases) {
      // (test doubles of pipelines may leave sources out)
      const s = ph.source?.subject;
      if (s?.kind !== 'git' || !s.paths) continue;
      let branches = out.get(s.repository);
      if (!branches) {
        branches = new Map();
        out.set(s.repository, branches);
      }
      const paths = branches.get(s.branch);
      if (paths) paths.push(...s.paths);
      else branches.set(s.branch, [...s.paths]);
    }
  return out;
}

/**
 * Asks each Git repository, at the start of a round of reads, for every file the round's
 * pipelines will read there, and for the index of which commit last changed them: one request
 * of all of a repository's files (one write to its cat-file process, where pipelines reading
 * as they go made thousands), and every clone's fetch, cat-file and log processes started at
 * once, before the round's reads fill the heap (a process is slower to spawn the larger it is).
 * The reads then find the texts waiting. Nothing is awaited or reported here: a repository
 * that fails or hangs fails or delays its own pipelines' reads, as it would without this.
 */
export function warmGitReads(
  pipelines: readonly Pipeline<Resource>[],
  repositories: Pick<GitRepositories, 'repository'>,
): void {
  if (pipelines.length < WARM_FROM) return;
  for (const [name, branches] of filesByRepository(pipelines)) {
    let repository: ReturnType<GitRepositories['repository']>;
    try {
      repository = repositories.repository(name);
    } catch {
      continue; // an unknown repository: the reads say so
    }
    for (const [given, paths] of branches) {
      const branch = given ?? repository.defaultBranch;
      void repository
        .snapshot(branch, paths)
        .then((s) => (paths[0] === undefined ? undefined : repository.lastChange(branch, s.revision, paths[0])))
        .catch(() => undefined);
    }
  }
}
