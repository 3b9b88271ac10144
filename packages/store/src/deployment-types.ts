import { z } from 'zod';

const isoTimestamp = z.iso.datetime();

/** Where the deployer says a commit stands: applied and healthy, or not. */
export const deploymentStateSchema = z.enum(['pending', 'applied', 'healthy', 'failed', 'degraded']);
export type DeploymentState = z.infer<typeof deploymentStateSchema>;

/** What the deployer reported for a promotion's commit (or a later commit containing it). */
export const promotionDeploymentSchema = z.object({
  state: deploymentStateSchema,
  at: isoTimestamp,
  message: z.string().optional(),
  /** `flux` or `argocd`. */
  deployer: z.string().optional(),
  /** The deployer event that settled it. */
  eventId: z.string().optional(),
  /** The commit the event named: this promotion's, or a later one that contains it. */
  commit: z.string().optional(),
  /** Since when the deployer has reported healthy without a failure in between. */
  healthySince: isoTimestamp.optional(),
});
export type PromotionDeployment = z.infer<typeof promotionDeploymentSchema>;

/** Verification after a promotion: its checks run once the deployer reports healthy. */
export const verificationStateSchema = z.enum(['pending', 'running', 'verified', 'failed']);
export type VerificationState = z.infer<typeof verificationStateSchema>;

export const promotionVerificationSchema = z.object({
  state: verificationStateSchema,
  at: isoTimestamp,
  /** Re-runs count up; results of earlier runs stay recorded. */
  run: z.number().int().positive(),
  /** Names of the checks that failed, or why verification could not complete. */
  failed: z.array(z.string()).optional(),
  reason: z.string().optional(),
});
export type PromotionVerification = z.infer<typeof promotionVerificationSchema>;

/** One deployer report as received and recorded, matched to phases or not. */
export const deployerEventRecordSchema = z.object({
  id: z.string(),
  /** Idempotency key: the same report delivered twice is recorded once. */
  key: z.string(),
  receivedAt: isoTimestamp,
  deployer: z.string(),
  object: z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() }),
  revision: z.string().optional(),
  commit: z.string().optional(),
  state: deploymentStateSchema.or(z.literal('progressing')),
  reason: z.string().optional(),
  message: z.string(),
  occurredAt: isoTimestamp,
  /** `pipeline/phase` of every phase the event concerns; empty: nobody's (a mapping to fix). */
  matched: z.array(z.string()),
});
export type DeployerEventRecord = z.infer<typeof deployerEventRecordSchema>;
export type NewDeployerEvent = Omit<DeployerEventRecord, 'id' | 'receivedAt'>;

/** One check's result of one verification run, as recorded. */
export const checkResultRecordSchema = z.object({
  promotionId: z.string(),
  run: z.number().int().positive(),
  name: z.string(),
  /** The check's result as the checks package returns it (status, reason, output, evidence, times). */
  result: z.record(z.string(), z.unknown()),
  recordedAt: isoTimestamp,
});
export type CheckResultRecord = z.infer<typeof checkResultRecordSchema>;
