import { z } from 'zod';
import type { PullRequestChange } from './pull-request-event.js';

/**
 * GitLab's merge request webhook event (`X-Gitlab-Event: Merge Request Hook`,
 * `object_kind: merge_request`): the fields Gantry reads. `object_attributes.state` is
 * `opened`, `closed`, `locked` or `merged`; `action` is `open`, `update`, `close`, `merge`...;
 * `merge_commit_sha` is the commit the target branch got (absent for a fast-forward merge, where
 * the target then points at `last_commit`).
 */
const mergeRequestEvent = z.object({
  object_kind: z.literal('merge_request'),
  project: z.looseObject({ path_with_namespace: z.string().min(1) }),
  object_attributes: z.looseObject({
    iid: z.number().int().positive(),
    state: z.string().min(1),
    action: z.string().optional(),
    merge_commit_sha: z.string().nullable().optional(),
    last_commit: z.looseObject({ id: z.string() }).nullable().optional(),
  }),
});

/** The change a `merge_request` event reports, or undefined when the body is not one. */
export function mergeRequestOf(body: unknown): PullRequestChange | undefined {
  const e = mergeRequestEvent.safeParse(body);
  if (!e.success) return undefined;
  const mr = e.data.object_attributes;
  const merged = mr.state === 'merged';
  const commit = mr.merge_commit_sha ?? mr.last_commit?.id ?? undefined;
  return {
    provider: 'gitlab',
    repository: e.data.project.path_with_namespace,
    number: mr.iid,
    state: merged ? 'merged' : mr.state === 'opened' || mr.state === 'locked' ? 'open' : 'closed',
    ...(merged && commit ? { mergedCommit: commit } : {}),
    action: mr.action ?? mr.state,
  };
}
