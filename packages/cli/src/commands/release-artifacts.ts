import type { ApiProblem } from '@gantry/api';
import { ApiProblemError, ApiUnreachableError } from '@gantry/client';
import type { ReportedArtifact } from '../artifact-choice.js';
import { NoBuildError, noBuildFromBranch } from '../artifact-choice.js';
import type { Io } from '../io.js';
import type { ReleaseChoice } from './release.js';

/** GET on the server `GANTRY_SERVER` names, with `GANTRY_TOKEN`: the JSON, or the problem as the client reports it. */
async function get(io: Io, path: string): Promise<{ ok: true; body: unknown } | { ok: false; problem: ApiProblem }> {
  const base = (io.env.GANTRY_SERVER ?? '').replace(/\/$/, '');
  const token = io.env.GANTRY_TOKEN;
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  } catch (e) {
    throw new ApiUnreachableError(base, e);
  }
  const body = (await res.json().catch(() => undefined)) as unknown;
  if (res.ok) return { ok: true, body };
  const problem = body as Partial<ApiProblem> | undefined;
  return {
    ok: false,
    problem: problem?.code
      ? (problem as ApiProblem)
      : {
          type: 'about:blank',
          title: res.statusText,
          status: res.status,
          code: `http_${res.status}`,
          detail: `GET ${path}: ${res.status} ${res.statusText}`,
        },
  };
}

/**
 * The build a remote release takes, from the server's artifact reports: the newest of the
 * branch (`GET /api/v1/artifacts?pipeline&branch&limit=1`, 404 naming the branches that have
 * builds), or the artifact by id.
 */
export async function remoteArtifact(
  io: Io,
  pipeline: string,
  choice: Extract<ReleaseChoice, { kind: 'branch' | 'artifact' }>,
): Promise<ReportedArtifact> {
  const enc = encodeURIComponent;
  if (choice.kind === 'artifact') {
    const r = await get(io, `/api/v1/artifacts/${enc(choice.id)}`);
    if (r.ok) return r.body as ReportedArtifact;
    if (r.problem.status === 404) throw new NoBuildError(r.problem.detail, { artifact: choice.id });
    throw new ApiProblemError(r.problem);
  }
  const r = await get(io, `/api/v1/artifacts?pipeline=${enc(pipeline)}&branch=${enc(choice.branch)}&limit=1`);
  if (r.ok) {
    const first = (r.body as { items?: ReportedArtifact[] }).items?.[0];
    if (first) return first;
    throw noBuildFromBranch(pipeline, choice.branch, []);
  }
  const branches = (r.problem as ApiProblem & { branches?: unknown }).branches;
  if (r.problem.status === 404 && Array.isArray(branches)) {
    throw noBuildFromBranch(pipeline, choice.branch, branches.map(String));
  }
  throw new ApiProblemError(r.problem);
}
