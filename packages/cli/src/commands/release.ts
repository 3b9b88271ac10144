import type { VersionSpec } from '@gantry/core';
import { GantryError } from '@gantry/core';
import type { ReportedArtifact } from '../artifact-choice.js';
import {
  describeArtifact,
  NoArtifactsHereError,
  noBuildFromBranch,
  NoBuildError,
  releaseOfArtifact,
} from '../artifact-choice.js';
import type { Io } from '../io.js';
import { toJson } from '../json.js';
import { authorFrom } from '../local-actor.js';
import { openRuntimeStore, recordLocally } from '../local-promotion.js';
import { progress } from '../progress.js';
import type { Recorded } from '../recorded-view.js';
import { describeRecorded, RELEASE_VERBS } from '../recorded-view.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';
import { withRuntime } from '../runtime.js';
import { recordedRemotely } from './recorded-remote.js';
import { remoteArtifact } from './release-artifacts.js';

export interface ReleaseFlags {
  readonly version?: string;
  readonly digest?: string;
  readonly branch?: string;
  readonly artifact?: string;
  readonly reason?: string;
  /** Remote mode: follow the promotion until it settles (local mode always runs it to its end). */
  readonly wait?: boolean;
  readonly json?: boolean;
}

/** What to release, as given: a name the phase's upstream resolves, or a build reported by CI. */
export type ReleaseChoice =
  | { readonly kind: 'named'; readonly spec: VersionSpec }
  | { readonly kind: 'branch'; readonly branch: string }
  | { readonly kind: 'artifact'; readonly id: string };

export function releaseChoice(o: ReleaseFlags): ReleaseChoice {
  const given = [
    o.version !== undefined && ({ kind: 'named', spec: { version: o.version } } as const),
    o.digest !== undefined && ({ kind: 'named', spec: { digest: o.digest } } as const),
    o.branch !== undefined && ({ kind: 'branch', branch: o.branch } as const),
    o.artifact !== undefined && ({ kind: 'artifact', id: o.artifact } as const),
  ].filter((c): c is ReleaseChoice => c !== false);
  const [first, ...more] = given;
  if (!first || more.length > 0) {
    throw new GantryError('invalid_request', 'name exactly one of --version, --digest, --branch and --artifact', {});
  }
  return first;
}

/** A build from the data directory's store (a server on this data directory records CI's reports there). */
async function localArtifact(
  store: Awaited<ReturnType<typeof openRuntimeStore>>,
  pipeline: string,
  choice: Extract<ReleaseChoice, { kind: 'branch' | 'artifact' }>,
): Promise<ReportedArtifact> {
  const branches = await store.artifactBranches(pipeline);
  if (choice.kind === 'artifact') {
    const a = await store.getArtifact(choice.id).catch(() => undefined);
    if (a) return a;
    if (branches.length === 0) throw new NoArtifactsHereError(pipeline);
    throw new NoBuildError('not_found', `no artifact ${choice.id}`, { artifact: choice.id });
  }
  const a = await store.newestArtifact(pipeline, choice.branch);
  if (a) return a;
  if (branches.length === 0) throw new NoArtifactsHereError(pipeline);
  throw noBuildFromBranch(pipeline, choice.branch, branches);
}

/**
 * `gantry release <pipeline> <phase> --version|--digest|--branch|--artifact`: a person's release
 * of a given version (it pins the phase when it is not the upstream's version).
 */
export async function releaseCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string,
  phase: string,
  o: ReleaseFlags,
): Promise<number> {
  const choice = releaseChoice(o);
  const reason = o.reason?.trim();
  const client = remoteClient(io);
  let recorded: Recorded;
  let build: ReportedArtifact | undefined;
  if (client) {
    let spec: VersionSpec;
    if (choice.kind === 'named') spec = choice.spec;
    else {
      build = await remoteArtifact(client, pipeline, choice);
      spec = releaseOfArtifact(build);
    }
    const result = await client.promote(pipeline, phase, { ...spec, ...(reason ? { reason } : {}) });
    recorded = await recordedRemotely(io, client, result, o.wait ?? false);
  } else {
    recorded = await withRuntime(io, g, async (rt) => {
      let spec: VersionSpec;
      if (choice.kind === 'named') spec = choice.spec;
      else {
        const store = await openRuntimeStore(rt);
        try {
          build = await localArtifact(store, pipeline, choice);
          spec = releaseOfArtifact(build);
        } finally {
          await store.close();
        }
      }
      const author = authorFrom(io.env, io.cwd);
      const p = progress(io, `releasing into ${pipeline}/${phase}`);
      return recordLocally(rt, {
        pipeline,
        phase,
        release: spec,
        ...(author ? { author } : {}),
        ...(reason ? { reason } : {}),
      }).finally(() => p.done());
    });
  }
  const view = describeRecorded(recorded, RELEASE_VERBS, io.color);
  if (o.json) io.out(toJson(build ? { ...recorded, artifact: build } : recorded));
  else {
    if (build) io.out(`build: ${describeArtifact(build)}\n`);
    io.out(view.out);
  }
  if (view.err) io.err(view.err);
  return view.code;
}
