import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { OciImage, Pipeline } from '@gantry/core';
import { createEngine, createServices, createSystem, definePipeline, ociImage, silentLogger } from '@gantry/core';
import type { GitRepositories } from '@gantry/git';
import { createGitRepositories, gitFile, gitRepositoriesKey } from '@gantry/git';
import { kubernetesImage } from '@gantry/updaters';
import { ENVS, fakeDigest, servicePath } from './realistic-repo.js';
import { git } from './sh.js';

/** One pipeline per service: dev -> staging -> production, each phase a file in the realistic repo. */
export function servicePipeline(i: number, envs: readonly string[] = ENVS): Pipeline<OciImage> {
  const updater = kubernetesImage({ container: 'app' });
  return definePipeline({
    name: `svc-${i}`,
    resource: ociImage,
    phases: envs.map((env, k) => ({
      name: env,
      source: gitFile({ repository: 'config', path: servicePath(i, env), updater }),
      ...(k > 0 ? { promotesFrom: [envs[k - 1] as string] } : {}),
    })),
  });
}

export interface GantryRig {
  readonly repos: GitRepositories;
  readonly engine: ReturnType<typeof createEngine>;
  close(): Promise<void>;
}

/** A Gantry runtime over the realistic repo, as `openRuntime` builds it, minus config parsing. */
export function gantryRig(remoteUrl: string, dataDir: string, pipelines: readonly Pipeline<OciImage>[]): GantryRig {
  const repos = createGitRepositories({
    dataDir,
    remotes: { config: { url: remoteUrl, branch: 'main', staleAfter: { ms: 0 } } },
    logger: silentLogger,
  });
  const services = createServices();
  services.set(gitRepositoriesKey, repos);
  const engine = createEngine({
    system: createSystem({ pipelines }),
    context: { services, logger: silentLogger },
  });
  return { repos, engine, close: () => repos.close() };
}

/** Promotes `svc-i/env` to an explicit new digest, as `gantry promote` with a version would. */
export function promoteTo(rig: GantryRig, i: number, env: string, seed: string) {
  const target: OciImage = {
    kind: 'oci-image',
    repository: `registry.example.com/svc-${i}`,
    digest: fakeDigest(seed),
  };
  return rig.engine.promote(`svc-${i}`, env, { target, promotionId: randomUUID() });
}

export interface LandedCheck {
  readonly commits: number;
  readonly withTrailers: number;
  readonly filesHoldingDigest: number;
}

/** Reads the remote back: every promotion id is a commit with its trailers, every file holds its digest. */
export async function verifyLanded(
  bare: string,
  expected: ReadonlyArray<{ promotionId: string; path: string; digest: string }>,
): Promise<LandedCheck> {
  const log = await git(
    ['log', `-${expected.length + 50}`, '--format=%H%x00%(trailers:key=Gantry-Promotion-Id,valueonly)%x00', 'main'],
    bare,
  );
  const ids = new Set(
    log
      .split('\n')
      .map((l) => l.split('\0')[1]?.trim())
      .filter((x): x is string => !!x),
  );
  let filesHoldingDigest = 0;
  for (const e of expected) {
    const content = await git(['cat-file', 'blob', `main:${e.path}`], bare);
    if (content.includes(e.digest)) filesHoldingDigest++;
  }
  return {
    commits: ids.size,
    withTrailers: expected.filter((e) => ids.has(e.promotionId)).length,
    filesHoldingDigest,
  };
}

export async function resetDir(dir: string): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  return dir;
}
