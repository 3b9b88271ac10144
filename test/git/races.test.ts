import { writeFile } from 'node:fs/promises';
import { TRAILERS } from '@gantry/core';
import { gitFile } from '@gantry/git';
import { commitToBareRepo, createBareRepo, hasTool, readBareFile, runGit, tempDir } from '@gantry/testing';
import type { TempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployment, digest, imageLine } from './line-updater.js';
import { request, rig } from './rig.js';

const file = (i: number) => `apps/svc-${i}/deployment.yaml`;

/** Promotion ids of the commits on main, newest first. */
async function promotionIds(bare: string): Promise<string[]> {
  const out = await runGit(['log', `--format=%(trailers:key=${TRAILERS.promotionId},valueonly)`, 'main'], bare);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

describe.skipIf(!hasTool('git'))('git writer: races and group commit', () => {
  let tmp: TempDir;
  let bare: string;
  let url: string;
  beforeEach(async () => {
    tmp = await tempDir('gantry-git-race-');
    bare = `${tmp.path}/config.git`;
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [file(i), deployment(`svc-${i}`, 1)]));
    url = await createBareRepo(bare, files);
  });
  afterEach(() => tmp.remove());

  it('GIVEN another writer pushes after Gantry read WHEN Gantry writes THEN its push is retried on top and both commits survive', async () => {
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url, staleAfter: { ms: 60_000 } } });
    const source = gitFile({ repository: 'config', path: file(0), updater: imageLine });
    await source.read(ctx);
    const theirs = await commitToBareRepo(bare, { files: { [file(1)]: deployment('theirs', 77) }, message: 'theirs' });

    const result = await source.write(request(5), ctx);

    expect(result).toMatchObject({ kind: 'written', attempts: 2 });
    const tip = (await runGit(['rev-parse', 'main'], bare)).trim();
    expect(result.kind === 'written' && result.revision.id).toBe(tip);
    expect((await runGit(['rev-parse', 'main^'], bare)).trim()).toBe(theirs);
    expect(await readBareFile(bare, 'main', file(1))).toContain(digest(77));
    expect(await readBareFile(bare, 'main', file(0))).toContain(digest(5));
    await repos.close();
  });

  it('GIVEN the other writer set the same version meanwhile WHEN Gantry writes THEN the retry finds it unchanged', async () => {
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url, staleAfter: { ms: 60_000 } } });
    const source = gitFile({ repository: 'config', path: file(0), updater: imageLine });
    await source.read(ctx);
    const theirs = await commitToBareRepo(bare, { files: { [file(0)]: deployment('svc-0', 5) } });

    const result = await source.write(request(5), ctx);

    expect(result).toEqual({ kind: 'unchanged' });
    expect((await runGit(['rev-parse', 'main'], bare)).trim()).toBe(theirs);
    await repos.close();
  });

  it('GIVEN the cached tip already holds the target but the remote moved on WHEN Gantry writes THEN it checks a fresh tip and writes', async () => {
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url, staleAfter: { ms: 60_000 } } });
    const source = gitFile({ repository: 'config', path: file(0), updater: imageLine });
    await source.read(ctx);
    const theirs = await commitToBareRepo(bare, { files: { [file(0)]: deployment('svc-0', 9) } });

    const result = await source.write(request(1), ctx);

    expect(result).toMatchObject({ kind: 'written', attempts: 1 });
    expect((await runGit(['rev-parse', 'main^'], bare)).trim()).toBe(theirs);
    expect(await readBareFile(bare, 'main', file(0))).toContain(digest(1));
    await repos.close();
  });

  it('GIVEN two Gantry instances with their own data dirs WHEN both write at once THEN every commit of both lands, none forced', async () => {
    const a = rig(`${tmp.path}/data-a`, { config: { url } });
    const b = rig(`${tmp.path}/data-b`, { config: { url } });
    const start = (await runGit(['rev-parse', 'main'], bare)).trim();
    const writes = Array.from({ length: 10 }, (_, i) => {
      const who = i % 2 === 0 ? a : b;
      const source = gitFile({ repository: 'config', path: file(i), updater: imageLine });
      return source.write(request(100 + i, 'staging', `race-${i}`), who.ctx);
    });

    const results = await Promise.all(writes);

    expect(results.every((r) => r.kind === 'written')).toBe(true);
    expect((await promotionIds(bare)).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `race-${i}`).sort());
    for (let i = 0; i < 10; i++) expect(await readBareFile(bare, 'main', file(i))).toContain(digest(100 + i));
    // history is linear on top of where we started: nothing was rewritten
    expect((await runGit(['rev-list', '--count', `${start}..main`], bare)).trim()).toBe('10');
    await runGit(['merge-base', '--is-ancestor', start, 'main'], bare);
    await a.repos.close();
    await b.repos.close();
  });

  it('GIVEN 20 concurrent writes through one instance WHEN they land THEN each is its own commit and fewer pushes than commits went out', async () => {
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url } });
    const writes = Array.from({ length: 20 }, (_, i) =>
      gitFile({ repository: 'config', path: file(i), updater: imageLine }).write(
        request(200 + i, 'staging', `burst-${i}`),
        ctx,
      ),
    );

    const results = await Promise.all(writes);

    expect(results.map((r) => r.kind)).toEqual(Array(20).fill('written'));
    expect(new Set(results.map((r) => (r.kind === 'written' ? r.revision.id : ''))).size).toBe(20);
    expect((await promotionIds(bare)).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `burst-${i}`).sort());
    const stats = repos.stats();
    expect(stats.commits).toBe(20);
    expect(stats.pushes).toBeLessThan(stats.commits);
    await repos.close();
  });

  it('GIVEN a group where one request fails and two edit the same file WHEN flushed THEN the others land in order', async () => {
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url } });
    const same = gitFile({ repository: 'config', path: file(3), updater: imageLine });
    const missing = gitFile({ repository: 'config', path: 'apps/none/deployment.yaml', updater: imageLine });

    const [first, broken, second, again] = await Promise.allSettled([
      same.write(request(31, 'staging', 'first'), ctx),
      missing.write(request(32, 'staging', 'broken'), ctx),
      same.write(request(33, 'staging', 'second'), ctx),
      same.write(request(33, 'staging', 'again'), ctx),
    ]);

    expect(first).toMatchObject({ status: 'fulfilled', value: { kind: 'written' } });
    expect(broken).toMatchObject({ status: 'rejected', reason: { code: 'git_file_missing' } });
    expect(second).toMatchObject({ status: 'fulfilled', value: { kind: 'written' } });
    expect(again).toMatchObject({ status: 'fulfilled', value: { kind: 'unchanged' } });
    expect(await promotionIds(bare)).toEqual(['second', 'first']);
    expect(await readBareFile(bare, 'main', file(3))).toContain(digest(33));
    await repos.close();
  });
});

describe.skipIf(!hasTool('git'))('git writer: pushes that keep failing', () => {
  let tmp: TempDir;
  let bare: string;
  let url: string;
  beforeEach(async () => {
    tmp = await tempDir('gantry-git-hook-');
    bare = `${tmp.path}/config.git`;
    url = await createBareRepo(bare, { [file(0)]: deployment('svc-0', 1) });
  });
  afterEach(() => tmp.remove());

  it('GIVEN another writer always gets in first WHEN Gantry writes THEN it gives up after maxPushAttempts with git_push_rejected, forcing nothing', async () => {
    // the hook moves main before our update lands, as a faster writer would
    await writeFile(
      `${bare}/hooks/pre-receive`,
      `#!/bin/sh
cat >/dev/null
unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
c=$(git commit-tree -p refs/heads/main -m other 'refs/heads/main^{tree}')
git update-ref refs/heads/main "$c"
`,
      { mode: 0o755 },
    );
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url, maxPushAttempts: 3 } });
    const source = gitFile({ repository: 'config', path: file(0), updater: imageLine });

    const error = await source.write(request(2), ctx).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'git_push_rejected', context: { attempts: 3 } });
    expect(await runGit(['log', '--format=%s', 'main'], bare)).toBe('other\nother\nother\ninitial layout\n');
    await repos.close();
  });

  it('GIVEN a hook that refuses the push WHEN Gantry writes THEN git_push_rejected comes at once, without retries', async () => {
    await writeFile(`${bare}/hooks/pre-receive`, '#!/bin/sh\necho "no deploys on fridays" >&2\nexit 1\n', {
      mode: 0o755,
    });
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url } });
    const source = gitFile({ repository: 'config', path: file(0), updater: imageLine });

    const error = await source.write(request(2), ctx).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'git_push_rejected', context: { retryable: false } });
    expect((error as Error).message).toContain('no deploys on fridays');
    expect(repos.stats().pushes).toBe(0);
    await repos.close();
  });
});
