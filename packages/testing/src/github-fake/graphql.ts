import type { FakeRequest, FakeResponse, Route } from './http.js';
import { DOCS } from './http.js';
import type { FakePull, FakeRepository, FakeState } from './state.js';
import { nodeId } from './state.js';

/**
 * GitHub's GraphQL endpoint, for the one mutation Gantry sends: `enablePullRequestAutoMerge`
 * (input `pullRequestId`, `mergeMethod`). As GitHub does, errors come back with status 200 and
 * an `errors` array: an unknown id, a closed pull request, or one that is mergeable already
 * ("Pull request is in clean status": GitHub enables auto-merge only while checks are pending).
 */

const METHODS = ['MERGE', 'SQUASH', 'REBASE'] as const;

const gqlError = (message: string, type = 'UNPROCESSABLE'): FakeResponse => ({
  status: 200,
  body: {
    data: { enablePullRequestAutoMerge: null },
    errors: [{ type, path: ['enablePullRequestAutoMerge'], message }],
  },
});

export function graphqlRoutes(
  state: FakeState,
  /** Whether the pull request could be merged now (its base's required checks pass on its head). */
  clean: (repo: FakeRepository, pull: FakePull) => Promise<boolean>,
  /** Auto-merge was enabled: merge it at once if it is ready. */
  enabled: (repo: FakeRepository, pull: FakePull) => Promise<void>,
): Route[] {
  const handle = async (req: FakeRequest): Promise<FakeResponse> => {
    const b = (req.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
    if (typeof b.query !== 'string')
      return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: `${DOCS}/graphql` } };
    if (!/enablePullRequestAutoMerge/.test(b.query))
      return {
        status: 200,
        body: { errors: [{ message: 'the GitHub fake answers only enablePullRequestAutoMerge' }] },
      };
    const vars = b.variables ?? {};
    const inline = (name: string) => new RegExp(`${name}:\\s*"?([A-Za-z0-9=_-]+)"?`).exec(b.query as string)?.[1];
    const id = String(vars.id ?? vars.pullRequestId ?? inline('pullRequestId') ?? '');
    const method = String(vars.method ?? vars.mergeMethod ?? inline('mergeMethod') ?? 'MERGE');
    if (!(METHODS as readonly string[]).includes(method)) return gqlError(`Invalid merge method ${method}`, 'INVALID');
    for (const repo of state.repositories.values()) {
      const pull = repo.pulls.find((p) => nodeId('PullRequest', p.id) === id);
      if (!pull) continue;
      if (pull.state !== 'open') return gqlError('Pull request is closed');
      if (await clean(repo, pull)) return gqlError('Pull request is in clean status');
      pull.autoMerge = { method: method as (typeof METHODS)[number], by: req.user };
      pull.updatedAt = state.now();
      await enabled(repo, pull);
      return {
        status: 200,
        body: {
          data: {
            enablePullRequestAutoMerge: {
              pullRequest: { number: pull.number, autoMergeRequest: pull.autoMerge ? { mergeMethod: method } : null },
            },
          },
        },
      };
    }
    return gqlError(`Could not resolve to a node with the global id of '${id}'`, 'NOT_FOUND');
  };
  return [{ method: 'POST', pattern: '/graphql', docs: `${DOCS}/graphql`, handle }];
}
