import type { VersionSpec } from '@gantry/core';
import { GantryError } from '@gantry/core';

/** The fields of an artifact report a release is made from (the store's and the API's alike). */
export interface ReportedArtifact {
  readonly id: string;
  readonly kind: 'image' | 'chart';
  readonly image?: string;
  readonly digest?: string;
  readonly chart?: string;
  readonly version?: string;
  readonly source: { readonly branch?: string; readonly commit?: string };
}

/** No build of the pipeline from that branch (`no_branch_build`), or no such artifact (`not_found`): exit 2. */
export class NoBuildError extends GantryError {
  constructor(code: 'no_branch_build' | 'not_found', message: string, context: Record<string, unknown>) {
    super(code, message, context);
  }
}

/** Artifact reports live where CI posts them: a server (or its data directory). */
export class NoArtifactsHereError extends GantryError {
  constructor(pipeline: string) {
    super(
      'invalid_request',
      `no artifact reports of pipeline ${pipeline} in this data directory: CI reports builds to a server (POST /api/v1/artifacts); set GANTRY_SERVER to release from them, or name the version with --version or --digest`,
      { pipeline },
    );
  }
}

export function noBuildFromBranch(pipeline: string, branch: string, branches: readonly string[]): NoBuildError {
  return new NoBuildError(
    'no_branch_build',
    `no build of pipeline ${pipeline} from branch "${branch}"; branches with builds: ${branches.length > 0 ? branches.join(', ') : '(none)'}`,
    { pipeline, branch, branches },
  );
}

/**
 * The version an artifact report names, as the release asks for it: an image by its digest, a
 * chart by its version. Both are looked up where the phase takes versions from, so a report
 * of something the pipeline's registry does not hold releases nothing.
 */
export function releaseOfArtifact(a: ReportedArtifact): VersionSpec {
  if (a.kind === 'image' && a.digest) return { digest: a.digest };
  if (a.kind === 'chart' && a.version) return { version: a.version };
  throw new GantryError('invalid_target', `artifact ${a.id} names no ${a.kind === 'image' ? 'digest' : 'version'}`, {
    artifact: a.id,
  });
}

/** How a release from an artifact is described: `build <id> (branch main, commit 1a2b3c4)`. */
export function describeArtifact(a: ReportedArtifact): string {
  const what =
    a.kind === 'image' ? `${a.image ?? 'image'}@${a.digest ?? '?'}` : `${a.chart ?? 'chart'} ${a.version ?? '?'}`;
  const from = [
    a.source.branch && `branch ${a.source.branch}`,
    a.source.commit && `commit ${a.source.commit.slice(0, 12)}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${what}${from ? ` (${from})` : ''}, artifact ${a.id}`;
}
