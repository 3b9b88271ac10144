import { createEngine, createSystem, definePipeline, ociImage, TRAILERS } from '@gantry/core';
import type { GantryError } from '@gantry/core';
import { gitBranch, gitFile, gitFiles } from '@gantry/git';
import { commitToBareRepo, createBareRepo, hasTool, readBareFile, runGit, tempDir } from '@gantry/testing';
import type { TempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployment, digest, image, imageLine } from './line-updater.js';
import { request, rig } from './rig.js';

const STAGING = 'env/staging/deployment.yaml';
const PROD = 'env/production/deployment.yaml';

describe.skipIf(!hasTool('git'))('git source: reading and writing a config repository', () => {
  let tmp: TempDir;
  let bare: string;
  let url: string;
  beforeEach(async () => {
    tmp = await tempDir('gantry-git-');
    bare = `${tmp.path}/config.git`;
    url = await createBareRepo(bare, { [STAGING]: deployment('staging', 1), [PROD]: deployment('production', 1) });
  });
  afterEach(() => tmp.remove());

  it('GIVEN a file at the branch tip WHEN read THEN the resource, the snapshot and the commit that set it are returned', async () => {
    const other = await commitToBareRepo(bare, {
      files: { [STAGING]: deployment('staging', 7) },
      message: 'bump staging',
    });
    await commitToBareRepo(bare, { files: { 'README.md': 'unrelated\n' }, message: 'docs' });
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url } });
    const source = gitFile({ repository: 'config', path: STAGING, updater: imageLine });

    const seen = await source.read(ctx);

    expect(seen.resource).toEqual(image(7));
    expect(seen.setBy).toMatchObject({ id: other, message: 'bump staging', author: 'Fixture <fixture@example.com>' });
    const tip = (await runGit(['rev-parse', 'main'], bare)).trim();
    expect(seen.snapshot).toEqual({ revision: tip, files: { [STAGING]: deployment('staging', 7) } });
    await repos.close();
  });

  it('GIVEN many phases read at once WHEN the clone is stale THEN one fetch and one cat-file process serve them all', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`apps/svc-${i}.yaml`, deployment(`svc-${i}`, i)]),
    );
    const manyUrl = await createBareRepo(`${tmp.path}/many.git`, files);
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url: manyUrl, staleAfter: { ms: 0 } } });
    const sources = Object.keys(files).map((path) => gitFile({ repository: 'config', path, updater: imageLine }));

    const seen = await Promise.all(sources.map((s) => s.read(ctx)));

    expect(seen.map((o) => o.resource)).toEqual(Object.keys(files).map((_, i) => image(i)));
    expect(seen.every((o) => o.setBy?.message === 'initial layout')).toBe(true);
    // a constant handful, not one per file: git init (its config written directly), fetch, cat-file --batch, one log walk
    expect(repos.stats()).toMatchObject({ fetches: 1, processes: 4 });
    await repos.close();
  });

  it('GIVEN a previous process indexed the history WHEN a new one reads THEN it walks only the new commits', async () => {
    const source = gitFile({ repository: 'config', path: STAGING, updater: imageLine });
    const remotes = { config: { url, staleAfter: { ms: 0 } } };
    const first = rig(`${tmp.path}/data`, remotes);
    await source.read(first.ctx);
    await first.repos.close();

    const second = rig(`${tmp.path}/data`, remotes);
    const unchanged = await source.read(second.ctx);
    // fetch and cat-file --batch: the saved index answered, no log walk
    expect(second.repos.stats().processes).toBe(2);
    const theirs = await commitToBareRepo(bare, { files: { [STAGING]: deployment('staging', 3) }, message: 'theirs' });
    const seen = await source.read(second.ctx);
    const prod = await gitFile({ repository: 'config', path: PROD, updater: imageLine }).read(second.ctx);

    expect(unchanged.setBy?.message).toBe('initial layout');
    expect(seen.setBy?.id).toBe(theirs);
    expect(prod.setBy?.message).toBe('initial layout');
    // one more fetch (staleAfter 0) for each read, one walk of the new commit
    expect(second.repos.stats()).toMatchObject({ processes: 5, fetches: 3 });
    await second.repos.close();
  });

  it('GIVEN a pipeline WHEN production is promoted THEN one commit changes only the image line, with its trailers (pipeline, phase, digest, reason, promotion id)', async () => {
    const { repos, ctx } = rig(
      `${tmp.path}/data`,
      { config: { url } },
      { author: { name: 'Ada', email: 'ada@example.com' } },
    );
    await commitToBareRepo(bare, { files: { [STAGING]: deployment('staging', 2) } });
    const app = definePipeline({
      name: 'app',
      resource: ociImage,
      phases: [
        { name: 'staging', source: gitFile({ repository: 'config', path: STAGING, updater: imageLine }) },
        {
          name: 'production',
          source: gitFile({ repository: 'config', path: PROD, updater: imageLine }),
          promotesFrom: ['staging'],
        },
      ],
    });
    const engine = createEngine({ system: createSystem({ pipelines: [app] }), context: ctx });
    const before = (await runGit(['rev-parse', 'main'], bare)).trim();

    const outcome = await engine.promote('app', 'production', { promotionId: 'p-42' });

    expect(outcome.kind).toBe('promoted');
    const after = (await runGit(['rev-parse', 'main'], bare)).trim();
    expect((await runGit(['rev-parse', 'main^'], bare)).trim()).toBe(before);
    const diff = await runGit(['diff', '--unified=0', before, after], bare);
    const changed = diff.split('\n').filter((l) => /^[+-][^+-]/.test(l));
    expect(changed).toEqual([
      `-      image: registry.example.com/app@${digest(1)}`,
      `+      image: registry.example.com/app@${digest(2)}`,
    ]);
    expect(await readBareFile(bare, 'main', PROD)).toBe(
      deployment('production', 2).replace('# production', '# production'),
    );
    const trailers = await runGit(['log', '-1', '--format=%(trailers:unfold)', 'main'], bare);
    expect(trailers.trim().split('\n')).toEqual([
      `${TRAILERS.pipeline}: app`,
      `${TRAILERS.phase}: production`,
      `${TRAILERS.digest}: ${digest(2)}`,
      // no person asked: the reason says where the version comes from
      `${TRAILERS.reason}: staging is at app@${digest(2).slice(7, 19)}`,
      `${TRAILERS.promotionId}: p-42`,
    ]);
    expect((await runGit(['log', '-1', '--format=%an <%ae>|%s', 'main'], bare)).trim()).toBe(
      `Ada <ada@example.com>|promote app/production to app@${digest(2).slice(7, 19)}`,
    );
    expect(outcome.kind === 'promoted' && outcome.revision.id).toBe(after);
    expect(repos.stats()).toMatchObject({ pushes: 1, commits: 1 });
    await repos.close();
  });

  it('GIVEN the file already holds the target WHEN written THEN the result is unchanged and no commit is made', async () => {
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url } });
    const source = gitFile({ repository: 'config', path: STAGING, updater: imageLine });
    const before = (await runGit(['rev-parse', 'main'], bare)).trim();

    const result = await source.write(request(1), ctx);

    expect(result).toEqual({ kind: 'unchanged' });
    expect((await runGit(['rev-parse', 'main'], bare)).trim()).toBe(before);
    expect(repos.stats()).toMatchObject({ pushes: 0, commits: 0 });
    await repos.close();
  });

  it('GIVEN branch-per-environment WHEN staging is written THEN only the staging branch moves', async () => {
    await runGit(['branch', '-D', 'main'], bare).catch(() => undefined);
    const envBare = `${tmp.path}/envs.git`;
    const envUrl = await createBareRepo(
      envBare,
      { 'deployment.yaml': deployment('any', 1) },
      { branch: 'staging', branches: { prod: { 'deployment.yaml': deployment('prod', 3) } } },
    );
    const { repos, ctx } = rig(`${tmp.path}/data`, { envs: { url: envUrl, branch: 'staging' } });
    const staging = gitFile({ repository: 'envs', branch: 'staging', path: 'deployment.yaml', updater: imageLine });
    const prod = gitFile({ repository: 'envs', branch: 'prod', path: 'deployment.yaml', updater: imageLine });
    const prodTip = (await runGit(['rev-parse', 'prod'], envBare)).trim();

    expect((await staging.read(ctx)).resource).toEqual(image(1));
    expect((await prod.read(ctx)).resource).toEqual(image(3));
    const written = await staging.write(request(5, 'staging'), ctx);

    expect(written.kind).toBe('written');
    expect(await readBareFile(envBare, 'staging', 'deployment.yaml')).toContain(digest(5));
    expect((await runGit(['rev-parse', 'prod'], envBare)).trim()).toBe(prodTip);
    expect((await prod.read(ctx)).resource).toEqual(image(3));
    const branchSource = gitBranch({ repository: 'envs', branch: 'staging' });
    const tip = await branchSource.read(ctx);
    expect(tip.resource).toMatchObject({
      kind: 'git-commit',
      commit: written.kind === 'written' && written.revision.id,
      ref: 'staging',
    });
    expect(tip.setBy?.trailers?.[TRAILERS.phase]).toBe('staging');
    await repos.close();
  });

  it('GIVEN a path that does not exist WHEN read THEN the error names repository, branch and path', async () => {
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url } });
    const source = gitFile({ repository: 'config', path: 'env/qa/deployment.yaml', updater: imageLine });

    const error = (await source.read(ctx).catch((e: unknown) => e)) as GantryError;

    expect(error.code).toBe('git_file_missing');
    expect(error.message).toContain('"env/qa/deployment.yaml"');
    expect(error.message).toContain('"config"');
    expect(error.message).toContain('"main"');
    await repos.close();
  });

  it('GIVEN an unknown repository name WHEN read THEN a NotFoundError lists the known ones', async () => {
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url } });
    const source = gitFile({ repository: 'nope', path: STAGING, updater: imageLine });

    await expect(source.read(ctx)).rejects.toMatchObject({ code: 'unknown_repository', known: ['config'] });
    await repos.close();
  });

  it('GIVEN a bundle over two files WHEN written THEN one commit changes both', async () => {
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url } });
    const both = gitFiles({
      repository: 'config',
      files: { staging: { path: STAGING, updater: imageLine }, production: { path: PROD, updater: imageLine } },
    });
    const before = (await runGit(['rev-parse', 'main'], bare)).trim();

    const seen = await both.read(ctx);
    const result = await both.write(
      { ...request(9), target: { kind: 'bundle', artifacts: { staging: image(9), production: image(8) } } },
      ctx,
    );

    expect(seen.resource).toEqual({ kind: 'bundle', artifacts: { staging: image(1), production: image(1) } });
    expect(result.kind).toBe('written');
    expect((await runGit(['rev-parse', 'main^'], bare)).trim()).toBe(before);
    expect((await runGit(['diff', '--name-only', before, 'main'], bare)).trim().split('\n').sort()).toEqual([
      PROD,
      STAGING,
    ]);
    expect(both.edit(seen.snapshot ?? { revision: '', files: {} }, seen.resource ?? (image(0) as never))).toEqual([]);
    await repos.close();
  });

  it('GIVEN a promotion id WHEN searched by trailer THEN its commit is found, and an unknown id finds nothing', async () => {
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url } });
    const source = gitFile({ repository: 'config', path: STAGING, updater: imageLine });
    const written = await source.write(request(4, 'staging', 'find-me'), ctx);
    await commitToBareRepo(bare, { files: { 'x.txt': 'later\n' } });

    const found = await repos.findCommitByTrailer('config', 'main', TRAILERS.promotionId, 'find-me');
    const missing = await repos.findCommitByTrailer('config', undefined, TRAILERS.promotionId, 'find-m');

    expect(found?.id).toBe(written.kind === 'written' ? written.revision.id : 'no');
    expect(found?.trailers?.[TRAILERS.promotionId]).toBe('find-me');
    expect(missing).toBeUndefined();
    await repos.close();
  });
});
