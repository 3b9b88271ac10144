import type { GantryClient } from '@gantry/client';
import { ApiProblemError } from '@gantry/client';
import type { ReportedArtifact } from '../artifact-choice.js';
import { noBuildFromBranch } from '../artifact-choice.js';
import type { ReleaseChoice } from './release.js';

/**
 * The build a remote release takes, from the server's artifact reports: the newest of the
 * branch (`GET /api/v1/artifacts?pipeline&branch&limit=1`; its 404 `no_branch_build` names the
 * branches that have builds, said here as local mode says it), or the artifact by id.
 */
export async function remoteArtifact(
  client: GantryClient,
  pipeline: string,
  choice: Extract<ReleaseChoice, { kind: 'branch' | 'artifact' }>,
): Promise<ReportedArtifact> {
  if (choice.kind === 'artifact') return client.getArtifact(choice.id);
  try {
    const page = await client.listArtifacts({ pipeline, branch: choice.branch, limit: 1 });
    const newest = page.items[0];
    if (newest) return newest;
    throw noBuildFromBranch(pipeline, choice.branch, []);
  } catch (e) {
    if (e instanceof ApiProblemError && e.code === 'no_branch_build') {
      const branches = (e.problem as { branches?: unknown }).branches;
      throw noBuildFromBranch(pipeline, choice.branch, Array.isArray(branches) ? branches.map(String) : []);
    }
    throw e;
  }
}
