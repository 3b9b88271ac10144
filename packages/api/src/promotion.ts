import { z } from '@hono/zod-openapi';
import { deploymentSchema, verificationSchema } from './deployment.js';
import { gateVerdictSchema } from './gate-verdicts.js';
import { resourceSchema } from './resource.js';

const timestamp = z.iso.datetime({ offset: true });

/** The life of a promotion: waiting (on its gates), queued, running, committed, pushed, then it settles. */
export const promotionStateSchema = z.enum([
  'waiting',
  'queued',
  'running',
  'committed',
  'pushed',
  'proposed',
  'succeeded',
  'failed',
  'superseded',
]);

/**
 * A promotion's pull request. `superseded`: a newer promotion of the phase took the same pull
 * request over (a newer version, same number).
 */
export const proposalSchema = z
  .object({
    provider: z.enum(['github', 'gitlab']).openapi({ description: 'github: a pull request; gitlab: a merge request.' }),
    repository: z.string().openapi({ description: 'owner/name on the provider.' }),
    number: z.number().int().positive(),
    url: z.string().openapi({ description: 'The pull request page.' }),
    state: z.enum(['open', 'merged', 'closed', 'superseded']),
    headBranch: z.string(),
    headSha: z.string().openapi({ description: 'The commit Gantry proposed.' }),
    mergedCommit: z.string().optional().openapi({ description: 'Once merged: the commit the phase got.' }),
    checks: z
      .object({
        state: z.enum(['pending', 'success', 'failure']),
        total: z.number().int().nonnegative(),
        passed: z.number().int().nonnegative(),
      })
      .optional()
      .openapi({
        description:
          "The checks of its head as last read: GitHub's commit statuses and check runs, GitLab's head pipeline.",
      }),
  })
  .openapi('Proposal');

/** Who or what asked for a promotion. */
export const triggerSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('person'),
      actor: z.string(),
      author: z.object({ name: z.string(), email: z.string() }).optional(),
      rollbackOf: z
        .uuid()
        .optional()
        .openapi({ description: 'A rollback: the earlier promotion whose version it restores.' }),
    }),
    z.object({ kind: z.literal('schedule'), schedule: z.string() }),
    z.object({ kind: z.literal('webhook'), source: z.string(), event: z.string().optional() }),
    z.object({ kind: z.literal('policy'), policy: z.string() }),
  ])
  .openapi('Trigger');

export const promotionSchema = z
  .object({
    id: z.uuid(),
    pipeline: z.string(),
    phase: z.string(),
    fromPhase: z.string().optional(),
    fromDigest: z.string().optional(),
    fromVersion: z.string().optional(),
    toDigest: z.string(),
    toVersion: z.string(),
    target: resourceSchema,
    trigger: triggerSchema,
    reason: z.string(),
    state: promotionStateSchema,
    commitSha: z.string().optional(),
    attempts: z.number().int().nonnegative().openapi({ description: 'How many times a worker claimed it.' }),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    claimedBy: z.string().optional().openapi({ description: 'The worker (replica) that claimed it last.' }),
    deployment: deploymentSchema.optional().openapi({ description: 'What the deployer reported, once it did.' }),
    verification: verificationSchema
      .optional()
      .openapi({ description: "Its checks' verdict, once verification started." }),
    gates: z
      .array(gateVerdictSchema)
      .optional()
      .openapi({ description: "Every gate's verdict for this version, as last evaluated." }),
    proposal: proposalSchema
      .optional()
      .openapi({ description: 'Its pull request, when its phase writes by proposal (docs/proposals.md).' }),
    links: z
      .object({
        commit: z.string().optional().openapi({ description: "The config commit's web page." }),
        image: z.string().optional().openapi({ description: "The image's page in its registry." }),
        proposal: z.string().optional().openapi({ description: 'The pull/merge request page.' }),
      })
      .optional()
      .openapi({
        description:
          "Web pages of what it names, from the repository's and registry's link templates (configuration.md); history and promotion answers carry it.",
      }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Promotion');

export const promotionEventSchema = z.object({
  state: promotionStateSchema,
  at: timestamp,
  detail: z.record(z.string(), z.unknown()),
});

export const promotionDetailSchema = promotionSchema
  .extend({ events: z.array(promotionEventSchema) })
  .openapi('PromotionDetail');

export const historySchema = z
  .object({ items: z.array(promotionSchema), nextCursor: z.string().optional() })
  .openapi('History');
