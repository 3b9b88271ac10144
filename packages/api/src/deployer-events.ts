import { z } from '@hono/zod-openapi';
import { deploymentStateSchema } from './deployment.js';

const timestamp = z.iso.datetime({ offset: true });

/** How a phase names who applies it (gantry.yaml `deployer:`). */
export const deployerRefSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('flux-kustomization'), namespace: z.string(), name: z.string() }),
    z.object({ kind: z.literal('flux-helmrelease'), namespace: z.string(), name: z.string() }),
    z.object({ kind: z.literal('argocd-application'), namespace: z.string().optional(), name: z.string() }),
  ])
  .openapi('DeployerRef');

/** One report of Flux or Argo CD as Gantry received and recorded it. */
export const deployerEventSchema = z
  .object({
    id: z.string(),
    receivedAt: timestamp,
    deployer: z.string().openapi({ description: '`flux` or `argocd`.' }),
    object: z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() }),
    revision: z.string().optional(),
    commit: z.string().optional(),
    state: deploymentStateSchema.or(z.literal('progressing')),
    reason: z.string().optional(),
    message: z.string(),
    occurredAt: timestamp,
    matched: z.array(z.string()).openapi({
      description: '`pipeline/phase` of every phase the report concerns; empty: no phase names its object.',
    }),
    mapping: deployerRefSchema.optional().openapi({
      description:
        'The `deployer:` a phase would name to match this report; absent for objects a phase cannot name (e.g. a Flux GitRepository).',
    }),
  })
  .openapi('DeployerEvent');

export const deployerEventsSchema = z
  .object({ items: z.array(deployerEventSchema), nextCursor: z.string().optional() })
  .openapi('DeployerEvents');

export const deployerEventsQuery = z.object({
  unmatched: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Only reports no phase matched (a `deployer:` mapping to fix).' }),
  cursor: z.string().optional().openapi({ description: "The previous page's `nextCursor`." }),
  limit: z.coerce.number().int().min(1).max(500).optional().openapi({ description: '1..500, default 50.' }),
});
