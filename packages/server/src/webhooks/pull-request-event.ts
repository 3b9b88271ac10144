import { z } from 'zod';

/**
 * GitHub's `pull_request` webhook event (X-GitHub-Event: pull_request): the fields Gantry
 * reads. `action` is `opened`, `closed`, `synchronize`, `edited`, `reopened`...; a `closed`
 * pull request with `merged: true` was merged, and `merge_commit_sha` is then the commit the
 * base branch got.
 */
const pullRequestEvent = z.object({
  action: z.string().min(1),
  number: z.number().int().positive(),
  pull_request: z.looseObject({
    number: z.number().int().positive(),
    state: z.enum(['open', 'closed']),
    merged: z.boolean().nullable().optional(),
    merged_at: z.string().nullable().optional(),
    merge_commit_sha: z.string().nullable().optional(),
    html_url: z.string().optional(),
    head: z.looseObject({ ref: z.string(), sha: z.string() }),
    base: z.looseObject({ ref: z.string() }),
  }),
  repository: z.looseObject({ full_name: z.string().min(1) }),
});

/** What the event says became of the pull request. */
export interface PullRequestChange {
  readonly provider: 'github' | 'gitlab';
  readonly repository: string;
  readonly number: number;
  readonly state: 'open' | 'merged' | 'closed';
  readonly mergedCommit?: string;
  readonly action: string;
}

/** The change a `pull_request` event reports, or undefined when the body is not one. */
export function pullRequestOf(body: unknown): PullRequestChange | undefined {
  const e = pullRequestEvent.safeParse(body);
  if (!e.success) return undefined;
  const pr = e.data.pull_request;
  const merged = pr.merged === true || (pr.merged_at ?? null) !== null;
  return {
    provider: 'github',
    repository: e.data.repository.full_name,
    number: pr.number,
    state: merged ? 'merged' : pr.state === 'open' ? 'open' : 'closed',
    ...(merged && pr.merge_commit_sha ? { mergedCommit: pr.merge_commit_sha } : {}),
    action: e.data.action,
  };
}
