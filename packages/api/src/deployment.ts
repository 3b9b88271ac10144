import { z } from '@hono/zod-openapi';

const timestamp = z.iso.datetime({ offset: true });

/** Where the deployer says a commit stands. */
export const deploymentStateSchema = z.enum(['pending', 'applied', 'healthy', 'failed', 'degraded']);

/** What the deployer (Flux, Argo CD) reported for a promotion's commit, or a later commit containing it. */
export const deploymentSchema = z
  .object({
    state: deploymentStateSchema,
    at: timestamp,
    message: z.string().optional(),
    deployer: z.string().optional().openapi({ description: '`flux` or `argocd`.' }),
    eventId: z.string().optional().openapi({ description: 'The deployer event that settled it.' }),
    commit: z
      .string()
      .optional()
      .openapi({ description: "The commit the event named: the promotion's, or a later one that contains it." }),
    healthySince: timestamp
      .optional()
      .openapi({ description: 'Since when the deployer has reported healthy without a failure in between.' }),
  })
  .openapi('Deployment');

/** A promotion's verification: its checks run once the deployer reports healthy. */
export const verificationStateSchema = z.enum(['pending', 'running', 'verified', 'failed']);

export const verificationSchema = z
  .object({
    state: verificationStateSchema,
    at: timestamp,
    run: z.number().int().nonnegative().openapi({
      description: 'Re-runs count up; earlier runs stay recorded. 0 while pending: no run has started.',
    }),
    failed: z
      .array(z.string())
      .optional()
      .openapi({ description: 'Names of the checks that failed, or why verification could not complete.' }),
    reason: z.string().optional(),
  })
  .openapi('Verification');
