import type { ApiChain } from '@gantry/api';
import type { PhaseHistoryEntry, Revision, System } from '@gantry/core';
import { findPhase, findPipeline, GantryError, readPhaseHistory } from '@gantry/core';
import type { Runtime } from '@gantry/config';
import type { Artifact, PromotionWithEvents, Store } from '@gantry/store';
import type { ConfigCommit } from './chain.js';
import { assembleChain } from './chain.js';
import type { ImageSource } from './image-provenance.js';
import { readImageLabels, sourceOfLabels } from './image-provenance.js';
import { imageHome } from './image-home.js';
import type { Linker } from './links.js';
import { createLinker } from './links.js';
import { labelKeysOf } from './source-facts.js';

/** What a phase holds now, as the state cache or `engine.status` tells it. */
export interface CurrentVersion {
  readonly digest?: string | undefined;
  readonly version?: string | undefined;
  readonly resource?: unknown;
  readonly setBy?:
    | {
        readonly id: string;
        readonly time?: Date | string | undefined;
        readonly author?: string | undefined;
        readonly message?: string | undefined;
      }
    | undefined;
}

/** Where chains and lineage read Git, registries and links; each part optional (an app built by a test). */
export interface ProvenanceSources {
  readonly linker: Linker;
  /** What the image's OCI labels say of its source; undefined when unknown (never throws). */
  imageSource?(pipeline: string, digest: string): Promise<ImageSource | undefined>;
  /** The versions a phase held in its Git history, newest first. */
  history?(pipeline: string, phase: string, limit: number): Promise<PhaseHistoryEntry[]>;
  /** A commit of the phase's config repository. */
  commit?(pipeline: string, phase: string, sha: string): Promise<Revision | undefined>;
}

const NO_LINKS: Linker = {
  configCommit: () => undefined,
  proposal: () => undefined,
  sourceCommit: () => undefined,
  image: () => undefined,
};

/** Sources of nothing but the store: links none, no labels, no Git history. */
export const storeOnlyProvenance: ProvenanceSources = { linker: NO_LINKS };

/** The runtime's registries, Git repositories and `links` templates. */
export function runtimeProvenance(
  runtime: Pick<Runtime, 'system' | 'registries' | 'repositories' | 'services' | 'logger' | 'loaded'>,
): ProvenanceSources {
  const config = runtime.loaded.config;
  const keys = labelKeysOf(runtime);
  const linker = createLinker({
    repositories: Object.fromEntries(
      Object.entries(config.repositories ?? {}).map(([name, r]) => [name, { url: r.url, links: r.links }]),
    ),
    registries: Object.fromEntries(
      Object.entries(config.registries ?? {}).flatMap(([name, r]) =>
        'helm' in r ? [] : [[name, { ...('url' in r ? { url: r.url } : {}), host: r.host, links: r.links }]],
      ),
    ),
  });
  const repositoryOf = (pipeline: string, phase: string) => {
    const s = findPhase(findPipeline(runtime.system, pipeline), phase).source.subject;
    return s?.kind === 'git' ? s.repository : undefined;
  };
  return {
    linker,
    async imageSource(pipeline, digest) {
      const home = imageHome(runtime.system, pipeline);
      if (!home || !digest.startsWith('sha256:')) return undefined;
      try {
        const labels = await readImageLabels(runtime.registries.get(home.registry), home.repository, digest);
        return sourceOfLabels(labels, keys(home.registry));
      } catch {
        return undefined;
      }
    },
    history(pipeline, phase, limit) {
      const p = findPipeline(runtime.system, pipeline);
      return readPhaseHistory(p, findPhase(p, phase), { services: runtime.services, logger: runtime.logger }, limit);
    },
    async commit(pipeline, phase, sha) {
      const repository = repositoryOf(pipeline, phase);
      if (!repository) return undefined;
      return runtime.repositories
        .repository(repository)
        .commit(sha)
        .catch(() => undefined);
    },
  };
}

export interface ChainRequest {
  readonly pipeline: string;
  readonly phase: string;
  readonly version?: string | undefined;
  readonly digest?: string | undefined;
}

const iso = (t: Date | string | undefined) =>
  t === undefined ? undefined : typeof t === 'string' ? t : t.toISOString();

function commitOf(r: CurrentVersion['setBy'] | Revision | undefined): ConfigCommit | undefined {
  if (!r) return undefined;
  const time = iso(r.time);
  return {
    sha: r.id,
    ...(time ? { time } : {}),
    ...(r.author ? { author: r.author } : {}),
    ...(r.message ? { message: r.message } : {}),
  };
}

type Res = { readonly kind: string } & Record<string, unknown>;
const asResource = (r: unknown): Res | undefined =>
  typeof r === 'object' && r !== null && typeof (r as { kind?: unknown }).kind === 'string' ? (r as Res) : undefined;

/** The artifact CI reported for a version: an image by manifest digest, a chart by version. */
async function artifactOf(store: Store, resource: Res | undefined, digest: string): Promise<Artifact | undefined> {
  if (resource?.kind === 'helm-chart' && typeof resource.version === 'string') {
    for (const name of [resource.repository, resource.name])
      if (typeof name === 'string') {
        const a = await store.findArtifactByChart(name, resource.version);
        if (a) return a;
      }
    return undefined;
  }
  const d = typeof resource?.digest === 'string' ? resource.digest : digest;
  return d.startsWith('sha256:') ? store.findArtifactByDigest(d) : undefined;
}

/**
 * Gathers the records of a version's chain in a phase and assembles it: the version named
 * by `version` or `digest` (default: what the phase runs now), found in the phase's
 * promotions, its Git history or its current state; `not_found` when none holds it.
 */
export async function readChain(
  d: { readonly system: System; readonly store: Store; readonly provenance: ProvenanceSources },
  req: ChainRequest,
  current: CurrentVersion | undefined,
): Promise<ApiChain> {
  const { pipeline, phase } = req;
  const ph = findPhase(findPipeline(d.system, pipeline), phase);
  const named = req.version !== undefined || req.digest !== undefined;
  if (!named && current?.digest === undefined)
    throw new GantryError('not_found', `${pipeline}/${phase} holds no version yet`, { pipeline, phase });
  const want = named ? { digest: req.digest, version: req.version } : { digest: current?.digest, version: undefined };
  const matches = (x: { digest?: string | undefined; version?: string | undefined }) =>
    (want.digest === undefined || x.digest === want.digest) &&
    (want.version === undefined || x.version === want.version);

  const promotions = await d.store.promotionsOfVersion({
    pipeline,
    phase,
    ...(want.digest !== undefined ? { digest: want.digest } : {}),
    ...(want.version !== undefined ? { version: want.version } : {}),
  });
  const promotion: PromotionWithEvents | undefined = promotions.find((p) => p.state === 'succeeded') ?? promotions[0];
  const isCurrent = current?.digest !== undefined && matches({ digest: current.digest, version: current.version });
  // Git history: for a version Gantry did not write, and for the config commit's message
  let fromGit: PhaseHistoryEntry | undefined;
  if (!promotion && !isCurrent && d.provenance.history) {
    const history = await d.provenance.history(pipeline, phase, 200).catch(() => []);
    // the commit where it entered: the oldest of the newest run of commits holding it
    for (let i = 0; i < history.length; i++) {
      const h = history[i] as PhaseHistoryEntry;
      if (!matches(h)) continue;
      fromGit = h;
      while (i + 1 < history.length && (history[i + 1] as PhaseHistoryEntry).digest === h.digest) {
        i++;
        fromGit = history[i] as PhaseHistoryEntry;
      }
      break;
    }
  }
  let digest: string;
  let version: string;
  let resource: Res | undefined;
  if (promotion) {
    digest = promotion.toDigest;
    version = promotion.toVersion;
    resource = asResource(promotion.target);
  } else if (isCurrent && current?.digest !== undefined) {
    digest = current.digest;
    version = current.version ?? current.digest;
    resource = asResource(current.resource);
  } else if (fromGit) {
    digest = fromGit.digest;
    version = fromGit.version;
    resource = asResource(fromGit.resource);
  } else {
    const what = req.digest !== undefined ? `digest ${req.digest}` : `version ${req.version}`;
    throw new GantryError(
      'not_found',
      `${pipeline}/${phase} never held ${what} (no promotion, not in its Git history)`,
      {
        pipeline,
        phase,
      },
    );
  }

  const configSha = promotion?.commitSha ?? (isCurrent ? current?.setBy?.id : fromGit?.revision.id);
  const gitCommit =
    configSha && d.provenance.commit ? await d.provenance.commit(pipeline, phase, configSha) : undefined;
  const configCommit =
    commitOf(gitCommit) ??
    (isCurrent && !promotion ? commitOf(current?.setBy) : fromGit ? commitOf(fromGit.revision) : undefined) ??
    (configSha ? { sha: configSha } : undefined);
  const commits = [configSha, promotion?.deployment?.commit].filter((c): c is string => !!c);
  const [artifact, deployerEvents, checks] = await Promise.all([
    artifactOf(d.store, resource, digest),
    d.store.deployerEventsOfCommits(commits, `${pipeline}/${phase}`),
    promotion ? d.store.listCheckResults(promotion.id) : Promise.resolve([]),
  ]);
  const labels =
    !artifact?.source.commit && d.provenance.imageSource
      ? await d.provenance.imageSource(pipeline, typeof resource?.digest === 'string' ? resource.digest : digest)
      : undefined;
  const subject = ph.source.subject;
  return assembleChain({
    pipeline,
    phase,
    version,
    digest,
    ...(resource ? { resource } : {}),
    current: isCurrent || (current?.digest !== undefined && current.digest === digest),
    ...(promotion ? { promotion } : {}),
    ...(artifact ? { artifact } : {}),
    ...(labels ? { labels } : {}),
    ...(configCommit ? { configCommit } : {}),
    ...(subject?.kind === 'git'
      ? { config: { repository: subject.repository, ...(subject.branch ? { branch: subject.branch } : {}) } }
      : {}),
    deployerEvents,
    checks,
    linker: d.provenance.linker,
  });
}
