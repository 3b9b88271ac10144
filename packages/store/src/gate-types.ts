import { z } from 'zod';

const isoTimestamp = z.iso.datetime();

/** A person's decision on one version entering one phase. */
export const approvalSchema = z.object({
  id: z.string(),
  pipeline: z.string(),
  phase: z.string(),
  digest: z.string(),
  actor: z.string(),
  role: z.string(),
  decision: z.enum(['approve', 'reject']),
  comment: z.string().optional(),
  at: isoTimestamp,
});
export type Approval = z.infer<typeof approvalSchema>;
export type NewApproval = Omit<Approval, 'id' | 'at'>;

/**
 * What holds automation back: a *pin* keeps a phase at a version (a manual rollback, a
 * release of something other than the upstream's version) until someone releases it; a
 * *pause* stops a phase (or, without a phase, a whole pipeline) with a reason.
 */
export const holdSchema = z.object({
  id: z.string(),
  pipeline: z.string(),
  phase: z.string().optional(),
  kind: z.enum(['pin', 'pause']),
  actor: z.string(),
  reason: z.string(),
  digest: z.string().optional(),
  at: isoTimestamp,
  releasedAt: isoTimestamp.optional(),
  releasedBy: z.string().optional(),
});
export type Hold = z.infer<typeof holdSchema>;
export type NewHold = Omit<Hold, 'id' | 'at' | 'releasedAt' | 'releasedBy'>;
