import { join } from 'node:path';
import type { Engine, Identity, SystemDefinition } from '@gantry/core';
import { createEngine, createServices, createSystem, silentLogger } from '@gantry/core';
import { createGitRepositories, gitRepositoriesKey } from '@gantry/git';
import type { LayoutImageOptions } from '@gantry/oci';
import { createRegistries, ociRegistriesKey, writeLayoutImage } from '@gantry/oci';
import { commitToBareRepo, createBareRepo, readBareFile, runGit } from './git-fixtures.js';
import { tempDir } from './temp-dir.js';

export interface PipelineSandboxOptions {
  /** Files of the config repository's first commit, e.g. `{ 'env/staging/deployment.yaml': '...' }`. */
  readonly files: Readonly<Record<string, string>>;
  /** More branches (branch per environment), each `{ path: text }` changed on top of the first commit. */
  readonly branches?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Name of the repository in your sources (`gitFile({ repository })`); `config` by default. */
  readonly repository?: string;
  /** Name of the registry in your sources (`ociImageSource({ registry })`); `sandbox` by default. */
  readonly registry?: string;
  /** How image references name the registry; `localhost:5000` by default. */
  readonly registryHost?: string;
  readonly author?: Identity;
}

/** A commit of the sandbox's config repository, newest first, with its Gantry trailers. */
export interface SandboxCommit {
  readonly sha: string;
  readonly subject: string;
  readonly trailers: Readonly<Record<string, string>>;
}

/**
 * A throwaway world for testing your own pipelines: a real bare Git repository and an
 * OCI image-layout registry in a temp dir, and an engine running your definition over
 * them exactly as `gantry` would. Nothing is mocked, so what passes here passes there.
 */
export interface PipelineSandbox extends AsyncDisposable {
  readonly dir: string;
  /** The engine over your pipelines: `status`, `plan`, `promote`. */
  readonly engine: Engine;
  /** Publishes a new image `repository:tag` in the sandbox registry; returns its digest. */
  pushImage(repository: string, tag?: string, options?: LayoutImageOptions): Promise<string>;
  /** A file of the config repository as the remote holds it now. */
  readFile(path: string, branch?: string): Promise<string>;
  /** Commits files as someone else would (a person, another tool). */
  commit(files: Readonly<Record<string, string>>, options?: { branch?: string; message?: string }): Promise<string>;
  /** The config repository's history on a branch, newest first. */
  log(branch?: string): Promise<SandboxCommit[]>;
  /** The image reference prefix of a repository in the sandbox registry, e.g. `localhost:5000/app`. */
  image(repository: string): string;
  close(): Promise<void>;
}

const SEP = '\u001e';

/** Creates a pipeline sandbox for `definition` (what `defineConfig` returns). */
export async function createPipelineSandbox(
  definition: SystemDefinition,
  options: PipelineSandboxOptions,
): Promise<PipelineSandbox> {
  const tmp = await tempDir('gantry-pipeline-sandbox-');
  const repository = options.repository ?? 'config';
  const registry = options.registry ?? 'sandbox';
  const host = options.registryHost ?? 'localhost:5000';
  const bare = join(tmp.path, 'config.git');
  const layout = join(tmp.path, 'registry');
  await createBareRepo(bare, options.files, options.branches ? { branches: options.branches } : {});
  const repos = createGitRepositories({
    dataDir: join(tmp.path, 'data'),
    remotes: { [repository]: { url: bare, branch: 'main', staleAfter: { ms: 0 } } },
    logger: silentLogger,
    ...(options.author ? { author: options.author } : {}),
  });
  const services = createServices();
  services.set(gitRepositoriesKey, repos);
  services.set(
    ociRegistriesKey,
    createRegistries({ registries: { [registry]: { layout, host } }, logger: silentLogger }),
  );
  const engine = createEngine({
    system: createSystem(definition, 'the pipelines under test'),
    context: { services, logger: silentLogger },
  });
  const close = async () => {
    await repos.close();
    await tmp.remove();
  };
  return {
    dir: tmp.path,
    engine,
    pushImage: (repo, tag = 'latest', o = {}) => writeLayoutImage(layout, repo, tag, { created: new Date(), ...o }),
    readFile: (path, branch = 'main') => readBareFile(bare, branch, path),
    commit: (files, o = {}) => commitToBareRepo(bare, { files, ...o }),
    async log(branch = 'main'): Promise<SandboxCommit[]> {
      const out = await runGit(['log', `--format=%H${SEP}%s${SEP}%(trailers:only,unfold)%x00`, branch], bare);
      return out
        .split('\0')
        .map((r) => r.trim())
        .filter(Boolean)
        .map((record) => {
          const [sha = '', subject = '', trailers = ''] = record.split(SEP);
          return {
            sha,
            subject,
            trailers: Object.fromEntries(
              trailers
                .split('\n')
                .map((l) => /^([\w-]+):\s*(.*)$/.exec(l.trim()))
                .filter((m): m is RegExpExecArray => m !== null)
                .map((m) => [m[1] as string, m[2] as string]),
            ),
          };
        });
    },
    image: (repo) => `${host}/${repo}`,
    close,
    [Symbol.asyncDispose]: close,
  };
}
