import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeDigest, servicePath } from './realistic-repo.js';
import { git, run } from './sh.js';

/**
 * The Git floor: on a warm clone, fetch, read the file at the remote tip, replace the
 * digest, then hash-object, temp index (read-tree + update-index + write-tree),
 * commit-tree and push. No checkout. The physical limit for a promotion here.
 */
export async function gitFloorPromotion(clone: string, service: number, env: string, seed: string): Promise<void> {
  const path = servicePath(service, env);
  await git(['fetch', '-q', 'origin', '+refs/heads/main:refs/remotes/origin/main'], clone);
  const tip = (await git(['rev-parse', 'refs/remotes/origin/main'], clone)).trim();
  const content = await git(['cat-file', 'blob', `${tip}:${path}`], clone);
  const next = content.replace(/sha256:[a-f0-9]{64}/, fakeDigest(seed));
  const blob = (await git(['hash-object', '-w', '--stdin'], clone, next)).trim();
  const index = join(clone, `floor-index-${process.pid}`);
  const env2 = { GIT_INDEX_FILE: index };
  await git(['read-tree', tip], clone, undefined, env2);
  await git(['update-index', '--cacheinfo', `100644,${blob},${path}`], clone, undefined, env2);
  const tree = (await git(['write-tree'], clone, undefined, env2)).trim();
  const commit = (
    await git(['commit-tree', tree, '-p', tip, '-m', `floor ${seed}`], clone, undefined, {
      GIT_AUTHOR_NAME: 'floor',
      GIT_AUTHOR_EMAIL: 'floor@example.com',
      GIT_COMMITTER_NAME: 'floor',
      GIT_COMMITTER_EMAIL: 'floor@example.com',
    })
  ).trim();
  await git(['push', '-q', 'origin', `${commit}:refs/heads/main`], clone);
  await rm(index, { force: true });
}

/** What teams script by hand: shallow clone, sed, commit -a, push. */
export async function gluePromotion(remote: string, service: number, env: string, seed: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'glue-'));
  try {
    await git(['clone', '-q', '--depth', '1', remote, dir]);
    const file = join(dir, servicePath(service, env));
    await run('sed', ['-i', `s/sha256:[a-f0-9]\\{64\\}/${fakeDigest(seed)}/`, file]);
    await git(
      ['-c', 'user.name=glue', '-c', 'user.email=glue@example.com', 'commit', '-q', '-a', '-m', `glue ${seed}`],
      dir,
    );
    await git(['push', '-q', 'origin', 'HEAD:main'], dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function readRemoteFile(bare: string, path: string): Promise<string> {
  return git(['cat-file', 'blob', `main:${path}`], bare);
}

export { readFile, writeFile };
